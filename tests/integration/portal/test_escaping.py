"""Every text a user typed comes out of every portal page escaped exactly once, titles included.

Frappe's Jinja environment does not autoescape, and its base template writes the page title
`| striptags`, which unescapes entities: a plan titled `&lt;/title&gt;&lt;img src=x onerror=…&gt;`
put live markup into the `<title>` of every page showing it. Here each payload goes into every text
field the portal pages show (plan titles, goals, actions, monitoring observations, the four lenses
of a need, community issue titles and descriptions, council meeting titles and minutes, resource
names and descriptions), written two ways:

- "saved": through the portal's endpoints as the coordinator, or inserted as documents, so that
  Frappe's own input sanitiser has its say (raw tags are changed on save; text without `<` or `>`
  such as `&lt;` or `{{7*7}}` is stored as typed);
- "raw": then overwritten in the database with the exact payload, as data that never passed the
  sanitiser (an import, an old row), so that only the pages' escaping stands between it and the
  browser.

Each page must then hold no live payload markup, one `<title>` without markup whose text is the
stored title, and each stored plain text escaped once (neither raw nor visibly double-escaped:
`&lt;` typed shows as `&lt;`, `<b>` as `<b>`). Rich text (agenda, minutes, an issue's description)
is shown as markup cleaned by `pages.sanitized`; a resource's description on the public page as
plain text (`pages.plain_text`). Template syntax in a value is text, never evaluated.
"""

import html as html_module
import json
import re
from html.parser import HTMLParser
from types import SimpleNamespace

import frappe
import pytest
import requests
from frappe.utils import add_days, today
from markupsafe import escape

from chiiki_care.portal import pages
from tests.integration.portal.conftest import login
from tests.integration.portal.test_http import call, page

PAYLOADS = {
	"entity-title": "&lt;/title&gt;&lt;img src=x onerror=alert(1)&gt;",
	"entity-script": "&#60;script&#62;alert(1)&#60;/script&#62;",
	"raw-title": "</title><img src=x onerror=alert(1)>",
	"raw-script": "<script>alert(1)</script>",
	"attribute": '"><svg onload=alert(1)>',
	"template": "{{7*7}}",
	"bold": "<b>",
}
MODES = ("saved", "raw")

# A payload's markup written as it is: any of these in a page's source means it went out unescaped.
LIVE_MARKUP = (
	re.compile(r"<img\b[^<>]*\bsrc\s*=\s*[\"']?x\b", re.I),
	re.compile(r"<script\b[^<>]*>\s*alert", re.I),
	re.compile(r"<svg\b[^<>]*\bonload\b", re.I),
)


class LiveElements(HTMLParser):
	"""The page as a browser's parser reads it: payload elements and handlers that would run."""

	def __init__(self):
		super().__init__(convert_charrefs=True)
		self.found: list[str] = []
		self.script_type: str | None = None

	def handle_starttag(self, tag, attrs):
		attrs = dict(attrs)
		for name, value in attrs.items():
			if name.startswith("on") and "alert" in (value or ""):
				self.found.append(f"<{tag} {name}={value!r}>")
		if tag == "img" and attrs.get("src") == "x":
			self.found.append("<img src=x>")
		if tag == "script":
			self.script_type = (attrs.get("type") or "text/javascript").lower()

	def handle_endtag(self, tag):
		if tag == "script":
			self.script_type = None

	def handle_data(self, data):
		if self.script_type and "json" not in self.script_type and "alert(1)" in data:
			self.found.append(f"<script>{data.strip()[:80]}")


def live_elements(html: str) -> list[str]:
	parser = LiveElements()
	parser.feed(html)
	parser.close()
	return parser.found


@pytest.fixture(scope="module")
def sessions(server, portal_world):
	w = portal_world
	return {key: login(server, w.users[key], w.password) for key in ("l3a", "cm")}


def ok(response, what):
	assert response.status_code == 200, (what, response.status_code, response.text[:800])
	return response.json().get("message")


