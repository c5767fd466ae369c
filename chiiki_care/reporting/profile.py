"""地域カルテ: one district on one sheet, for its council.

`get_district_profile` gives, for one district and the 12 months up to a day: its population and
aged 65+, needs by category against the year before with the rate per 1,000 aged 65+, resources by
domain (those past their verification date flagged) and the categories with open needs but no
resource, its councils with their last meetings, its open community issues by stage, the
coordinators who cover it, each figure beside the city's, and, for a daily-life area, its school
districts side by side. Counts of needs below 3 are masked as in the reports; no resident appears.

Who reads which profile (`profile_access`):
- staff who may run the Needs Summary report: the districts they are about (`viewer_districts`);
  every figure is computed as the viewer, with the reports' own functions, so the profile of a
  district shows what the Needs Summary and Resource Gap reports show for it. The city's figures
  are shown to those who are about the whole city only.
- a Council Member: the districts of its own councils, nothing else. A council member may read no
  Need, so its needs figures are the masked counts of its council's district from the kept counts
  (`tallies.NEEDS`): the figures the council exists to discuss, never a row, and always for the 12
  months up to today (no other period, so two windows cannot be subtracted to single out one
  need). Meetings, issues and resources are read as the member.

The desk page `district-profile`, the PDF (`download_district_profile`, through Frappe's
`get_pdf`) and the council portal page `/council/profile` render the same template.
"""

import html
from dataclasses import replace

import frappe
from frappe import _
from frappe.utils import getdate, strip_html_tags, today

from chiiki_care import inputs
from chiiki_care.access.permissions import get_scope
from chiiki_care.access.scope import COUNCIL_MEMBER
from chiiki_care.reporting import figures as logic
from chiiki_care.reporting import queries as data
from chiiki_care.reporting import tallies
from chiiki_care.utils import select_options

PROFILE_MONTHS = 12
ACCESS_REPORT = "Needs Summary"
TEMPLATE = "chiiki_care/templates/includes/district_profile.html"
PDF_TEMPLATE = "chiiki_care/templates/district_profile_pdf.html"
MEETINGS_PER_COUNCIL = 3
DECISION_CHARS = 160
# the stages of a community issue, in their order: raised → discussed → plan → resolved
ISSUE_STAGES = ("Raised", "In Discussion", "In Progress", "Resolved", "On Hold")
OPEN_ISSUE_STAGES = ("Raised", "In Discussion", "In Progress", "On Hold")


@frappe.whitelist()
def get_district_profile(district=None, to_date=None) -> dict:
	"""The profile of one district as the session user may read it."""
	district = inputs.check_id(district, _("District"))
	to_date = inputs.check_date(to_date, _("To Date"))
	return district_profile(district, to_date)


@frappe.whitelist()
def get_district_profile_html(district=None, to_date=None) -> str:
	"""The profile rendered for the desk page."""
	return render_profile(get_district_profile(district, to_date))


@frappe.whitelist()
def download_district_profile(district=None, to_date=None):
	"""The profile as an A4 PDF (Frappe's PDF path, wkhtmltopdf with a Japanese font)."""
	from frappe.utils.pdf import get_pdf

	profile = get_district_profile(district, to_date)
	page = frappe.render_template(PDF_TEMPLATE, {"body": render_profile(profile), "profile": profile})
	frappe.local.response.filename = f"district-profile-{profile['to_date']}.pdf"
	frappe.local.response.filecontent = get_pdf(
		page,
		{
			"page-size": "A4",
			"margin-top": "12mm",
			"margin-bottom": "12mm",
			"margin-left": "10mm",
			"margin-right": "10mm",
			"encoding": "UTF-8",
		},
	)
	frappe.local.response.type = "pdf"


def render_profile(profile: dict) -> str:
	return frappe.render_template(TEMPLATE, {"profile": profile})


# ---------------------------------------------------------------------------------------------
# Who reads which profile
# ---------------------------------------------------------------------------------------------


def profile_access(district: str) -> tuple[str, str]:
	"""The district's name as stored, and how the session user reads its profile: "staff" or
	"council"; refuses anyone else, with the same answer for a district that does not exist."""
	refused = _("This district does not exist or you may not see its profile.")
	name = frappe.db.get_value("District", district, "name")  # the database compares loosely
	if not name:
		frappe.throw(refused, frappe.PermissionError)
	if frappe.get_doc("Report", ACCESS_REPORT).is_permitted():
		allowed = data.viewer_districts()
		if allowed is None or name in allowed:
			return name, "staff"
	if name in council_districts():
		return name, "council"
	frappe.throw(refused, frappe.PermissionError)


