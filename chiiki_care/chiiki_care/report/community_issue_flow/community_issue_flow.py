# Copyright (c) 2026, chiiki_care developers and contributors
# For license information, please see license.txt

"""地域課題の流れ: needs lifted to community issues, discussed in councils, turned into community plans
and resolved, per district and period.

Every table is read with `frappe.get_list` as the viewer: Need, Community Issue, the issues discussed
in Council Meetings (child rows follow their meeting's rule) and community Support Plans.
"""

import frappe
from frappe import _

from chiiki_care.reporting import columns
from chiiki_care.reporting import figures as logic
from chiiki_care.reporting import queries as data


def stage_labels() -> dict[str, str]:
	return {
		"needs_recorded": _("Needs Recorded"),
		"needs_lifted": _("Lifted to Issues"),
		"issues_raised": _("Issues Raised"),
		"issues_discussed": _("Discussed in Councils"),
		"issues_planned": _("Community Plans"),
		"issues_resolved": _("Resolved"),
	}


def execute(filters=None):
	p = data.parse_filters(filters, default_months=12, default_level=logic.DAILY_LIFE_AREA)
	rows, total = get_flow(p)
	shown = [logic.mask_counts(row, logic.FLOW_NEED_FIELDS) for row in rows]
	shown = columns.with_total(shown, logic.mask_counts(total, logic.FLOW_NEED_FIELDS), "district")
	message = " ".join(
		[
			_("Needs recorded and issues raised from {0}; their progress as of today.").format(
				data.period_label(p)
			),
			data.masking_note(),
		]
	)
	return get_columns(), shown, message, get_chart(total), None


def get_flow(p) -> tuple[list[dict], dict]:
	recorded = {k[0]: n for k, n in data.count_needs(p, p.from_date, p.to_date, by=("district",)).items()}
	lifted = {
		k[0]: n
		for k, n in data.count_needs(p, p.from_date, p.to_date, by=("district",), lifted_only=True).items()
	}
	return logic.issue_flow(recorded, lifted, get_issues(p), p.tree, p.level, p.units)


def get_issues(p) -> list[logic.IssueFacts]:
	"""Community issues raised in the period that the viewer may read, with how far each has come."""
	filters = data.district_conditions(p) + data.category_conditions(p, "need_category")
	filters += [["raised_on", ">=", p.from_date], ["raised_on", "<=", p.to_date]]
	issues = frappe.get_list(
		"Community Issue",
		fields=["name", "district", "status"],
		filters=filters,
		order_by="name asc",
		limit_page_length=0,
	)
	if not issues:
		return []
	names = [issue.name for issue in issues]
	discussed = set(
		frappe.get_list(
			"Council Meeting Issue",
			parent_doctype="Council Meeting",
			fields=["community_issue"],
			filters={"parenttype": "Council Meeting", "community_issue": ["in", names]},
			group_by="community_issue",
			order_by="community_issue asc",
			limit_page_length=0,
			pluck="community_issue",
		)
	)
	planned = set(
		frappe.get_list(
			"Support Plan",
			fields=["community_issue"],
			filters={"scope": "Community", "community_issue": ["in", names]},
			group_by="community_issue",
			order_by="community_issue asc",
			limit_page_length=0,
			pluck="community_issue",
		)
	)
	return [
		logic.IssueFacts(
			name=issue.name,
			district=issue.district,
			status=issue.status,
			discussed=issue.name in discussed,
			planned=issue.name in planned,
		)
		for issue in issues
	]


def get_columns() -> list[dict]:
	return [
		columns.district(),
		*(columns.count(fieldname, label, 130) for fieldname, label in stage_labels().items()),
	]


def get_chart(total: dict) -> dict | None:
	if not any(total.values()):
		return None
	# recorded needs dwarf the rest: the chart starts where needs become issues
	stages = list(stage_labels().items())[1:]
	return data.chart(
		[label for _f, label in stages],
		[
			(
				_("Needs and Issues"),
				[logic.mask(total[f]) if f in logic.FLOW_NEED_FIELDS else total[f] for f, _l in stages],
			)
		],
		colors=["#7575ff"],
	)
