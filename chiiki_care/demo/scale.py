"""A demo at a large city's scale in minutes: the planned demo, copied in the database.

Planning a million residents in Python would take a quarter of an hour and gigabytes of memory. A
demo above `BASE_LIMIT` residents is therefore planned and written at `residents / copies` (every
record planned and checked as usual), and its residents, needs and individual plans, with their
child rows, are then copied by `insert … select` `copies - 1` times. A copy keeps every value but
the names: `-x<k>` is added to its name and to the names it points to among the copied rows
(a copied need belongs to the copied resident and plan of the same copy). Districts, coordinators,
councils, issues and resources are not copied: the copies share them, as more residents of the
same city would. `needs` asks for more needs than the demo's proportion (DESIGN.md §6 counts three
per resident): further copies of the needs that have no plan and no issue, spread over the copies.

A copy reads the planned rows by name (never by scanning the growing table) and, for the demo
command, is its own transaction, two at a time on their own connections (`side_by_side`).
"""

import math
import queue
from concurrent.futures import ThreadPoolExecutor, as_completed

import frappe
import pymysql
from frappe import _

from chiiki_care.demo import plan

BASE_LIMIT = plan.SIZES["large"]  # residents planned in Python at the most; more are copies

# What a copy of each table points to among the copied rows (column -> the DocType it names)
COPIED = {
	"Resident": {},
	"Need": {"resident": "Resident", "support_plan": "Support Plan"},
	"Need Category Item": {"parent": "Need"},
	"Support Plan": {"resident": "Resident"},
	"Support Plan Need": {"parent": "Support Plan", "need": "Need"},
	"Support Plan Action": {"parent": "Support Plan"},
	"Support Plan Monitoring": {"parent": "Support Plan"},
}
PARENTS = {
	"Need Category Item": "Need",
	"Support Plan Need": "Support Plan",
	"Support Plan Action": "Support Plan",
	"Support Plan Monitoring": "Support Plan",
}


def copies_for(residents: int) -> int:
	"""How many copies of a planned demo make `residents` (1: no copy)."""
	return max(1, math.ceil(residents / BASE_LIMIT))


def _suffix(k: int) -> str:
	return f"-x{k}"


def _base_condition(doctype: str) -> str:
	"""The planned demo's own rows of `doctype` (not copies, not other data, individual plans only)."""
	owner = frappe.db.escape(f"%@{plan.DEMO_DOMAIN}")
	parent = PARENTS.get(doctype)
	if parent:
		return (
			f"`parenttype` = {frappe.db.escape(parent)} and `parent` in (select `name` from `tab{parent}`"
			f" where {_base_condition(parent)})"
		)
	condition = f"`owner` like {owner} and `name` not like '%%-x%%'"
	if doctype == "Support Plan":
		condition += " and `scope` = 'Individual'"
	return condition


CHUNK = 5_000  # rows per statement: a copy reads its rows by name, never by scanning the table
ALONE = " and `support_plan` is null and `community_issue` is null"  # needs with no plan and no issue


def _base_names(doctype: str, where: str = "") -> list[str]:
	"""The names of the planned rows of `doctype` (read once, before any copy is made)."""
	return frappe.db.sql_list(
		f"select `name` from `tab{doctype}` where {_base_condition(doctype)}{where} order by `name`"
	)


def _copy(
	doctype: str, k: int, names: list[str], resident_k: int | None = None, overrides: dict | None = None
) -> list[tuple[str, dict]]:
	"""The statements that make copy `k` of the rows `names` of `doctype` (references to residents:
	to copy `resident_k`), with their values."""
	columns = frappe.db.get_table_columns(doctype)
	refers = COPIED[doctype]
	overrides = overrides or {}
	values = []
	for column in columns:
		if column in overrides:
			values.append(overrides[column])
		elif column == "name":
			values.append(f"concat(`name`, '{_suffix(k)}')")
		elif column in refers:
			copy = resident_k if refers[column] == "Resident" and resident_k is not None else k
			values.append(
				f"if(`{column}` is null or `{column}` = '', `{column}`, concat(`{column}`, '{_suffix(copy)}'))"
			)
		else:
			values.append(f"`{column}`")
	column_list = ", ".join(f"`{c}`" for c in columns)
	sql = f"""insert into `tab{doctype}` ({column_list})
		select {", ".join(values)} from `tab{doctype}` where `name` in %(names)s"""
	return [(sql, {"names": names[start : start + CHUNK]}) for start in range(0, len(names), CHUNK)]


