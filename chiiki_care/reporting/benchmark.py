"""Benchmark of every report, workspace card and chart and list page, as each desk role (DESIGN.md §6).

Not a test: it prints figures. Run it on a site with a large demo, or let it load one:

	bench --site SITE chiiki-care-report-benchmark [--residents 1000000 --needs 3000000] [--repeat 3]

Each item is called the way the desk calls it (`frappe.desk.query_report.run` with the report's
default filters and one year where there is a period; `number_card.get_result`; the chart
sources; `reportview.get` for the 20 newest rows and `reportview.get_count` with the list's upper
bound of 1,001), as the manager, a Layer 1 coordinator, the Layer 2 coordinator of one area and
the staff of one support centre; the median of `repeat` runs is printed.

Beside each report that counts needs it runs the best hand-written SQL for the same figure and
scope, on the rows and on the kept counts (`tallies`), checks that the three agree, and prints the
ratio of the desk path to the faster hand-written query.
"""

import json
import statistics
import time

import frappe
from frappe.utils import add_days, getdate, today

from chiiki_care.access import frappe_fixes
from chiiki_care.access.permissions import clear_scope_cache, split_by_district
from chiiki_care.demo import plan
from chiiki_care.domain import statuses
from chiiki_care.reporting import figures, tallies

ROLES = {
	"manager": plan.MANAGER_EMAIL,
	"Layer 1": f"l1.01@{plan.DEMO_DOMAIN}",
	"Layer 2 (one area)": f"l2.area01@{plan.DEMO_DOMAIN}",
	"support centre": f"center.area01@{plan.DEMO_DOMAIN}",
	"Layer 3 (portal)": f"l3.area01.01@{plan.DEMO_DOMAIN}",
	"council member (portal)": f"council.sd01@{plan.DEMO_DOMAIN}",
}
CARDS = (
	"Open Needs",
	"New Needs This Month",
	"Overdue Reviews",
	"Reviews Due This Week",
	"Issues in Discussion",
	"Active Community Resources",
)
CHARTS = (
	"open_needs_by_category",
	"needs_and_resources_by_area",
	"resources_by_domain",
	"needs_per_month",
	"issues_by_status",
)
LISTS = ("Need", "Support Plan", "Resident", "Community Issue")
# the portal's pages, each timed for the one role it is for
PORTAL_ITEMS = {
	"portal: My Cases (Layer 3 home)": "Layer 3 (portal)",
	"portal: 地域カルテ (council member)": "council member (portal)",
}


def _median_ms(fn, repeat: int) -> tuple[float, object]:
	"""The median time of `fn` in ms, and its result; each run as a new request, with no
	request-level cache (the viewer's scope, metadata) carried from the run before."""
	times, result = [], None
	for _ in range(repeat):
		frappe.local.cache = {}
		clear_scope_cache()
		start = time.perf_counter()
		result = fn()
		times.append((time.perf_counter() - start) * 1000)
	return statistics.median(times), result


def _report_filters(end) -> dict:
	year = {"from_date": str(add_days(end, -364)), "to_date": str(end)}
	return {
		"Needs Summary": {**year, "group_by": "District and Category"},
		"Resource Gap": year,
		"Monitoring Due": {"as_of": str(end), "days": 14},
		"Coordinator Caseload": {},
		"Community Issue Flow": year,
		"Council Activity": {},
		"Life Support Program Results": {},
	}


def _report(name: str, filters: dict):
	from frappe.desk.query_report import run

	return lambda: run(name, filters=json.dumps(filters), ignore_prepared_report=True)


def _card(name: str):
	from frappe.desk.doctype.number_card.number_card import get_result

	card = frappe.get_doc("Number Card", name)
	if card.type == "Custom":
		method = frappe.get_attr(card.method)
		return lambda: method(filters="[]")
	filters = frappe.parse_json(card.filters_json or "[]")
	for doctype, field, op, value in frappe.parse_json(card.dynamic_filters_json or "[]"):
		filters.append([doctype, field, op, _dynamic_value(value)])
	return lambda: get_result(card.as_json(), filters)


def _dynamic_value(expression: str):
	"""The dates the desk computes for the cards' dynamic filters (frappe.datetime.*)."""
	now = getdate(today())
	values = {
		"frappe.datetime.month_start()": now.replace(day=1),
		"frappe.datetime.get_today()": now,
		"[frappe.datetime.get_today(), frappe.datetime.add_days(frappe.datetime.get_today(), 7)]": [
			now,
			add_days(now, 7),
		],
	}
	return values[expression]


def _chart(method: str):
	from chiiki_care.reporting import dashboards

	return lambda: getattr(dashboards, method)()


