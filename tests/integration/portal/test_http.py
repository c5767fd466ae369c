"""The portal over HTTP, against a running web server of the test site (see conftest.py).

A Layer 3 coordinator sees its own cases and is refused another coordinator's case by page URL,
by REST and by Web Form; a guest is sent to the login page; a council member sees its council's
meetings, issues and plans and no resident; the public directory lists only published resources.
"""

import json
import re
from urllib.parse import quote, unquote

import frappe
import pytest
import requests

from tests.integration.portal.conftest import login

JAPANESE = re.compile(r"[\u3040-\u30ff\u3400-\u9fff]")
NOT_FOUND_OR_FORBIDDEN = "この記録は見つからないか、閲覧する権限がありません。"


# A row the user may not read answers like a missing one (README: Threat model): 404 from the API,
# no document from the desk's form load, 403 from pages that refuse outright.
REFUSED = (403, 404)


def refused(response) -> bool:
	if response.status_code in REFUSED:
		return True
	body = response.json() if response.status_code == 200 else {}
	return response.status_code == 200 and not body.get("docs") and not body.get("message")


@pytest.fixture(scope="module")
def sessions(server, portal_world):
	w = portal_world
	return {key: login(server, user, w.password) for key, user in w.users.items()}


def page(session, server, path, **kwargs):
	return session.get(server + path, timeout=60, **kwargs)


def call(session, server, method, **data):
	"""POST to a portal endpoint as a browser form would (CSRF token of the session's pages)."""
	home = session.get(server + "/resources", timeout=60).text
	token = re.search(r'frappe.csrf_token = "([^"]+)"', home)
	headers = {"Accept": "application/json", "X-Frappe-CSRF-Token": token.group(1) if token else ""}
	data = {k: json.dumps(v) if isinstance(v, list | dict) else v for k, v in data.items()}
	return session.post(f"{server}/api/method/{method}", data=data, headers=headers, timeout=60)


def messages(response) -> str:
	body = response.json()
	return " ".join(json.loads(m)["message"] for m in json.loads(body.get("_server_messages") or "[]"))


def identity(w, key) -> list[str]:
	data = w.resident_data[key]
	return [data["full_name"], data["kana"]]


# Guests
# ------


@pytest.mark.parametrize(
	"path",
	[
		"/coordinator",
		"/coordinator/need?name=NEED-1",
		"/coordinator/new-need",
		"/council",
		"/council/meeting",
	],
)
def test_guest_is_sent_to_the_login_page_and_back(server, path):
	response = requests.get(server + path, allow_redirects=False, timeout=60)
	assert response.status_code == 302
	location = response.headers["Location"]
	assert location.startswith("/login?redirect-to=")
	assert unquote(location.split("redirect-to=", 1)[1]) == path
	login_page = requests.get(server + location, timeout=60)
	assert login_page.status_code == 200 and 'id="login_email"' in login_page.text


def test_guest_cannot_call_the_portal_endpoints(server, portal_world):
	response = requests.post(
		f"{server}/api/method/chiiki_care.portal.api.plans.add_monitoring",
		data={"plan": portal_world.plans["a"], "observation": "x", "monitoring_date": "2026-01-01"},
		headers={"Accept": "application/json"},
		timeout=60,
	)
	assert response.status_code == 403


# Layer 3 coordinator: own cases only
# -----------------------------------


def test_login_lands_on_the_role_home_page(server, portal_world):
	w = portal_world
	for key, home in (("l3a", "/coordinator"), ("cm", "/council")):
		response = requests.post(
			f"{server}/api/method/login", data={"usr": w.users[key], "pwd": w.password}, timeout=60
		)
		assert response.json()["home_page"] == home


