"""No lost update on the portal (chiiki_care.portal.edit_conflicts), over HTTP against the test server.

A form carries the version it was loaded from; a save based on an older version that would overwrite
a value changed since is refused (409) with what changed, who changed it and when, and the answer
gives the form the current version so that saving again replaces it knowingly. Two appends at once
(a monitoring entry, an action) are both kept: the endpoints lock the document while they save.
The council portal changes nothing, so it has nothing to race."""

import json
import re
import threading
from html import unescape
from html.parser import HTMLParser
from urllib.parse import quote

import frappe
import pytest
from frappe.utils import today

from chiiki_care.access.scope import MANAGER
from tests.integration.factories import make_user
from tests.integration.portal.conftest import login
from tests.integration.portal.test_browser import (  # the browser and its helpers
	click,
	driver,  # a fixture
	find,
	log_in,
	visible,
	wait_for,
)

MANAGER_NAME = "管理 花子"
UNDER_REVIEW = "検討中"


class Forms(HTMLParser):
	"""The portal forms of a page: (endpoint, {name: value} of their inputs and textareas)."""

	def __init__(self):
		super().__init__(convert_charrefs=True)
		self.forms, self._textarea = [], None

	def handle_starttag(self, tag, attrs):
		attrs = dict(attrs)
		if tag == "form" and attrs.get("data-cc-method"):
			self.forms.append((attrs["data-cc-method"], {}))
		elif self.forms and tag in ("input", "select") and attrs.get("name"):
			if attrs.get("type") not in ("radio", "checkbox") or "checked" in attrs:
				self.forms[-1][1].setdefault(attrs["name"], attrs.get("value") or "")
		elif self.forms and tag == "textarea":
			self._textarea = attrs.get("name")
			self.forms[-1][1][self._textarea] = ""

	def handle_data(self, data):
		if self._textarea:
			self.forms[-1][1][self._textarea] += data

	def handle_endtag(self, tag):
		if tag == "textarea":
			self._textarea = None


def forms(session, server, path) -> list[tuple[str, dict]]:
	response = session.get(server + path, timeout=60)
	assert response.status_code == 200, (path, response.status_code)
	parser = Forms()
	parser.feed(response.text)
	return parser.forms


def form(session, server, path, method, **match) -> dict:
	"""The first form of `path` posting to `method` whose fields include `match`."""
	for endpoint, fields in forms(session, server, path):
		if endpoint == method and all(fields.get(k) == v for k, v in match.items()):
			return dict(fields)
	raise AssertionError(f"no form for {method} {match} on {path}")


def csrf(session, server) -> str:
	page = session.get(server + "/resources", timeout=60).text
	token = re.search(r'frappe.csrf_token = "([^"]+)"', page)
	return token.group(1) if token else ""


def post(session, server, method, token=None, **data):
	headers = {"Accept": "application/json", "X-Frappe-CSRF-Token": token or csrf(session, server)}
	data = {k: json.dumps(v) if isinstance(v, list | dict) else v for k, v in data.items()}
	return session.post(f"{server}/api/method/{method}", data=data, headers=headers, timeout=90)


def messages(response) -> str:
	body = response.json()
	return " ".join(
		unescape(json.loads(m)["message"]) for m in json.loads(body.get("_server_messages") or "[]")
	)


@pytest.fixture(scope="module")
def manager(portal_world):
	"""A manager on the desk, who may change any case."""
	frappe.set_user("Administrator")
	user = make_user(f"portal{portal_world.token}-manager", roles=(MANAGER,), first_name=MANAGER_NAME)
	frappe.db.commit()  # nosemgrep: the web server under test reads only committed rows
	yield user
	frappe.db.rollback()
	for doctype, field in (
		("Sessions", "user"),
		("Activity Log", "user"),
		("Access Log", "user"),
		("Route History", "user"),
		("Notification Log", "for_user"),
		("ToDo", "allocated_to"),
	):
		frappe.db.delete(doctype, {field: user})
	frappe.delete_doc("User", user, force=True, ignore_permissions=True, ignore_on_trash=True)
	frappe.db.commit()  # nosemgrep: removing what this module committed