def council_districts(user: str | None = None) -> list[str]:
	"""The districts of the councils the user is a member of (in tree order)."""
	scope = get_scope(user)
	if COUNCIL_MEMBER not in scope.roles or not scope.councils:
		return []
	names = frappe.get_all(
		"Council", filters={"name": ["in", list(scope.councils)]}, pluck="district", distinct=True
	)
	return data.district_tree().sorted(n for n in names if n)


# ---------------------------------------------------------------------------------------------
# The profile
# ---------------------------------------------------------------------------------------------


def district_profile(district: str, to_date=None) -> dict:
	district, access = profile_access(district)
	if access == "council":
		to_date = None  # a member reads today's profile only, never windows it could subtract
	doc = frappe.db.get_value(
		"District",
		district,
		[
			"district_name",
			"district_type",
			"parent_district",
			"is_illustrative",
			"population_total",
			"population_65_plus",
			"population_as_of",
		],
		as_dict=True,
	)
	level = doc.district_type if doc.district_type in logic.LEVELS else logic.SCHOOL_DISTRICT
	p = data.parse_filters(
		{"district": district, "level": level, "to_date": to_date or today()},
		default_months=PROFILE_MONTHS,
	)
	tree = p.tree
	if access == "council":
		# the member reads no Need: its council's district counted from the kept counts, all of it
		p = _narrowed(p, tree.descendants_or_self(district), level)
	counter = _council_counter if access == "council" else data.count_needs
	city = tree.units(logic.CITY)
	sees_city = access == "staff" and data.viewer_districts() is None
	city_p = _narrowed(p, None, logic.CITY) if sees_city and city else None
	previous_from, previous_to = logic.previous_period(p.from_date, p.to_date)
	counts = _period_counts(p, counter)
	profile = {
		"district": district,
		"district_name": doc.district_name or district,
		"district_type": doc.district_type,
		"district_type_label": _(doc.district_type or ""),
		"parent_district": doc.parent_district,
		"is_illustrative": bool(doc.is_illustrative),
		"population_total": doc.population_total or None,
		"population_65_plus": tree.population_65(district),
		"population_as_of": str(doc.population_as_of) if doc.population_as_of else None,
		"from_date": str(p.from_date),
		"to_date": str(p.to_date),
		"period": data.period_label(p),
		"previous_period": _("Period {0} to {1}").format(
			frappe.format(previous_from, "Date"), frappe.format(previous_to, "Date")
		),
		"note": data.masking_note(),
		"sees_city": bool(city_p),
		"city": None,
		"generated_on": str(getdate(today())),
	}
	profile["needs"], profile["needs_total"] = needs_by_category(p, counts, city_p)
	profile["resources"], profile["gaps"], profile["stale_resources"] = resources_and_gaps(p, counter, city_p)
	profile["councils"] = councils_and_meetings(tree.descendants_or_self(district))
	profile["issues"], profile["issue_stages"] = issues_by_stage(tree.descendants_or_self(district))
	profile["coordinators"] = covering_coordinators(tree, district)
	profile["school_districts"] = (
		school_districts_side_by_side(p, counter, counts) if level == logic.DAILY_LIFE_AREA else []
	)
	if city_p:
		city_doc = frappe.db.get_value(
			"District", city[0], ["district_name", "population_total"], as_dict=True
		)
		profile["city"] = {
			"district": city[0],
			"district_name": city_doc.district_name or city[0],
			"population_total": city_doc.population_total or None,
			"population_65_plus": tree.population_65(city[0]),
		}
	return profile


def _narrowed(p, districts, level: str) -> data.ReportFilters:
	"""The filters `p` for other districts (None: all of them), summed to `level`."""
	districts = None if districts is None else set(districts)
	return replace(p, districts=districts, level=level, units=logic.units_in_view(p.tree, level, districts))


def _council_counter(p, from_date, to_date, statuses=None) -> dict[tuple, int]:
	"""`queries.count_needs` of the council's district from the kept counts: no row is read."""
	where = {
		"district": set(p.districts),
		"status": set(statuses) if statuses else None,
		"primary_category": p.category_set,
	}
	return tallies.count(tallies.NEEDS, where, from_date, to_date, ("district", "primary_category"))


