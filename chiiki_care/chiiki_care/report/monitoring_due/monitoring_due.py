# Copyright (c) 2026, chiiki_care developers and contributors
# For license information, please see license.txt

"""モニタリング期限: active support plans whose review is overdue or due within N days, by coordinator.

Plans are read with SQL filtered by the viewer's row rule for Support Plan (`queries.scoped_sql`,
the same condition as its lists); a category filter reads the plans' needs and issues under their own
rules. Only counts are shown: no plan, resident or goal.
"""

import datetime

import frappe
from frappe import _
from frappe.utils import getdate, today

from chiiki_care.reporting import columns
from chiiki_care.reporting import figures as logic
from chiiki_care.reporting import queries as data

COUNT_FIELDS = ("long_overdue", "overdue", "due", "total")
SCOPES = ("Individual", "Community")


def execute(filters=None):
	p = data.parse_filters(filters)
	as_of = getdate(p.raw.as_of or today())
	days = data.int_filter(p.raw.days, 14, 0, 365)
	scope = p.raw.plan_scope if p.raw.plan_scope in SCOPES else None
	rows, total = get_due(p, as_of, days, scope)
	shown = [logic.mask_counts(row, COUNT_FIELDS) for row in rows]
	shown = columns.with_total(shown, logic.mask_counts(total, COUNT_FIELDS), "coordinator_name")
	message = " ".join(
		[
			_("Reviews before {0} are overdue; due: from {0} to {1}.").format(
				frappe.format(as_of, "Date"), frappe.format(as_of + datetime.timedelta(days=days), "Date")
			),
			_("Long overdue: more than {0} days.").format(logic.LONG_OVERDUE_DAYS),
			data.masking_note(),
		]
	)
	return (
		get_columns(days),
		shown,
		message,
		get_chart(rows),
		get_summary_cards(total, days),
	)


def get_due(p, as_of: datetime.date, days: int, scope: str | None = None) -> tuple[list[dict], dict]:
	"""Rows per coordinator with true counts, and their total."""
	reviews = data.plan_reviews(p, as_of + datetime.timedelta(days=days), scope)
	counts = logic.review_counts(reviews, as_of, days)
	people = data.coordinators([c for c in counts if c])
	rows = [
		{**columns.coordinator_fields(coordinator, people), **entry} for coordinator, entry in counts.items()
	]
	rows.sort(key=lambda r: (-r["overdue"], -r["due"], r["coordinator_name"]))
	return rows, logic.sum_rows(rows, COUNT_FIELDS)


def get_columns(days: int) -> list[dict]:
	return [
		*columns.coordinator(),
		columns.count("overdue", _("Overdue"), 100),
		columns.count(
			"long_overdue", _("Overdue by More than {0} Days").format(logic.LONG_OVERDUE_DAYS), 150
		),
		columns.count("due", _("Due within {0} Days").format(days), 130),
		columns.count("total", _("Total"), 90),
	]


def get_chart(rows: list[dict]) -> dict | None:
	rows = [row for row in rows if row["total"]][:20]
	if not rows:
		return None
	return data.chart(
		[row["coordinator_name"] for row in rows],
		[
			(_("Overdue"), [logic.mask(row["overdue"]) for row in rows]),
			(_("Due Soon"), [logic.mask(row["due"]) for row in rows]),
		],
		colors=["#ff5858", "#ffa00a"],
	)


def get_summary_cards(total: dict, days: int) -> list[dict]:
	return [
		columns.card(logic.mask(total["overdue"]), _("Overdue"), "Red"),
		columns.card(
			logic.mask(total["long_overdue"]),
			_("Overdue by More than {0} Days").format(logic.LONG_OVERDUE_DAYS),
			"Red",
		),
		columns.card(logic.mask(total["due"]), _("Due within {0} Days").format(days), "Orange"),
	]
