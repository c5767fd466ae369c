"""The portal's pages: the guard every page calls first, reading documents as the user, the
helpers the templates use, and the coordinator's home and resource search."""

import re
from urllib.parse import urlencode

import frappe
from frappe import _, _lt
from frappe.model.workflow import get_transitions
from frappe.utils import add_days, cint, getdate, strip_html, today

from chiiki_care.access.audit import log_identity_access
from chiiki_care.access.permissions import get_scope, with_descendants
from chiiki_care.access.scope import LAYER_3
from chiiki_care.chiiki_care.doctype.community_resource.community_resource import neighbouring_districts
from chiiki_care.chiiki_care.doctype.support_plan.support_plan import plan_need_categories
from chiiki_care.domain.statuses import CASEWORK_NEED_STATUSES, OPEN_ACTION_STATUSES, OPEN_PLAN_STATUSES
from chiiki_care.utils import select_options

DUE_SOON_DAYS = 7


# Pages whose content depends on who asks: never stored by a browser or a proxy.
PRIVATE_PATHS = re.compile(r"^/(coordinator|council)(/|$)|^/api/method/chiiki_care\.portal\.")

# Portal menu titles (hooks.standard_portal_menu_items), for translation.
MENU_LABELS = [_lt("Coordinator Portal"), _lt("Council Portal"), _lt("Community Resources")]


# Pages
# -----


def login_url() -> str:
	"""The login page, coming back to the page asked for."""
	request = frappe.local.request
	target = request.path
	if request.query_string:
		target += "?" + request.query_string.decode()
	return "/login?" + urlencode({"redirect-to": target})


def guard(context, role: str):
	"""Start of every private page: guests go to the login page and come back; others need `role`."""
	context.no_cache = 1
	if frappe.session.user == "Guest":
		frappe.local.flags.redirect_location = login_url()
		raise frappe.Redirect(302)
	if role not in frappe.get_roles():
		frappe.throw(_("This page is for {0}.").format(_(role)), frappe.PermissionError)
	context.portal_user = frappe.session.user
	context.portal_kind = "coordinator" if role == LAYER_3 else "council"
	context.no_breadcrumbs = 1
	context.js_messages = js_messages()
	context.today = today()
	page_helpers(context)


def get_portal_doc(doctype: str, name: str | None, ptype: str = "read"):
	"""A document the session user may access, with the fields it may not read removed.

	A name that does not exist gets the same answer as one outside the user's scope."""
	if not name or not isinstance(name, str) or not frappe.db.exists(doctype, name):
		frappe.throw(_("This record does not exist or you may not see it."), frappe.PermissionError)
	doc = frappe.get_doc(doctype, name)
	if not doc.has_permission(ptype):
		frappe.throw(_("This record does not exist or you may not see it."), frappe.PermissionError)
	doc.apply_fieldlevel_read_permissions()
	return doc


def document_page(context, role: str, doctype: str, **required):
	"""Start of a page about one document (`?name=`): the `guard`, then the document as
	`get_portal_doc` reads it, set as the page's title. `required` are values the page is for (a
	plan's scope); any other document gets the same answer as a name that does not exist."""
	guard(context, role)
	doc = get_portal_doc(doctype, frappe.form_dict.name)
	if any(doc.get(fieldname) != value for fieldname, value in required.items()):
		frappe.throw(_("This record does not exist or you may not see it."), frappe.PermissionError)
	context.title = doc.get("title")
	context.nav = "home"
	return doc


def council_name(council: str | None) -> str | None:
	"""A council's name (not personal data: councils are public bodies)."""
	return frappe.db.get_value("Council", council, "council_name") if council else None


def resource_names(plan) -> dict[str, str]:
	"""The names of the community resources a plan's actions use, those the user may read."""
	resources = {row.community_resource for row in plan.actions if row.community_resource}
	return dict(
		frappe.get_list(
			"Community Resource",
			filters={"name": ("in", list(resources) or [""])},
			fields=["name", "resource_name"],
			as_list=True,
		)
	)


