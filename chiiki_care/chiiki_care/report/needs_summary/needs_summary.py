# Copyright (c) 2026, chiiki_care developers and contributors
# For license information, please see license.txt

"""ニーズ集計: needs by district and category, per 1,000 residents aged 65+, against the previous period.

Needs are counted with `frappe.get_list` as the viewer (its row rules apply), by the district they
were recorded in and their primary category, then summed up the District tree to the chosen level.
"""

import frappe
from frappe import _

from chiiki_care.reporting import columns
from chiiki_care.reporting import figures as logic
from chiiki_care.reporting import queries as data


def execute(filters=None):
	p = data.parse_filters(filters)
	group_by = p.raw.group_by if p.raw.group_by in logic.GROUPINGS else logic.GROUP_BY_DISTRICT_AND_CATEGORY
	rows, total = get_summary(p, group_by)
	label_field = "category" if group_by == logic.GROUP_BY_CATEGORY else "district"
	shown = columns.with_total(
		[logic.mask_needs_row(row) for row in rows], logic.mask_needs_row(total), label_field
	)
	message = " ".join(
		[
			_("Period: {0}; compared with the {1} days before.").format(
				data.period_label(p), (p.to_date - p.from_date).days + 1
			),
			data.masking_note(),
		]
	)
	return (
		get_columns(group_by),
		shown,
		message,
		get_chart(p, rows, group_by),
		get_summary_cards(total),
	)


def get_summary(p, group_by: str = logic.GROUP_BY_DISTRICT_AND_CATEGORY) -> tuple[list[dict], dict]:
	"""Rows with true counts (mask them with `figures.mask_needs_row` before showing them)."""
	previous_from, previous_to = logic.previous_period(p.from_date, p.to_date)
	current = data.count_needs(p, p.from_date, p.to_date)
	previous = data.count_needs(p, previous_from, previous_to)
	return logic.needs_summary(
		current,
		previous,
		p.tree,
		p.level,
		p.units,
		group_by,
		p.categories.sorted(p.categories.nodes),
	)


def get_columns(group_by: str) -> list[dict]:
	keys = []
	if group_by != logic.GROUP_BY_CATEGORY:
		keys.append(columns.district())
	if group_by != logic.GROUP_BY_DISTRICT:
		keys.append(columns.need_category())
	return [
		*keys,
		columns.count("needs", _("Number of Needs"), 100),
		columns.count("previous_needs", _("Previous Period"), 100),
		columns.count("change", _("Change from Previous"), 90),
		{"fieldname": "change_percent", "label": _("Change (%)"), "fieldtype": "Percent", "width": 100},
		columns.count("population_65_plus", _("Population Aged 65+"), 120),
		columns.decimal("rate_per_1000", _("Per 1,000 Aged 65+"), 130, precision=2),
	]


def get_chart(p, rows: list[dict], group_by: str) -> dict | None:
	"""Districts (when rows are per district) or categories, this period against the previous one."""
	if not rows:
		return None
	key = "district" if group_by == logic.GROUP_BY_DISTRICT else "category"
	now, before = {}, {}
	for row in rows:
		label = row[key]
		now[label] = now.get(label, 0) + row["needs"]
		before[label] = before.get(label, 0) + row["previous_needs"]
	labels = list(now)
	return data.chart(
		[data.category_label(label) if key == "category" else label for label in labels],
		[
			(_("This Period"), [logic.mask(now[label]) for label in labels]),
			(_("Previous Period"), [logic.mask(before[label]) for label in labels]),
		],
		colors=["#5e64ff", "#c5c8ff"],
	)


def get_summary_cards(total: dict) -> list[dict]:
	shown = logic.mask_needs_row(total)
	change = shown["change_percent"]
	rate = shown["rate_per_1000"]
	return [
		columns.card(shown["needs"], _("Number of Needs"), "Blue"),
		columns.card(shown["previous_needs"], _("Previous Period")),
		columns.card(
			frappe.format(change, "Percent") if change is not None else "-",
			_("Change (%)"),
			"Red" if (total["change"] or 0) > 0 else "Green",
		),
		columns.card(rate if rate is not None else "-", _("Per 1,000 Aged 65+")),
	]