@pytest.fixture(scope="module")
def desk(server, manager, portal_world):
	return login(server, manager, portal_world.password)


@pytest.fixture(scope="module")
def l3a(server, portal_world):
	return login(server, portal_world.users["l3a"], portal_world.password)


@pytest.fixture(scope="module")
def plan(l3a, server, portal_world):
	"""A plan of her own for these tests (the world's plans are used by other tests)."""
	w = portal_world
	response = post(
		l3a,
		server,
		"chiiki_care.portal.api.plans.create_plan",
		resident=w.residents["a"],
		title="競合試験のプラン",
		personal_goal="買い物に一人で行きたい",
		goal="週1回の買い物同行",
	)
	assert response.status_code == 200, response.text
	name = response.json()["message"]["plan"]
	response = post(
		l3a,
		server,
		"chiiki_care.portal.api.plans.add_plan_action",
		plan=name,
		description="商店街まで同行する",
		support_kind="Watching Over",
	)
	assert response.status_code == 200, response.text
	return name


def desk_save(desk, server, doctype, name, change):
	"""Open the document on the desk, change it, save it as the desk does (Frappe's own check)."""
	response = desk.get(
		f"{server}/api/method/frappe.desk.form.load.getdoc",
		params={"doctype": doctype, "name": name},
		timeout=60,
	)
	assert response.status_code == 200, response.text
	doc = response.json()["docs"][0]
	change(doc)
	response = post(desk, server, "frappe.desk.form.save.savedocs", doc=json.dumps(doc), action="Save")
	assert response.status_code == 200, response.text
	return response.json()["docs"][0]


def desk_workflow(desk, server, doctype, name, action):
	response = desk.get(
		f"{server}/api/method/frappe.desk.form.load.getdoc",
		params={"doctype": doctype, "name": name},
		timeout=60,
	)
	doc = response.json()["docs"][0]
	response = post(desk, server, "frappe.model.workflow.apply_workflow", doc=json.dumps(doc), action=action)
	assert response.status_code == 200, response.text


def stored(doctype, name, field):
	frappe.db.rollback()
	return frappe.db.get_value(doctype, name, field)


# Editing a plan
# --------------


def test_a_plan_edit_from_before_a_desk_edit_is_refused_with_what_changed(server, l3a, desk, plan):
	path = f"/coordinator/plan?name={quote(plan)}"
	fields = form(l3a, server, path, "chiiki_care.portal.api.plans.update_plan")
	assert fields["base_version"] and json.loads(fields["base_values"])["goal"] == "週1回の買い物同行"

	desk_save(desk, server, "Support Plan", plan, lambda doc: doc.update(goal="月2回の買い物同行（管理者）"))

	mine = {**fields, "title": "競合試験のプラン（改）", "goal": "週2回の買い物同行"}
	response = post(l3a, server, "chiiki_care.portal.api.plans.update_plan", **mine)
	assert response.status_code == 409, response.text
	body, text = response.json(), messages(response)
	assert body["exc_type"] == "StaleEditError"
	assert "目標" in text and "月2回の買い物同行（管理者）" in text and MANAGER_NAME in text
	assert "タイトル" not in text  # the title was not changed since: hers replaces it without a word
	assert body["conflict"]["fields"] == ["goal"]
	assert stored("Support Plan", plan, "goal") == "月2回の買い物同行（管理者）"
	assert stored("Support Plan", plan, "title") == "競合試験のプラン"

	# she has seen the manager's goal; saving again (the page now refers to the current version) is
	# her decision to replace it
	again = {**mine, **{k: body["conflict"][k] for k in ("base_version", "base_values")}}
	response = post(l3a, server, "chiiki_care.portal.api.plans.update_plan", **again)
	assert response.status_code == 200, response.text
	assert stored("Support Plan", plan, "goal") == "週2回の買い物同行"
	assert stored("Support Plan", plan, "title") == "競合試験のプラン（改）"