def show_identity(doc):
	"""The page shows a resident's identity: log it, as opening the form on the desk does."""
	log_identity_access(doc, channel="Portal")


def page_url(route: str, **params) -> str:
	params = {k: v for k, v in params.items() if v}
	return f"/{route}" + ("?" + urlencode(params) if params else "")


_JS_SOURCES: dict = {}


def js_messages() -> dict:
	"""Translations of the `__()` strings of the portal's script, for `frappe._messages`."""
	from frappe.translate import extract_messages_from_javascript_code

	path = frappe.get_app_path("chiiki_care", "public", "js", "portal.js")
	if path not in _JS_SOURCES or frappe.conf.developer_mode:
		with open(path, encoding="utf-8") as f:
			_JS_SOURCES[path] = [
				message for _line, message, _ctx in extract_messages_from_javascript_code(f.read())
			]
	return {message: _(message) for message in _JS_SOURCES[path]}


_ASSET_VERSIONS: dict = {}


def asset_url(path: str) -> str:
	"""The URL of one of the portal's static files (`chiiki_care/public/<path>`, served at
	/assets/chiiki_care/ since `bench get-app`/`bench build` link the folder there), with a hash of
	its content, so that browsers may cache it for long and still fetch a changed file at once."""
	if path not in _ASSET_VERSIONS or frappe.conf.developer_mode:
		import hashlib

		with open(frappe.get_app_path("chiiki_care", "public", *path.split("/")), "rb") as f:
			_ASSET_VERSIONS[path] = hashlib.sha1(f.read()).hexdigest()[:12]
	return f"/assets/chiiki_care/{path}?v={_ASSET_VERSIONS[path]}"


def after_request(response=None, request=None):
	"""Hooked as `after_request`: private pages and portal answers are never cached for anyone else."""
	if response is None or request is None or not PRIVATE_PATHS.match(request.path or ""):
		return
	response.headers["Cache-Control"] = "no-store, private"
	response.headers["Vary"] = "Cookie"


STATUS_CLASS = {
	"New": "cc-badge",
	"Under Review": "cc-badge",
	"Supporting": "cc-badge cc-badge-warn",
	"Resolved": "cc-badge cc-badge-ok",
	"Lifted to Community Issue": "cc-badge cc-badge-ok",
	"Withdrawn": "cc-badge",
	"Draft": "cc-badge",
	"Pending Confirmation": "cc-badge cc-badge-warn",
	"Active": "cc-badge cc-badge-ok",
	"Completed": "cc-badge cc-badge-ok",
	"Cancelled": "cc-badge",
	"Raised": "cc-badge",
	"In Discussion": "cc-badge cc-badge-warn",
	"In Progress": "cc-badge cc-badge-warn",
	"On Hold": "cc-badge",
	"Planned": "cc-badge",
	"Done": "cc-badge cc-badge-ok",
	"Immediate": "cc-badge cc-badge-danger",
	"overdue": "cc-badge cc-badge-danger",
	"soon": "cc-badge cc-badge-warn",
}


def fmt_date(value) -> str:
	"""2026/05/01: the order Japanese readers expect, whatever the site's date format."""
	return getdate(value).strftime("%Y/%m/%d") if value else ""


def sanitized(html: str | None) -> str:
	"""Rich text (agenda, minutes) reduced to harmless markup, for pages that show it as HTML.

	The only values a portal template writes without `|e`; it names them `*_html`. Every other
	value is plain text, escaped once by the template."""
	from frappe.utils.html_utils import clean_html

	return clean_html(html).strip() if html and strip_html(html).strip() else ""


def plain_text(html: str | None) -> str:
	"""Rich text (a Text Editor value) as the plain text a reader sees, for a page that writes it
	escaped (`|e`): tags dropped, scripts and styles with their content, entities read once, so
	that `&lt;b&gt;` in the editor's HTML shows as `<b>`, not as markup and not as `&lt;b&gt;`."""
	if not html:
		return ""
	from bs4 import BeautifulSoup

	soup = BeautifulSoup(html, "html.parser")
	for tag in soup(["script", "style", "template"]):
		tag.decompose()
	return " ".join(soup.get_text(" ").split())