def build_case(server, w, session, payload: str, mode: str) -> SimpleNamespace:
	"""One of everything the portal pages show, every text field holding `payload`.

	A word comes first: Frappe takes a required field holding nothing but tags for empty."""
	payload = f"試験 {payload}"
	frappe.set_user("Administrator")
	resource = (
		frappe.get_doc(
			{
				"doctype": "Community Resource",
				"resource_name": payload,
				"resource_type": "Gathering Place or Salon",
				"domain": "Gathering and Exchange",
				"district": w.east,
				"published": 1,
				"status": "Active",
				"provider": payload,
				"schedule": payload,
				"cost": payload,
				"address": payload,
				"description": payload,
				"location": '{"type": "FeatureCollection", "features": [{"type": "Feature", "properties": {},'
				' "geometry": {"type": "Point", "coordinates": [135.6555, 34.8155]}}]}',
				"need_categories": [{"need_category": "買い物"}],
			}
		)
		.insert()
		.name
	)
	frappe.db.commit()  # nosemgrep: the web server under test reads only committed rows

	lenses = {
		"unmet_troubles": payload,
		"urgent_needs": payload,
		"connection_and_purpose": payload,
		"desired_life": payload,
	}
	need = ok(
		call(
			session,
			server,
			"chiiki_care.portal.api.needs.record_need",
			resident=w.residents["a"],
			categories=["買い物"],
			**lenses,
		),
		"record_need",
	)["need"]
	open_need = ok(
		call(
			session,
			server,
			"chiiki_care.portal.api.needs.record_need",
			resident=w.residents["a"],
			categories=["買い物"],
			unmet_troubles=payload,
		),
		"record_need",
	)["need"]
	plan = ok(
		call(
			session,
			server,
			"chiiki_care.portal.api.plans.create_plan",
			need=need,
			title=payload,
			personal_goal=payload,
			goal=payload,
		),
		"create_plan",
	)["plan"]
	ok(
		call(
			session,
			server,
			"chiiki_care.portal.api.plans.add_plan_action",
			plan=plan,
			description=payload,
			support_kind="Watching Over",
			community_resource=resource,
			responsible=payload,
			due_date=str(add_days(today(), 2)),
		),
		"add_plan_action",
	)
	ok(
		call(
			session,
			server,
			"chiiki_care.portal.api.plans.add_monitoring",
			plan=plan,
			monitoring_date=today(),
			observation=payload,
			outcome="Continue",
		),
		"add_monitoring",
	)
	lifted_issue = ok(
		call(session, server, "chiiki_care.portal.api.needs.lift_need", need=need, title=payload), "lift_need"
	)["issue"]

	frappe.db.rollback()
	frappe.set_user("Administrator")
	issue = (
		frappe.get_doc(
			{
				"doctype": "Community Issue",
				"title": payload,
				"description": payload,
				"district": w.area,
				"need_category": "買い物",
				"council": w.council,
			}
		)
		.insert()
		.name
	)
	community_plan = (
		frappe.get_doc(
			{
				"doctype": "Support Plan",
				"scope": "Community",
				"title": payload,
				"community_issue": issue,
				"start_date": today(),
				"goal": payload,
				"actions": [
					{
						"description": payload,
						"support_kind": "Social Participation",
						"community_resource": resource,
					}
				],
				"monitoring": [{"monitoring_date": today(), "observation": payload, "outcome": "Continue"}],
			}
		)
		.insert()
		.name
	)
	meeting = (
		frappe.get_doc(
			{
				"doctype": "Council Meeting",
				"title": payload,
				"council": w.council,
				"meeting_date": today(),
				"venue": payload,
				"agenda": payload,
				"minutes": payload,
				"decisions": payload,
				"plan_reports": payload,
				"attendees": [{"attendee_name": "委員 はじめ", "organisation": "自治会", "attended": 1}],
				"issues_discussed": [{"community_issue": issue, "discussion": payload, "decision": payload}],
				"follow_ups": [{"description": payload}],
			}
		)
		.insert()
		.name
	)
	frappe.db.commit()  # nosemgrep: the web server under test reads only committed rows

	case = SimpleNamespace(
		payload=payload,
		mode=mode,
		resource=resource,
		need=need,
		open_need=open_need,
		plan=plan,
		lifted_issue=lifted_issue,
		issue=issue,
		community_plan=community_plan,
		meeting=meeting,
	)
	if mode == "raw":
		store_raw(case)
	return case


# Every text field of the case's documents that a portal page shows.
TEXT_FIELDS = {
	"Community Resource": ("resource_name", "provider", "schedule", "cost", "address", "description"),
	"Need": ("unmet_troubles", "urgent_needs", "connection_and_purpose", "desired_life"),
	"Support Plan": ("title", "personal_goal", "goal"),
	"Support Plan Action": ("description", "responsible"),
	"Support Plan Monitoring": ("observation",),
	"Community Issue": ("title", "description"),
	"Council Meeting": ("title", "venue", "agenda", "minutes", "decisions", "plan_reports"),
	"Council Meeting Issue": ("discussion", "decision"),
	"Council Meeting Follow Up": ("description",),
}