def test_an_unrelated_change_neither_blocks_the_edit_nor_is_lost(server, l3a, plan):
	path = f"/coordinator/plan?name={quote(plan)}"
	fields = form(l3a, server, path, "chiiki_care.portal.api.plans.update_plan")
	response = post(
		l3a,
		server,
		"chiiki_care.portal.api.plans.add_monitoring",
		plan=plan,
		monitoring_date=today(),
		observation="別の端末からの記録",
		outcome="Continue",
	)
	assert response.status_code == 200, response.text
	response = post(
		l3a,
		server,
		"chiiki_care.portal.api.plans.update_plan",
		**{**fields, "personal_goal": "歩いて行きたい"},
	)
	assert response.status_code == 200, response.text
	frappe.db.rollback()
	doc = frappe.get_doc("Support Plan", plan)
	assert doc.personal_goal == "歩いて行きたい"
	assert "別の端末からの記録" in [row.observation for row in doc.monitoring]


def test_an_edit_without_its_version_is_not_taken_as_current(server, l3a, plan):
	current = stored("Support Plan", plan, "title")
	response = post(
		l3a,
		server,
		"chiiki_care.portal.api.plans.update_plan",
		plan=plan,
		title="版なしの保存",
		review_interval_weeks="4",
	)
	assert response.status_code == 409, response.text
	assert stored("Support Plan", plan, "title") == current


def test_two_edits_of_the_same_version_at_once_one_is_saved_the_other_refused(server, portal_world, plan):
	w = portal_world
	path = f"/coordinator/plan?name={quote(plan)}"
	sessions = [login(server, w.users["l3a"], w.password) for _ in range(2)]
	fields = form(sessions[0], server, path, "chiiki_care.portal.api.plans.update_plan")
	tokens = [csrf(s, server) for s in sessions]
	goals = ["同時編集その1", "同時編集その2"]
	answers = [None, None]
	barrier = threading.Barrier(2)

	def save(i):
		barrier.wait()
		answers[i] = post(
			sessions[i],
			server,
			"chiiki_care.portal.api.plans.update_plan",
			tokens[i],
			**{**fields, "goal": goals[i]},
		)

	threads = [threading.Thread(target=save, args=(i,)) for i in range(2)]
	for t in threads:
		t.start()
	for t in threads:
		t.join()
	codes = sorted(a.status_code for a in answers)
	assert codes == [200, 409], [a.text[:300] for a in answers]
	winner = goals[[a.status_code for a in answers].index(200)]
	assert stored("Support Plan", plan, "goal") == winner


# Appending rows
# --------------


@pytest.mark.parametrize("rounds", [3])
def test_two_monitoring_entries_at_once_are_both_kept(server, portal_world, plan, rounds):
	w = portal_world
	sessions = [login(server, w.users["l3a"], w.password) for _ in range(2)]
	tokens = [csrf(s, server) for s in sessions]
	date = today()  # frappe's helpers need this thread's site
	for round_ in range(rounds):
		observations = [f"同時の記録{round_}-{i}" for i in range(2)]
		answers = [None, None]
		barrier = threading.Barrier(2)

		def add(i, observations=observations, answers=answers, barrier=barrier):
			barrier.wait()
			answers[i] = post(
				sessions[i],
				server,
				"chiiki_care.portal.api.plans.add_monitoring",
				tokens[i],
				plan=plan,
				monitoring_date=date,
				observation=observations[i],
				outcome="Continue",
			)

		threads = [threading.Thread(target=add, args=(i,)) for i in range(2)]
		for t in threads:
			t.start()
		for t in threads:
			t.join()
		assert [a.status_code for a in answers] == [200, 200], [a.text[:300] for a in answers]
		frappe.db.rollback()
		kept = frappe.get_all(
			"Support Plan Monitoring", filters={"parent": plan, "observation": ("in", observations)}
		)
		assert len(kept) == 2


