"""Rows for the reports, the workspace charts and the email summaries, read as the viewer.

Every read here goes through one of the two paths that apply the app's row rules
(`chiiki_care.access.permissions`): `frappe.get_list` (DocPerm, `permission_query_conditions`, field-level
read) or SQL filtered with `scoped_sql(doctype)` (DocPerm checked here, then the same SQL condition
as lists). Nothing here uses `frappe.get_all` or unfiltered SQL on the app's DocTypes, and nothing
reads a Resident's identity: the reports show districts, categories and counts.

Grouped queries always name their `order_by` on grouped columns (DESIGN.md §6): Frappe's default
`modified desc` would make MariaDB read every row instead of using the covering index.

The domain arithmetic lives in `chiiki_care.reporting.figures` (plain Python).
"""

import datetime
from dataclasses import dataclass

import frappe
from frappe import _
from frappe.utils import add_days, add_months, cint, getdate, today

from chiiki_care import inputs
from chiiki_care.access.permissions import allowed_filters, get_scope, split_by_district
from chiiki_care.access.scope import LAYER_1, LAYER_2, LAYER_3, SUPPORT_CENTER_STAFF
from chiiki_care.reporting import figures as logic
from chiiki_care.reporting import tallies

NO_ROWS = "__none__"  # an `in` filter that matches nothing (Frappe drops empty lists)


# ---------------------------------------------------------------------------------------------
# Permission-aware access
# ---------------------------------------------------------------------------------------------


def scoped_sql(doctype: str, user: str | None = None) -> str:
	"""SQL condition on `tab<doctype>` for the rows `user` may read (the same rule as lists).

	Refuses a DocType the user may not read at all, as `frappe.get_list` would.
	"""
	if not frappe.has_permission(doctype, "read", user=user):
		frappe.throw(_("You do not have access to {0}.").format(_(doctype)), frappe.PermissionError)
	return allowed_filters(doctype, user)


def viewer_districts(user: str | None = None) -> set[str] | None:
	"""The districts a report is about for this viewer: None (all) for managers and Layer 1, else the
	districts (with those below) of its Coordinator record or of its support centre."""
	scope = get_scope(user)
	if scope.unrestricted or LAYER_1 in scope.roles:
		return None
	districts = set()
	if scope.roles & {LAYER_2, LAYER_3}:
		districts |= set(scope.districts)
	if SUPPORT_CENTER_STAFF in scope.roles:
		districts |= set(scope.center_districts)
	return districts


def in_filter(values) -> list:
	values = sorted(v for v in values if v)
	return values or [NO_ROWS]


# ---------------------------------------------------------------------------------------------
# Trees and filters
# ---------------------------------------------------------------------------------------------


def district_tree() -> logic.Tree:
	rows = frappe.get_list(
		"District",
		fields=["name", "parent_district", "district_type", "lft", "population_65_plus"],
		order_by="lft asc",
		limit_page_length=0,
	)
	return logic.Tree(
		logic.Node(
			name=r.name,
			parent=r.parent_district,
			kind=r.district_type,
			lft=r.lft or 0,
			population_65_plus=r.population_65_plus,
		)
		for r in rows
	)


def category_tree() -> logic.Tree:
	rows = frappe.get_list(
		"Need Category",
		fields=["name", "parent_need_category", "lft", "is_group"],
		order_by="lft asc",
		limit_page_length=0,
	)
	return logic.Tree(
		logic.Node(
			name=r.name, parent=r.parent_need_category, kind="group" if r.is_group else None, lft=r.lft
		)
		for r in rows
	)


def leaf_categories(categories: logic.Tree, within: set[str] | None) -> list[str]:
	return [c for c in categories.leaves() if within is None or c in within]


def _date(value, default, label: str) -> datetime.date:
	return inputs.check_date(value, label) or getdate(default)