def page_helpers(context):
	context.asset_url = asset_url
	context.fmt_date = fmt_date
	context.status_class = STATUS_CLASS
	context.due_date_state = due_date_state


def due_date_state(value) -> str:
	"""'overdue', 'soon' or '' for a review or due date."""
	if not value:
		return ""
	value, now = getdate(value), getdate(today())
	if value < now:
		return "overdue"
	if value <= getdate(add_days(now, DUE_SOON_DAYS)):
		return "soon"
	return ""


# The order of a Layer 3 coordinator's own cases, ties broken by the latest change. The second key
# is not in the date's index, so MariaDB finds the few own cases by their coordinator and owner
# indexes and sorts them, instead of walking the date index of a million rows.
OWN_CASES_ORDER = "{0}, modified desc"


def coordinator_home() -> dict:
	"""The Layer 3 coordinator's own residents and cases, and what is due (all through get_list)."""
	soon = add_days(today(), DUE_SOON_DAYS)
	my_residents = frappe.get_list(
		"Resident",
		filters={"status": "Active"},
		fields=["name", "full_name", "full_name_kana", "district", "care_level", "household"],
		order_by="full_name_kana asc",
		limit_page_length=500,
	)
	needs = frappe.get_list(
		"Need",
		filters={"status": ("in", CASEWORK_NEED_STATUSES)},
		fields=[
			"name",
			"resident",
			"resident_name",
			"urgency",
			"status",
			"recorded_on",
			"primary_category",
			"support_plan",
		],
		order_by=OWN_CASES_ORDER.format("recorded_on desc"),
		limit_page_length=500,
	)
	plans = frappe.get_list(
		"Support Plan",
		filters={"scope": "Individual", "status": ("in", OPEN_PLAN_STATUSES)},
		fields=["name", "title", "resident", "resident_name", "status", "next_review_date"],
		order_by=OWN_CASES_ORDER.format("next_review_date asc"),
		limit_page_length=500,
	)
	actions = frappe.get_list(
		"Support Plan",
		filters=[
			["Support Plan", "scope", "=", "Individual"],
			["Support Plan", "status", "in", OPEN_PLAN_STATUSES],
			["Support Plan Action", "due_date", "is", "set"],
			["Support Plan Action", "due_date", "<=", soon],
			["Support Plan Action", "status", "in", OPEN_ACTION_STATUSES],
		],
		fields=[
			"name",
			"title",
			"resident_name",
			"`tabSupport Plan Action`.description as action_description",
			"`tabSupport Plan Action`.due_date as action_due_date",
		],
		order_by="`tabSupport Plan Action`.due_date asc",
		limit_page_length=100,
	)
	for plan in plans:
		plan.due_state = due_date_state(plan.next_review_date) if plan.status == "Active" else ""
	for action in actions:
		action.due_state = due_date_state(action.action_due_date)
	due = {
		"urgent_needs": [n for n in needs if n.urgency == "Immediate" and n.status != "Supporting"],
		"reviews": [p for p in plans if p.due_state],
		"actions": actions,
		"drafts": [p for p in plans if p.status == "Draft"],
	}
	return {"residents": my_residents, "needs": needs, "plans": plans, "due": due}


def need_categories() -> list[str]:
	"""The need categories a need can be filed under (the leaves of the fixture tree)."""
	return frappe.get_all("Need Category", filters={"is_group": 0}, order_by="lft asc", pluck="name")


def coordinator_districts() -> list[str]:
	"""Districts a new resident of this coordinator may live in: those it covers, not the city."""
	districts = sorted(get_scope().districts)
	if not districts:
		return []
	return frappe.get_all(
		"District",
		filters={"name": ("in", districts), "district_type": ("!=", "City")},
		order_by="lft asc",
		pluck="name",
	)