def test_coordinator_home_lists_own_cases_and_what_is_due(server, portal_world, sessions):
	w = portal_world
	response = page(sessions["l3a"], server, "/coordinator")
	assert response.status_code == 200
	html = response.text
	assert w.resident_data["a"]["full_name"] in html
	assert w.needs["a"] in html and w.plans["a"] in html
	for text in identity(w, "b"):
		assert text not in html
	assert w.needs["b"] not in html and w.plans["b"] not in html
	assert "即対応" in html and "近所の方の朝の声かけ" in html  # urgent need and action due this week
	assert "no-store" in response.headers["Cache-Control"]


def test_pages_are_never_cached_for_another_user(server, portal_world, sessions):
	w = portal_world
	first = page(sessions["l3a"], server, "/coordinator").text
	second = page(sessions["l3b"], server, "/coordinator").text
	assert w.resident_data["a"]["full_name"] in first and w.resident_data["a"]["full_name"] not in second
	assert w.resident_data["b"]["full_name"] in second and w.resident_data["b"]["full_name"] not in first
	for path in ("/coordinator", f"/coordinator/plan?name={w.plans['a']}", "/council"):
		response = page(sessions["l3a"], server, path)
		assert response.headers.get("X-From-Cache") in (None, "False")
		assert "no-store" in response.headers["Cache-Control"]


def test_coordinator_opens_own_case_pages(server, portal_world, sessions):
	w = portal_world
	s = sessions["l3a"]
	for path, expected in (
		(f"/coordinator/resident?name={w.residents['a']}", w.resident_data["a"]["full_name"]),
		(f"/coordinator/need?name={w.needs['a']}", "今日は冷蔵庫が空"),
		(f"/coordinator/plan?name={w.plans['a']}", "次回見直し日"),
		(f"/coordinator/new-need?resident={w.residents['a']}", "本人の望む暮らし"),
		(f"/coordinator/new-plan?need={w.needs['a']}", "支援プラン"),
		(f"/coordinator/resources?plan={w.plans['a']}", f"resource={w.resources['salon']}"),
	):
		response = page(s, server, path)
		assert response.status_code == 200, (path, response.text[:500])
		assert expected in response.text, path
	frappe.db.rollback()
	logged = frappe.get_all(
		"Identity Access Log",
		filters={"user": w.users["l3a"], "reference_name": w.needs["a"], "channel": "Portal"},
		pluck="name",
	)
	assert logged, "opening a need on the portal logs that its resident's identity was shown"


@pytest.mark.parametrize(
	"path",
	[
		"/coordinator/resident?name={residents[b]}",
		"/coordinator/need?name={needs[b]}",
		"/coordinator/plan?name={plans[b]}",
		"/coordinator/new-need?resident={residents[b]}",
		"/coordinator/new-plan?need={needs[b]}",
		"/coordinator/new-plan?resident={residents[b]}",
		"/coordinator/plan?name={plans[community]}",
		"/coordinator/need?name=NEED-DOES-NOT-EXIST",
	],
)
def test_another_coordinators_case_is_refused_by_url(server, portal_world, sessions, path):
	w = portal_world
	url = path.format(residents=w.residents, needs=w.needs, plans=w.plans)
	response = page(sessions["l3a"], server, url, allow_redirects=False)
	if "new-need" in url:
		# the form opens, but without the other coordinator's resident in it
		assert response.status_code == 200
	else:
		assert response.status_code == 403, url
		assert NOT_FOUND_OR_FORBIDDEN in response.text
	for text in identity(w, "b"):
		assert text not in response.text


@pytest.mark.parametrize(
	"path",
	[
		"/api/resource/Need/{needs[b]}",
		"/api/resource/Resident/{residents[b]}",
		"/api/resource/Support Plan/{plans[b]}",
		"/api/method/frappe.client.get?doctype=Need&name={needs[b]}",
		"/printview?doctype=Need&name={needs[b]}",
		"/api/method/frappe.desk.form.load.getdoc?doctype=Need&name={needs[b]}",
	],
)
def test_another_coordinators_case_is_refused_by_rest(server, portal_world, sessions, path):
	w = portal_world
	url = path.format(residents=w.residents, needs=w.needs, plans=w.plans)
	response = page(sessions["l3a"], server, url, allow_redirects=False)
	assert refused(response), (url, response.status_code, response.text[:300])
	for text in identity(w, "b"):
		assert text not in response.text