@dataclass(frozen=True)
class ReportFilters:
	"""The filters every report shares, checked and resolved for the viewer (`parse_filters`)."""

	raw: frappe._dict  # the filters as given, with `district` and `need_category` checked
	tree: logic.Tree  # the District tree
	categories: logic.Tree  # the Need Category tree
	districts: set[str] | None  # the districts in view; None: every district
	category_set: set[str] | None  # the categories in view; None: every category
	category_names: list[str]  # the leaf categories in view
	from_date: datetime.date | None  # None: no lower bound
	to_date: datetime.date
	level: str  # the district type rows are summed to
	units: list[str]  # the districts of that type in view


def parse_filters(
	filters, default_months: int | None = 3, default_level: str = logic.SCHOOL_DISTRICT
) -> ReportFilters:
	"""The filters every report shares, resolved for the viewer.

	- `district`: any district of the tree; it and the districts below it, within what the viewer
	  is about (`viewer_districts`).
	- `from_date` / `to_date`: the period (default: the last `default_months` months; no start when
	  `default_months` is None).
	- `need_category`: a category and those below it.
	- `level`: the district type rows are summed to.
	"""
	filters = frappe._dict(filters or {})
	filters.district = inputs.check_id(filters.district, _("District"), required=False)
	filters.need_category = inputs.check_id(filters.need_category, _("Need Category"), required=False)
	tree = district_tree()
	categories = category_tree()
	to_date = _date(filters.to_date, today(), _("To Date"))
	if filters.from_date or default_months is not None:
		from_date = _date(
			filters.from_date, add_days(add_months(to_date, -(default_months or 0)), 1), _("From Date")
		)
	else:
		from_date = None  # no lower bound
	if from_date and from_date > to_date:
		frappe.throw(_("The start of the period cannot be after its end."))
	selected = tree.subtree([filters.district] if filters.district else None)
	viewer = viewer_districts()
	if selected is None:
		districts = viewer
	elif viewer is None:
		districts = selected
	else:
		districts = selected & viewer
	level = (
		filters.level if isinstance(filters.level, str) and filters.level in logic.LEVELS else default_level
	)
	category_set = categories.subtree([filters.need_category] if filters.need_category else None)
	return ReportFilters(
		raw=filters,
		tree=tree,
		categories=categories,
		districts=districts,
		category_set=category_set,
		category_names=leaf_categories(categories, category_set),
		from_date=from_date,
		to_date=to_date,
		level=level,
		units=logic.units_in_view(tree, level, districts),
	)


def district_conditions(p, fieldname: str = "district") -> list:
	return [] if p.districts is None else [[fieldname, "in", in_filter(p.districts)]]


def category_conditions(p, fieldname: str = "primary_category") -> list:
	return [] if p.category_set is None else [[fieldname, "in", in_filter(p.category_set)]]


# ---------------------------------------------------------------------------------------------
# Needs
# ---------------------------------------------------------------------------------------------


def _kept_and_rows(
	doctype: str, districts: set[str] | None, tally, count_kept, count_rows
) -> dict[tuple, int]:
	"""Counts of the `doctype` rows the viewer may read, within `districts` (None: all): from the
	kept counts (`count_kept(districts)`) for the districts whose rows the viewer reads whole, and from
	the rows (`count_rows(outside)`) for the rest of its row rule (own cases, shared documents), with
	`outside` the districts not to count again (None: count all). So the answer is the one counting
	every row would give, without reading a row per document. From the rows alone when `tally` is
	None (the counts cannot answer) or User Permissions narrow the user's lists."""
	frappe.has_permission(doctype, "read", throw=True)
	if tally is None or frappe.permissions.get_user_permissions(frappe.session.user):
		return count_rows(None)
	whole, rest = split_by_district(doctype)
	if whole is not None:
		districts = whole if districts is None else whole & set(districts)
	counts = count_kept(districts)
	if rest.clauses:
		for key, n in count_rows(whole or None).items():
			counts[key] = counts.get(key, 0) + n
	return counts