def case_documents(case) -> list[tuple[str, str]]:
	docs = [
		("Community Resource", case.resource),
		("Need", case.need),
		("Need", case.open_need),
		("Support Plan", case.plan),
		("Support Plan", case.community_plan),
		("Community Issue", case.lifted_issue),
		("Community Issue", case.issue),
		("Council Meeting", case.meeting),
	]
	for parent in (case.plan, case.community_plan):
		for child in ("Support Plan Action", "Support Plan Monitoring"):
			docs += [(child, n) for n in frappe.get_all(child, {"parent": parent}, pluck="name")]
	for child in ("Council Meeting Issue", "Council Meeting Follow Up"):
		docs += [(child, n) for n in frappe.get_all(child, {"parent": case.meeting}, pluck="name")]
	return docs


def store_raw(case):
	"""The exact payload in every shown text field, past Frappe's input sanitiser."""
	frappe.db.rollback()
	for doctype, name in case_documents(case):
		fields = [f for f in TEXT_FIELDS[doctype] if frappe.get_meta(doctype).has_field(f)]
		values = {f: case.payload for f in fields}
		if doctype == "Need" and name == case.open_need:
			values = {"unmet_troubles": case.payload}
		frappe.db.set_value(doctype, name, values, update_modified=False)
	frappe.db.commit()  # nosemgrep: the web server under test reads only committed rows


def remove_case(case):
	frappe.db.rollback()
	frappe.set_user("Administrator")
	needs = [case.need, case.open_need]
	frappe.db.delete("Community Issue Need", {"need": ("in", needs)})
	for doctype, names in (
		("Council Meeting", [case.meeting]),
		("Support Plan", [case.plan, case.community_plan]),
		("Community Issue", [case.lifted_issue, case.issue]),
		("Need", needs),
		("Community Resource", [case.resource]),
	):
		for name in names:
			if name and frappe.db.exists(doctype, name):
				frappe.delete_doc(doctype, name, force=True, ignore_permissions=True, delete_permanently=True)
			frappe.db.delete("Version", {"ref_doctype": doctype, "docname": name})
			frappe.db.delete("Comment", {"reference_doctype": doctype, "reference_name": name})
	frappe.db.commit()  # nosemgrep: the case was committed; so is its removal


@pytest.fixture(
	scope="module",
	params=[(key, mode) for key in PAYLOADS for mode in MODES],
	ids=lambda p: f"{p[0]}-{p[1]}",
)
def case(request, server, portal_world, sessions):
	key, mode = request.param
	built = build_case(server, portal_world, sessions["l3a"], PAYLOADS[key], mode)
	try:
		yield built
	finally:
		remove_case(built)


def stored(doctype: str, name: str, field: str) -> str:
	return frappe.db.get_value(doctype, name, field) or ""


def child_values(doctype: str, parent: str, field: str) -> list[str]:
	return [v or "" for v in frappe.get_all(doctype, {"parent": parent}, pluck=field)]


# Checks of one page
# ------------------


def page_title(html: str, path: str) -> str:
	"""The text of the page's one `<title>`, which holds no markup."""
	assert len(re.findall(r"<title\b", html, re.I)) == 1, (path, "more than one <title>")
	assert len(re.findall(r"</title", html, re.I)) == 1, (path, "the title was closed early")
	raw = re.search(r"<title\b[^>]*>(.*?)</title>", html, re.S | re.I).group(1)
	assert "<" not in raw, (path, raw)
	text = html_module.unescape(raw).strip()
	og = re.search(r'<meta property="og:title" content="([^"]*)"', html)
	if og:
		assert html_module.unescape(og.group(1)) in text, (path, og.group(1))
	return text


