"""The reports (ニーズ集計 … 生活支援体制整備事業 実績): their figures equal direct counts, each viewer
sees only its districts, small counts are masked and no report shows identity.

Expected figures are counted here directly as Administrator (`frappe.db.count`, `frappe.get_all`)
over the test world's areas A and B (and, when the site holds the demo, over the demo); the reports
are run as the users of each role, through the report modules and through `frappe.desk.query_report.run`.
"""

import datetime
import importlib

import frappe
import frappe.desk.query_report
import pytest
from frappe.utils import add_days, getdate, today

from chiiki_care.access.permissions import with_descendants
from chiiki_care.domain import statuses
from chiiki_care.reporting import figures as logic
from chiiki_care.reporting import queries
from tests.integration.factories import build_report_data

REPORTS = {
	"Needs Summary": "needs_summary",
	"Resource Gap": "resource_gap",
	"Monitoring Due": "monitoring_due",
	"Coordinator Caseload": "coordinator_caseload",
	"Community Issue Flow": "community_issue_flow",
	"Council Activity": "council_activity",
	"Life Support Program Results": "life_support_program_results",
}
DESK_ROLES_USERS = ("manager", "l1", "l2a", "l2b", "scsa")
IDENTITY_FIELDS = {
	"resident",
	"resident_name",
	"full_name",
	"full_name_kana",
	"birth_date",
	"phone",
	"address",
	"personal_goal",
	"unmet_troubles",
	"urgent_needs",
	"connection_and_purpose",
	"desired_life",
}
# Resident names this module creates (and the world's): none may appear in any report.
RESIDENT_NAMES = ("山田 太郎", "鈴木 花")
TODAY = getdate(today())
FROM = add_days(TODAY, -59)  # the period the world tests use: 60 days, and the 60 before it
PREVIOUS = add_days(TODAY, -100)


def module(report: str):
	return importlib.import_module(f"chiiki_care.chiiki_care.report.{REPORTS[report]}.{REPORTS[report]}")


def run(report: str, user: str, **filters):
	"""The report's (columns, rows, …) as `user`, straight from its module."""
	frappe.set_user(user)
	try:
		return module(report).execute(frappe._dict(filters))
	finally:
		frappe.set_user("Administrator")


def rows_of(report: str, user: str, **filters) -> list[dict]:
	return [row for row in run(report, user, **filters)[1] if not row.get("is_total")]


def total_of(report: str, user: str, **filters) -> dict:
	return next(row for row in run(report, user, **filters)[1] if row.get("is_total"))


def shown(count: int):
	return logic.mask(count)


# ---------------------------------------------------------------------------------------------
# Data for the reports, in the world's areas (built once for this module, rolled back after it)
# ---------------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def data(world):
	"""The report data of `factories.build_report_data`, for this module only."""
	frappe.set_user("Administrator")
	frappe.db.savepoint("chiiki_care_reports")
	yield build_report_data(world)
	frappe.db.rollback(save_point="chiiki_care_reports")
	frappe.set_user("Administrator")


def area_districts(world, key):
	return set(with_descendants([world.area_a if key == "a" else world.area_b]))


# ---------------------------------------------------------------------------------------------
# Figures equal direct counts
# ---------------------------------------------------------------------------------------------


def direct_need_count(districts, category=None, start=None, end=None, statuses=None, **extra):
	filters = {"district": ["in", list(districts)], **extra}
	if category:
		filters["primary_category"] = category
	if start:
		filters["recorded_on"] = ["between", [start, end]]
	if statuses:
		filters["status"] = ["in", list(statuses)]
	return frappe.db.count("Need", filters)