def test_reads_by_filter_return_nothing_of_another_case(server, portal_world, sessions):
	w = portal_world
	response = page(
		sessions["l3a"],
		server,
		"/api/method/frappe.client.get_value",
		params={
			"doctype": "Resident",
			"fieldname": "full_name",
			"filters": json.dumps({"name": w.residents["b"]}),
		},
	)
	assert response.status_code in (200, 403)
	assert w.resident_data["b"]["full_name"] not in response.text
	if response.status_code == 200:
		assert not response.json().get("message")


def test_rest_lists_hold_own_cases_only(server, portal_world, sessions):
	w = portal_world
	for doctype, own, other in (
		("Need", w.needs["a"], w.needs["b"]),
		("Resident", w.residents["a"], w.residents["b"]),
		("Support Plan", w.plans["a"], w.plans["b"]),
	):
		response = page(sessions["l3a"], server, f"/api/resource/{quote(doctype)}?limit_page_length=0")
		names = {row["name"] for row in response.json()["data"]}
		assert own in names and other not in names


def test_another_coordinators_case_is_refused_by_web_form(server, portal_world, sessions):
	"""A Web Form with document permissions, as a site might add, follows the same row rules."""
	w = portal_world
	s = sessions["l3a"]
	own = page(s, server, f"/{w.web_form_route}/{w.needs['a']}/edit")
	assert own.status_code == 200
	other = page(s, server, f"/{w.web_form_route}/{w.needs['b']}/edit", allow_redirects=False)
	assert other.status_code in REFUSED
	for text in identity(w, "b"):
		assert text not in other.text
	form_data = page(
		s,
		server,
		"/api/method/frappe.website.doctype.web_form.web_form.get_form_data"
		f"?doctype=Need&docname={w.needs['b']}&web_form_name={quote(w.web_form)}",
	)
	assert form_data.status_code in REFUSED
	# saving through the Web Form: neither another's need nor a new need about another's resident
	for data in (
		{"name": w.needs["b"], "resident": w.residents["b"], "unmet_troubles": "上書き"},
		{"resident": w.residents["b"], "unmet_troubles": "他人の対象者"},
	):
		response = call(
			s,
			server,
			"frappe.website.doctype.web_form.web_form.accept",
			web_form=w.web_form,
			data=json.dumps(data),
		)
		assert response.status_code == 403, response.text[:500]
	frappe.db.rollback()
	assert frappe.db.get_value("Need", w.needs["b"], "unmet_troubles") == "買い物袋を持って帰れない"
	assert not frappe.db.exists("Need", {"resident": w.residents["b"], "unmet_troubles": "他人の対象者"})


@pytest.mark.parametrize(
	"method,data",
	[
		(
			"chiiki_care.portal.api.plans.add_monitoring",
			{"plan": "{plans[b]}", "observation": "見た", "monitoring_date": "today"},
		),
		(
			"chiiki_care.portal.api.plans.add_plan_action",
			{"plan": "{plans[b]}", "description": "x", "support_kind": "Watching Over"},
		),
		("chiiki_care.portal.api.plans.update_plan", {"plan": "{plans[b]}", "title": "乗っ取り"}),
		(
			"chiiki_care.portal.api.workflow.apply_action",
			{"doctype": "Need", "name": "{needs[b]}", "action": "Start Support"},
		),
		("chiiki_care.portal.api.needs.lift_need", {"need": "{needs[b]}", "title": "他人のニーズ"}),
		("chiiki_care.portal.api.plans.create_plan", {"need": "{needs[b]}", "title": "他人のプラン"}),
		(
			"chiiki_care.portal.api.needs.record_need",
			{"resident": "{residents[b]}", "categories": ["買い物"], "unmet_troubles": "x"},
		),
	],
)
def test_another_coordinators_case_cannot_be_changed(server, portal_world, sessions, method, data):
	w = portal_world
	values = {
		k: v.format(residents=w.residents, needs=w.needs, plans=w.plans).replace(
			"today", frappe.utils.today()
		)
		if isinstance(v, str)
		else v
		for k, v in data.items()
	}
	response = call(sessions["l3a"], server, method, **values)
	assert response.status_code in REFUSED, (method, response.status_code, response.text[:500])
	assert JAPANESE.search(messages(response))