def replicate(copies: int, needs: int | None = None, echo=print, side_by_side: bool = False) -> dict:
	"""Copy the planned demo's residents, needs and plans `copies - 1` times; then, if `needs` asks
	for more needs than that gives, copy the needs with no plan and no issue until there are at least
	`needs`. Returns the rows per table.

	`side_by_side`: commit the current transaction, then make each copy in its own transaction, on
	`WORKERS` database connections at once (the database does the work; one connection keeps one
	core busy). Otherwise every copy is made in the current transaction, one after the other."""
	base = {doctype: _base_names(doctype) for doctype in COPIED}
	alone = _base_names("Need", ALONE)
	alone_categories = _base_names(
		"Need Category Item",
		f" and `parent` in (select `name` from `tabNeed` where {_base_condition('Need')}{ALONE})",
	)
	jobs = []
	for k in range(1, copies):
		statements = [s for doctype, names in base.items() for s in _copy(doctype, k, names)]
		jobs.append((_("Copy {0} of {1}").format(k, copies - 1), statements))
	after_copies = frappe.db.count("Need") + (copies - 1) * len(base["Need"])
	missing = (needs or 0) - after_copies
	extra = math.ceil(missing / len(alone)) if missing > 0 and alone else 0
	for j in range(extra):
		k = copies + j  # a copy number no resident has: its needs belong to the residents of copy j % copies
		resident_k = j % copies
		overrides = {"resident": "`resident`"} if resident_k == 0 else {}
		statements = _copy("Need", k, alone, resident_k=resident_k, overrides=overrides)
		statements += _copy("Need Category Item", k, alone_categories)
		jobs.append((_("More needs: copy {0} of {1}").format(j + 1, extra), statements))
	if side_by_side:
		frappe.db.commit()  # nosemgrep: the planned rows, for the other connections to copy
		_run_side_by_side(jobs, echo)
	else:
		for label, statements in jobs:
			for sql, values in statements:
				frappe.db.sql(sql, values)
			echo(label)
	return {doctype: frappe.db.count(doctype) for doctype in COPIED}


WORKERS = 2  # database connections copying at once
DEADLOCK, DEADLOCK_RETRIES = 1213, 3  # a job the database rolled back to break a deadlock runs again


def _run_side_by_side(jobs: list[tuple[str, list]], echo):
	"""Run each job's statements in a transaction of its own, `WORKERS` jobs at a time (each on a
	connection of its own, opened here: a thread has no `frappe.db`)."""
	connections = [frappe.db.create_connection() for _ in range(WORKERS)]
	free = queue.SimpleQueue()
	for connection in connections:
		with connection.cursor() as cursor:
			# reads take no locks: two copies of the same rows never wait for each other
			cursor.execute("set session transaction isolation level read committed")
		free.put(connection)

	def run(statements):
		connection = free.get()
		try:
			for attempt in range(DEADLOCK_RETRIES + 1):
				try:
					with connection.cursor() as cursor:
						for sql, values in statements:
							cursor.execute(sql, values)
					connection.commit()
					return
				except pymysql.err.OperationalError as error:
					connection.rollback()
					if error.args[0] != DEADLOCK or attempt == DEADLOCK_RETRIES:
						raise
		finally:
			free.put(connection)

	pool = ThreadPoolExecutor(WORKERS)
	try:
		futures = {pool.submit(run, statements): label for label, statements in jobs}
		for future in as_completed(futures):
			future.result()
			echo(futures[future])
	finally:
		pool.shutdown(cancel_futures=True)
		for connection in connections:
			connection.close()