def count_needs(
	p: ReportFilters,
	from_date=None,
	to_date=None,
	statuses=None,
	by: tuple = ("district", "primary_category"),
	lifted_only: bool = False,
) -> dict[tuple, int]:
	"""Needs the viewer may read, counted by `by`: Need fields, or "recorded_month" (the first day of
	the month a need was recorded in). `lifted_only`: only needs lifted to a community issue.
	From the kept counts where they can answer (`_kept_and_rows`)."""
	kept_by = tuple(tallies.PERIOD_MONTH if f == "recorded_month" else f for f in by)
	asked = {*kept_by, "district", "status"}
	asked |= {"primary_category"} if p.category_set is not None else set()
	asked |= {"community_issue"} if lifted_only else set()
	tally = next((t for t in tallies.of("Need") if t.has(asked)), None)

	def count_kept(districts):
		where = {
			"district": districts,
			"status": set(statuses) if statuses else None,
			"primary_category": p.category_set,
			"community_issue": {1} if lifted_only else None,
		}
		return tallies.count(tally, where, from_date, to_date, kept_by)

	def count_rows(outside):
		extra = [["district", "not in", in_filter(outside)]] if outside else []
		return _count_need_rows(p, from_date, to_date, statuses, by, lifted_only, extra)

	return _kept_and_rows("Need", p.districts, tally, count_kept, count_rows)


def _count_need_rows(
	p: ReportFilters, from_date, to_date, statuses, by: tuple, lifted_only: bool, extra: list | None = None
) -> dict[tuple, int]:
	"""`count_needs` on the rows, through `frappe.get_list` as the viewer."""
	filters = district_conditions(p) + category_conditions(p) + list(extra or [])
	if from_date:
		filters.append(["recorded_on", ">=", from_date])
	if to_date:
		filters.append(["recorded_on", "<=", to_date])
	if statuses:
		filters.append(["status", "in", list(statuses)])
	if lifted_only:
		filters.append(["community_issue", "is", "set"])
	fields = ["recorded_on" if field == "recorded_month" else field for field in by]
	columns = [f"`tabNeed`.`{field}`" for field in fields]
	rows = frappe.get_list(
		"Need",
		fields=[*columns, "count(*) as count"],
		filters=filters,
		group_by=", ".join(columns),
		order_by=", ".join(f"{column} asc" for column in columns),
		limit_page_length=0,
		as_list=True,
	)
	counts = {}
	for row in rows:
		key = tuple(
			getdate(value).replace(day=1) if field == "recorded_month" else value
			for field, value in zip(by, row[:-1])
		)
		counts[key] = counts.get(key, 0) + row[-1]
	return counts


# ---------------------------------------------------------------------------------------------
# Resources
# ---------------------------------------------------------------------------------------------


def _resource_rows(child_doctype: str, fieldname: str, resources: list[str]) -> dict[str, list[str]]:
	"""The values of one child table of the given Community Resources, by resource (read as the viewer)."""
	values = {}
	for row in frappe.get_list(
		child_doctype,
		parent_doctype="Community Resource",
		fields=["parent", fieldname],
		filters={"parenttype": "Community Resource", "parent": ["in", resources]},
		order_by="parent asc",
		limit_page_length=0,
	):
		values.setdefault(row.parent, []).append(row[fieldname])
	return values


def active_resources(p=None) -> list[logic.Resource]:
	"""Active Community Resources the viewer may read, with the districts and categories they serve."""
	resources = frappe.get_list(
		"Community Resource",
		fields=["name", "district", "domain"],
		filters={"status": "Active"},
		order_by="name asc",
		limit_page_length=0,
	)
	if not resources:
		return []
	names = [r.name for r in resources]
	extra_districts = _resource_rows("District Item", "district", names)
	categories = _resource_rows("Need Category Item", "need_category", names)
	result = []
	for r in resources:
		districts = tuple(dict.fromkeys([r.district, *extra_districts.get(r.name, [])]))
		if p is not None and p.districts is not None and not _touches(districts, p.districts, p.tree):
			continue
		result.append(
			logic.Resource(
				name=r.name,
				districts=districts,
				categories=tuple(categories.get(r.name, ())),
				domain=r.domain,
			)
		)
	return result


