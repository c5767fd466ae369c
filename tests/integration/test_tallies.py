"""The kept counts of needs and plans (chiiki_care/reporting/tallies.py) equal counting the rows:
after every kind of change a need or a plan goes through, after a rebuild, after renames, and as
every role reads them."""

import datetime

import frappe
import pytest
from frappe.model.workflow import apply_workflow
from frappe.utils import add_days, getdate, today

from chiiki_care.access.consent import share_case
from chiiki_care.chiiki_care.doctype.need.need import lift_needs
from chiiki_care.domain import statuses
from chiiki_care.reporting import queries, tallies
from tests.integration.factories import (
	add_report_need,
	add_report_plan,
	make_district,
	make_need,
	make_resident,
)

SUPPORT_COUNCIL = "Support Council (Social Welfare Act Art. 106-6)"
TODAY = getdate(today())


def assert_kept_counts_equal_the_rows():
	assert tallies.differences() == []


def test_the_counts_equal_the_rows_as_built(world):
	assert_kept_counts_equal_the_rows()


def test_every_change_of_a_need_moves_its_count(world):
	resident = make_resident("集計 変化", world.a1, world.coordinators["l3a"], kana="シュウケイ ヘンカ")
	need = make_need(resident, world.coordinators["l3a"], category="配食", recorded_on=add_days(TODAY, -40))
	assert_kept_counts_equal_the_rows()

	doc = frappe.get_doc("Need", need)
	apply_workflow(doc, "Start Review")  # status, through the workflow
	assert_kept_counts_equal_the_rows()

	doc = frappe.get_doc("Need", need)
	doc.categories = []
	doc.append("categories", {"need_category": "買い物"})  # the primary category
	doc.recorded_on = add_days(TODAY, -400)  # another day, month and year
	doc.save()
	assert_kept_counts_equal_the_rows()

	issue = lift_needs([need], title="集計の地域課題")  # lifted: a community issue, a new status
	assert frappe.db.get_value("Need", need, "community_issue") == issue
	assert_kept_counts_equal_the_rows()

	frappe.delete_doc("Community Issue", issue, force=True)
	frappe.delete_doc("Need", need, force=True)
	assert_kept_counts_equal_the_rows()


def test_a_save_that_changes_nothing_counted_leaves_the_counts(world):
	before = tallies.count(tallies.NEEDS, by=("district",))
	doc = frappe.get_doc("Need", world.needs["a"])
	doc.urgent_needs = "今週中に見守りの訪問"
	doc.save()
	assert tallies.count(tallies.NEEDS, by=("district",)) == before
	assert_kept_counts_equal_the_rows()


def test_rebuild_restores_counts_that_drifted(world):
	frappe.db.sql(f"update `{tallies.NEEDS.table}` set `counted` = `counted` + 5 where `span` = 'M' limit 3")
	frappe.db.sql(f"delete from `{tallies.NEEDS.table}` where `span` = 'D' limit 3")
	drifted = tallies.differences()
	assert drifted and all(kept != counted for *_key, kept, counted in drifted)
	tallies.rebuild()
	assert_kept_counts_equal_the_rows()


def test_counts_follow_a_renamed_or_merged_district(world):
	old = make_district("T-小学校区A3", "School District", world.area_a)
	resident = make_resident("集計 改名", old, world.coordinators["l3a"], kana="シュウケイ カイメイ")
	make_need(resident, world.coordinators["l3a"])
	renamed = frappe.rename_doc("District", old, "T-小学校区A3改", force=True)
	assert frappe.db.count("Need", {"district": renamed}) == 1
	assert_kept_counts_equal_the_rows()
	frappe.rename_doc("District", renamed, world.a2, merge=True, force=True)
	assert_kept_counts_equal_the_rows()


def test_counts_follow_a_renamed_category(world):
	frappe.get_doc(
		{"doctype": "Need Category", "category_name": "T-集計分類", "parent_need_category": "その他"}
	).insert()
	resident = make_resident("集計 分類", world.a1, world.coordinators["l3a"], kana="シュウケイ ブンルイ")
	make_need(resident, world.coordinators["l3a"], category="T-集計分類")
	frappe.rename_doc("Need Category", "T-集計分類", "T-集計分類改", force=True)
	assert_kept_counts_equal_the_rows()


# As every role reads them: the counts and the rows give the same answer
# ---------------------------------------------------------------------


