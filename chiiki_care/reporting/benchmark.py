"""Benchmark of the reports' main queries against the best hand-written query (DESIGN.md §6).

Not a test: it prints timings and the indexes MariaDB chooses, for one user's scope, on the data of
a site (load a large demo first: `bench --site SITE chiiki-care-demo --size large`). Run:

	bench --site SITE execute chiiki_care.reporting.benchmark.run --kwargs "{'user': 'l2.area01@demo.chiiki-care.example'}"

For each query it runs the report's own path (`frappe.get_list` with the app's row rules, or SQL
under `scoped_sql`) and a hand-written query for the same answer and scope, checks that both give the
same rows, and prints the median time of `repeat` runs and EXPLAIN's key for each.
"""

import statistics
import time

import frappe
from frappe.utils import add_days, getdate, today

from chiiki_care.access import frappe_fixes
from chiiki_care.domain import statuses
from chiiki_care.reporting import queries as data


def _time(fn, repeat: int) -> tuple[float, object]:
	times, result = [], None
	for _ in range(repeat):
		start = time.perf_counter()
		result = fn()
		times.append(time.perf_counter() - start)
	return statistics.median(times) * 1000, result


def _explain_keys(sql: str, values: dict) -> str:
	rows = frappe.db.sql(f"explain {sql}", values, as_dict=True)
	return ", ".join(f"{r.get('table')}:{r.get('key') or 'none'}" for r in rows)


def run(user: str = "Administrator", repeat: int = 5):
	frappe_fixes.install()  # a bench command is neither a request nor a job
	frappe.set_user(user)
	try:
		end = getdate(today())
		start = add_days(end, -364)
		p = data.parse_filters({"from_date": start, "to_date": end})
		scope = ""
		values = {"start": start, "end": end, "open": list(statuses.UNMET_NEED_STATUSES)}
		if p.districts is not None:
			scope = " and district in %(districts)s"
			values["districts"] = data.in_filter(p.districts)
		cases = [
			(
				"needs by district and category, one year (Needs Summary)",
				lambda: data.count_needs(p, start, end),
				"select district, primary_category, count(*) from `tabNeed` "
				f"where recorded_on between %(start)s and %(end)s{scope} group by district, primary_category "
				"order by district, primary_category",
			),
			(
				"open needs by district and category (Resource Gap)",
				lambda: data.count_needs(p, start, end, statuses=statuses.UNMET_NEED_STATUSES),
				"select district, primary_category, count(*) from `tabNeed` "
				f"where recorded_on between %(start)s and %(end)s and status in %(open)s{scope} "
				"group by district, primary_category order by district, primary_category",
			),
			(
				"reviews due within 14 days by coordinator (Monitoring Due)",
				lambda: data.plan_reviews(p, add_days(end, 14)),
				"select coordinator, next_review_date, count(*) from `tabSupport Plan` "
				f"where status = 'Active' and next_review_date <= %(until)s{scope} "
				"group by coordinator, next_review_date order by coordinator, next_review_date",
			),
		]
		values["until"] = add_days(end, 14)
		print(f"user {user}: districts in scope: {'all' if p.districts is None else len(p.districts)}")
		for label, report_query, sql in cases:
			report_ms, report_rows = _time(report_query, repeat)
			hand_ms, hand_rows = _time(lambda sql=sql: frappe.db.sql(sql, values), repeat)
			# (a case shared with the user outside its districts would make the two differ)
			same = _normalise(report_rows) == _normalise(hand_rows)
			print(f"- {label}")
			print(f"    report path {report_ms:8.1f} ms   hand-written {hand_ms:8.1f} ms   same rows: {same}")
			print(f"    hand-written EXPLAIN: {_explain_keys(sql, values)}")
	finally:
		frappe.set_user("Administrator")


def _normalise(rows) -> list:
	if isinstance(rows, dict):
		return sorted((tuple(k), v) for k, v in rows.items())
	return sorted((tuple(r[:-1]), r[-1]) for r in rows)
