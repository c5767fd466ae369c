"""Counts kept as needs and support plans are recorded and change, so that reports do not count rows.

A tally is a plain table of counts per combination of a few fields of one DocType (`Tally`):

- `NEEDS`: needs per district, primary category, status and lifted or not (a community issue set),
- `NEEDS_BY_COORDINATOR`: needs per district, recording coordinator and status,
- `ACTIVE_PLANS`: active support plans per district, scope, coordinator and next review date,
- `PLAN_STARTS`: support plans per district and scope.

A tally with a date (`date_field`: the day a need was recorded, a plan started) keeps its counts
twice, per day (span "D") and per calendar month (span "M"). A period is answered from the whole
months in it and the days around them (`figures.period_spans`), so a year city-wide reads a few
thousand rows instead of a million needs. The size of a tally grows with the number of districts,
categories, coordinators and days, not with the number of needs or plans.

- **Exact at every moment.** The controllers' `on_update` and `on_trash` move a document's count in
  the same transaction as the change (`follow`); `set_values` does the same for a write that
  bypasses the controller. A rename of a District, Need Category or Coordinator carries its counts
  over (`renamed`). `rebuild()` recounts everything from the rows (`bench --site SITE
  chiiki-care-rebuild-tallies`); the demo's batched inserts end with it.
- **No new surface.** The tallies are plain tables, not DocTypes: no REST, list, report or search
  endpoint of Frappe can read them. Only `queries` reads them, after the same DocPerm check as
  `frappe.get_list` and only for the districts the viewer's row rule grants whole; what the rule
  grants row by row (own cases, shared documents) is counted on the rows. Masking below 3 is applied
  where figures are shown, as for counted rows.
"""

import datetime
from dataclasses import dataclass

import frappe
from frappe.utils import getdate

from chiiki_care.reporting import figures as logic

DAY, MONTH = "D", "M"
NO_DATE = datetime.date(1, 1, 1)  # an empty date in a key (a key column cannot be null)
PERIOD_MONTH = "month"  # `count(by=...)`: the month of the tally's date, as its first day


@dataclass(frozen=True)
class Dimension:
	"""One key column of a tally: a field of the counted DocType."""

	column: str
	field: str
	kind: str = "text"  # text: the value ('' when empty); flag: whether it is set; date
	link: str | None = None  # the DocType it names: a rename carries its counts over

	def of(self, values):
		value = values.get(self.field)
		if self.kind == "flag":
			return int(bool(value))
		if self.kind == "date":
			return getdate(value) if value else NO_DATE
		return value or ""

	def on_rows(self) -> str:
		"""The same value computed in SQL on the DocType's rows."""
		field = f"`{self.field}`"
		if self.kind == "flag":
			return f"ifnull({field}, '') != ''"
		if self.kind == "date":
			return f"cast(ifnull({field}, '{NO_DATE}') as date)"
		return f"ifnull({field}, '')"

	def read(self, value):
		"""A kept value as the rows would give it (empty: None)."""
		if self.kind == "flag":
			return bool(value)
		if self.kind == "date":
			value = getdate(value) if isinstance(value, str) else value
			return None if value == NO_DATE else value
		return value or None

	def ddl(self) -> str:
		kind = {
			"text": "varchar(140) not null default ''",
			"flag": "tinyint(1) not null default 0",
			"date": "date not null",
		}[self.kind]
		return f"`{self.column}` {kind}"