def _touches(districts, allowed: set[str], tree: logic.Tree) -> bool:
	"""A resource concerns the viewer's districts when it is registered in one of them or above one."""
	return any(d in allowed or any(tree.is_within(a, d) for a in allowed) for d in districts)


# ---------------------------------------------------------------------------------------------
# Support plans
# ---------------------------------------------------------------------------------------------


def plan_category_condition(p: ReportFilters) -> tuple[str, dict]:
	"""SQL (on `tabSupport Plan`) for plans about a category: an individual plan through its needs'
	categories, a community plan through its issue's category. Each table read is scoped."""
	if p.category_set is None:
		return "", {}
	return (
		f"""(exists (select 1 from `tabSupport Plan Need`
				join `tabNeed` on `tabNeed`.`name` = `tabSupport Plan Need`.`need`
				where `tabSupport Plan Need`.`parent` = `tabSupport Plan`.`name`
				and `tabSupport Plan Need`.`parenttype` = 'Support Plan'
				and `tabNeed`.`primary_category` in %(categories)s and {scoped_sql("Need")})
			or exists (select 1 from `tabCommunity Issue`
				where `tabCommunity Issue`.`name` = `tabSupport Plan`.`community_issue`
				and `tabCommunity Issue`.`need_category` in %(categories)s and {scoped_sql("Community Issue")}))""",
		{"categories": in_filter(p.category_set)},
	)


def _active_plan_conditions(p: ReportFilters, scope: str | None) -> tuple[list[str], dict]:
	"""SQL conditions (and their values) for the active plans in view: the viewer's row rule, the
	districts, the plan scope (Individual or Community) and the category."""
	conditions = [scoped_sql("Support Plan"), "`tabSupport Plan`.`status` = 'Active'"]
	values = {}
	if p.districts is not None:
		conditions.append("`tabSupport Plan`.`district` in %(districts)s")
		values["districts"] = in_filter(p.districts)
	if scope:
		conditions.append("`tabSupport Plan`.`scope` = %(scope)s")
		values["scope"] = scope
	category_sql, category_values = plan_category_condition(p)
	if category_sql:
		conditions.append(category_sql)
		values.update(category_values)
	return conditions, values


def _count_plans(p: ReportFilters, scope: str | None, tally, by: tuple, kept_where: dict, rows_sql) -> dict:
	"""Support plans the viewer may read, counted by `by` (`_kept_and_rows`): from `tally` with
	`kept_where`, or on the rows by `rows_sql(conditions, values)`. A category filter needs the rows
	(a plan's category is that of its needs or its issue)."""

	def count_kept(districts):
		where = {"district": districts, "scope": {scope} if scope else None, **kept_where}
		return tallies.count(tally, where, by=by)

	def count_rows(outside):
		conditions, values = _active_plan_conditions(p, scope)
		if outside:
			conditions.append("`tabSupport Plan`.`district` not in %(outside)s")
			values["outside"] = sorted(outside)
		return {tuple(row[:-1]): row[-1] for row in rows_sql(conditions, values)}

	tally = tally if p.category_set is None else None
	return _kept_and_rows("Support Plan", p.districts, tally, count_kept, count_rows)


def plan_reviews(
	p: ReportFilters, until: datetime.date, scope: str | None = None, since: datetime.date | None = None
) -> list[tuple]:
	"""Active plans the viewer may read whose next review is on or before `until` (and on or after
	`since`, if given), counted by (coordinator, next review date)."""

	def rows_sql(conditions, values):
		since_sql = " and `tabSupport Plan`.`next_review_date` >= %(since)s" if since else ""
		return frappe.db.sql(
			f"""select `tabSupport Plan`.`coordinator`, `tabSupport Plan`.`next_review_date`, count(*)
			from `tabSupport Plan`
			where {" and ".join(conditions)} and `tabSupport Plan`.`next_review_date` <= %(until)s{since_sql}
			group by `tabSupport Plan`.`coordinator`, `tabSupport Plan`.`next_review_date`
			order by `tabSupport Plan`.`coordinator`, `tabSupport Plan`.`next_review_date`""",
			{**values, "until": until, "since": since},
		)

	counts = _count_plans(
		p,
		scope,
		tallies.ACTIVE_PLANS,
		("coordinator", "next_review_date"),
		{"next_review_date": (since, until)},
		rows_sql,
	)
	return sorted(((*key, n) for key, n in counts.items()), key=lambda row: (row[0] or "", row[1]))


