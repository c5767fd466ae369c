"""Frappe's whole surface, over HTTP: no identity, history, title or existence of a case reaches a user
outside its scope (README: Threat model).

Markers are planted in every identity field and level-1 text of one case (a resident, a need, a plan
whose goal was edited, so its history holds the marker too). Then, as every role outside the case's
scope and a website user, every whitelisted method Frappe and the app register is called with
arguments drawn from the DocTypes' metadata: plain columns, a crafted column expression, a dotted
link column, and a filter on each identity field (matched against a filter that matches nothing).
Replies are decoded (Frappe escapes non-ASCII in JSON) and searched for the markers.
"""

import importlib
import inspect
import json
import pkgutil
import re
from concurrent.futures import ThreadPoolExecutor
from types import SimpleNamespace

import frappe
import pytest
import requests
from frappe.utils import add_days, today

from tests.integration.factories import PASSWORD, make_coordinator, make_user
from tests.integration.portal.conftest import login

REQUEST_TIMEOUT = 30

# Methods whose call would end the session, change passwords, or start long jobs; none reads rows.
SKIPPED = (
	"logout",
	"login",
	"sign_up",
	"signup",
	"password",
	"session",
	"setup_wizard",
	"two_factor",
	"twofactor",
	"oauth",
	"impersonate",
	"backup",
	"frappe.integrations",
	"frappe.website.doctype.web_form",
	"frappe.core.doctype.data_import",
	"frappe.core.doctype.user.user.",
	"frappe.utils.change_log",
	"clear_cache",
	"build_",
	"enqueue",
	"socketio",
	"frappe.desk.page.setup",
	"frappe.core.doctype.recorder",
	"frappe.recorder",
	"frappe.core.doctype.rq_",
	"frappe.utils.scheduler",
	"frappe.printing.page.print.print",
	"download_multi_pdf",
	"frappe.desk.doctype.bulk_update",
	"frappe.core.doctype.deleted_document",
)
# Writes are tried on their own below (save replies); the sweep does not change the case. A method
# whose name has one of these words is a write.
WRITE_WORDS = frozenset(
	"""delete rename cancel submit amend insert set save apply run remove bulk update assign share add
	toggle mark create make new send email import upload attach reset clear follow unfollow approve
	reject lift record confirm post edit move merge restore discard dismiss enable disable sync execute
	trigger start stop schedule publish accept invite subscribe unsubscribe deactivate activate revert
	rollback close reopen archive allocate store write install uninstall generate rebuild""".split()
)
DOCTYPE_PARAMS = {
	"doctype",
	"dt",
	"reference_doctype",
	"ref_doctype",
	"doc_type",
	"document_type",
	"share_doctype",
	"parenttype",
	"parent_doctype",
	"link_doctype",
	"reference_type",
	"report_doctype",
}
NAME_PARAMS = {
	"name",
	"docname",
	"dn",
	"doc_name",
	"reference_name",
	"share_name",
	"ref_docname",
	"link_name",
	"value",
	"id",
}
TEXT_PARAMS = {"txt", "text", "query", "search_text", "search_term", "q", "term", "keyword"}
FIELDS_PARAMS = {"fields", "fieldname", "fieldnames", "columns", "field"}
FILTERS_PARAMS = {"filters", "current_filters", "or_filters"}
IDENTITY_FIELD = {"Resident": "full_name", "Need": "resident_name", "Support Plan": "resident_name"}


def _whitelisted_methods() -> list:
	"""Every whitelisted function of Frappe and the app, after importing all of their modules."""
	for package_name in ("frappe", "chiiki_care"):
		package = importlib.import_module(package_name)
		for module in pkgutil.walk_packages(package.__path__, f"{package_name}."):
			if ".tests" in module.name or ".patches" in module.name or module.name.endswith("test_runner"):
				continue
			try:
				importlib.import_module(module.name)
			except Exception:
				continue
	methods = {}
	for function in frappe.whitelisted:
		if "." in function.__qualname__:
			continue  # methods of documents: called through run_doc_method
		path = f"{function.__module__}.{function.__name__}"
		if not any(s in path for s in SKIPPED):
			methods[path] = function
	return sorted(methods.items())


def _leaked(case, body: str, args: dict) -> list[str]:
	"""Markers in a reply that the request did not carry itself (an echo of a name sent is no leak)."""
	sent = json.dumps(args, ensure_ascii=False)
	return [m for m in case.markers if m in body and m not in sent]


def _decoded(response) -> str:
	try:
		return json.dumps(response.json(), ensure_ascii=False)
	except ValueError:
		return response.text