# Coordinator flows over HTTP
# ---------------------------


def test_record_need_warns_of_a_duplicate_resident_then_records(server, portal_world, sessions):
	w = portal_world
	s = sessions["l3a"]
	person = {
		"full_name": w.resident_data["a"]["full_name"],
		"full_name_kana": "はすみ とくじろう",  # hiragana matches the katakana on record
		"birth_date": "昭和16年5月6日",  # the same day in the Japanese era calendar
		"district": w.east,
	}
	need = {"categories": ["買い物"], "unmet_troubles": "重い物が持てない", "urgency": "Normal"}
	response = call(s, server, "chiiki_care.portal.api.needs.record_need", new_resident=person, **need)
	assert response.status_code == 200, response.text
	duplicates = response.json()["message"]["duplicates"]
	assert [m["name"] for m in duplicates["matches"]] == [w.residents["a"]]
	# the coordinator picks the resident on record
	response = call(s, server, "chiiki_care.portal.api.needs.record_need", resident=w.residents["a"], **need)
	result = response.json()["message"]
	assert result["resident"] == w.residents["a"] and result["url"].startswith("/coordinator/need?name=")
	frappe.db.rollback()
	recorded = frappe.get_doc("Need", result["need"])
	assert recorded.recorded_by == w.coordinators["l3a"] and recorded.owner == w.users["l3a"]


def test_record_need_for_a_new_resident(server, portal_world, sessions):
	w = portal_world
	person = {
		"full_name": "試験 新規",
		"full_name_kana": "シケン シンキ",
		"birth_date": "1944-02-03",
		"district": w.east,
		"household": "Elderly Household",
	}
	response = call(
		sessions["l3a"],
		server,
		"chiiki_care.portal.api.needs.record_need",
		new_resident=person,
		categories=["配食"],
		desired_life="夫婦で家にいたい",
	)
	result = response.json()["message"]
	assert "need" in result, result
	frappe.db.rollback()
	resident = frappe.get_doc("Resident", result["resident"])
	assert resident.primary_coordinator == w.coordinators["l3a"] and resident.district == w.east


def test_bad_input_is_answered_in_japanese_with_the_fields_to_fix(server, portal_world, sessions):
	w = portal_world
	s = sessions["l3a"]
	response = call(
		s,
		server,
		"chiiki_care.portal.api.needs.record_need",
		new_resident={
			"full_name": "",
			"full_name_kana": "Yamada",
			"birth_date": "昭和99年13月1日",
			"district": w.west,
		},
		categories=[],
	)
	assert response.status_code == 417
	body = response.json()
	text = messages(response)
	assert "4つの視点" in text and "ニーズ分類" in text and "ひらがな" in text
	assert {"lenses", "categories", "full_name", "full_name_kana", "birth_date", "district"} <= set(
		body["invalid_fields"]
	)
	response = call(
		s,
		server,
		"chiiki_care.portal.api.plans.add_monitoring",
		plan=w.plans["a"],
		monitoring_date="2999-01-01",
		observation="",
		next_review_date="あした",
	)
	assert response.status_code == 417
	text = messages(response)
	assert JAPANESE.search(text) and "未来" in text
	assert {"monitoring_date", "observation", "next_review_date"} <= set(response.json()["invalid_fields"])