def _list(doctype: str):
	from frappe.desk.reportview import execute

	meta = frappe.get_meta(doctype)
	fields = [f"`tab{doctype}`.`name`"] + [
		f"`tab{doctype}`.`{df.fieldname}`" for df in meta.fields if df.in_list_view
	]
	order_by = f"`tab{doctype}`.`{meta.sort_field or 'modified'}` {meta.sort_order or 'desc'}"

	def page():
		rows = execute(doctype, fields=fields, order_by=order_by, limit_page_length=20, as_list=True)
		partial = execute(doctype, fields=[f"`tab{doctype}`.name"], limit=1001, run=0)
		count = frappe.db.sql(f"select count(*) from ({partial}) p")[0][0]
		return len(rows), count

	return page


def _portal_home():
	from chiiki_care.portal import pages

	return pages.coordinator_home


def _profile(district: str | None):
	"""The 地域カルテ rendered as the desk page asks for it; None: the viewer's own council district."""
	from chiiki_care.reporting import profile

	return lambda: profile.get_district_profile_html(district or profile.council_districts()[0])


# Hand-written: the same figure and scope, on the rows and on the kept counts
# ---------------------------------------------------------------------------


def _scope_sql(column: str = "district") -> tuple[str, dict]:
	"""The viewer's districts as SQL (the reports' `viewer_districts`), or no condition."""
	from chiiki_care.reporting.queries import viewer_districts

	districts = viewer_districts()
	if districts is None:
		return "", {}
	return f" and `{column}` in %(districts)s", {"districts": sorted(districts) or ["__none__"]}


def _hand_written(end) -> dict:
	"""Per report: the figure in the report's result, the app's query for it (as the report calls it,
	grouped as the report groups), and the best hand-written SQL for the same grouped answer and scope
	on the rows and on the kept counts."""
	from chiiki_care.reporting import queries

	start = add_days(end, -364)
	scope, values = _scope_sql()
	until = add_days(end, 14)
	values.update(start=start, end=end, open=sorted(statuses.UNMET_NEED_STATUSES), until=until)
	tally_year = _tally_period(start, end)
	unmet = statuses.UNMET_NEED_STATUSES

	# the filters as the reports resolve them for the viewer (outside the timings, like `scope`)
	year = queries.parse_filters({"from_date": str(start), "to_date": str(end)})
	no_period = queries.parse_filters({}, default_months=None)
	default = queries.parse_filters({})

	return {
		"Needs Summary": (
			lambda result: _total(result, "needs"),
			lambda: queries.count_needs(year, start, end),
			f"""select `district`, `primary_category`, count(*) from `tabNeed`
			where `recorded_on` between %(start)s and %(end)s{scope} group by 1, 2""",
			f"""select `district`, nullif(`need_category`, ''), sum(`counted`) from `{tallies.NEEDS.table}`
			where {tally_year}{scope} group by 1, 2""",
			values,
		),
		"Community Issue Flow": (
			lambda result: _total(result, "needs_recorded"),
			lambda: queries.count_needs(year, start, end, by=("district",)),
			f"""select `district`, count(*) from `tabNeed`
			where `recorded_on` between %(start)s and %(end)s{scope} group by 1""",
			f"select `district`, sum(`counted`) from `{tallies.NEEDS.table}` where {tally_year}{scope} group by 1",
			values,
		),
		"Coordinator Caseload": (
			lambda result: _total(result, "open_needs"),
			lambda: queries.count_needs(no_period, None, end, unmet, by=("recorded_by",)),
			f"""select `recorded_by`, count(*) from `tabNeed`
			where `status` in %(open)s and `recorded_on` <= %(end)s{scope} group by 1""",
			f"""select nullif(`coordinator`, ''), sum(`counted`) from `{tallies.NEEDS_BY_COORDINATOR.table}`
			where `span` = 'M' and `status` in %(open)s{scope} group by 1""",
			values,
		),
		"Monitoring Due": (
			lambda result: _total(result, "total"),
			lambda: {(c, d): n for c, d, n in queries.plan_reviews(default, until)},
			f"""select `coordinator`, `next_review_date`, count(*) from `tabSupport Plan`
			where `status` = 'Active' and `next_review_date` <= %(until)s{scope} group by 1, 2""",
			f"""select nullif(`coordinator`, ''), `next_review_date`, sum(`counted`)
			from `{tallies.ACTIVE_PLANS.table}`
			where `next_review_date` != '{tallies.NO_DATE}' and `next_review_date` <= %(until)s{scope}
			group by 1, 2""",
			values,
		),
	}


def _in_turns(functions: list, repeat: int) -> list[tuple[float, object]]:
	"""The median time in ms and the result of each function, run in turns `repeat` times."""
	times = [[] for _fn in functions]
	results = [None] * len(functions)
	for _ in range(repeat):
		for n, fn in enumerate(functions):
			start = time.perf_counter()
			results[n] = fn()
			times[n].append((time.perf_counter() - start) * 1000)
	return [(statistics.median(t), result) for t, result in zip(times, results)]


def _grouped(sql: str, values: dict) -> dict:
	return {tuple(row[:-1]): int(row[-1]) for row in frappe.db.sql(sql, values) if row[-1]}