@pytest.fixture(scope="module")
def case(portal_world):
	"""One case of portal user l3a, with markers in its identity and level-1 text, and the users
	outside its scope: the other area's layer 3, a council member, layer 1, layer 2 of its area
	(who read the need and plan without identity) and a website user."""
	w = portal_world
	token = w.token
	frappe.set_user("Administrator")
	users = {
		"l1": make_user(f"surface{token}-l1", first_name="一 層"),
		"l2": make_user(f"surface{token}-l2", first_name="二 層"),
		"web": make_user(f"surface{token}-web", first_name="住 民"),
	}
	coordinators = [
		make_coordinator("一 層", "Layer 1", users["l1"], [w.city]),
		make_coordinator("二 層", "Layer 2", users["l2"], [w.area]),
	]
	identity = {
		"full_name": f"鷺宮 澄{token}",
		"full_name_kana": "サギノミヤ スミ",
		"address": f"試験市鷺宮{token}番地",
		"phone": f"072-{token}-9876",
		"emergency_contact_name": f"鷺宮 連絡{token}",
	}
	resident = frappe.get_doc(
		{
			"doctype": "Resident",
			"birth_date": "1940-02-03",
			"district": w.east,
			"primary_coordinator": w.coordinators["l3a"],
			"household": "Living Alone",
			"care_level": "Support Level 1",
			**identity,
		}
	).insert()
	need = frappe.get_doc(
		{
			"doctype": "Need",
			"resident": resident.name,
			"recorded_by": w.coordinators["l3a"],
			"categories": [{"need_category": "買い物"}],
			"unmet_troubles": f"秘密の困りごと{token}",
			"desired_life": f"秘密の願い{token}",
			"urgency": "Normal",
		}
	).insert()
	plan = frappe.get_doc(
		{
			"doctype": "Support Plan",
			"scope": "Individual",
			"title": f"表題{token}見守り",
			"resident": resident.name,
			"coordinator": w.coordinators["l3a"],
			"start_date": add_days(today(), -10),
			"review_interval_weeks": 4,
			"personal_goal": f"秘密の目標{token}",
			"needs": [{"need": need.name}],
			"actions": [{"description": "買い物の付き添い", "support_kind": "Watching Over"}],
		}
	).insert()
	plan.personal_goal = f"秘密の新目標{token}"
	plan.save()
	frappe.db.commit()  # nosemgrep: the web server under test reads only committed rows

	markers = [*identity.values(), resident.name, f"秘密の困りごと{token}", f"秘密の願い{token}"]
	markers += [f"秘密の目標{token}", f"秘密の新目標{token}", identity["full_name"].replace(" ", "")]
	yield SimpleNamespace(
		users=users,
		resident=resident.name,
		need=need.name,
		plan=plan.name,
		title=plan.title,
		markers=markers,
		targets=[("Resident", resident.name), ("Need", need.name), ("Support Plan", plan.name)],
	)
	frappe.db.rollback()
	frappe.set_user("Administrator")
	for doctype, name in (("Support Plan", plan.name), ("Need", need.name), ("Resident", resident.name)):
		frappe.delete_doc(doctype, name, force=True, ignore_permissions=True, delete_permanently=True)
		frappe.db.delete("Version", {"ref_doctype": doctype, "docname": name})
	for doctype in ("Identity Access Log", "Disclosure Log"):
		frappe.db.delete(doctype, {"resident": resident.name})
	for name in coordinators:
		frappe.delete_doc("Coordinator", name, force=True, ignore_permissions=True)
	for user in users.values():
		frappe.db.delete("Sessions", {"user": user})
		frappe.delete_doc("User", user, force=True, ignore_permissions=True, ignore_on_trash=True)
	frappe.db.commit()  # nosemgrep: the case was committed; so is its removal


@pytest.fixture(scope="module")
def outsiders(server, portal_world, case):
	"""Logged-in HTTP sessions of every user outside the case's scope."""
	users = {"l3_other_area": portal_world.users["l3b"], "council": portal_world.users["cm"], **case.users}
	return {key: login(server, user, PASSWORD) for key, user in users.items()}