def test_plan_action_monitoring_and_next_review(server, portal_world, sessions):
	w = portal_world
	s = sessions["l3a"]
	response = call(
		s,
		server,
		"chiiki_care.portal.api.plans.add_plan_action",
		plan=w.plans["a"],
		description="サロンへの同行",
		support_kind="Social Participation",
		community_resource=w.resources["salon"],
	)
	assert response.status_code == 200, response.text
	today = frappe.utils.getdate(frappe.utils.today())
	response = call(
		s,
		server,
		"chiiki_care.portal.api.plans.add_monitoring",
		plan=w.plans["a"],
		monitoring_date=str(today),
		observation="サロンに2回参加した",
		outcome="Continue",
	)
	assert response.status_code == 200, response.text
	expected = frappe.utils.add_days(today, 28)
	assert response.json()["message"]["next_review_date"] == str(expected)
	html = page(s, server, f"/coordinator/plan?name={w.plans['a']}").text
	assert "サロンに2回参加した" in html and expected.strftime("%Y/%m/%d") in html
	frappe.db.rollback()
	assert frappe.db.get_value("Community Resource", w.resources["salon"], "resource_name") in html


def test_draft_plan_from_need_and_workflow_step(server, portal_world, sessions):
	w = portal_world
	s = sessions["l3a"]
	response = call(
		s,
		server,
		"chiiki_care.portal.api.plans.create_plan",
		need=w.needs["a_lift"],
		title="外出の支援",
		personal_goal="散歩を続けたい",
		review_interval_weeks="２",  # full-width digits from a phone keyboard
	)
	assert response.status_code == 200, response.text
	plan = response.json()["message"]["plan"]
	response = call(
		s,
		server,
		"chiiki_care.portal.api.workflow.apply_action",
		doctype="Support Plan",
		name=plan,
		action="Request Confirmation",
	)
	assert response.status_code == 417 and "支援内容" in messages(response)  # a plan needs an action first
	frappe.db.rollback()
	assert frappe.db.get_value("Need", w.needs["a_lift"], "support_plan") == plan
	assert frappe.db.get_value("Support Plan", plan, "review_interval_weeks") == 2


def test_lift_need_to_a_community_issue(server, portal_world, sessions):
	w = portal_world
	s = sessions["l3a"]
	response = call(s, server, "chiiki_care.portal.api.needs.lift_need", need=w.needs["a_lift"])
	assert response.status_code == 417 and JAPANESE.search(messages(response))
	response = call(
		s, server, "chiiki_care.portal.api.needs.lift_need", need=w.needs["a_lift"], title="東地区の外出支援"
	)
	assert response.status_code == 200, response.text
	issue = response.json()["message"]["issue"]
	frappe.db.rollback()
	assert frappe.db.get_value("Need", w.needs["a_lift"], ["status", "community_issue"]) == (
		"Lifted to Community Issue",
		issue,
	)
	assert frappe.db.get_value("Community Issue", issue, "district") == w.east
	html = page(s, server, f"/coordinator/issue?name={issue}").text
	assert "東地区の外出支援" in html


def test_session_expired_post_is_refused_with_a_login_hint(server, portal_world):
	"""An expired session is a guest: the endpoint refuses, and the page's script keeps the draft."""
	session = requests.Session()
	session.cookies.set("sid", "expired-session-id")
	response = session.post(
		f"{server}/api/method/chiiki_care.portal.api.plans.add_monitoring",
		data={"plan": portal_world.plans["a"], "observation": "x"},
		headers={"Accept": "application/json"},
		timeout=60,
	)
	assert response.status_code == 403
	assert response.json().get("session_expired") == 1


# Council members: their councils, no person
# -------------------------------------------