@pytest.fixture
def spread(world):
	"""Needs in both areas over two years, in several categories and statuses, one lifted, one shared
	with the Layer 2 coordinator of area A although it is in area B."""
	days = [TODAY, add_days(TODAY, -3), add_days(TODAY, -35), add_days(TODAY, -200), add_days(TODAY, -500)]
	kinds = [
		("買い物", "New"),
		("配食", "Supporting"),
		("見守り・安否確認", "Resolved"),
		("外出・移動", "Withdrawn"),
	]
	names = []
	for n, day in enumerate(days):
		for district in (world.a1, world.a2, world.b1):
			category, status = kinds[(n + len(names)) % len(kinds)]
			names.append(add_report_need(world, district, category, day, status))
	lift_needs([names[0]], title="集計 A1の課題")
	shared = names[2]  # in B1
	share_case("Need", shared, "Legal Basis", user=world.users["l2a"], legal_basis=SUPPORT_COUNCIL)
	return names


PERIODS = [
	(None, None),
	(add_days(TODAY, -364), TODAY),
	(add_days(TODAY, -59), TODAY),
	(TODAY.replace(day=1), TODAY),
	(add_days(TODAY, -700), add_days(TODAY, -100)),
]
ASKS = [
	{"by": ("district", "primary_category")},
	{"by": ("primary_category",), "statuses": statuses.UNMET_NEED_STATUSES},
	{"by": ("district",), "lifted_only": True},
	{"by": ("status",)},
	{"by": ("recorded_month",)},
	{"by": ("recorded_by",), "statuses": statuses.UNMET_NEED_STATUSES},
	{"by": ("recorded_by", "status")},
]


@pytest.mark.parametrize("user", ["manager", "l1", "l2a", "l2b", "scsa", "l3a", "l3b"])
def test_counts_equal_counting_the_rows_for_every_role(world, spread, user):
	frappe.set_user(world.users[user])
	try:
		for district in (None, world.area_a, world.b1):
			for start, end in PERIODS:
				p = queries.parse_filters({"district": district, "from_date": start, "to_date": end}, None)
				for ask in ASKS:
					kept = queries.count_needs(p, start, end, **ask)
					counted = queries._count_need_rows(
						p, start, end, ask.get("statuses"), ask["by"], ask.get("lifted_only", False)
					)
					assert kept == counted, (user, district, start, end, ask)
	finally:
		frappe.set_user("Administrator")


def test_a_layer_3_coordinator_counts_its_own_cases(world, spread):
	frappe.set_user(world.users["l3a"])
	try:
		p = queries.parse_filters({}, None)
		counts = queries.count_needs(p, by=())
	finally:
		frappe.set_user("Administrator")
	own = frappe.db.count(
		"Need", {"recorded_by": world.coordinators["l3a"], "district": ["in", list(p.districts)]}
	)
	assert counts.get((), 0) == own > 0


def test_no_count_without_the_right_to_read_needs(world):
	frappe.set_user(world.users["cma"])  # a council member reads no need
	try:
		with pytest.raises(frappe.PermissionError):
			queries.count_needs(queries.parse_filters({}, None))
	finally:
		frappe.set_user("Administrator")


def test_the_tally_table_is_no_doctype(world):
	"""Nothing of Frappe's reads it: no DocType, so no REST, list, report or search endpoint."""
	assert not frappe.db.exists("DocType", {"name": ("like", "%tally%")})
	assert all(frappe.db.sql("show tables like %s", t.table) for t in tallies.TALLIES)


def test_period_with_no_whole_month(world):
	start = datetime.date(TODAY.year, TODAY.month, 1)
	counts = tallies.count(tallies.NEEDS, None, start, start)
	expected = frappe.db.count("Need", {"recorded_on": start})
	assert counts.get((), 0) == expected


@pytest.mark.parametrize("user", ["manager", "l2a"])
def test_the_reports_read_the_kept_counts_not_the_rows(world, spread, user):
	"""Counts read for a district the viewer reads whole come from the table: a drift shows."""
	frappe.set_user(world.users[user])
	try:
		p = queries.parse_filters({"district": world.a1}, None)
		before = queries.count_needs(p, by=())
		month = TODAY.replace(day=1)
		frappe.db.sql(
			f"""insert into `{tallies.NEEDS.table}` values ('M', %s, %s, '買い物', 'New', 0, 100)
			on duplicate key update `counted` = `counted` + 100""",
			(month, world.a1),
		)
		assert queries.count_needs(p, by=()).get((), 0) == before.get((), 0) + 100
	finally:
		frappe.set_user("Administrator")


# Support plans
# -------------


