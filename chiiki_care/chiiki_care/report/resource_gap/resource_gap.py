# Copyright (c) 2026, chiiki_care developers and contributors
# For license information, please see license.txt

"""資源ギャップ: open needs against the community resources available, per district and category.

Open needs are counted with `frappe.get_list` as the viewer; resources are the active Community
Resources the viewer may read, with the districts they serve (their own, those above and below it)
and the need categories they answer. A district and category with open needs and no resource is a gap.
"""

import frappe
from frappe import _

from chiiki_care.domain import statuses
from chiiki_care.reporting import columns
from chiiki_care.reporting import figures as logic
from chiiki_care.reporting import queries as data


def execute(filters=None):
	p = data.parse_filters(filters, default_months=12)
	result = get_gaps(p, gaps_only=bool(frappe.utils.cint(p.raw.gaps_only)))
	shown = [
		{**logic.mask_gap_row(row), "gap_label": _("No resource") if row["gap"] else ""}
		for row in result.rows
	]
	message = " ".join(
		[
			_("Open needs recorded from {0}; resources that are active now.").format(data.period_label(p)),
			data.masking_note(),
		]
	)
	return get_columns(), shown, message, get_chart(result), get_summary_cards(result)


def get_gaps(p, gaps_only: bool = False, count_needs=data.count_needs) -> frappe._dict:
	"""Gap rows (true counts) and, per unit, the open needs and the resources serving it.
	`count_needs`: how needs are counted (the viewer's rows and kept counts, by default)."""
	needs = count_needs(p, p.from_date, p.to_date, statuses=statuses.UNMET_NEED_STATUSES)
	open_needs = logic.roll_up(needs, p.tree, p.level)
	categories = list(dict.fromkeys([*p.category_names, *(c for _u, c in open_needs if c)]))
	resources = data.active_resources(p)
	counts = logic.resource_counts(resources, p.tree, p.units, p.categories, categories)
	rows = logic.gap_rows(
		open_needs, counts, p.tree, p.units, p.categories.sorted(p.categories.nodes), gaps_only=gaps_only
	)
	per_unit = {}
	for unit in p.units:
		per_unit[unit] = {
			"open_needs": sum(n for (u, _c), n in open_needs.items() if u == unit),
			"resources": sum(1 for r in resources if logic.resource_serves(r, unit, p.tree)),
			"gaps": [],
		}
	for row in rows:
		if row["gap"] and row["district"] in per_unit:
			per_unit[row["district"]]["gaps"].append(row["category"])
	return frappe._dict(rows=rows, per_unit=per_unit, resources=resources, units=p.units)


def get_columns() -> list[dict]:
	return [
		columns.district(),
		columns.need_category(),
		columns.count("open_needs", _("Open Needs")),
		columns.count("resources", _("Community Resources"), 130),
		columns.decimal("needs_per_resource", _("Needs per Resource")),
		columns.text("gap_label", _("Gap"), 110),
	]


def get_chart(result) -> dict | None:
	"""Per district: open needs against the resources serving it."""
	if not result.units:
		return None
	labels = list(result.units)
	return data.chart(
		labels,
		[
			(_("Open Needs"), [logic.mask(result.per_unit[u]["open_needs"]) for u in labels]),
			(_("Community Resources"), [result.per_unit[u]["resources"] for u in labels]),
		],
		colors=["#ff5858", "#29cd42"],
	)


def get_summary_cards(result) -> list[dict]:
	gaps = [row for row in result.rows if row["gap"]]
	return [
		columns.card(len(gaps), _("Gaps (district and category)"), "Red", "Int"),
		columns.card(len({row["district"] for row in gaps}), _("Districts with a Gap"), "Orange", "Int"),
		columns.card(len(result.resources), _("Community Resources"), "Green", "Int"),
	]