def test_two_actions_added_at_once_are_both_kept(server, portal_world, plan):
	w = portal_world
	sessions = [login(server, w.users["l3a"], w.password) for _ in range(2)]
	tokens = [csrf(s, server) for s in sessions]
	descriptions = ["同時の取組A", "同時の取組B"]
	answers = [None, None]
	barrier = threading.Barrier(2)

	def add(i):
		barrier.wait()
		answers[i] = post(
			sessions[i],
			server,
			"chiiki_care.portal.api.plans.add_plan_action",
			tokens[i],
			plan=plan,
			description=descriptions[i],
			support_kind="Watching Over",
		)

	threads = [threading.Thread(target=add, args=(i,)) for i in range(2)]
	for t in threads:
		t.start()
	for t in threads:
		t.join()
	assert [a.status_code for a in answers] == [200, 200], [a.text[:300] for a in answers]
	frappe.db.rollback()
	assert {
		row.description
		for row in frappe.get_all("Support Plan Action", filters={"parent": plan}, fields=["description"])
	} >= set(descriptions)


# An action's status
# ------------------


def test_an_action_status_set_since_is_not_overwritten(server, l3a, desk, plan):
	path = f"/coordinator/plan?name={quote(plan)}"
	frappe.db.rollback()
	row = frappe.get_all(
		"Support Plan Action", filters={"parent": plan, "description": "商店街まで同行する"}, pluck="name"
	)[0]
	fields = form(l3a, server, path, "chiiki_care.portal.api.plans.set_action_status", action=row)
	assert json.loads(fields["base_values"]) == {"status": "Planned"}

	def set_done(doc):
		for action in doc["actions"]:
			if action["name"] == row:
				action["status"] = "Done"

	desk_save(desk, server, "Support Plan", plan, set_done)
	response = post(
		l3a, server, "chiiki_care.portal.api.plans.set_action_status", **{**fields, "status": "In Progress"}
	)
	assert response.status_code == 409, response.text
	text = messages(response)
	assert "商店街まで同行する" in text and "完了" in text and MANAGER_NAME in text
	assert stored("Support Plan Action", row, "status") == "Done"
	# the same status as now is no conflict
	response = post(
		l3a, server, "chiiki_care.portal.api.plans.set_action_status", **{**fields, "status": "Done"}
	)
	assert response.status_code == 200, response.text


# A need: workflow steps and lifting
# ----------------------------------


def new_need(l3a, server, w, text):
	response = post(
		l3a,
		server,
		"chiiki_care.portal.api.needs.record_need",
		resident=w.residents["a"],
		categories=["配食"],
		unmet_troubles=text,
	)
	assert response.status_code == 200, response.text
	return response.json()["message"]["need"]


def test_a_workflow_step_on_a_need_changed_since_is_refused(server, l3a, desk, portal_world):
	need = new_need(l3a, server, portal_world, "競合試験のニーズ（手順）")
	path = f"/coordinator/need?name={quote(need)}"
	fields = form(l3a, server, path, "chiiki_care.portal.api.workflow.apply_action", action="Start Support")
	assert json.loads(fields["base_values"]) == {"status": "New"}
	desk_workflow(desk, server, "Need", need, "Start Review")

	# "Start Support" is allowed from Under Review too: without the version it would go ahead on a
	# status she has not seen
	response = post(l3a, server, "chiiki_care.portal.api.workflow.apply_action", **fields)
	assert response.status_code == 409, response.text
	text = messages(response)
	assert "ステータス" in text and UNDER_REVIEW in text and MANAGER_NAME in text
	assert stored("Need", need, "status") == "Under Review"
	conflict = response.json()["conflict"]
	response = post(l3a, server, "chiiki_care.portal.api.workflow.apply_action", **{**fields, **conflict})
	assert response.status_code == 200, response.text
	assert stored("Need", need, "status") == "Supporting"


def test_lifting_a_need_changed_since_is_refused(server, l3a, desk, portal_world):
	w = portal_world
	need = new_need(l3a, server, w, "競合試験のニーズ（地域課題）")
	path = f"/coordinator/need?name={quote(need)}"
	fields = form(l3a, server, path, "chiiki_care.portal.api.needs.lift_need")
	desk_workflow(desk, server, "Need", need, "Withdraw")
	mine = {**fields, "community_issue": "", "title": f"試験{w.token} 配食の困りごと"}
	response = post(l3a, server, "chiiki_care.portal.api.needs.lift_need", **mine)
	assert response.status_code == 409, response.text
	assert MANAGER_NAME in messages(response)
	assert stored("Need", need, "status") == "Withdrawn"
	assert not stored("Need", need, "community_issue")