def open_issues_for(district: str) -> list[dict]:
	"""Community issues a need of `district` can join: open, of the district or a district above it."""
	lft, rgt = frappe.db.get_value("District", district, ["lft", "rgt"])
	above = frappe.get_all("District", filters={"lft": ("<=", lft), "rgt": (">=", rgt)}, pluck="name")
	return frappe.get_list(
		"Community Issue",
		filters={"district": ("in", above), "status": ("!=", "Resolved")},
		fields=["name", "title", "district", "status"],
		order_by="raised_on desc",
		limit_page_length=50,
	)


def workflow_actions(doc, exclude: tuple = ()) -> list[str]:
	"""The workflow actions the session user may take on `doc` now."""
	if not doc.has_permission("write"):
		return []
	seen = []
	for transition in get_transitions(doc):
		if transition.action not in seen and transition.action not in exclude:
			seen.append(transition.action)
	return seen


def search_resources(
	q: str | None = None,
	district: str | None = None,
	category: str | None = None,
	domain: str | None = None,
	plan: str | None = None,
	limit: int = 50,
) -> list[dict]:
	"""Active community resources for a coordinator, read through get_list; those serving the plan's
	need categories in its district and the neighbouring districts come first."""
	filters = [["Community Resource", "status", "=", "Active"]]
	if q:
		filters.append(["Community Resource", "resource_name", "like", f"%{q.strip()}%"])
	if domain in select_options("Community Resource", "domain"):
		filters.append(["Community Resource", "domain", "=", domain])
	if district and frappe.db.exists("District", district):
		filters.append(["Community Resource", "name", "in", resources_serving(district) or [""]])
	if category:
		served = frappe.get_all(
			"Need Category Item",
			filters={"parenttype": "Community Resource", "need_category": category},
			pluck="parent",
		)
		filters.append(["Community Resource", "name", "in", served or [""]])
	found = frappe.get_list(
		"Community Resource",
		filters=filters,
		fields=[
			"name",
			"resource_name",
			"resource_type",
			"domain",
			"formality",
			"district",
			"schedule",
			"cost",
			"contact_phone",
		],
		order_by="resource_name asc",
		limit_page_length=500,
	)
	plan_district, categories = None, set()
	if (
		plan
		and frappe.db.exists("Support Plan", plan)
		and frappe.has_permission("Support Plan", "read", plan)
	):
		plan_district = frappe.db.get_value("Support Plan", plan, "district")
		categories = set(plan_need_categories(plan))
	neighbours = set(neighbouring_districts(plan_district)) if plan_district else set()
	served = {}
	for row in frappe.get_all(
		"Need Category Item",
		filters={"parenttype": "Community Resource", "parent": ("in", [r.name for r in found] or [""])},
		fields=["parent", "need_category"],
	):
		served.setdefault(row.parent, set()).add(row.need_category)
	for resource in found:
		resource.categories = sorted(served.get(resource.name, ()))
		resource.matches_plan = bool(categories & served.get(resource.name, set()))
	found.sort(key=lambda r: (not r.matches_plan, r.district not in neighbours))
	return found[: cint(limit)]


def resources_serving(district: str) -> list[str]:
	"""Resources of the district, of the districts above it (they serve it too) and below it,
	and those that list it among the districts they also serve."""
	lft, rgt = frappe.db.get_value("District", district, ["lft", "rgt"])
	above = frappe.get_all("District", filters={"lft": ("<=", lft), "rgt": (">=", rgt)}, pluck="name")
	related = set(above) | set(with_descendants([district]))
	names = set(
		frappe.get_all("Community Resource", filters={"district": ("in", list(related))}, pluck="name")
	)
	names |= set(
		frappe.get_all(
			"District Item",
			filters={
				"parenttype": "Community Resource",
				"parentfield": "additional_districts",
				"district": ("in", list(related)),
			},
			pluck="parent",
		)
	)
	return sorted(names)