@pytest.mark.parametrize("user", ["manager", "l1"])
def test_needs_summary_equals_direct_counts(world, data, user):
	for area in ("a", "b"):
		district = world.area_a if area == "a" else world.area_b
		rows = rows_of("Needs Summary", world.users[user], district=district, from_date=FROM, to_date=TODAY)
		assert rows, area
		seen = set()
		previous_from, previous_to = logic.previous_period(FROM, TODAY)
		for row in rows:
			population = frappe.db.get_value("District", row["district"], "population_65_plus")
			now = direct_need_count([row["district"]], row["category"], FROM, TODAY)
			before = direct_need_count([row["district"]], row["category"], previous_from, previous_to)
			assert row["needs"] == shown(now), row
			assert row["previous_needs"] == shown(before), row
			assert row["rate_per_1000"] == logic.masked_rate(now, population), row
			seen.add((row["district"], row["category"]))
		# every district and category with needs in the period is listed
		for name in area_districts(world, area):
			for category in frappe.get_all(
				"Need",
				filters={"district": name, "recorded_on": ["between", [FROM, TODAY]]},
				pluck="primary_category",
				distinct=True,
			):
				assert (name, category) in seen


def test_needs_summary_rate_change_and_roll_up(world, data):
	rows = rows_of(
		"Needs Summary",
		world.users["manager"],
		district=world.area_a,
		from_date=FROM,
		to_date=TODAY,
		group_by="District",
	)
	by_district = {row["district"]: row for row in rows}
	a1_now = direct_need_count([world.a1], None, FROM, TODAY)
	assert a1_now == 8  # the world's need and this module's seven
	assert by_district[world.a1]["needs"] == 8
	assert by_district[world.a1]["rate_per_1000"] == round(8 * 1000 / 1200, 2)
	a1_before = direct_need_count([world.a1], None, *logic.previous_period(FROM, TODAY))
	assert by_district[world.a1]["previous_needs"] == a1_before == 3
	assert by_district[world.a1]["change"] == 5
	assert by_district[world.a1]["change_percent"] == round(5 * 100 / 3, 1)
	# rolled up to the daily-life area: its school districts summed, its population the sum of theirs
	area = rows_of(
		"Needs Summary",
		world.users["manager"],
		district=world.area_a,
		from_date=FROM,
		to_date=TODAY,
		group_by="District",
		level="Daily-life Area",
	)
	assert [row["district"] for row in area] == [world.area_a]
	area_now = direct_need_count(area_districts(world, "a"), None, FROM, TODAY)
	assert area[0]["needs"] == area_now
	assert area[0]["rate_per_1000"] == round(area_now * 1000 / (1200 + 900), 2)


def test_small_counts_are_masked_everywhere(world, data):
	rows = rows_of("Needs Summary", world.users["manager"], district=world.a2, from_date=FROM, to_date=TODAY)
	watch = next(row for row in rows if row["category"] == "見守り・安否確認")
	assert watch["needs"] == "<3" and watch["rate_per_1000"] is None and watch["change"] is None
	move = next(row for row in rows if row["category"] == "外出・移動")
	assert move["needs"] == 4
	_columns, _rows, message, chart, *_ = run(
		"Needs Summary", world.users["manager"], district=world.a2, from_date=FROM, to_date=TODAY
	)
	for dataset in chart["data"]["datasets"]:
		assert all(isinstance(v, int | float) for v in dataset["values"])
	assert message.endswith(queries.masking_note())  # the note that explains the <3 cells
	# the caseload of the layer 3 coordinator of B: 3 open needs shown, plans masked
	caseload = rows_of("Coordinator Caseload", world.users["manager"], district=world.area_b)
	row = next(r for r in caseload if r["coordinator"] == world.coordinators["l3b"])
	assert row["open_needs"] == direct_need_count(
		area_districts(world, "b"),
		statuses=statuses.UNMET_NEED_STATUSES,
		recorded_by=world.coordinators["l3b"],
	)


def test_resource_gap_marks_needs_without_a_resource(world, data):
	rows = rows_of("Resource Gap", world.users["l1"], district=world.area_a, from_date=FROM, to_date=TODAY)
	by_key = {(row["district"], row["category"]): row for row in rows}
	for (district, category), row in by_key.items():
		expected = direct_need_count([district], category, FROM, TODAY, statuses=statuses.UNMET_NEED_STATUSES)
		assert row["open_needs"] == shown(expected), row
	assert by_key[(world.a2, "外出・移動")]["gap"] and by_key[(world.a2, "外出・移動")]["resources"] == 0
	assert by_key[(world.a2, "見守り・安否確認")]["gap"]
	# the area's meal service serves both of its school districts
	assert by_key[(world.a1, "配食")]["resources"] == 1 and not by_key[(world.a1, "配食")]["gap"]
	assert by_key[(world.a2, "配食")]["resources"] == 1 and by_key[(world.a2, "配食")]["open_needs"] == 0
	# A1's shopping volunteers answer A1's open shopping needs (the world's, two lifted, one supported)
	assert by_key[(world.a1, "買い物")]["open_needs"] == 4 and not by_key[(world.a1, "買い物")]["gap"]
	gaps_only = rows_of(
		"Resource Gap", world.users["l1"], district=world.area_a, from_date=FROM, to_date=TODAY, gaps_only=1
	)
	assert {(r["district"], r["category"]) for r in gaps_only} == {
		(world.a2, "外出・移動"),
		(world.a2, "見守り・安否確認"),
	}