def check_page(html: str, path: str, *, title: str | None = None, texts=(), rich=(), plain=()):
	"""No live payload markup; one clean title; each text escaped exactly once."""
	for pattern in LIVE_MARKUP:
		match = pattern.search(html)
		assert not match, (path, match and html[max(0, match.start() - 200) : match.end() + 100])
	assert not live_elements(html), (path, live_elements(html))
	shown = page_title(html, path)
	if title is not None:
		assert shown.endswith(title.strip()), (path, shown, title)
		assert "49" not in shown or "49" in title
	for text in texts:
		once = str(escape(text))
		assert once in html, (path, "not shown escaped once", text)
		if once != text:
			twice = str(escape(once))
			assert twice not in html, (path, "shown escaped twice", text)
			if not rich and not plain:  # rich text rightly carries its entities and tags as they are
				assert text not in html, (path, "shown unescaped", text)
	for value in rich:
		assert pages.sanitized(value) in html, (path, "rich text not shown as sanitised", value)
	for value in plain:
		assert str(escape(pages.plain_text(value))) in html, (path, "description not shown as text", value)


def get(session, server, path):
	response = page(session, server, path)
	if response.status_code != 200:
		error = re.search(r"<pre><code>(.*?)</code></pre>", response.text, re.S)
		pytest.fail(
			f"{path}: {response.status_code}\n"
			+ html_module.unescape(error.group(1) if error else response.text[:800])
		)
	return response.text


# The pages
# ---------


def test_coordinator_pages_escape_every_text(server, portal_world, sessions, case):
	w = portal_world
	s = sessions["l3a"]
	frappe.db.rollback()
	plan_title = stored("Support Plan", case.plan, "title")
	actions = child_values("Support Plan Action", case.plan, "description")
	responsible = child_values("Support Plan Action", case.plan, "responsible")
	observations = child_values("Support Plan Monitoring", case.plan, "observation")
	resource_name = stored("Community Resource", case.resource, "resource_name")
	lenses = [stored("Need", case.need, f) for f in TEXT_FIELDS["Need"]]
	lifted_title = stored("Community Issue", case.lifted_issue, "title")

	html = get(s, server, "/coordinator")
	check_page(html, "/coordinator", texts=[plan_title, *actions])

	path = f"/coordinator/resident?name={w.residents['a']}"
	check_page(get(s, server, path), path, texts=[plan_title])

	path = f"/coordinator/need?name={case.need}"
	check_page(get(s, server, path), path, texts=[*lenses, plan_title, lifted_title])

	path = f"/coordinator/need?name={case.open_need}"
	html = get(s, server, path)
	check_page(html, path, texts=[stored("Need", case.open_need, "unmet_troubles"), lifted_title])
	assert 'id="cc-issue"' in html, "the open need offers the open community issues"

	path = f"/coordinator/plan?name={case.plan}&resource={case.resource}"
	check_page(
		get(s, server, path),
		path,
		title=plan_title,
		texts=[
			plan_title,
			stored("Support Plan", case.plan, "personal_goal"),
			stored("Support Plan", case.plan, "goal"),
			*actions,
			*responsible,
			*observations,
			resource_name,
		],
	)

	path = f"/coordinator/issue?name={case.lifted_issue}"
	check_page(get(s, server, path), path, title=lifted_title, texts=[lifted_title])

	path = f"/coordinator/new-plan?need={case.need}"
	check_page(get(s, server, path), path, texts=[stored("Need", case.need, "desired_life")])

	path = f"/coordinator/resources?plan={case.plan}"
	check_page(
		get(s, server, path),
		path,
		texts=[
			plan_title,
			resource_name,
			stored("Community Resource", case.resource, "schedule"),
			stored("Community Resource", case.resource, "cost"),
		],
	)


def test_council_pages_escape_every_text(server, portal_world, sessions, case):
	s = sessions["cm"]
	frappe.db.rollback()
	issue_title = stored("Community Issue", case.issue, "title")
	plan_title = stored("Support Plan", case.community_plan, "title")
	meeting_title = stored("Council Meeting", case.meeting, "title")
	venue = stored("Council Meeting", case.meeting, "venue")

	check_page(get(s, server, "/council"), "/council", texts=[meeting_title, venue, issue_title, plan_title])

	path = f"/council/meeting?name={case.meeting}"
	check_page(
		get(s, server, path),
		path,
		title=meeting_title,
		texts=[
			meeting_title,
			venue,
			issue_title,
			*child_values("Council Meeting Issue", case.meeting, "discussion"),
			*child_values("Council Meeting Issue", case.meeting, "decision"),
			*child_values("Council Meeting Follow Up", case.meeting, "description"),
		],
		rich=[
			stored("Council Meeting", case.meeting, f)
			for f in ("agenda", "minutes", "decisions", "plan_reports")
		],
	)

	path = f"/council/issue?name={case.issue}"
	check_page(
		get(s, server, path),
		path,
		title=issue_title,
		texts=[issue_title, plan_title, meeting_title],
		rich=[stored("Community Issue", case.issue, "description")],
	)

	path = f"/council/plan?name={case.community_plan}"
	check_page(
		get(s, server, path),
		path,
		title=plan_title,
		texts=[
			plan_title,
			issue_title,
			stored("Support Plan", case.community_plan, "goal"),
			*child_values("Support Plan Action", case.community_plan, "description"),
			*child_values("Support Plan Monitoring", case.community_plan, "observation"),
			stored("Community Resource", case.resource, "resource_name"),
		],
	)


