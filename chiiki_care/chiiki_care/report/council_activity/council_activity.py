# Copyright (c) 2026, chiiki_care developers and contributors
# For license information, please see license.txt

"""協議体活動: meetings, attendance, issues discussed, decisions and follow-ups per council and period.

Councils, meetings and their child rows (attendees, issues discussed, follow-ups) are read with
`frappe.get_list` as the viewer; child rows follow their meeting's row rule.
"""

import frappe
from frappe import _
from frappe.utils import getdate, today

from chiiki_care.reporting import columns
from chiiki_care.reporting import figures as logic
from chiiki_care.reporting import queries as data

COUNT_FIELDS = ("meetings", "attendance", "issues_discussed", "decisions", "follow_ups", "open_follow_ups")


def execute(filters=None):
	filters = frappe._dict(filters or {})
	if not filters.from_date:
		filters.from_date = logic.fiscal_year_bounds(logic.fiscal_year_of(getdate(today())))[0]
	p = data.parse_filters(filters)
	layer = p.raw.layer if p.raw.layer in ("Layer 1", "Layer 2") else None
	rows, total = get_activity(p, layer)
	average = round(total["attendance"] / total["meetings"], 1) if total["meetings"] else None
	shown = columns.with_total(rows, {**total, "average_attendance": average}, "council_name")
	message = _("Meetings held from {0}.").format(data.period_label(p))
	return get_columns(), shown, message, get_chart(rows), None


def get_activity(p, layer: str | None = None) -> tuple[list[dict], dict]:
	filters = data.district_conditions(p)
	if layer:
		filters.append(["layer", "=", layer])
	councils = frappe.get_list(
		"Council",
		fields=["name", "council_name", "local_name", "layer", "district", "status"],
		filters=filters,
		order_by="layer asc, name asc",
		limit_page_length=0,
	)
	if not councils:
		return [], logic.sum_rows([], COUNT_FIELDS)
	activity = {c.name: logic.CouncilActivity(c.name) for c in councils}
	meetings = frappe.get_list(
		"Council Meeting",
		fields=["name", "council"],
		filters=[
			["council", "in", list(activity)],
			["meeting_date", ">=", p.from_date],
			["meeting_date", "<=", p.to_date],
		],
		order_by="meeting_date asc",
		limit_page_length=0,
	)
	council_of = {m.name: m.council for m in meetings}
	meeting_names = list(council_of) or [data.NO_ROWS]
	issue_rows = frappe.get_list(
		"Council Meeting Issue",
		parent_doctype="Council Meeting",
		fields=["parent", "community_issue", "decision"],
		filters={"parenttype": "Council Meeting", "parent": ["in", meeting_names]},
		order_by="parent asc",
		limit_page_length=0,
	)
	if p.category_set is not None:
		in_category = set(
			frappe.get_list(
				"Community Issue",
				filters={
					"name": ["in", data.in_filter({r.community_issue for r in issue_rows})],
					"need_category": ["in", data.in_filter(p.category_set)],
				},
				order_by="name asc",
				limit_page_length=0,
				pluck="name",
			)
		)
		issue_rows = [r for r in issue_rows if r.community_issue in in_category]
		kept = {r.parent for r in issue_rows}
		council_of = {m: c for m, c in council_of.items() if m in kept}
		meeting_names = list(council_of) or [data.NO_ROWS]
	for council in council_of.values():
		activity[council].meetings += 1
	for row in frappe.get_list(
		"Council Meeting Attendee",
		parent_doctype="Council Meeting",
		fields=["parent", "count(*) as count"],
		filters={"parenttype": "Council Meeting", "parent": ["in", meeting_names], "attended": 1},
		group_by="parent",
		order_by="parent asc",
		limit_page_length=0,
	):
		activity[council_of[row.parent]].attendance += row.count
	for row in issue_rows:
		if row.parent in council_of:
			entry = activity[council_of[row.parent]]
			entry.issues.add(row.community_issue)
			entry.decisions += int(bool((row.decision or "").strip()))
	for row in frappe.get_list(
		"Council Meeting Follow Up",
		parent_doctype="Council Meeting",
		fields=["parent", "status"],
		filters={"parenttype": "Council Meeting", "parent": ["in", meeting_names]},
		order_by="parent asc",
		limit_page_length=0,
	):
		entry = activity[council_of[row.parent]]
		entry.follow_ups += 1
		entry.open_follow_ups += int(row.status != "Done")
	rows = []
	for council in councils:
		rows.append(
			{
				"council_name": council.name,
				"local_name": council.local_name or "",
				"layer": _(council.layer) if council.layer else "",
				"district": council.district,
				**activity[council.name].as_row(),
			}
		)
	return rows, logic.sum_rows(rows, COUNT_FIELDS)


def get_columns() -> list[dict]:
	return [
		columns.link("council_name", _("Council"), "Council", 220),
		columns.text("local_name", _("Local Name"), 180),
		columns.text("layer", _("Layer"), 80),
		columns.district(140),
		columns.count("meetings", _("Meetings Held"), 90),
		columns.count("attendance", _("Attendance"), 100),
		columns.decimal("average_attendance", _("Average Attendance"), 110),
		columns.count("issues_discussed", _("Issues Discussed")),
		columns.count("decisions", _("Decisions"), 90),
		columns.count("follow_ups", _("Follow-ups"), 100),
		columns.count("open_follow_ups", _("Open Follow-ups")),
	]


def get_chart(rows: list[dict]) -> dict | None:
	rows = [row for row in rows if row["meetings"]]
	if not rows:
		return None
	return data.chart(
		[row["council_name"] for row in rows],
		[
			(_("Meetings Held"), [row["meetings"] for row in rows]),
			(_("Issues Discussed"), [row["issues_discussed"] for row in rows]),
			(_("Decisions"), [row["decisions"] for row in rows]),
		],
		colors=["#5e64ff", "#ffa00a", "#29cd42"],
	)