def direct_reviews(coordinator, start=None, end=None):
	filters = {"coordinator": coordinator, "status": "Active"}
	if start and end:
		filters["next_review_date"] = ["between", [start, end]]
	elif end:
		filters["next_review_date"] = ["<", end]
	return frappe.db.count("Support Plan", filters)


def test_monitoring_due_equals_direct_counts(world, data):
	rows = rows_of("Monitoring Due", world.users["manager"], district=world.city, as_of=TODAY, days=14)
	by_coordinator = {row["coordinator"]: row for row in rows}
	for key in ("l3a", "l3b"):
		coordinator = world.coordinators[key]
		overdue = direct_reviews(coordinator, end=TODAY)
		long_overdue = direct_reviews(coordinator, end=add_days(TODAY, -logic.LONG_OVERDUE_DAYS))
		due = direct_reviews(coordinator, TODAY, add_days(TODAY, 14))
		row = by_coordinator[coordinator]
		assert (row["overdue"], row["long_overdue"], row["due"]) == (
			shown(overdue),
			shown(long_overdue),
			shown(due),
		), key
	# l3b: 1 overdue, 2 due within 14 days (the draft plans of l3a never count)
	assert by_coordinator[world.coordinators["l3b"]]["due"] == "<3"
	assert by_coordinator[world.coordinators["l3b"]]["total"] == 3
	# the category filter follows the plans' needs: only l3a's plan for 配食
	meal = rows_of(
		"Monitoring Due",
		world.users["manager"],
		district=world.a1,
		need_category="配食",
		as_of=TODAY,
		days=14,
	)
	assert [(r["coordinator"], r["overdue"]) for r in meal] == [(world.coordinators["l3a"], "<3")]


def test_caseload_equals_direct_counts(world, data):
	rows = rows_of("Coordinator Caseload", world.users["l1"], district=world.area_a)
	row = next(r for r in rows if r["coordinator"] == world.coordinators["l3a"])
	districts = area_districts(world, "a")
	open_needs = direct_need_count(
		districts, statuses=statuses.UNMET_NEED_STATUSES, recorded_by=world.coordinators["l3a"]
	)
	active = frappe.db.count(
		"Support Plan",
		{"coordinator": world.coordinators["l3a"], "status": "Active", "district": ["in", list(districts)]},
	)
	overdue = frappe.db.count(
		"Support Plan",
		{
			"coordinator": world.coordinators["l3a"],
			"status": "Active",
			"district": ["in", list(districts)],
			"next_review_date": ["<", TODAY],
		},
	)
	assert (row["open_needs"], row["active_plans"], row["overdue_reviews"]) == (
		shown(open_needs),
		shown(active),
		shown(overdue),
	)
	assert active == 4 and row["active_plans"] == 4