def test_public_directory_escapes_every_text(server, portal_world, case):
	frappe.db.rollback()
	values = {f: stored("Community Resource", case.resource, f) for f in TEXT_FIELDS["Community Resource"]}
	response = requests.get(f"{server}/resources", params={"district": portal_world.east}, timeout=60)
	assert response.status_code == 200
	html = response.text
	check_page(
		html,
		"/resources",
		texts=[values[f] for f in ("resource_name", "provider", "schedule", "cost", "address")],
		plain=[values["description"]],
	)
	# the map's data is JSON inside a script element: the name comes back as stored, and cannot end it
	data = json.loads(re.search(r'id="cc-map-data">(.*?)</script>', html, re.S).group(1))
	assert values["resource_name"] in [point["title"] for point in data]


def test_a_title_typed_without_tags_shows_as_typed(server, portal_world, sessions):
	"""`&lt;` and `{{7*7}}` typed into a title are stored as typed and shown as typed, in the title
	element and the heading: not unescaped into markup, not double-escaped, not evaluated."""
	w = portal_world
	s = sessions["l3a"]
	for typed in ("&lt;b&gt; &amp; &#60;", "{{7*7}} {% raw %}", "x < y > z"):
		plan = ok(
			call(
				s, server, "chiiki_care.portal.api.plans.create_plan", resident=w.residents["a"], title=typed
			),
			"create_plan",
		)["plan"]
		try:
			frappe.db.rollback()
			assert frappe.db.get_value("Support Plan", plan, "title") == typed
			path = f"/coordinator/plan?name={plan}"
			html = get(s, server, path)
			assert page_title(html, path).endswith(typed), typed
			heading = re.search(r"<h1>(.*?)</h1>", html, re.S).group(1)
			assert html_module.unescape(heading) == typed
			assert "49" not in heading
		finally:
			frappe.db.rollback()
			frappe.delete_doc(
				"Support Plan", plan, force=True, ignore_permissions=True, delete_permanently=True
			)
			frappe.db.commit()  # nosemgrep: the plan was committed; so is its removal


@pytest.mark.parametrize("key", list(PAYLOADS))
def test_search_terms_are_shown_escaped(server, portal_world, sessions, key):
	"""The search box shows back what was searched for, escaped."""
	payload = PAYLOADS[key]
	html = requests.get(f"{server}/resources", params={"q": payload}, timeout=60).text
	check_page(html, "/resources?q=", texts=[payload])
	path = "/coordinator/resources"
	response = sessions["l3a"].get(server + path, params={"q": payload}, timeout=60)
	assert response.status_code == 200
	check_page(response.text, path, texts=[payload])


def test_template_syntax_in_values_is_never_evaluated():
	"""Values are data, never template source: the email report's template writes `{{7*7}}` as is."""
	from chiiki_care.notifications.email_reports import TEMPLATE

	value = "{{7*7}}{% if 1 %}yes{% endif %}"
	html = frappe.render_template(
		TEMPLATE,
		{
			"heading": value,
			"intro": value,
			"sections": [
				{"title": value, "intro": value, "columns": [value], "rows": [[value]], "marks": [0]},
				{"title": value, "rows": [], "empty": value},
			],
			"footer": value,
		},
	)
	assert "49" not in html and "yes" not in html.replace(value, "")
	assert html.count(value) == 9
	for payload in PAYLOADS.values():
		out = frappe.render_template(
			TEMPLATE, {"heading": payload, "intro": "", "sections": [], "footer": ""}
		)
		assert str(escape(payload)) in out
		for pattern in LIVE_MARKUP:
			assert not pattern.search(out), payload
		assert not live_elements(out), payload