def _tally_period(start, end) -> str:
	"""SQL on the kept counts for [start, end]: its whole months, and the days around them."""
	spans = figures.period_spans(start, end)
	parts = []
	if spans.months:
		first, last = spans.months
		parts.append(f"(`span` = 'M' and `period_start` between '{first}' and '{last}')")
	parts += [f"(`span` = 'D' and `period_start` between '{a}' and '{b}')" for a, b in spans.days]
	return "(" + " or ".join(parts) + ")"


def _total(result: dict, field: str):
	rows = result["result"]
	total = next((r for r in rows if r.get("is_total")), None)
	return total.get(field) if total else 0


# The run
# -------


def run(repeat: int = 3, roles: list[str] | None = None) -> list[dict]:
	"""Print (and return) the table of timings per item and role, and the hand-written comparison."""
	frappe_fixes.install()  # a bench command is neither a request nor a job
	end = getdate(today())
	print(
		f"site: {frappe.db.count('Resident'):,} residents, {frappe.db.count('Need'):,} needs, "
		f"{frappe.db.count('Support Plan'):,} plans; medians of {repeat} runs, ms"
	)
	items = [(f"report: {name}", _report(name, f)) for name, f in _report_filters(end).items()]
	items += [(f"card: {name}", _card(name)) for name in CARDS]
	items += [(f"chart: {name}", _chart(name)) for name in CHARTS]
	items += [(f"list: {doctype} (20 rows + count)", _list(doctype)) for doctype in LISTS]
	items += [
		("profile: 地域カルテ of area 1", _profile(plan.area_name(1))),
		("profile: 地域カルテ of the city", _profile(plan.CITY_NAME)),
		("portal: My Cases (Layer 3 home)", _portal_home()),
		("portal: 地域カルテ (council member)", _profile(None)),
	]
	chosen = {role: user for role, user in ROLES.items() if not roles or role in roles}
	table = {label: {} for label, _fn in items}
	comparisons = []
	for role, user in chosen.items():
		if not frappe.db.exists("User", user):
			print(f"(no user {user}: {role} skipped)")
			continue
		frappe.set_user(user)
		try:
			results = {}
			for label, fn in items:
				portal_role = PORTAL_ITEMS.get(label)
				if portal_role != role and (portal_role or role in PORTAL_ITEMS.values()):
					table[label][role] = "-"  # each portal page is for its own role, the desk for staff
					continue
				try:
					ms, results[label] = _median_ms(fn, repeat)
					table[label][role] = f"{ms:,.0f}"
				except frappe.PermissionError:
					table[label][role] = "no access"
			comparisons += _compare(role, results, end, repeat)
		finally:
			frappe.set_user("Administrator")
	width = max(len(label) for label in table)
	print("| " + "item".ljust(width) + " | " + " | ".join(chosen) + " |")
	print("|" + "-" * (width + 2) + "|" + "|".join("---:" for _r in chosen) + "|")
	for label, cells in table.items():
		print("| " + label.ljust(width) + " | " + " | ".join(cells.get(r, "") for r in chosen) + " |")
	print()
	print(
		"| report | role | desk ms | app query ms | rows SQL ms | kept counts SQL ms | ratio | same answer |"
	)
	print("|---|---|---:|---:|---:|---:|---:|---|")
	for c in comparisons:
		print(
			f"| {c['report']} | {c['role']} | {c['desk']:,.0f} | {c['app']:,.1f} | {c['rows']:,.1f} | "
			f"{c['kept']:,.1f} | {c['ratio']:.2f} | {c['same']} ({c['figure']}) |"
		)
	print(f"kept counts equal the rows: {not tallies.differences()}")
	return comparisons


def _compare(role: str, results: dict, end, repeat: int) -> list[dict]:
	found = []
	for report, (figure_of, app_query, rows_sql, kept_sql, values) in _hand_written(end).items():
		result = results.get(f"report: {report}")
		if not isinstance(result, dict):
			continue
		desk_ms, _r = _median_ms(_report(report, _report_filters(end)[report]), repeat)
		# in turns, so that the three meet the same state of the server; within the report's request
		# (the viewer's scope is resolved already, by its filters)
		(app_ms, app_value), (rows_ms, rows_value), (kept_ms, kept_value) = _in_turns(
			[
				app_query,
				lambda sql=rows_sql: _grouped(sql, values),
				lambda sql=kept_sql: _grouped(sql, values),
			],
			max(repeat, 5),
		)
		figure = figure_of(result)
		_whole, rest = split_by_district("Need")
		if rest.clauses:
			same = "n/a (own cases)"  # the hand-written SQL scopes by district only
		else:
			same = figure == sum(app_value.values()) and app_value == rows_value == kept_value
		found.append(
			{
				"report": report,
				"role": role,
				"desk": desk_ms,
				"app": app_ms,
				"rows": rows_ms,
				"kept": kept_ms,
				"ratio": app_ms / max(min(rows_ms, kept_ms), 0.1),
				"same": same,
				"figure": figure,
			}
		)
	return found
