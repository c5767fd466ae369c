# Copyright (c) 2026, chiiki_care developers and contributors
# For license information, please see license.txt

"""担当状況: caseload per coordinator: open needs it recorded, active plans, overdue reviews.

Needs and plans are counted as the viewer (`queries.count_needs`, `queries.active_plans_by_coordinator`,
from the kept counts where they can answer), so each coordinator's figures cover only the cases the
viewer may see.
"""

import datetime

import frappe
from frappe import _
from frappe.utils import getdate, today

from chiiki_care.domain import statuses
from chiiki_care.reporting import columns
from chiiki_care.reporting import figures as logic
from chiiki_care.reporting import queries as data

COUNT_FIELDS = ("open_needs", "active_plans", "overdue_reviews")


def execute(filters=None):
	p = data.parse_filters(filters, default_months=None)
	layer = p.raw.layer if p.raw.layer in logic.LAYERS else None
	rows, total = get_caseload(p, layer=layer)
	shown = [logic.mask_counts(row, COUNT_FIELDS) for row in rows]
	shown = columns.with_total(shown, logic.mask_counts(total, COUNT_FIELDS), "coordinator_name")
	period = (
		_("Open needs recorded from {0}.").format(data.period_label(p))
		if p.from_date
		else _("All open needs.")
	)
	message = " ".join(
		[period, _("Overdue: active plans whose next review date has passed."), data.masking_note()]
	)
	return get_columns(), shown, message, get_chart(rows), None


def get_caseload(p, as_of: datetime.date | None = None, layer: str | None = None) -> tuple[list[dict], dict]:
	as_of = getdate(as_of or today())
	needs = data.count_needs(
		p, p.from_date, p.to_date, statuses=statuses.UNMET_NEED_STATUSES, by=("recorded_by",)
	)
	plans = data.active_plans_by_coordinator(p)
	overdue = {}
	for coordinator, _next_review, count in data.plan_reviews(p, as_of - datetime.timedelta(days=1)):
		overdue[coordinator] = overdue.get(coordinator, 0) + count
	names = {key[0] for key in needs} | set(plans) | set(overdue)
	people = data.coordinators([n for n in names if n])
	rows = []
	for coordinator in names:
		if layer and (people.get(coordinator) or frappe._dict()).layer != layer:
			continue
		rows.append(
			{
				**columns.coordinator_fields(coordinator, people),
				"open_needs": needs.get((coordinator,), 0),
				"active_plans": plans.get(coordinator, 0),
				"overdue_reviews": overdue.get(coordinator, 0),
			}
		)
	rows.sort(key=lambda r: (r["layer"], r["coordinator_name"]))
	return rows, logic.sum_rows(rows, COUNT_FIELDS)


def get_columns() -> list[dict]:
	return [
		*columns.coordinator(organisation_width=180),
		columns.count("open_needs", _("Open Needs")),
		columns.count("active_plans", _("Active Plans")),
		columns.count("overdue_reviews", _("Overdue Reviews"), 120),
	]


def get_chart(rows: list[dict]) -> dict | None:
	rows = sorted(rows, key=lambda r: -(r["open_needs"] + r["active_plans"]))[:20]
	if not rows:
		return None
	return data.chart(
		[row["coordinator_name"] for row in rows],
		[
			(_("Open Needs"), [logic.mask(row["open_needs"]) for row in rows]),
			(_("Active Plans"), [logic.mask(row["active_plans"]) for row in rows]),
			(_("Overdue Reviews"), [logic.mask(row["overdue_reviews"]) for row in rows]),
		],
		colors=["#5e64ff", "#29cd42", "#ff5858"],
	)
