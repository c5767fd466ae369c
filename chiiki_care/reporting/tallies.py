"""Counts of needs kept as needs are recorded and change, so that reports do not count rows.

One table, `__chiiki_care_need_tally`, holds how many needs there are per district, primary
category, status, lifted or not (a community issue set) and day they were recorded on, twice: per
day (span "D") and per calendar month (span "M"). A period is answered from the whole months in it
and the days around them (`figures.period_spans`), so a year city-wide reads a few thousand rows
instead of a million needs.

- **Exact at every moment.** `Need.on_update` and `Need.on_trash` move a need's count in the same
  transaction as the change (`record_change`); a rename of a District or a Need Category carries its
  counts over (`rename`). `rebuild()` recounts everything from the rows (`bench --site SITE
  chiiki-care-rebuild-tallies`); the demo's batched inserts end with it.
- **No new surface.** It is a plain table, not a DocType: no REST, list, report or search endpoint
  of Frappe can read it. Only `queries.count_needs` reads it, after the same DocPerm check as
  `frappe.get_list` and only for the districts the viewer's row rule allows
  (`tally_districts`); counts the table cannot scope (own cases, shared documents) are counted on
  the rows. Masking below 3 is applied where figures are shown, as for counted rows.
"""

import datetime

import frappe

from chiiki_care.reporting import figures as logic

TABLE = "__chiiki_care_need_tally"
DAY, MONTH = "D", "M"
KEY_FIELDS = ("district", "primary_category", "status", "community_issue", "recorded_on")
# what the table can group by: a Need field, or the month recorded (as its first day)
GROUPABLE = {
	"district": "`district`",
	"primary_category": "`need_category`",
	"status": "`status`",
	"recorded_month": "date_format(`period_start`, '%%Y-%%m-01')",
}


def create_table():
	"""Create the table if it is missing (after install and migrate; DDL commits the transaction)."""
	frappe.db.sql_ddl(
		f"""create table if not exists `{TABLE}` (
			`span` char(1) not null,
			`period_start` date not null,
			`district` varchar(140) not null,
			`need_category` varchar(140) not null default '',
			`status` varchar(140) not null,
			`lifted` tinyint(1) not null default 0,
			`needs` int not null default 0,
			primary key (`span`, `period_start`, `district`, `need_category`, `status`, `lifted`)
		) engine=InnoDB row_format=dynamic character set utf8mb4 collate utf8mb4_unicode_ci"""
	)


def drop_table():
	frappe.db.sql_ddl(f"drop table if exists `{TABLE}`")


# Keeping the counts
# ------------------


def _key(values) -> tuple | None:
	"""(district, category, status, lifted, recorded_on) of a need, or None when it is not countable."""
	if not values or not values.get("district") or not values.get("recorded_on") or not values.get("status"):
		return None
	return (
		values.get("district"),
		values.get("primary_category") or "",
		values.get("status"),
		int(bool(values.get("community_issue"))),
		frappe.utils.getdate(values.get("recorded_on")),
	)


def record_change(before, after):
	"""Move one need's count from its values `before` to `after` (either None: inserted, deleted)."""
	old, new = _key(before), _key(after)
	if old == new:
		return
	changes = []
	if old:
		changes.append((old, -1))
	if new:
		changes.append((new, 1))
	_add(sorted(changes))  # one order for every writer: no deadlock between two saves


def _add(changes: list[tuple[tuple, int]]):
	for (district, category, status, lifted, day), delta in changes:
		for span, start in ((DAY, day), (MONTH, day.replace(day=1))):
			frappe.db.sql(
				f"""insert into `{TABLE}` (`span`, `period_start`, `district`, `need_category`, `status`, `lifted`, `needs`)
				values (%s, %s, %s, %s, %s, %s, %s)
				on duplicate key update `needs` = `needs` + values(`needs`)""",
				(span, start, district, category, status, lifted, delta),
			)


def rebuild():
	"""Recount every need (in the current transaction: readers see the old counts until commit)."""
	frappe.db.sql(f"delete from `{TABLE}`")
	for span, period in ((DAY, "`recorded_on`"), (MONTH, "date_format(`recorded_on`, '%%Y-%%m-01')")):
		frappe.db.sql(
			f"""insert into `{TABLE}` (`span`, `period_start`, `district`, `need_category`, `status`, `lifted`, `needs`)
			select %(span)s, {period}, `district`, ifnull(`primary_category`, ''), `status`,
				ifnull(`community_issue`, '') != '', count(*)
			from `tabNeed`
			where `district` is not null and `recorded_on` is not null and `status` is not null
			group by 2, 3, 4, 5, 6""",
			{"span": span},
		)


