"""The large-city demo's copies (chiiki_care/demo/scale.py) are valid data: every copied need belongs
to a copied resident of its district, plans point at their copies, and the kept counts follow a
rebuild. Run on the demo tests/run.sh loads; the copies are rolled back with the test."""

import frappe
import pymysql
import pytest

from chiiki_care.demo import plan, scale
from chiiki_care.reporting import tallies

OWNER = f"%@{plan.DEMO_DOMAIN}"


def demo_counts() -> dict:
	return {doctype: frappe.db.count(doctype, {"owner": ("like", OWNER)}) for doctype in ("Resident", "Need")}


def test_copies_are_valid_data(world):
	before = demo_counts()
	assert before["Resident"] > 0, "no demo data on the site (tests/run.sh loads it)"
	individual = frappe.db.count("Support Plan", {"owner": ("like", OWNER), "scope": "Individual"})
	needs_wanted = before["Need"] * 3 + 50

	scale.replicate(3, needs=needs_wanted, echo=lambda _message="": None)

	after = demo_counts()
	assert after["Resident"] == before["Resident"] * 3
	assert after["Need"] >= needs_wanted
	assert (
		frappe.db.count("Support Plan", {"owner": ("like", OWNER), "scope": "Individual"}) == individual * 3
	)
	orphans = frappe.db.sql(
		"""select count(*) from `tabNeed` left join `tabResident` on `tabResident`.`name` = `tabNeed`.`resident`
		where `tabResident`.`name` is null or `tabResident`.`district` != `tabNeed`.`district`"""
	)[0][0]
	assert orphans == 0
	dangling_plans = frappe.db.sql(
		"""select count(*) from `tabNeed` left join `tabSupport Plan` on `tabSupport Plan`.`name` = `tabNeed`.`support_plan`
		where `tabNeed`.`support_plan` is not null and `tabSupport Plan`.`name` is null"""
	)[0][0]
	dangling_plan_needs = frappe.db.sql(
		"""select count(*) from `tabSupport Plan Need` left join `tabNeed` on `tabNeed`.`name` = `tabSupport Plan Need`.`need`
		where `tabNeed`.`name` is null"""
	)[0][0]
	assert dangling_plans == dangling_plan_needs == 0
	uncategorised = frappe.db.sql(
		"""select count(*) from `tabNeed` where `owner` like %s and not exists (select 1 from `tabNeed Category Item`
		where `parent` = `tabNeed`.`name` and `parenttype` = 'Need')""",
		OWNER,
	)[0][0]
	assert uncategorised == 0
	copy = frappe.get_doc("Need", frappe.db.get_value("Need", {"name": ("like", "%-x1")}))
	assert copy.resident.endswith("-x1") and copy.categories

	tallies.rebuild()
	assert tallies.differences() == []


def test_copies_side_by_side_run_every_job_and_stop_at_a_failure(world):
	"""The large demo's copies run on several connections at once (scale._run_side_by_side)."""
	done = []
	jobs = [(f"job {n}", [("select %(n)s", {"n": n}), ("select 1", {})]) for n in range(5)]
	scale._run_side_by_side(jobs, done.append)
	assert sorted(done) == [f"job {n}" for n in range(5)]
	with pytest.raises(pymysql.err.ProgrammingError):
		scale._run_side_by_side([("bad", [("select * from `tabNo Such Table`", {})])], done.append)
	assert "bad" not in done
