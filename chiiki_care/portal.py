"""The portal: phone pages for Layer 3 coordinators (/coordinator/...) and council members
(/council/...), and the public resource directory (/resources).

How it is built (see README, "Portal"):
- Jinja pages under `chiiki_care/www/` (`no_cache = 1`; guests are sent to the login page and
  back). Pages read rows only through `frappe.get_list` and `get_portal_doc` (`frappe.get_doc` +
  `has_permission`), so the row rules of `chiiki_care.permissions` decide what a page shows, as
  on the desk; each document is shown after `apply_fieldlevel_read_permissions`.
- Small POST endpoints below for every write. They save as the session user, never with
  `ignore_permissions`, so DocPerm, row rules, workflows and the controllers' validations apply.
  Bad input is answered with Japanese messages and the names of the fields to fix.
- No Web Forms: `frappe.website.doctype.web_form.web_form.accept` inserts with
  `ignore_permissions=True` and its link options read with `frappe.get_all` (every resident's
  name, or only rows the user created), neither of which the row rules can see; and the four
  lenses, the duplicate check and the monitoring log need their own layout on a phone.
"""

import datetime
import json
import re
import unicodedata
from urllib.parse import quote, urlencode

import frappe
from frappe import _, _lt
from frappe.model.workflow import apply_workflow, get_transitions
from frappe.utils import add_days, cint, getdate, strip_html, today

from chiiki_care import casework, edit_conflicts, inputs, residents, rules
from chiiki_care.audit import log_identity_access
from chiiki_care.permissions import get_scope, with_descendants
from chiiki_care.scope import COUNCIL_MEMBER, LAYER_3

OPEN_NEED_STATUSES = ("New", "Under Review", "Supporting")
OPEN_PLAN_STATUSES = ("Draft", "Pending Confirmation", "Active")
OPEN_ACTION_STATUSES = ("Planned", "In Progress")
DUE_SOON_DAYS = 7
LENS_FIELDS = ("unmet_troubles", "urgent_needs", "connection_and_purpose", "desired_life")