def test_every_change_of_a_plan_moves_its_counts(world):
	need = add_report_need(world, world.a1, "配食", add_days(TODAY, -30))
	plan = add_report_plan(world, "l3a", world.a1, add_days(TODAY, 10), needs=(need,))
	assert_kept_counts_equal_the_rows()

	doc = frappe.get_doc("Support Plan", plan)
	doc.coordinator = world.coordinators["l2a"]  # another coordinator
	doc.append(
		"monitoring",
		{
			"monitoring_date": TODAY,
			"observation": "様子を確認",
			"outcome": "Continue",
			"next_review_date": add_days(TODAY, 40),
		},
	)  # another next review date
	doc.save()
	assert frappe.db.get_value("Support Plan", plan, "next_review_date") == add_days(TODAY, 40)
	assert_kept_counts_equal_the_rows()

	doc.reload()
	doc.start_date = add_days(TODAY, -400)  # started in another month and year
	doc.save()
	assert_kept_counts_equal_the_rows()

	tallies.set_values("Support Plan", plan, {"status": "Completed"})  # no longer active
	assert_kept_counts_equal_the_rows()

	frappe.delete_doc("Support Plan", plan, force=True)
	assert_kept_counts_equal_the_rows()


def test_counts_follow_a_renamed_coordinator(world):
	coordinator = frappe.get_doc("Coordinator", world.coordinators["l3a"])
	need = add_report_need(world, world.a1, "配食", add_days(TODAY, -5))
	add_report_plan(world, "l3a", world.a1, add_days(TODAY, 3), needs=(need,))
	renamed = frappe.rename_doc("Coordinator", coordinator.name, f"{coordinator.name}-改", force=True)
	assert frappe.db.count("Support Plan", {"coordinator": renamed}) > 0
	assert_kept_counts_equal_the_rows()


@pytest.fixture
def plans(world, spread):
	"""Active plans in both areas with reviews overdue, due and later, one completed, started in
	several months."""
	made = []
	for n, (district, key) in enumerate([(world.a1, "l3a"), (world.a2, "l2a"), (world.b1, "l3b")] * 3):
		status = "Completed" if n == 4 else "Active"
		made.append(add_report_plan(world, key, district, add_days(TODAY, -20 + 15 * n), status=status))
	for n, plan in enumerate(made):
		tallies.set_values("Support Plan", plan, {"start_date": add_days(TODAY, -90 * n)})
	return made


def plans_on_rows(p, fields, filters, group_by):
	"""The same figure counted on the rows with frappe.get_list as the viewer."""
	district = [["district", "in", queries.in_filter(p.districts)]] if p.districts is not None else []
	rows = frappe.get_list(
		"Support Plan",
		fields=[*fields, "count(*) as n"],
		filters=district + filters,
		group_by=group_by,
		order_by=group_by,
		limit_page_length=0,
		as_list=True,
	)
	return {tuple(row[:-1]): row[-1] for row in rows}


@pytest.mark.parametrize("user", ["manager", "l1", "l2a", "l2b", "scsa", "l3a", "l3b"])
def test_plan_counts_equal_counting_the_rows_for_every_role(world, plans, user):
	frappe.set_user(world.users[user])
	try:
		for district in (None, world.area_a, world.b1):
			for start, end in PERIODS[1:]:
				p = queries.parse_filters({"district": district, "from_date": start, "to_date": end}, None)
				for until in (add_days(TODAY, -1), add_days(TODAY, 30)):
					reviews = {
						(coordinator, day): n for coordinator, day, n in queries.plan_reviews(p, until)
					}
					assert reviews == plans_on_rows(
						p,
						["coordinator", "next_review_date"],
						[["status", "=", "Active"], ["next_review_date", "<=", until]],
						"coordinator, next_review_date",
					), (user, district, until)
				active = {(c,): n for c, n in queries.active_plans_by_coordinator(p).items()}
				assert active == plans_on_rows(p, ["coordinator"], [["status", "=", "Active"]], "coordinator")
				individual = {
					(c,): n for c, n in queries.active_plans_by_coordinator(p, "Individual").items()
				}
				assert individual == plans_on_rows(
					p,
					["coordinator"],
					[["status", "=", "Active"], ["scope", "=", "Individual"]],
					"coordinator",
				)
				started = {(scope,): n for scope, n in queries.plans_started(p).items()}
				assert started == plans_on_rows(
					p, ["scope"], [["start_date", ">=", start], ["start_date", "<=", end]], "scope"
				), (user, district, start, end)
	finally:
		frappe.set_user("Administrator")


def test_the_plan_reports_read_the_kept_counts(world, plans):
	p = queries.parse_filters({"district": world.a1}, None)
	before = queries.active_plans_by_coordinator(p)
	frappe.db.sql(
		f"""insert into `{tallies.ACTIVE_PLANS.table}` values (%s, 'Individual', %s, %s, 7)
		on duplicate key update `counted` = `counted` + 7""",
		(world.a1, world.coordinators["l3a"], TODAY),
	)
	after = queries.active_plans_by_coordinator(p)
	assert after[world.coordinators["l3a"]] == before.get(world.coordinators["l3a"], 0) + 7