def needs_by_category(p, counts, city_p) -> tuple[list[dict], dict]:
	"""Rows per category: needs of the period and the year before (`counts`), the change, the rate
	per 1,000 aged 65+, and the city's (masked)."""
	rows, total = _summary(p, counts, logic.GROUP_BY_CATEGORY)
	city_rows = {}
	city_total = None
	if city_p:
		found, city_total = _summary(
			city_p, _period_counts(city_p, data.count_needs), logic.GROUP_BY_CATEGORY
		)
		city_rows = {row["category"]: row for row in found}
	shown = []
	for row in rows:
		entry = _shown_needs(row)
		entry["category_label"] = data.category_label(row["category"])
		if city_p:
			entry["city"] = _shown_needs(city_rows.get(row["category"]) or _no_needs(city_total))
		shown.append(entry)
	shown_total = _shown_needs(total)
	if city_p:
		shown_total["city"] = _shown_needs(city_total)
	return shown, shown_total


def _period_counts(p, counter) -> tuple[dict, dict]:
	"""Needs by (district, category) counted by `counter` in `p`'s period and in the one before."""
	previous_from, previous_to = logic.previous_period(p.from_date, p.to_date)
	return counter(p, p.from_date, p.to_date), counter(p, previous_from, previous_to)


def _summary(p, counts: tuple[dict, dict], group_by: str) -> tuple[list[dict], dict]:
	"""`figures.needs_summary` of the needs counted in `p`'s period and the one before (`counts`)."""
	now, before = counts
	return logic.needs_summary(
		now,
		before,
		p.tree,
		p.level,
		p.units,
		group_by,
		p.categories.sorted(p.categories.nodes),
	)


def _no_needs(total: dict) -> dict:
	return {**total, "needs": 0, "previous_needs": 0, "change": 0, "change_percent": None, "rate_per_1000": 0}


def _shown_needs(row: dict) -> dict:
	shown = logic.mask_needs_row(row)
	return {
		key: shown.get(key)
		for key in ("category", "needs", "previous_needs", "change", "change_percent", "rate_per_1000")
	}


def resources_and_gaps(p, counter, city_p) -> tuple[list[dict], list[str], list[dict]]:
	"""Active resources serving the district by domain (and the city's), the categories with open
	needs and no resource, and the resources past their verification date."""
	from chiiki_care.chiiki_care.report.resource_gap.resource_gap import get_gaps

	district = p.raw.district
	found = get_gaps(p, count_needs=counter)
	resources = [r for r in found.resources if logic.resource_serves(r, district, p.tree)]
	gaps = found.per_unit.get(district, {}).get("gaps", [])
	gaps = [data.category_label(c) for c in p.categories.sorted(gaps)]
	city_resources = data.active_resources(city_p) if city_p else []
	rows = []
	for domain in (*select_options("Community Resource", "domain"), None):
		count = sum(1 for r in resources if (r.domain or None) == domain)
		city_count = sum(1 for r in city_resources if (r.domain or None) == domain)
		if domain is None and not count and not city_count:
			continue
		rows.append(
			{
				"domain": domain,
				"label": _(domain) if domain else _("(not recorded)"),
				"count": count,
				"city": city_count if city_p else None,
			}
		)
	stale = frappe.get_list(
		"Community Resource",
		filters={
			"name": ["in", data.in_filter(r.name for r in resources)],
			"verification_due_on": ["<", getdate(today())],
		},
		fields=["name", "resource_name", "last_verified_on", "verification_due_on"],
		order_by="verification_due_on asc",
		limit_page_length=0,
	)
	stale_rows = [
		{
			"resource_name": r.resource_name or r.name,
			"last_verified_on": str(r.last_verified_on) if r.last_verified_on else None,
			"verification_due_on": str(r.verification_due_on),
		}
		for r in stale
	]
	return rows, gaps, stale_rows


def councils_and_meetings(districts: set[str]) -> list[dict]:
	"""The district's active councils (and those of the districts below it) as the viewer reads
	them, each with its last meetings and what they decided."""
	councils = frappe.get_list(
		"Council",
		filters={"district": ["in", data.in_filter(districts)], "status": "Active"},
		fields=["name", "council_name", "local_name", "layer", "district"],
		order_by="layer asc, council_name asc",
		limit_page_length=0,
	)
	result = []
	for council in councils:
		meetings = frappe.get_list(
			"Council Meeting",
			filters={"council": council.name, "meeting_date": ["<=", getdate(today())]},
			fields=["title", "meeting_date", "decisions"],
			order_by="meeting_date desc",
			limit_page_length=MEETINGS_PER_COUNCIL,
		)
		result.append(
			{
				"council_name": council.council_name or council.name,
				"local_name": council.local_name,
				"layer_label": _(council.layer or ""),
				"district": council.district,
				"meetings": [
					{
						"title": m.title,
						"meeting_date": str(m.meeting_date) if m.meeting_date else None,
						"decisions": _shortened(html.unescape(strip_html_tags(m.decisions or ""))),
					}
					for m in meetings
				],
			}
		)
	return result