def test_the_council_portal_edits_nothing(server, portal_world):
	w = portal_world
	session = login(server, w.users["cm"], w.password)
	for path in (
		"/council",
		f"/council/meeting?name={quote(w.meeting)}",
		f"/council/issue?name={quote(w.issue)}",
		f"/council/plan?name={quote(w.plans['community'])}",
	):
		assert forms(session, server, path) == [], path


def test_the_plan_page_forms_that_edit_carry_their_version(server, l3a, plan):
	"""Every form of the plan page that changes existing values carries a version; appends do not
	need one."""
	frappe.db.rollback()
	modified = str(frappe.db.get_value("Support Plan", plan, "modified"))
	for method, fields in forms(l3a, server, f"/coordinator/plan?name={quote(plan)}"):
		if method in (
			"chiiki_care.portal.api.plans.add_monitoring",
			"chiiki_care.portal.api.plans.add_plan_action",
		):
			continue
		assert fields.get("base_version") == modified, method
		assert isinstance(json.loads(fields["base_values"]), dict), method


# In the browser: an old draft cannot overwrite a newer edit, and nothing typed is lost
# ---------------------------------------------------------------------------------------


def test_in_the_browser_an_old_draft_is_shown_what_changed_and_kept(
	server,
	desk,
	portal_world,
	plan,
	driver,  # noqa: F811 (the imported fixture)
):
	w = portal_world
	path = f"/coordinator/plan?name={quote(plan)}"
	browser = driver
	log_in(browser, server, w.users["l3a"], w.password, path)
	browser.execute_script("localStorage.clear()")
	browser.refresh()
	edit_form = 'form[data-cc-method="chiiki_care.portal.api.plans.update_plan"]'
	goal = find(browser, "#cc-edit-goal")
	goal.clear()
	goal.send_keys("ブラウザで書いた目標")
	wait_for(
		browser,
		lambda d: d.execute_script(
			"return Object.keys(localStorage).some(k => k.indexOf('|edit-') > 0"
			" && JSON.parse(localStorage[k]).base && localStorage[k].indexOf('ブラウザで書いた目標') > 0)"
		),
		"the draft is kept with its version",
	)

	desk_save(desk, server, "Support Plan", plan, lambda doc: doc.update(goal="管理者の目標（ブラウザ）"))

	# the page opens on the newer version; the draft comes back with the version it was written on
	browser.refresh()
	notice = visible(browser, f"{edit_form} .cc-messages.notice")
	assert "変更されています" in notice.text
	assert find(browser, "#cc-edit-goal").get_attribute("value") == "ブラウザで書いた目標"
	click(browser, find(browser, f"{edit_form} button[type=submit]"))
	error = visible(browser, f"{edit_form} .cc-messages.error")
	wait_for(browser, lambda d: "管理者の目標（ブラウザ）" in error.text, "the current goal is shown")
	assert "ほかの人が変更しました" in error.text and MANAGER_NAME in error.text
	assert find(browser, "#cc-edit-goal").get_attribute("value") == "ブラウザで書いた目標"
	assert "is-invalid" in find(browser, "#cc-edit-goal").get_attribute("class")
	assert stored("Support Plan", plan, "goal") == "管理者の目標（ブラウザ）"

	# having seen it, she saves again: hers replaces it, and the draft is gone
	click(browser, find(browser, f"{edit_form} button[type=submit]"))
	wait_for(
		browser,
		lambda d: stored("Support Plan", plan, "goal") == "ブラウザで書いた目標",
		"her goal is saved",
	)
	wait_for(
		browser,
		lambda d: not d.execute_script("return Object.keys(localStorage).some(k => k.indexOf('|edit-') > 0)"),
		"the draft is removed once saved",
	)