@dataclass(frozen=True)
class Tally:
	"""Counts of the rows of `doctype` per value of its `dimensions` (and per day and month of
	`date_field`, if any). A row is counted when it has every `required` field and, if `only` is
	given as (field, value), that value."""

	table: str
	doctype: str
	dimensions: tuple[Dimension, ...]
	required: tuple[str, ...]
	date_field: str | None = None
	only: tuple[str, str] | None = None

	def columns(self) -> list[str]:
		periods = ["span", "period_start"] if self.date_field else []
		return periods + [d.column for d in self.dimensions]

	def fields(self) -> list[str]:
		"""The fields of a row its count depends on."""
		fields = [*self.required, *(d.field for d in self.dimensions)]
		fields += [self.date_field] if self.date_field else []
		fields += [self.only[0]] if self.only else []
		return list(dict.fromkeys(fields))

	def dimension(self, field: str) -> Dimension:
		return next(d for d in self.dimensions if d.field == field)

	def has(self, fields) -> bool:
		"""Whether the tally can count by (or filter on) all of `fields`."""
		own = {d.field for d in self.dimensions} | ({PERIOD_MONTH} if self.date_field else set())
		return set(fields) <= own

	def key(self, values) -> tuple | None:
		"""The dimensions' values of a row (and its date), or None when it is not counted."""
		if not values or any(not values.get(f) for f in self.required):
			return None
		if self.only and values.get(self.only[0]) != self.only[1]:
			return None
		if self.date_field and not values.get(self.date_field):
			return None
		key = tuple(d.of(values) for d in self.dimensions)
		return (getdate(values.get(self.date_field)), *key) if self.date_field else key

	def counted_on_rows(self, span: str | None = None) -> str:
		"""SQL counting the rows per key now, in the order of `columns()` (then the count)."""
		values = [d.on_rows() for d in self.dimensions]
		conditions = [f"`{f}` is not null and `{f}` != ''" for f in self.required]
		if self.date_field:
			date = f"`{self.date_field}`"
			period = date if span == DAY else f"cast(date_format({date}, '%%Y-%%m-01') as date)"
			values = [frappe.db.escape(span), period, *values]
			conditions.append(f"{date} is not null")
		if self.only:
			conditions.append(f"`{self.only[0]}` = {frappe.db.escape(self.only[1])}")
		group = ", ".join(str(n + 1) for n in range(len(values)))
		return f"""select {", ".join(values)}, count(*) from `tab{self.doctype}`
			where {" and ".join(conditions)} group by {group}"""

	def spans(self) -> tuple:
		return (DAY, MONTH) if self.date_field else (None,)


NEEDS = Tally(
	table="__chiiki_care_need_tally",
	doctype="Need",
	dimensions=(
		Dimension("district", "district", link="District"),
		Dimension("need_category", "primary_category", link="Need Category"),
		Dimension("status", "status"),
		Dimension("lifted", "community_issue", kind="flag"),
	),
	required=("district", "status"),
	date_field="recorded_on",
)
NEEDS_BY_COORDINATOR = Tally(
	table="__chiiki_care_need_coordinator_tally",
	doctype="Need",
	dimensions=(
		Dimension("district", "district", link="District"),
		Dimension("coordinator", "recorded_by", link="Coordinator"),
		Dimension("status", "status"),
	),
	required=("district", "status"),
	date_field="recorded_on",
)
ACTIVE_PLANS = Tally(
	table="__chiiki_care_active_plan_tally",
	doctype="Support Plan",
	dimensions=(
		Dimension("district", "district", link="District"),
		Dimension("scope", "scope"),
		Dimension("coordinator", "coordinator", link="Coordinator"),
		Dimension("next_review_date", "next_review_date", kind="date"),
	),
	required=("district",),
	only=("status", "Active"),
)
PLAN_STARTS = Tally(
	table="__chiiki_care_plan_start_tally",
	doctype="Support Plan",
	dimensions=(
		Dimension("district", "district", link="District"),
		Dimension("scope", "scope"),
	),
	required=("district",),
	date_field="start_date",
)
TALLIES = (NEEDS, NEEDS_BY_COORDINATOR, ACTIVE_PLANS, PLAN_STARTS)


def of(doctype: str) -> list[Tally]:
	return [t for t in TALLIES if t.doctype == doctype]


# The tables
# ----------


def _ddl(tally: Tally) -> str:
	periods = ["`span` char(1) not null", "`period_start` date not null"] if tally.date_field else []
	columns = [*periods, *(d.ddl() for d in tally.dimensions), "`counted` int not null default 0"]
	key = ", ".join(f"`{c}`" for c in tally.columns())
	return f"""create table `{tally.table}` ({", ".join(columns)}, primary key ({key}))
		engine=InnoDB row_format=dynamic character set utf8mb4 collate utf8mb4_unicode_ci"""