def test_council_member_sees_meetings_issues_and_plans_without_personal_data(server, portal_world, sessions):
	w = portal_world
	s = sessions["cm"]
	home = page(s, server, "/council")
	assert home.status_code == 200
	frappe.db.rollback()
	meeting_title = frappe.db.get_value("Council Meeting", w.meeting, "title")
	issue_title = frappe.db.get_value("Community Issue", w.issue, "title")
	plan_title = frappe.db.get_value("Support Plan", w.plans["community"], "title")
	assert meeting_title in home.text and issue_title in home.text and plan_title in home.text
	pages = [home.text]
	for path, expected in (
		(f"/council/meeting?name={w.meeting}", "商店街に配達日を相談する"),
		(f"/council/issue?name={w.issue}", "買い物"),
		(f"/council/plan?name={w.plans['community']}", "商店街振興組合へ相談"),
	):
		response = page(s, server, path)
		assert response.status_code == 200 and expected in response.text, path
		pages.append(response.text)
	for html in pages:
		for key in ("a", "b"):
			for text in identity(w, key):
				assert text not in html
		assert "試験市" not in html  # residents' addresses


@pytest.mark.parametrize(
	"path",
	[
		"/council/plan?name={plans[a]}",
		"/coordinator",
		"/coordinator/need?name={needs[b]}",
		"/api/resource/Resident/{residents[a]}",
		"/api/resource/Need/{needs[b]}",
		"/api/resource/Support Plan/{plans[a]}",
	],
)
def test_council_member_is_refused_resident_data(server, portal_world, sessions, path):
	w = portal_world
	url = path.format(residents=w.residents, needs=w.needs, plans=w.plans)
	response = page(sessions["cm"], server, url, allow_redirects=False)
	assert response.status_code in REFUSED, url
	for key in ("a", "b"):
		for text in identity(w, key):
			assert text not in response.text


def test_council_member_lists_hold_no_residents(server, portal_world, sessions):
	s = sessions["cm"]
	for doctype in ("Resident", "Need"):
		response = page(s, server, f"/api/resource/{doctype}")
		assert response.status_code in REFUSED or response.json()["data"] == []


def test_a_coordinator_cannot_open_the_council_portal(server, sessions):
	assert page(sessions["l3a"], server, "/council", allow_redirects=False).status_code == 403


def test_council_member_reads_its_districts_profile_and_no_other(server, portal_world, sessions):
	w = portal_world
	s = sessions["cm"]
	response = page(s, server, "/council/profile")
	assert response.status_code == 200 and "地域カルテ" in response.text and w.area in response.text
	assert w.east in response.text  # its school districts side by side
	for key in ("a", "b"):
		for text in identity(w, key):
			assert text not in response.text
	for other in (w.east, w.city, "存在しない地区"):
		refused = page(s, server, "/council/profile", params={"district": other}, allow_redirects=False)
		assert refused.status_code == 403, other
		assert "地域カルテ" not in refused.text or w.area not in refused.text
	method = "/api/method/chiiki_care.reporting.profile."
	assert page(s, server, method + "get_district_profile", params={"district": w.east}).status_code == 403
	pdf = page(s, server, method + "download_district_profile", params={"district": w.area})
	assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
	assert page(sessions["l3a"], server, "/council/profile", allow_redirects=False).status_code == 403


# The public directory
# --------------------


def public_directory(server, **params) -> tuple[str, list[str]]:
	"""Every page of the public directory for a search, following its "next" links: the pages'
	HTML joined, and the resources listed in order."""
	pages, listed, url = [], [], f"{server}/resources"
	while url:
		response = requests.get(url, params=params if not pages else None, timeout=60)
		assert response.status_code == 200
		html = response.text
		rows = re.findall(r'<li id="resource-([^"]+)"', html)
		assert 0 < len(rows) <= 20 or not pages and not rows
		pages.append(html)
		listed += rows
		following = re.search(r'rel="next" href="([^"]+)"', html)
		url = server + following.group(1).replace("&amp;", "&") if following else ""
		assert len(pages) < 200
	assert len(listed) == len(set(listed)), "a resource listed on two pages"
	total = re.search(r"<h2>(\d+)", pages[0])
	assert total and int(total.group(1)) == len(listed)
	return "".join(pages), listed