def test_issue_flow_equals_direct_counts(world, data):
	rows = rows_of(
		"Community Issue Flow", world.users["manager"], district=world.area_a, from_date=FROM, to_date=TODAY
	)
	assert [row["district"] for row in rows] == [world.area_a]
	row = rows[0]
	districts = list(area_districts(world, "a"))
	assert row["needs_recorded"] == shown(direct_need_count(districts, None, FROM, TODAY))
	lifted = direct_need_count(districts, None, FROM, TODAY, community_issue=["is", "set"])
	assert lifted == 2 and row["needs_lifted"] == "<3"
	issues = frappe.get_all(
		"Community Issue",
		filters={"district": ["in", districts], "raised_on": ["between", [FROM, TODAY]]},
		fields=["name", "status"],
	)
	assert row["issues_raised"] == len(issues) == 2
	discussed = {
		r.community_issue
		for r in frappe.get_all(
			"Council Meeting Issue", fields=["community_issue"], filters={"parenttype": "Council Meeting"}
		)
	}
	assert row["issues_discussed"] == sum(1 for i in issues if i.name in discussed) == 1
	planned = set(frappe.get_all("Support Plan", filters={"scope": "Community"}, pluck="community_issue"))
	assert row["issues_planned"] == sum(1 for i in issues if i.name in planned) == 1
	assert row["issues_resolved"] == sum(1 for i in issues if i.status == "Resolved") == 1


def test_council_activity_equals_direct_counts(world, data):
	rows = rows_of(
		"Council Activity", world.users["manager"], district=world.area_a, from_date=FROM, to_date=TODAY
	)
	row = next(r for r in rows if r["council_name"] == world.councils["a"])
	meetings = frappe.get_all(
		"Council Meeting",
		filters={"council": world.councils["a"], "meeting_date": ["between", [FROM, TODAY]]},
		pluck="name",
	)
	assert row["meetings"] == len(meetings) == 2
	attended = frappe.db.count("Council Meeting Attendee", {"parent": ["in", meetings], "attended": 1})
	assert row["attendance"] == attended == 3
	issue_rows = frappe.get_all(
		"Council Meeting Issue", filters={"parent": ["in", meetings]}, fields=["community_issue", "decision"]
	)
	assert row["issues_discussed"] == len({r.community_issue for r in issue_rows}) == 1
	assert row["decisions"] == sum(1 for r in issue_rows if r.decision) == 1
	assert row["follow_ups"] == 2 and row["open_follow_ups"] == 1
	assert world.councils["b"] not in {r["council_name"] for r in rows}


def test_program_results_equal_direct_counts(world, data):
	fiscal_year = logic.fiscal_year_of(TODAY)
	start, end = logic.fiscal_year_bounds(fiscal_year)
	rows = run(
		"Life Support Program Results", world.users["manager"], fiscal_year=fiscal_year, district=world.area_a
	)[1]
	value = {row["item"]: row["value"] for row in rows}
	districts = list(area_districts(world, "a"))
	recorded = direct_need_count(districts, None, start, end)
	assert value["Needs recorded in the year"] == shown(recorded)
	assert value["Layer 2 coordinators in post"] == 1 and value["Layer 3 coordinators in post"] == 1
	assert value["Layer 1 coordinators in post"] == 0  # the city's coordinator does not cover area A
	meetings = frappe.db.count(
		"Council Meeting", {"council": world.councils["a"], "meeting_date": ["between", [start, end]]}
	)
	assert value["Layer 2 council meetings held"] == meetings
	assert value["Community issues raised"] == frappe.db.count(
		"Community Issue", {"district": ["in", districts], "raised_on": ["between", [start, end]]}
	)


# ---------------------------------------------------------------------------------------------
# Scope, identity and access
# ---------------------------------------------------------------------------------------------


def district_values(report, result_rows):
	"""The districts a report's rows are about (and the councils and coordinators it names)."""
	values = set()
	for row in result_rows:
		if row.get("is_total"):
			continue
		for key in ("district",):
			if row.get(key):
				values.add(row[key])
	return values


@pytest.mark.parametrize("report", list(REPORTS))
@pytest.mark.parametrize("user,area", [("l2a", "a"), ("l2b", "b"), ("scsa", "a")])
def test_layer_2_and_centre_staff_see_only_their_districts(world, data, report, user, area):
	email = world.users[user]
	own = area_districts(world, area)
	for filters in ({}, {"district": world.city}, {"level": "Daily-life Area"}):
		result = run(report, email, **filters)
		rows = [row for row in result[1] if not row.get("is_total")]
		assert district_values(report, rows) <= own, (report, filters)
		if report in ("Monitoring Due", "Coordinator Caseload"):
			own_coordinators = {
				world.coordinators[k] for k in (("l2a", "l3a") if area == "a" else ("l2b", "l3b"))
			}
			assert {r["coordinator"] for r in rows} <= own_coordinators, (report, rows)
		if report == "Council Activity":
			assert {r["council_name"] for r in rows} <= {world.councils[area]}, rows
	# asking for the other area gives nothing of it
	other = world.area_b if area == "a" else world.area_a
	result = run(report, email, district=other)
	rows = [row for row in result[1] if not row.get("is_total")]
	assert not district_values(report, rows), (report, rows)
	if report == "Needs Summary":
		own_rows = rows_of(report, email, from_date=FROM, to_date=TODAY)
		expected = direct_need_count(own, None, FROM, TODAY)
		assert sum(r["needs"] if isinstance(r["needs"], int) else 1 for r in own_rows) >= min(expected, 1)