def select_options(doctype: str, fieldname: str) -> tuple[str, ...]:
	"""The values of a Select field, read from its DocType: one source for the desk and the portal."""
	options = frappe.get_meta(doctype).get_field(fieldname).options or ""
	return tuple(option for option in options.split("\n") if option)


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
		filters={"status": ("in", OPEN_NEED_STATUSES)},
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
		order_by="recorded_on desc",
		limit_page_length=500,
	)
	plans = frappe.get_list(
		"Support Plan",
		filters={"scope": "Individual", "status": ("in", OPEN_PLAN_STATUSES)},
		fields=["name", "title", "resident", "resident_name", "status", "next_review_date"],
		order_by="next_review_date asc",
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
		categories = set(casework.plan_need_categories(plan))
	neighbours = set(casework.neighbouring_districts(plan_district)) if plan_district else set()
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


# Public directory (guests): published resources only
# ----------------------------------------------------

PUBLIC_RESOURCE_FIELDS = (
	"name",
	"resource_name",
	"resource_type",
	"domain",
	"formality",
	"provider",
	"district",
	"schedule",
	"cost",
	"capacity",
	"contact_phone",
	"contact_email",
	"address",
	"location",
	"description",
)


PUBLIC_RESOURCES_PER_PAGE = 20


def public_resources(
	district: str | None = None,
	domain: str | None = None,
	q: str | None = None,
	start: int = 0,
	page_length: int = PUBLIC_RESOURCES_PER_PAGE,
) -> list:
	"""Published, active resources for anyone, guests included, one page at a time.

	Guests have no DocPerm on Community Resource, so this reads with `frappe.get_all`: the filter
	`published = 1 and status = Active` and the field list `PUBLIC_RESOURCE_FIELDS` are the security
	boundary of the public page (a resource holds no resident data; its provider's contact is public)."""
	rows = frappe.get_all(
		"Community Resource",
		filters=public_resource_filters(district, domain, q),
		fields=list(PUBLIC_RESOURCE_FIELDS),
		order_by="resource_name asc, name asc",
		limit_start=start,
		limit_page_length=page_length,
	)
	for row in rows:
		row.point = first_point(row.pop("location", None), row.name)
		row.description = plain_text(row.description)
	return rows


def count_public_resources(district: str | None = None, domain: str | None = None, q: str | None = None) -> int:
	return frappe.db.count("Community Resource", public_resource_filters(district, domain, q))


def public_resource_filters(district: str | None, domain: str | None, q: str | None) -> dict:
	filters = {"published": 1, "status": "Active"}
	if domain in select_options("Community Resource", "domain"):
		filters["domain"] = domain
	if q:
		filters["resource_name"] = ("like", f"%{q.strip()}%")
	if district and frappe.db.exists("District", district):
		filters["name"] = ("in", resources_serving(district) or [""])
	return filters


def first_point(location: str | None, name: str = "") -> list[float] | None:
	"""[lat, lng] of the first point of a Geolocation value (GeoJSON), or None. A broken stored
	value is skipped (and logged, without personal data) rather than breaking the page."""
	points = inputs.stored_geojson_points(location, "Community Resource", name)
	return list(points[0]) if points else None


def public_districts() -> list[dict]:
	return frappe.get_all(
		"District",
		fields=["name", "district_type", "parent_district"],
		order_by="lft asc",
		limit_page_length=500,
	)


# Input checks: every problem at once, in Japanese, with the fields to fix
# ------------------------------------------------------------------------


class InputCheck:
	def __init__(self):
		self.problems: list[str] = []
		self.fields: list[str] = []

	def add(self, fieldname: str, message: str):
		self.problems.append(message)
		if fieldname not in self.fields:
			self.fields.append(fieldname)

	def text(self, fieldname: str, value, label: str, required: bool = False, max_length: int = 2000) -> str:
		value = (value or "").strip() if isinstance(value, str) else ""
		if required and not value:
			self.add(fieldname, _("Enter {0}.").format(label))
		elif len(value) > max_length:
			self.add(fieldname, _("{0} is too long: at most {1} characters.").format(label, max_length))
		return value

	def choice(self, fieldname: str, value, options, label: str, required: bool = True) -> str | None:
		if not value and not required:
			return None
		if value not in options:
			self.add(fieldname, _("Choose {0}.").format(label))
			return None
		return value

	def date(
		self, fieldname: str, value, label: str, required: bool = False, allow_future: bool = False
	) -> datetime.date | None:
		if not value or not str(value).strip():
			if required:
				self.add(fieldname, _("Enter {0}.").format(label))
			return None
		parsed = parse_date(str(value))
		if not parsed:
			self.add(
				fieldname,
				_("{0}: {1} is not a date. Write it like 2025-04-01 or 令和7年4月1日.").format(label, value),
			)
			return None
		if not allow_future and parsed > getdate(today()):
			self.add(fieldname, _("{0} cannot be in the future.").format(label))
		return parsed

	def done(self):
		if self.problems:
			frappe.local.response["invalid_fields"] = self.fields
			frappe.throw("\n".join(self.problems), title=_("Please check what you entered"))


def parse_date(text: str) -> datetime.date | None:
	"""A date typed on a phone: 2025-04-01, 2025/4/1, full-width digits, or the Japanese era calendar."""
	folded = unicodedata.normalize("NFKC", text).strip()
	match = re.fullmatch(r"(\d{4})[-/.年](\d{1,2})[-/.月](\d{1,2})日?", folded)
	if match:
		try:
			return datetime.date(*(int(part) for part in match.groups()))
		except ValueError:
			return None
	return rules.parse_wareki(folded)


def parse_list(value) -> list | None:
	"""A JSON list of names, a list, or one name; None when it is none of these."""
	try:
		return inputs.text_list(value, allow_single=True)
	except inputs.BadValue:
		return None


def require_role(role: str):
	if role not in frappe.get_roles():
		frappe.throw(_("This page is for {0}.").format(_(role)), frappe.PermissionError)


def writable_doc(doctype: str, name: str | None):
	"""A document the session user may change (same answer for missing and out-of-scope rows).

	Loaded with a row lock (`for_update`, the latest committed rows, children included), held until
	the request ends: two saves of one document run one after the other, so two appended rows are
	both kept, and an edit is compared with the version saved just before it (`edit_conflicts`)."""
	if not name or not isinstance(name, str) or not frappe.db.exists(doctype, name):
		frappe.throw(_("This record does not exist or you may not see it."), frappe.PermissionError)
	doc = frappe.get_doc(doctype, name, for_update=True)
	if not doc.has_permission("write"):
		frappe.throw(_("This record does not exist or you may not see it."), frappe.PermissionError)
	return doc


def url_for(route: str, name: str) -> str:
	return f"/{route}?name={quote(name)}"


# Endpoints (POST, as the session user)
# -------------------------------------


@frappe.whitelist(methods=["POST"])
def record_need(
	resident: str | None = None,
	new_resident: str | dict | None = None,
	categories: str | list | None = None,
	unmet_troubles: str | None = None,
	urgent_needs: str | None = None,
	connection_and_purpose: str | None = None,
	desired_life: str | None = None,
	urgency: str | None = None,
	recorded_on: str | None = None,
	confirm_new_resident: str | int | None = None,
) -> dict:
	"""Record a need through the four lenses, for one of the user's residents or a new one.

	For a new resident the duplicate check runs first: when the same person may be on record, the
	answer is `{"duplicates": ...}` and nothing is saved until the coordinator confirms."""
	require_role(LAYER_3)
	check = InputCheck()
	lenses = {
		"unmet_troubles": check.text(
			"unmet_troubles", unmet_troubles, _("Troubles Formal Services Cannot Handle")
		),
		"urgent_needs": check.text("urgent_needs", urgent_needs, _("Temporary or Urgent Needs")),
		"connection_and_purpose": check.text(
			"connection_and_purpose", connection_and_purpose, _("Connection, Enjoyment and Purpose")
		),
		"desired_life": check.text("desired_life", desired_life, _("How the Person Wants to Live")),
	}
	if not any(lenses.values()):
		check.add("lenses", _("Write at least one of the four lenses."))
	categories = parse_list(categories)
	known = set(need_categories())
	if categories is None:
		check.add("categories", _("Choose need categories from the list."))
	elif not categories:
		check.add("categories", _("Choose at least one need category."))
	elif any(c not in known for c in categories):
		check.add("categories", _("Choose need categories from the list."))
	urgency = check.choice("urgency", urgency or "Normal", select_options("Need", "urgency"), _("Urgency"))
	recorded = check.date("recorded_on", recorded_on, _("Recorded On")) or getdate(today())
	person = None
	if new_resident:
		person = check_new_resident(check, new_resident)
	elif not resident:
		check.add("resident", _("Choose the resident, or register a new one."))
	check.done()

	if person is not None:
		if not cint(confirm_new_resident):
			similar = residents.find_similar_residents(
				full_name=person["full_name"],
				full_name_kana=person["full_name_kana"],
				birth_date=str(person["birth_date"]),
				address=person.get("address"),
			)
			if similar["matches"] or similar["others"]:
				return {"duplicates": similar}
		resident = frappe.get_doc({"doctype": "Resident", **person}).insert().name
	else:
		get_portal_doc("Resident", resident)
	need = frappe.get_doc(
		{
			"doctype": "Need",
			"resident": resident,
			"recorded_on": recorded,
			"urgency": urgency,
			"categories": [{"need_category": c} for c in dict.fromkeys(categories)],
			**lenses,
		}
	).insert()
	return {"need": need.name, "resident": resident, "url": url_for("coordinator/need", need.name)}


def check_new_resident(check: InputCheck, data) -> dict:
	data = inputs.parse_json_arg(data, _("Resident"), dict, default={})
	person = {
		"full_name": check.text(
			"full_name", data.get("full_name"), _("Full Name"), required=True, max_length=140
		),
		"full_name_kana": check.text(
			"full_name_kana", data.get("full_name_kana"), _("Full Name (Kana)"), required=True, max_length=140
		),
		"address": check.text("address", data.get("address"), _("Address"), max_length=500) or None,
		"phone": check.text("phone", data.get("phone"), _("Phone"), max_length=40) or None,
	}
	if person["full_name_kana"] and not rules.is_kana(person["full_name_kana"]):
		check.add("full_name_kana", _("Write the name in kana (hiragana or katakana) in Full Name (Kana)."))
	birth_date = check.date("birth_date", data.get("birth_date"), _("Birth Date"), required=True)
	if birth_date and rules.is_implausibly_old(birth_date):
		check.add(
			"birth_date", _("Please check the birth date: {0} is too far in the past.").format(birth_date)
		)
	person["birth_date"] = birth_date
	person["district"] = check.choice(
		"district", data.get("district"), coordinator_districts(), _("the resident's district")
	)
	person["household"] = check.choice(
		"household", data.get("household"), select_options("Resident", "household"), _("Household"), False
	)
	person["care_level"] = check.choice(
		"care_level", data.get("care_level"), select_options("Resident", "care_level"), _("Care Level"), False
	)
	if cint(data.get("consent_given")):
		person["consent_given"] = 1
		person["consent_date"] = check.date(
			"consent_date", data.get("consent_date"), _("Consent Date"), required=True
		)
		person["consent_scope"] = check.choice(
			"consent_scope", data.get("consent_scope"), residents_consent_scopes(), _("Consent Scope")
		)
	return {k: v for k, v in person.items() if v is not None}


def residents_consent_scopes() -> tuple:
	from chiiki_care.consent import CONSENT_SCOPES

	return CONSENT_SCOPES


@frappe.whitelist(methods=["POST"])
def create_plan(
	resident: str | None = None,
	need: str | None = None,
	title: str | None = None,
	personal_goal: str | None = None,
	goal: str | None = None,
	start_date: str | None = None,
	review_interval_weeks: str | int | None = None,
) -> dict:
	"""Draft an individual support plan for a resident, from one of the resident's needs if given."""
	require_role(LAYER_3)
	check = InputCheck()
	title = check.text("title", title, _("Title"), required=True, max_length=140)
	personal_goal = check.text("personal_goal", personal_goal, _("The Person's Own Goal"))
	goal = check.text("goal", goal, _("Goal"))
	start = check.date("start_date", start_date, _("Start Date"), allow_future=True) or getdate(today())
	weeks = check_weeks(check, review_interval_weeks)
	if not resident and not need:
		check.add("resident", _("Choose the resident, or register a new one."))
	check.done()
	need_doc = None
	if need:
		need_doc = get_portal_doc("Need", need)
		resident = need_doc.resident
	get_portal_doc("Resident", resident)
	plan = frappe.get_doc(
		{
			"doctype": "Support Plan",
			"scope": "Individual",
			"resident": resident,
			"title": title,
			"personal_goal": personal_goal,
			"goal": goal,
			"start_date": start,
			"review_interval_weeks": weeks,
			"needs": [{"need": need}] if need else [],
		}
	).insert()
	if need_doc and not need_doc.support_plan:
		need_doc = writable_doc("Need", need)
		need_doc.support_plan = plan.name
		need_doc.save()
	return {"plan": plan.name, "url": url_for("coordinator/plan", plan.name)}


def check_weeks(check: InputCheck, value) -> int:
	text = unicodedata.normalize("NFKC", str(value or "4")).strip()
	if not re.fullmatch(r"[0-9]{1,3}", text) or not 1 <= int(text) <= 52:
		check.add("review_interval_weeks", _("The review interval must be between 1 and 52 weeks."))
		return 4
	return int(text)


@frappe.whitelist(methods=["POST"])
def update_plan(
	plan: str | None = None,
	title: str | None = None,
	personal_goal: str | None = None,
	goal: str | None = None,
	review_interval_weeks: str | int | None = None,
	base_version: str | None = None,
	base_values: str | None = None,
) -> dict:
	"""Edit the plan's title, goals and review interval. Refused (409) when one of them was changed
	since the form's `base_version` and the form would overwrite it (`edit_conflicts`)."""
	require_role(LAYER_3)
	doc = writable_doc("Support Plan", plan)
	check = InputCheck()
	values = {
		"title": check.text("title", title, _("Title"), required=True, max_length=140),
		"personal_goal": check.text("personal_goal", personal_goal, _("The Person's Own Goal")),
		"goal": check.text("goal", goal, _("Goal")),
		"review_interval_weeks": check_weeks(check, review_interval_weeks),
	}
	check.done()
	edit_conflicts.refuse_if_stale(doc, base_version, base_values, plan_edits(doc, values))
	doc.update(values)
	doc.save()
	return {
		"plan": doc.name,
		"next_review_date": doc.next_review_date,
		"url": url_for("coordinator/plan", doc.name),
	}


def plan_edit_labels() -> dict:
	"""The plan's fields its portal edit form writes, with their labels."""
	return {
		"title": _("Title"),
		"personal_goal": _("The Person's Own Goal"),
		"goal": _("Goal"),
		"review_interval_weeks": _("Review Interval (Weeks)"),
	}


def plan_edits(doc, values: dict) -> list:
	return [
		edit_conflicts.Edit(field, label, doc.get(field), values[field], path=(field,))
		for field, label in plan_edit_labels().items()
	]


@frappe.whitelist(methods=["POST"])
def add_plan_action(
	plan: str | None = None,
	description: str | None = None,
	support_kind: str | None = None,
	community_resource: str | None = None,
	responsible: str | None = None,
	due_date: str | None = None,
) -> dict:
	"""Add a support action (one of the four kinds), optionally with a community resource."""
	require_role(LAYER_3)
	doc = writable_doc("Support Plan", plan)
	check = InputCheck()
	row = {
		"description": check.text("description", description, _("Action"), required=True),
		"support_kind": check.choice(
			"support_kind",
			support_kind,
			select_options("Support Plan Action", "support_kind"),
			_("Kind of Support"),
		),
		"responsible": check.text("responsible", responsible, _("Responsible"), max_length=140) or None,
		"due_date": check.date("due_date", due_date, _("Due Date"), allow_future=True),
	}
	if community_resource:
		if not frappe.db.exists("Community Resource", community_resource) or not frappe.has_permission(
			"Community Resource", "read", community_resource
		):
			check.add("community_resource", _("Choose a community resource from the search."))
		else:
			row["community_resource"] = community_resource
	check.done()
	doc.append("actions", row)
	doc.save()
	return {"plan": doc.name, "url": url_for("coordinator/plan", doc.name)}


@frappe.whitelist(methods=["POST"])
def set_action_status(
	plan: str | None = None,
	action: str | None = None,
	status: str | None = None,
	base_version: str | None = None,
	base_values: str | None = None,
) -> dict:
	"""Set an action's status; refused (409) when someone else set it since the page was loaded."""
	require_role(LAYER_3)
	doc = writable_doc("Support Plan", plan)
	check = InputCheck()
	status = check.choice("status", status, select_options("Support Plan Action", "status"), _("Status"))
	rows = [row for row in doc.actions if row.name == action]
	if not rows:
		check.add("action", _("This action is no longer in the plan; reload the page."))
	check.done()
	edit_conflicts.refuse_if_stale(
		doc,
		base_version,
		base_values,
		[
			edit_conflicts.Edit(
				"status",
				_("Status of the action “{0}”").format(rows[0].description or ""),
				rows[0].status,
				status,
				path=("actions", rows[0].name, "status"),
				translate=True,
			)
		],
	)
	rows[0].status = status
	doc.save()
	return {"plan": doc.name, "url": url_for("coordinator/plan", doc.name)}


@frappe.whitelist(methods=["POST"])
def add_monitoring(
	plan: str | None = None,
	monitoring_date: str | None = None,
	observation: str | None = None,
	outcome: str | None = None,
	next_review_date: str | None = None,
) -> dict:
	"""Add a monitoring entry; the plan's next review date follows from it."""
	require_role(LAYER_3)
	doc = writable_doc("Support Plan", plan)
	check = InputCheck()
	date = check.date("monitoring_date", monitoring_date, _("Monitoring Date"), required=True)
	observation = check.text("observation", observation, _("Observation"), required=True)
	outcome = check.choice(
		"outcome", outcome or "Continue", select_options("Support Plan Monitoring", "outcome"), _("Outcome")
	)
	next_review = check.date("next_review_date", next_review_date, _("Next Review Date"), allow_future=True)
	if date and date < getdate(doc.start_date):
		check.add(
			"monitoring_date",
			_("The monitoring date cannot be before the plan starts ({0}).").format(
				frappe.format(doc.start_date, "Date")
			),
		)
	if date and next_review and next_review <= date:
		check.add("next_review_date", _("The next review date must come after the monitoring date."))
	check.done()
	doc.append(
		"monitoring",
		{
			"monitoring_date": date,
			"observation": observation,
			"outcome": outcome,
			"next_review_date": next_review,
		},
	)
	doc.save()
	return {
		"plan": doc.name,
		"next_review_date": str(doc.next_review_date),
		"url": url_for("coordinator/plan", doc.name),
	}


@frappe.whitelist(methods=["POST"])
def apply_action(
	doctype: str | None = None,
	name: str | None = None,
	action: str | None = None,
	base_version: str | None = None,
	base_values: str | None = None,
) -> dict:
	"""Take a workflow action on one's need or plan (the site's workflow decides who may).

	The page's buttons send the version they were shown on: a status changed since is answered
	409 with who changed it (a call without `base_version` acts on the current status)."""
	require_role(LAYER_3)
	if doctype not in ("Need", "Support Plan"):
		frappe.throw(_("This record does not exist or you may not see it."), frappe.PermissionError)
	doc = writable_doc(doctype, name)
	if base_version is not None:
		edit_conflicts.refuse_if_stale(doc, base_version, base_values, [status_edit(doc)])
	if action not in workflow_actions(doc, exclude=("Lift to Community Issue",)):
		frappe.throw(_("This step is not available now; reload the page."))
	doc = apply_workflow(doc.as_dict(), action)
	route = "coordinator/need" if doctype == "Need" else "coordinator/plan"
	return {"status": doc.status, "url": url_for(route, name)}


@frappe.whitelist(methods=["POST"])
def lift_need(
	need: str | None = None,
	community_issue: str | None = None,
	title: str | None = None,
	base_version: str | None = None,
	base_values: str | None = None,
) -> dict:
	"""Lift one's need into a new community issue, or add it to an open one (seed, 活動内容③).
	Like `apply_action`, refused (409) when the need's status changed since the page was loaded."""
	require_role(LAYER_3)
	need_doc = writable_doc("Need", need)
	check = InputCheck()
	title = check.text("title", title, _("Title"), max_length=140)
	if not community_issue and not title:
		check.add("title", _("Choose a community issue or give a new one a title."))
	if community_issue and not frappe.has_permission("Community Issue", "read", community_issue):
		check.add("community_issue", _("Choose a community issue from the list."))
	check.done()
	if base_version is not None:
		edit_conflicts.refuse_if_stale(need_doc, base_version, base_values, [status_edit(need_doc)])
	issue = casework.lift_needs([need], community_issue=community_issue or None, title=title or None)
	return {"issue": issue, "url": url_for("coordinator/issue", issue)}


def status_edit(doc):
	"""A workflow step on `doc`: any change of its status since the page was loaded conflicts."""
	return edit_conflicts.Edit("status", _("Status"), doc.status, path=("status",), translate=True)