def _calls(path: str, function, case) -> list[tuple[str, dict]]:
	"""The argument sets tried for one method: per target DocType, plain, crafted and dotted columns,
	and a filter on the identity field (with its non-matching control)."""
	params = set(inspect.signature(function).parameters)
	calls = []
	takes_doctype = params & DOCTYPE_PARAMS
	for doctype, name in case.targets if takes_doctype else [(None, None)]:
		base = {}
		for param in params:
			if param in DOCTYPE_PARAMS and doctype:
				base[param] = doctype
			elif param in NAME_PARAMS and name:
				base[param] = name
			elif param in ("docnames", "names"):
				base[param] = json.dumps([name])
			elif param in TEXT_PARAMS:
				base[param] = case.markers[0][:2]
			elif param in ("doc", "docs") and doctype:
				base[param] = json.dumps({"doctype": doctype, "name": name})
		identity = IDENTITY_FIELD.get(doctype, "name")
		columns = {
			"plain": json.dumps(["name", identity, "title" if doctype == "Support Plan" else "name"]),
			"crafted": json.dumps(["name", f"replace(name, name, {identity}) as rn"]),
			"dotted": json.dumps(["name", "resident.full_name"]),
		}
		if params & FIELDS_PARAMS:
			for variant, value in columns.items():
				calls.append((f"{variant} column", {**base, **{p: value for p in params & FIELDS_PARAMS}}))
		if params & FILTERS_PARAMS and doctype:
			for variant, pattern in (
				("filter", f"%{case.markers[0][:2]}%"),
				("control filter", "%該当なし%"),
			):
				value = json.dumps([[doctype, identity, "like", pattern]])
				calls.append((variant, {**base, **{p: value for p in params & FILTERS_PARAMS}}))
		if not calls or not params & (FIELDS_PARAMS | FILTERS_PARAMS):
			calls.append(("plain", base))
	return calls


def test_no_whitelisted_method_hands_a_case_to_users_outside_its_scope(server, case, outsiders):
	registered = _whitelisted_methods()
	methods = [
		(path, function)
		for path, function in registered
		if not WRITE_WORDS & set(path.rsplit(".", 1)[-1].split("_"))
	]
	jobs = [
		(user, path, variant, args)
		for path, function in methods
		for variant, args in _calls(path, function, case)
		for user in outsiders
	]
	title_outsiders = {"l3_other_area", "council", "web"}

	def call(job):
		user, path, _variant, args = job
		try:
			response = outsiders[user].post(f"{server}/api/method/{path}", data=args, timeout=REQUEST_TIMEOUT)
		except requests.RequestException:
			return job, None
		return job, _decoded(response)

	leaks = []
	replies = {}
	with ThreadPoolExecutor(max_workers=4) as pool:
		for (user, path, variant, args), body in pool.map(call, jobs):
			if body is None:
				continue
			replies[(user, path, variant, json.dumps(args, sort_keys=True))] = body
			found = _leaked(case, body, args)
			if user in title_outsiders and case.title in body:
				found.append(case.title)
			if found:
				leaks.append(f"{user} {path} ({variant}) {args}: {found}")
	# a filter on an identity field must not tell matching rows from others
	for (user, path, variant, args_key), body in replies.items():
		if variant != "filter":
			continue
		control_key = args_key.replace(json.dumps(f"%{case.markers[0][:2]}%")[1:-1], "%該当なし%")
		control = replies.get((user, path, "control filter", control_key))
		for name in (case.need, case.plan, case.resident):
			if control is not None and name in body and name not in control:
				leaks.append(f"{user} {path}: a filter on identity finds {name}")
	print(
		f"\nprivacy surface: {len(registered)} whitelisted methods registered, {len(methods)} that only read"
		f" called {len(jobs)} times as {len(outsiders)} users outside the case ({', '.join(outsiders)}):"
		f" {len(leaks)} leaks"
	)
	assert not leaks, "\n".join(leaks[:50])
	assert len(registered) > 300 and len(methods) > 150, "too few whitelisted methods found to be a sweep"


def test_rest_lists_and_reads_hand_nothing_out_of_scope(server, case, outsiders):
	calls = 0
	leaks = []
	for user, session in outsiders.items():
		for doctype, name in case.targets:
			identity = IDENTITY_FIELD[doctype]
			for params in (
				{"fields": json.dumps(["*"])},
				{"fields": json.dumps(["name", f"replace(name,name,{identity}) as rn"])},
				{"fields": json.dumps(["name", "resident.full_name"])},
				{"fields": json.dumps(["name", "resident", identity])},
				{"filters": json.dumps([[identity, "like", f"%{case.markers[0][:2]}%"]])},
				{"order_by": f"{identity} desc"},
				{"group_by": identity, "fields": json.dumps([identity, "count(*) as n"])},
			):
				response = session.get(
					f"{server}/api/resource/{doctype}", params={**params, "limit_page_length": 0}, timeout=30
				)
				calls += 1
				body = _decoded(response)
				found = [m for m in case.markers if m in body]
				if "filters" in params and response.status_code == 200 and name in body:
					found.append(f"{name} found by a filter on {identity}")
				if found:
					leaks.append(f"{user} GET {doctype} {params}: {found}")
			response = session.get(f"{server}/api/resource/{doctype}/{name}", timeout=30)
			calls += 1
			found = [m for m in case.markers if m in _decoded(response)]
			if found:
				leaks.append(f"{user} GET {doctype}/{name}: {found}")
	print(f"\nREST: {calls} calls as {len(outsiders)} users, {len(leaks)} leaks")
	assert not leaks, "\n".join(leaks)