def test_layer_2_figures_are_its_own_districts_counts(world, data):
	"""Layer 2 of area A sees exactly area A's figures: the same as the manager asking for area A."""
	for report, filters in (
		("Needs Summary", {"from_date": FROM, "to_date": TODAY}),
		("Resource Gap", {"from_date": FROM, "to_date": TODAY}),
		("Monitoring Due", {"as_of": TODAY, "days": 14}),
		("Coordinator Caseload", {}),
		("Community Issue Flow", {"from_date": FROM, "to_date": TODAY}),
	):
		as_l2 = run(report, world.users["l2a"], **filters)[1]
		as_manager = run(report, world.users["manager"], district=world.area_a, **filters)[1]
		if report in ("Monitoring Due", "Coordinator Caseload"):
			# the manager also sees the area's coordinators' cases elsewhere; compare the area's own
			as_manager = [r for r in as_manager if r.get("coordinator") in {world.coordinators["l3a"], None}]
			as_l2 = [r for r in as_l2 if r.get("coordinator") in {world.coordinators["l3a"], None}]
		assert as_l2 == as_manager, report


@pytest.mark.parametrize("report", list(REPORTS))
def test_no_report_shows_identity(world, data, report):
	for user in DESK_ROLES_USERS:
		columns, rows, *_ = run(report, world.users[user])
		assert not {c["fieldname"] for c in columns} & IDENTITY_FIELDS, (report, user)
		text = frappe.as_json(rows)
		for name in (*RESIDENT_NAMES, "集計 ", "計画 "):
			assert name not in text, (report, user, name)


@pytest.mark.parametrize("report", list(REPORTS))
def test_reports_run_through_the_desk_as_each_role(world, data, report):
	"""`frappe.desk.query_report.run` (what the desk calls): desk roles may run it, others may not."""
	for user in DESK_ROLES_USERS:
		frappe.set_user(world.users[user])
		try:
			result = frappe.desk.query_report.run(report, filters={})
		finally:
			frappe.set_user("Administrator")
		assert result["columns"], (report, user)
	for user in ("l3a", "cma", "outsider"):
		frappe.set_user(world.users[user])
		try:
			with pytest.raises(frappe.PermissionError):
				frappe.desk.query_report.run(report, filters={})
		finally:
			frappe.set_user("Administrator")


def test_reports_through_the_desk_show_layer_2_only_its_districts(world, data):
	frappe.set_user(world.users["l2b"])
	try:
		result = frappe.desk.query_report.run(
			"Needs Summary", filters={"from_date": str(FROM), "to_date": str(TODAY)}
		)
	finally:
		frappe.set_user("Administrator")
	districts = {
		row["district"] for row in result["result"] if isinstance(row, dict) and not row.get("is_total")
	}
	assert districts == {world.b1}


# ---------------------------------------------------------------------------------------------
# On the demo data (loaded by tests/run.sh before the integration tests)
# ---------------------------------------------------------------------------------------------


@pytest.fixture
def demo():
	city = frappe.db.get_value("District", {"district_type": "City"}, "name")
	l2 = frappe.db.get_value(
		"Coordinator",
		{"layer": "Layer 2", "is_active": 1, "user": ["like", "%@demo.chiiki-care.example"]},
		["name", "user"],
		as_dict=True,
	)
	if not l2:
		pytest.skip("the site holds no demo data (tests/run.sh loads it)")
	area = frappe.get_all(
		"District Item", filters={"parent": l2.name, "parenttype": "Coordinator"}, pluck="district"
	)
	return frappe._dict(city=city, l2=l2, districts=set(with_descendants(area)))