def rename(field: str, old: str, new: str):
	"""A District or Need Category renamed (or merged into another): its counts follow it."""
	column = {"district": "district", "primary_category": "need_category"}[field]
	frappe.db.sql(
		f"""insert into `{TABLE}` (`span`, `period_start`, `district`, `need_category`, `status`, `lifted`, `needs`)
		select `span`, `period_start`, {"%(new)s" if column == "district" else "`district`"},
			{"%(new)s" if column == "need_category" else "`need_category`"}, `status`, `lifted`, `needs`
		from `{TABLE}` as `old` where `old`.`{column}` = %(old)s
		on duplicate key update `needs` = `{TABLE}`.`needs` + values(`needs`)""",
		{"old": old, "new": new},
	)
	frappe.db.sql(f"delete from `{TABLE}` where `{column}` = %(old)s", {"old": old})


def district_renamed(doc, method, old: str, new: str, merge: bool = False):
	"""Hooked as District `after_rename`."""
	rename("district", old, new)


def category_renamed(doc, method, old: str, new: str, merge: bool = False):
	"""Hooked as Need Category `after_rename`."""
	rename("primary_category", old, new)


# Reading the counts
# ------------------


def count(
	districts: set[str] | None,
	categories: set[str] | None,
	from_date: datetime.date | None,
	to_date: datetime.date | None,
	statuses=None,
	lifted_only: bool = False,
	by: tuple = ("district", "primary_category"),
) -> dict[tuple, int]:
	"""Needs counted by the Need fields `by` (see GROUPABLE), like `queries.count_needs` counts rows.
	`districts`: the districts to count (None: all). No permission check here: see the callers."""
	spans = logic.period_spans(from_date, to_date)
	periods, values = [], {}
	if spans.months:
		first, last = spans.months
		condition = "`span` = 'M'"
		if first:
			condition += " and `period_start` >= %(first_month)s"
			values["first_month"] = first
		if last:
			condition += " and `period_start` <= %(last_month)s"
			values["last_month"] = last
		periods.append(f"({condition})")
	for n, (start, end) in enumerate(spans.days):
		periods.append(f"(`span` = 'D' and `period_start` between %(day_from_{n})s and %(day_to_{n})s)")
		values[f"day_from_{n}"], values[f"day_to_{n}"] = start, end
	if (
		not periods
		or (districts is not None and not districts)
		or (categories is not None and not categories)
	):
		return {}
	conditions = ["(" + " or ".join(periods) + ")"]
	if districts is not None:
		conditions.append("`district` in %(districts)s")
		values["districts"] = sorted(districts)
	if categories is not None:
		conditions.append("`need_category` in %(categories)s")
		values["categories"] = sorted(categories)
	if statuses:
		conditions.append("`status` in %(statuses)s")
		values["statuses"] = sorted(statuses)
	if lifted_only:
		conditions.append("`lifted` = 1")
	columns = [GROUPABLE[field] for field in by]
	group = f" group by {', '.join(columns)}" if columns else ""
	rows = frappe.db.sql(
		f"""select {", ".join([*columns, "sum(`needs`)"])} from `{TABLE}`
		where {" and ".join(conditions)}{group}""",
		values,
	)
	counts = {}
	for row in rows:
		key = tuple(_value(field, value) for field, value in zip(by, row))
		if row[-1]:
			counts[key] = int(row[-1])
	return counts


def _value(field: str, value):
	if field == "primary_category":
		return value or None  # uncategorised, as on the rows
	if field == "recorded_month":
		return frappe.utils.getdate(value)
	return value


def differences() -> list[tuple]:
	"""Where the kept counts differ from counting the rows now: (span, period, district, category,
	status, lifted, kept, counted). Empty when they agree (the benchmark and the tests check it)."""
	found = []
	for span, period in ((DAY, "`recorded_on`"), (MONTH, "date_format(`recorded_on`, '%%Y-%%m-01')")):
		counted = {
			tuple(row[:-1]): int(row[-1])
			for row in frappe.db.sql(
				f"""select cast({period} as date), `district`, ifnull(`primary_category`, ''), `status`,
					ifnull(`community_issue`, '') != '', count(*)
				from `tabNeed`
				where `district` is not null and `recorded_on` is not null and `status` is not null
				group by 1, 2, 3, 4, 5""",
				{},
			)
		}
		kept = {
			(row[0], row[1], row[2], row[3], int(row[4])): int(row[5])
			for row in frappe.db.sql(
				f"""select `period_start`, `district`, `need_category`, `status`, `lifted`, `needs`
				from `{TABLE}` where `span` = %(span)s and `needs` != 0""",
				{"span": span},
			)
		}
		for key in sorted(set(counted) | set(kept), key=str):
			if counted.get(key, 0) != kept.get(key, 0):
				found.append((span, *key, kept.get(key, 0), counted.get(key, 0)))
	return found