def test_public_directory_lists_only_published_active_resources(server, portal_world):
	w = portal_world
	html, listed = public_directory(server)
	assert w.resources["salon"] in html and w.resources["shopping"] in html  # anchors of the list
	frappe.db.rollback()
	names = dict(
		frappe.get_all(
			"Community Resource",
			filters={"name": ("in", list(w.resources.values()))},
			fields=["name", "resource_name"],
			as_list=True,
		)
	)
	assert names[w.resources["salon"]] in html and names[w.resources["shopping"]] in html
	assert names[w.resources["unpublished"]] not in html and names[w.resources["inactive"]] not in html
	for key in ("a", "b"):
		for text in identity(w, key):
			assert text not in html
	points = [
		point
		for data in re.findall(r'id="cc-map-data">(.*?)</script>', html, re.S)
		for point in json.loads(data)
	]
	assert [34.8146, 135.6509] in [point["point"] for point in points]
	assert "地域資源" in html


def test_public_directory_filters_by_district_and_domain(server, portal_world):
	w = portal_world
	frappe.db.rollback()
	salon, shopping = (
		frappe.db.get_value("Community Resource", w.resources[k], "resource_name")
		for k in ("salon", "shopping")
	)
	east = public_directory(server, district=w.east)[0]
	assert salon in east and shopping not in east
	area = public_directory(server, district=w.area)[0]
	assert salon in area and shopping in area
	life = public_directory(server, district=w.area, domain="Life Support")[0]
	assert shopping in life and salon not in life


def test_public_directory_comes_in_pages_of_twenty(server, portal_world):
	frappe.db.rollback()
	published = frappe.get_all(
		"Community Resource", filters={"published": 1, "status": "Active"}, pluck="name"
	)
	html, listed = public_directory(server)
	assert sorted(listed) == sorted(published)
	first = requests.get(f"{server}/resources", timeout=60).text
	shown = re.findall(r'<li id="resource-([^"]+)"', first)
	assert shown == listed[: len(shown)]
	# the map shows the resources of the page it is on
	points = json.loads(re.search(r'id="cc-map-data">(.*?)</script>', first, re.S).group(1))
	assert {point["anchor"] for point in points} <= {f"resource-{name}" for name in shown}
	# a page number that is not one, or past the end, shows a page rather than an error
	for junk in ("0", "-3", "x", "1e9", "999999", "２"):
		response = requests.get(f"{server}/resources", params={"page": junk}, timeout=60)
		assert response.status_code == 200, junk
		assert re.findall(r'<li id="resource-([^"]+)"', response.text), junk


def test_public_directory_offers_no_personal_data_by_rest(server, portal_world):
	for path in (
		f"/api/resource/Community Resource/{portal_world.resources['unpublished']}",
		"/api/resource/Resident",
	):
		assert requests.get(server + path, timeout=60).status_code == 403


def portal_actions() -> list[str]:
	"""The dotted paths of the whitelisted functions in chiiki_care.portal.api's modules."""
	import importlib
	import pkgutil

	from chiiki_care.portal import api

	found = []
	for module_info in pkgutil.iter_modules(api.__path__):
		module = importlib.import_module(f"{api.__name__}.{module_info.name}")
		found += [
			f"{module.__name__}.{name}"
			for name, value in vars(module).items()
			if callable(value) and value in frappe.whitelisted and value.__module__ == module.__name__
		]
	return sorted(found)


def test_every_portal_action_is_for_layer_3_coordinators_and_post_only(server, sessions):
	actions = portal_actions()
	assert len(actions) == 8, actions
	for method in actions:
		refused_role = call(sessions["cm"], server, method)
		assert refused_role.status_code == 403, (method, refused_role.text[:300])
		assert JAPANESE.search(messages(refused_role)), method
		by_get = sessions["l3a"].get(f"{server}/api/method/{method}", timeout=60)
		assert by_get.status_code == 403, (method, by_get.status_code)