def test_demo_needs_summary_equals_direct_counts(world, demo):
	start = add_days(TODAY, -364)
	rows = rows_of("Needs Summary", "Administrator", from_date=start, to_date=TODAY, group_by="District")
	total = 0
	for row in rows:
		count = direct_need_count(with_descendants([row["district"]]), None, start, TODAY)
		assert row["needs"] == shown(count), row
		total += count
	assert total == frappe.db.count("Need", {"recorded_on": ["between", [start, TODAY]]})
	rows = rows_of("Needs Summary", "Administrator", from_date=start, to_date=TODAY, group_by="Category")
	for row in rows:
		assert row["needs"] == shown(
			frappe.db.count(
				"Need", {"primary_category": row["category"], "recorded_on": ["between", [start, TODAY]]}
			)
		)


def test_demo_resource_gap_and_monitoring_equal_direct_counts(world, demo):
	start = add_days(TODAY, -364)
	rows = rows_of("Resource Gap", "Administrator", from_date=start, to_date=TODAY)
	for row in rows[:200]:
		expected = direct_need_count(
			[row["district"]], row["category"], start, TODAY, statuses=statuses.UNMET_NEED_STATUSES
		)
		assert row["open_needs"] == shown(expected), row
	due = rows_of("Monitoring Due", "Administrator", as_of=TODAY, days=14)
	total_overdue = sum(
		frappe.db.count(
			"Support Plan",
			{"coordinator": r["coordinator"], "status": "Active", "next_review_date": ["<", TODAY]},
		)
		for r in due
		if r["coordinator"]
	)
	assert total_overdue == frappe.db.count(
		"Support Plan", {"status": "Active", "next_review_date": ["<", TODAY], "coordinator": ["is", "set"]}
	)
	for row in due:
		if row["coordinator"]:
			assert row["overdue"] == shown(direct_reviews(row["coordinator"], end=TODAY)), row


def test_demo_flow_activity_and_results_equal_direct_counts(world, demo):
	start, end = logic.fiscal_year_bounds(logic.fiscal_year_of(TODAY) - 1)
	flow = total_of("Community Issue Flow", "Administrator", from_date=start, to_date=end, level="City")
	assert flow["issues_raised"] == frappe.db.count(
		"Community Issue", {"raised_on": ["between", [start, end]]}
	)
	activity = total_of("Council Activity", "Administrator", from_date=start, to_date=end)
	assert activity["meetings"] == frappe.db.count(
		"Council Meeting", {"meeting_date": ["between", [start, end]]}
	)
	rows = run("Life Support Program Results", "Administrator", fiscal_year=logic.fiscal_year_of(TODAY) - 1)[
		1
	]
	value = {row["item"]: row["value"] for row in rows}
	assert value["Needs recorded in the year"] == shown(
		frappe.db.count("Need", {"recorded_on": ["between", [start, end]]})
	)
	assert value["Community issues raised"] == frappe.db.count(
		"Community Issue", {"raised_on": ["between", [start, end]]}
	)


@pytest.mark.parametrize("report", list(REPORTS))
def test_demo_layer_2_sees_only_its_districts(world, demo, report):
	result = run(report, demo.l2.user, from_date=add_days(TODAY, -364), to_date=TODAY)
	rows = [row for row in result[1] if not row.get("is_total")]
	assert district_values(report, rows) <= demo.districts, report
	if report == "Needs Summary":
		assert rows, "the demo's layer 2 coordinator sees its area's needs"
		shown_total = total_of(report, demo.l2.user, from_date=add_days(TODAY, -364), to_date=TODAY)["needs"]
		assert shown_total == shown(direct_need_count(demo.districts, None, add_days(TODAY, -364), TODAY))


def test_period_defaults_and_validation(world, data):
	with pytest.raises(frappe.ValidationError):
		run("Needs Summary", world.users["manager"], from_date=TODAY, to_date=add_days(TODAY, -1))
	columns, _rows, message, *_ = run("Needs Summary", world.users["manager"])
	assert columns and isinstance(message, str)
	assert isinstance(datetime.date.today(), datetime.date)
