"""The kept counts of needs (chiiki_care/reporting/tallies.py) equal counting the rows: after every
kind of change a need goes through, after a rebuild, after renames, and as every role reads them."""

import datetime

import frappe
import pytest
from frappe.model.workflow import apply_workflow
from frappe.utils import add_days, getdate, today

from chiiki_care.access.consent import share_case
from chiiki_care.chiiki_care.doctype.need.need import lift_needs
from chiiki_care.domain import statuses
from chiiki_care.reporting import queries, tallies
from tests.integration.factories import add_report_need, make_district, make_need, make_resident

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
	before = tallies.count(None, None, None, None, by=("district",))
	doc = frappe.get_doc("Need", world.needs["a"])
	doc.urgent_needs = "今週中に見守りの訪問"
	doc.save()
	assert tallies.count(None, None, None, None, by=("district",)) == before
	assert_kept_counts_equal_the_rows()


def test_rebuild_restores_counts_that_drifted(world):
	frappe.db.sql(f"update `{tallies.TABLE}` set `needs` = `needs` + 5 where `span` = 'M' limit 3")
	frappe.db.sql(f"delete from `{tallies.TABLE}` where `span` = 'D' limit 3")
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
	assert frappe.db.sql("show tables like %s", tallies.TABLE)


def test_period_with_no_whole_month(world):
	start = datetime.date(TODAY.year, TODAY.month, 1)
	counts = tallies.count(None, None, start, start, by=())
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
			f"""insert into `{tallies.TABLE}` values ('M', %s, %s, '買い物', 'New', 0, 100)
			on duplicate key update `needs` = `needs` + 100""",
			(month, world.a1),
		)
		assert queries.count_needs(p, by=()).get((), 0) == before.get((), 0) + 100
	finally:
		frappe.set_user("Administrator")