def _shortened(text: str) -> str:
	text = " ".join(text.split())
	return text if len(text) <= DECISION_CHARS else text[: DECISION_CHARS - 1] + "…"


def issues_by_stage(districts: set[str]) -> tuple[list[dict], list[dict]]:
	"""The open community issues of the district with their stage, and how many are at each stage."""
	issues = frappe.get_list(
		"Community Issue",
		filters={"district": ["in", data.in_filter(districts)]},
		fields=["name", "title", "status", "need_category", "district", "raised_on"],
		order_by="raised_on desc",
		limit_page_length=0,
	)
	stages = [
		{"status": s, "label": _(s), "count": sum(1 for i in issues if i.status == s)} for s in ISSUE_STAGES
	]
	plans = community_plans([i.name for i in issues if i.status in OPEN_ISSUE_STAGES])
	open_issues = [
		{
			"title": i.title,
			"status": i.status,
			"status_label": _(i.status or ""),
			"stage": ISSUE_STAGES.index(i.status) + 1 if i.status in ISSUE_STAGES else None,
			"need_category": data.category_label(i.need_category) if i.need_category else None,
			"district": i.district,
			"raised_on": str(i.raised_on) if i.raised_on else None,
			"plans": plans.get(i.name, []),
		}
		for i in issues
		if i.status in OPEN_ISSUE_STAGES
	]
	return open_issues, stages


def community_plans(issues: list[str]) -> dict[str, list[dict]]:
	"""The community support plans made for these issues, by issue, as the viewer reads them."""
	found = {}
	if not issues or not frappe.has_permission("Support Plan", "read"):
		return found
	for plan in frappe.get_list(
		"Support Plan",
		filters={"scope": "Community", "community_issue": ["in", issues]},
		fields=["title", "status", "community_issue"],
		order_by="start_date desc",
		limit_page_length=0,
	):
		found.setdefault(plan.community_issue, []).append(
			{"title": plan.title, "status_label": _(plan.status or "")}
		)
	return found


def covering_coordinators(tree, district: str) -> list[dict] | None:
	"""The active coordinators who cover the district (it, a district above it, the city's Layer 1
	among them, or one below it), when the viewer may read Coordinator records; None otherwise."""
	if not frappe.has_permission("Coordinator", "read"):
		return None
	related = set(tree.ancestors_or_self(district)) | tree.descendants_or_self(district)
	names = frappe.get_all(
		"District Item",
		filters={"parenttype": "Coordinator", "district": ["in", data.in_filter(related)]},
		pluck="parent",
		distinct=True,
	)
	rows = frappe.get_list(
		"Coordinator",
		filters={"name": ["in", data.in_filter(names)], "is_active": 1},
		fields=["coordinator_name", "layer", "organisation"],
		order_by="layer asc, coordinator_name asc",
		limit_page_length=0,
	)
	return [
		{
			"coordinator_name": r.coordinator_name,
			"layer_label": _(r.layer or ""),
			"organisation": r.organisation,
		}
		for r in rows
	]


def school_districts_side_by_side(p, counter, counts) -> list[dict]:
	"""For a daily-life area: each school district's needs (of `counts`, the area's), rate and open
	needs, and the resources serving it (the Resource Gap computation per school district), masked."""
	from chiiki_care.chiiki_care.report.resource_gap.resource_gap import get_gaps

	by_school = _narrowed(p, p.districts, logic.SCHOOL_DISTRICT)
	rows, _total = _summary(by_school, counts, logic.GROUP_BY_DISTRICT)
	per_school = get_gaps(by_school, count_needs=counter).per_unit
	result = []
	for row in rows:
		if row["district"] not in per_school:
			continue
		shown = logic.mask_needs_row(row)
		result.append(
			{
				"district": row["district"],
				"population_65_plus": row["population_65_plus"],
				"needs": shown["needs"],
				"previous_needs": shown["previous_needs"],
				"change": shown["change"],
				"rate_per_1000": shown["rate_per_1000"],
				"open_needs": logic.mask(per_school[row["district"]]["open_needs"]),
				"resources": per_school[row["district"]]["resources"],
			}
		)
	return result