def create_tables():
	"""Create the missing tallies, and create again those whose columns changed; fill the new ones
	from the rows (after install and migrate; DDL commits the transaction)."""
	for tally in TALLIES:
		expected = [*tally.columns(), "counted"]
		if frappe.db.sql("show tables like %s", tally.table):
			if [c[0] for c in frappe.db.sql(f"show columns from `{tally.table}`")] == expected:
				continue
			frappe.db.sql_ddl(f"drop table `{tally.table}`")
		frappe.db.sql_ddl(_ddl(tally))
		_recount(tally)
		frappe.db.commit()  # nosemgrep: the new table's counts, before the next DDL


def drop_tables():
	for tally in TALLIES:
		frappe.db.sql_ddl(f"drop table if exists `{tally.table}`")


# Keeping the counts
# ------------------


def follow(doctype: str, before, after):
	"""Move one document's counts from its values `before` to `after` (either None: inserted,
	deleted), in every tally of its DocType."""
	for tally in of(doctype):
		old, new = tally.key(before), tally.key(after)
		if old == new:
			continue
		changes = ([(old, -1)] if old else []) + ([(new, 1)] if new else [])
		for key, delta in sorted(changes):  # one order for every writer: no deadlock between two saves
			_add(tally, key, delta)


def _add(tally: Tally, key: tuple, delta: int):
	if tally.date_field:
		day, *rest = key
		rows = [(DAY, day, *rest), (MONTH, day.replace(day=1), *rest)]
	else:
		rows = [key]
	columns = ", ".join(f"`{c}`" for c in [*tally.columns(), "counted"])
	placeholders = ", ".join(["%s"] * (len(tally.columns()) + 1))
	for row in rows:
		frappe.db.sql(
			f"""insert into `{tally.table}` ({columns}) values ({placeholders})
			on duplicate key update `counted` = `counted` + values(`counted`)""",
			(*row, delta),
		)


def set_values(doctype: str, name: str, values: dict):
	"""`frappe.db.set_value` without the controller (and without touching `modified`), moving the
	document's counts as its controller would."""
	fields = list(dict.fromkeys(f for tally in of(doctype) for f in tally.fields()))
	before = frappe.db.get_value(doctype, name, fields, as_dict=True) if fields else None
	frappe.db.set_value(doctype, name, values, update_modified=False)
	if before:
		follow(doctype, before, {**before, **values})


def rebuild():
	"""Recount every tally from the rows (in the current transaction: readers see the old counts
	until commit)."""
	for tally in TALLIES:
		frappe.db.sql(f"delete from `{tally.table}`")
		_recount(tally)


def _recount(tally: Tally):
	"""Count the rows into the (empty) tally: per key, or per day, then the months from the days."""
	columns = ", ".join(f"`{c}`" for c in [*tally.columns(), "counted"])
	first_span = DAY if tally.date_field else None
	frappe.db.sql(f"insert into `{tally.table}` ({columns}) {tally.counted_on_rows(first_span)}", {})
	if tally.date_field:
		dimensions = ", ".join(f"`{d.column}`" for d in tally.dimensions)
		frappe.db.sql(
			f"""insert into `{tally.table}` ({columns})
			select 'M', cast(date_format(`period_start`, '%%Y-%%m-01') as date), {dimensions}, sum(`counted`)
			from `{tally.table}` where `span` = 'D' group by 2, {dimensions}""",
			{},
		)


def renamed(doc, method, old: str, new: str, merge: bool = False):
	"""Hooked as `after_rename` of the DocTypes the tallies name: the counts follow the new name
	(added to its own counts on a merge)."""
	for tally in TALLIES:
		for dimension in tally.dimensions:
			if dimension.link == doc.doctype:
				_rename(tally, dimension.column, old, new)