def test_a_save_reply_is_masked_as_a_read(server, case, outsiders):
	"""Layer 2 may change the need's status but not read who it is about: no reply of a write says."""
	session = outsiders["l2"]
	replies = {}
	replies["set_value"] = session.post(
		f"{server}/api/method/frappe.client.set_value",
		data={"doctype": "Need", "name": case.need, "fieldname": "urgency", "value": "Immediate"},
		timeout=30,
	)
	replies["REST PUT"] = session.put(
		f"{server}/api/resource/Need/{case.need}", json={"urgency": "Normal"}, timeout=30
	)
	loaded = session.get(
		f"{server}/api/method/frappe.desk.form.load.getdoc",
		params={"doctype": "Need", "name": case.need},
		timeout=30,
	)
	assert loaded.status_code == 200, loaded.text
	doc = loaded.json()["docs"][0]
	doc["urgency"] = "Immediate"
	replies["savedocs"] = session.post(
		f"{server}/api/method/frappe.desk.form.save.savedocs",
		data={"doc": json.dumps(doc), "action": "Save"},
		timeout=30,
	)
	replies["plan getdoc (history)"] = session.get(
		f"{server}/api/method/frappe.desk.form.load.getdoc",
		params={"doctype": "Support Plan", "name": case.plan},
		timeout=30,
	)
	for label, response in replies.items():
		assert response.status_code == 200, f"{label}: {response.status_code} {response.text[:500]}"
		body = _decoded(response)
		found = [m for m in case.markers if m in body]
		assert not found, f"{label} reply carries {found}"
	assert "resident" not in doc and "resident_name" not in doc


def test_a_forbidden_row_answers_like_a_missing_row(server, case, outsiders):
	session = outsiders["council"]
	missing = "RES-DOES-NOT-EXIST"

	def answers(method, **params):
		out = []
		for name in (case.resident, missing):
			response = session.get(
				f"{server}/api/method/{method}",
				params={k: v.replace("NAME", name) for k, v in params.items()},
				timeout=30,
			)
			body = re.sub(
				r'__frappe_exc_id\\*"?: \\*"[0-9a-f]+', "", _decoded(response).replace(name, "NAME")
			)
			out.append((response.status_code, body))
		return out

	for method, params in (
		("frappe.client.get", {"doctype": "Resident", "name": "NAME"}),
		("frappe.client.get_value", {"doctype": "Resident", "fieldname": "name", "filters": "NAME"}),
		("frappe.desk.form.load.getdoc", {"doctype": "Resident", "name": "NAME"}),
		("frappe.desk.form.load.get_docinfo", {"doctype": "Resident", "name": "NAME"}),
		("frappe.client.validate_link", {"doctype": "Resident", "docname": "NAME"}),
		("frappe.desk.search.get_link_title", {"doctype": "Resident", "docname": "NAME"}),
		("frappe.desk.form.linked_with.get", {"doctype": "Resident", "docname": "NAME"}),
	):
		forbidden, absent = answers(method, **params)
		assert forbidden == absent, f"{method}: {forbidden} differs from {absent}"
	for name in (case.resident, missing):
		response = session.get(f"{server}/api/resource/Resident/{name}", timeout=30)
		assert response.status_code == 404, (name, response.status_code)


def test_counts_and_titles_stay_in_scope(server, case, outsiders):
	council = outsiders["council"]
	count = council.get(
		f"{server}/api/method/frappe.client.get_count", params={"doctype": "Resident"}, timeout=30
	)
	assert count.status_code in (403, 404), count.text
	title = council.get(
		f"{server}/api/method/frappe.desk.search.get_link_title",
		params={"doctype": "Resident", "docname": case.resident},
		timeout=30,
	)
	assert case.markers[0] not in _decoded(title)
	l2_count = outsiders["l2"].get(
		f"{server}/api/method/frappe.client.get_count",
		params={"doctype": "Need", "filters": json.dumps([["resident_name", "like", "%"]])},
		timeout=30,
	)
	assert l2_count.status_code in (403, 404), l2_count.text