def active_plans_by_coordinator(p: ReportFilters, scope: str | None = None) -> dict[str | None, int]:
	def rows_sql(conditions, values):
		return frappe.db.sql(
			f"""select `tabSupport Plan`.`coordinator`, count(*) from `tabSupport Plan`
			where {" and ".join(conditions)}
			group by `tabSupport Plan`.`coordinator` order by `tabSupport Plan`.`coordinator`""",
			values,
		)

	counts = _count_plans(p, scope, tallies.ACTIVE_PLANS, ("coordinator",), {}, rows_sql)
	return {key[0]: n for key, n in counts.items()}


def plans_started(p: ReportFilters) -> dict[str, int]:
	"""Support plans the viewer may read that started in the period, by scope (any status)."""

	def count_kept(districts):
		return tallies.count(tallies.PLAN_STARTS, {"district": districts}, p.from_date, p.to_date, ("scope",))

	def count_rows(outside):
		filters = [
			*district_conditions(p),
			["start_date", ">=", p.from_date],
			["start_date", "<=", p.to_date],
		]
		if outside:
			filters.append(["district", "not in", in_filter(outside)])
		rows = frappe.get_list(
			"Support Plan",
			fields=["scope", "count(*) as count"],
			filters=filters,
			group_by="scope",
			order_by="scope asc",
			limit_page_length=0,
		)
		return {(row.scope,): row.count for row in rows}

	counts = _kept_and_rows("Support Plan", p.districts, tallies.PLAN_STARTS, count_kept, count_rows)
	return {key[0]: n for key, n in counts.items()}


# ---------------------------------------------------------------------------------------------
# Coordinators and labels
# ---------------------------------------------------------------------------------------------


def coordinators(names=None) -> dict[str, frappe._dict]:
	"""Coordinator records the viewer may read (name, layer, organisation), by name."""
	filters = {"name": ["in", in_filter(names)]} if names is not None else {}
	rows = frappe.get_list(
		"Coordinator",
		fields=["name", "coordinator_name", "layer", "organisation", "is_active", "user"],
		filters=filters,
		order_by="coordinator_name asc",
		limit_page_length=0,
	)
	return {r.name: r for r in rows}


def fiscal_year_options(years_back: int = 5) -> list[str]:
	current = logic.fiscal_year_of(getdate(today()))
	return [str(year) for year in range(current, current - years_back - 1, -1)]


def int_filter(value, default: int, low: int, high: int) -> int:
	number = cint(value) if isinstance(value, str | int | float) and value != "" else default
	return max(low, min(high, number))


# ---------------------------------------------------------------------------------------------
# Presentation shared by the reports
# ---------------------------------------------------------------------------------------------


def category_label(category: str | None) -> str:
	return category or _("Uncategorised")


def chart(labels: list, datasets: list[tuple[str, list]], chart_type: str = "bar", colors=None) -> dict:
	"""A Frappe Charts definition; masked values are drawn as 0 (see `figures.chart_value`)."""
	data = {
		"labels": labels,
		"datasets": [
			{"name": name, "values": [logic.chart_value(v) for v in values]} for name, values in datasets
		],
	}
	result = {"data": data, "type": chart_type}
	if colors:
		result["colors"] = colors
	if chart_type == "bar":
		result["barOptions"] = {"spaceRatio": 0.4}
	return result


def masking_note() -> str:
	return _(
		"Counts of residents' needs and plans below 3 are shown as <3 (drawn as 0 in charts); rates and changes that would reveal them are left blank."
	)


def period_label(p) -> str:
	start = frappe.format(p.from_date, "Date") if p.from_date else ""
	return _("Period {0} to {1}").format(start, frappe.format(p.to_date, "Date"))