def _rename(tally: Tally, column: str, old: str, new: str):
	columns = [*tally.columns(), "counted"]
	values = ["%(new)s" if c == column else f"`{c}`" for c in columns]
	frappe.db.sql(
		f"""insert into `{tally.table}` ({", ".join(f"`{c}`" for c in columns)})
		select {", ".join(values)} from `{tally.table}` as `old` where `old`.`{column}` = %(old)s
		on duplicate key update `counted` = `{tally.table}`.`counted` + values(`counted`)""",
		{"old": old, "new": new},
	)
	frappe.db.sql(f"delete from `{tally.table}` where `{column}` = %(old)s", {"old": old})


# Reading the counts
# ------------------


def count(
	tally: Tally,
	where: dict | None = None,
	from_date: datetime.date | None = None,
	to_date: datetime.date | None = None,
	by: tuple = (),
) -> dict[tuple, int]:
	"""Rows counted by the fields `by` (fields of the dimensions, or PERIOD_MONTH), like counting the
	rows with `frappe.get_list` would. `where`: per field, the values to count (a set; None: every
	value) or, for a date, a range ((first, last), either None: unbounded; an empty date is outside
	every range). `from_date`/`to_date` bound the tally's date. No permission check here: see the callers."""
	conditions, values = [], {}
	if tally.date_field:
		periods = _periods(from_date, to_date, values)
		if not periods:
			return {}
		conditions.append("(" + " or ".join(periods) + ")")
	for n, (field, wanted) in enumerate((where or {}).items()):
		if wanted is None:
			continue
		dimension = tally.dimension(field)
		if isinstance(wanted, tuple):
			first, last = wanted
			conditions.append(f"`{dimension.column}` != '{NO_DATE}'")
			if first:
				conditions.append(f"`{dimension.column}` >= %(first{n})s")
				values[f"first{n}"] = first
			if last:
				conditions.append(f"`{dimension.column}` <= %(last{n})s")
				values[f"last{n}"] = last
			continue
		if not wanted:
			return {}
		conditions.append(f"`{dimension.column}` in %(w{n})s")
		values[f"w{n}"] = sorted(wanted)
	columns = [
		"`period_start`" if field == PERIOD_MONTH else f"`{tally.dimension(field).column}`" for field in by
	]
	group = f" group by {', '.join(columns)}" if columns else ""
	rows = frappe.db.sql(
		f"""select {", ".join([*columns, "sum(`counted`)"])} from `{tally.table}`
		where {" and ".join(conditions) or "1=1"}{group}""",
		values,
	)
	readers = [_month_of if field == PERIOD_MONTH else tally.dimension(field).read for field in by]
	counts = {}
	for row in rows:
		if row[-1]:
			key = tuple(read(value) for read, value in zip(readers, row))
			counts[key] = counts.get(key, 0) + int(row[-1])
	return counts


def _periods(from_date, to_date, values: dict) -> list[str]:
	spans = logic.period_spans(from_date, to_date)
	periods = []
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
	return periods


def _month_of(value) -> datetime.date:
	return getdate(value).replace(day=1)


def differences() -> list[tuple]:
	"""Where the kept counts differ from counting the rows now: (table, *key, kept, counted). Empty
	when they agree (the benchmark and the tests check it)."""
	found = []
	for tally in TALLIES:
		width = len(tally.columns())
		for span in tally.spans():
			counted = {
				_normal(row[:width]): int(row[-1]) for row in frappe.db.sql(tally.counted_on_rows(span), {})
			}
			condition = f"`span` = {frappe.db.escape(span)} and " if span else ""
			kept = {
				_normal(row[:width]): int(row[-1])
				for row in frappe.db.sql(
					f"""select {", ".join(f"`{c}`" for c in tally.columns())}, `counted`
					from `{tally.table}` where {condition}`counted` != 0"""
				)
			}
			for key in sorted(set(counted) | set(kept), key=str):
				if counted.get(key, 0) != kept.get(key, 0):
					found.append((tally.table, *key, kept.get(key, 0), counted.get(key, 0)))
	return found


def _normal(key: tuple) -> tuple:
	return tuple(
		getdate(v) if isinstance(v, datetime.date) else int(v) if isinstance(v, bool) else v for v in key
	)
