"""The arithmetic of the reports (chiiki_care.reporting.figures), without Frappe."""

import datetime

import pytest

from chiiki_care.reporting import figures as logic
from chiiki_care.reporting.figures import IssueFacts, Node, Resource, Tree

D = datetime.date


@pytest.fixture
def tree():
	"""A city with two areas; area A has two school districts, area B one."""
	return Tree(
		[
			Node("市", None, logic.CITY, 1),
			Node("圏域A", "市", logic.DAILY_LIFE_AREA, 2),
			Node("A1", "圏域A", logic.SCHOOL_DISTRICT, 3, 1200),
			Node("A2", "圏域A", logic.SCHOOL_DISTRICT, 5, 900),
			Node("圏域B", "市", logic.DAILY_LIFE_AREA, 8, 5000),
			Node("B1", "圏域B", logic.SCHOOL_DISTRICT, 9, 1000),
		]
	)


@pytest.fixture
def categories():
	return Tree(
		[
			Node("すべて", None, "group", 1),
			Node("買い物", "すべて", None, 2),
			Node("配食", "すべて", None, 4),
			Node("外出・移動", "すべて", None, 6),
		]
	)


# masking, rates, changes


@pytest.mark.parametrize("count,shown", [(0, 0), (1, "<3"), (2, "<3"), (3, 3), (120, 120), (None, 0)])
def test_small_counts_are_masked(count, shown):
	assert logic.mask(count) == shown


def test_rate_per_thousand():
	assert logic.rate_per_thousand(12, 1200) == 10.0
	assert logic.rate_per_thousand(7, 900) == 7.78
	assert logic.rate_per_thousand(5, None) is None
	assert logic.rate_per_thousand(5, 0) is None


def test_a_rate_or_change_that_would_reveal_a_masked_count_is_hidden():
	assert logic.masked_rate(2, 1000) is None
	assert logic.masked_rate(3, 1000) == 3.0
	assert logic.masked_change(5, 2) == (None, None)
	assert logic.masked_change(2, 5) == (None, None)
	assert logic.masked_change(9, 3) == (6, 200.0)
	assert logic.masked_change(4, 0) == (4, None)  # no percentage against nothing


def test_change_against_previous_period():
	assert logic.change(9, 2) == (7, 350.0)
	assert logic.change(3, 6) == (-3, -50.0)
	assert logic.change(0, 0) == (0, None)


def test_chart_values_are_numbers():
	assert [logic.chart_value(v) for v in (4, "<3", None, 2.5)] == [4, 0, 0, 2.5]


# periods


def test_previous_period_has_the_same_length_and_ends_the_day_before():
	assert logic.previous_period(D(2025, 4, 1), D(2025, 6, 30)) == (D(2024, 12, 31), D(2025, 3, 31))
	assert logic.previous_period(D(2025, 3, 1), D(2025, 3, 1)) == (D(2025, 2, 28), D(2025, 2, 28))


def test_fiscal_year_runs_from_april():
	assert logic.fiscal_year_of(D(2025, 3, 31)) == 2024
	assert logic.fiscal_year_of(D(2025, 4, 1)) == 2025
	assert logic.fiscal_year_bounds(2024) == (D(2024, 4, 1), D(2025, 3, 31))
	assert logic.fiscal_year_bounds(2023) == (D(2023, 4, 1), D(2024, 3, 31))


def test_month_before():
	assert logic.month_before(D(2025, 1, 1)) == (D(2024, 12, 1), D(2024, 12, 31))
	assert logic.month_before(D(2024, 3, 15)) == (D(2024, 2, 1), D(2024, 2, 29))


def test_review_buckets():
	today = D(2025, 6, 15)
	assert logic.review_bucket(D(2025, 5, 31), today, 14) == "long_overdue"
	assert logic.review_bucket(D(2025, 6, 1), today, 14) == "overdue"  # 14 days late: not yet long
	assert logic.review_bucket(D(2025, 6, 14), today, 14) == "overdue"
	assert logic.review_bucket(D(2025, 6, 15), today, 14) == "due"
	assert logic.review_bucket(D(2025, 6, 29), today, 14) == "due"
	assert logic.review_bucket(D(2025, 6, 30), today, 14) is None
	assert logic.review_bucket(None, today, 14) is None


def test_review_counts_per_coordinator():
	today = D(2025, 6, 15)
	counts = logic.review_counts(
		[
			("C1", D(2025, 5, 1), 2),
			("C1", D(2025, 6, 10), 1),
			("C1", D(2025, 6, 20), 4),
			("C2", D(2025, 8, 1), 3),
			(None, D(2025, 6, 16), 1),
		],
		today,
		7,
	)
	assert counts == {
		"C1": {"overdue": 3, "long_overdue": 2, "due": 4, "total": 7},
		None: {"overdue": 0, "long_overdue": 0, "due": 1, "total": 1},
	}


# the district tree


def test_tree_walks_and_rolls_up(tree):
	assert tree.ancestors_or_self("A2") == ["A2", "圏域A", "市"]
	assert tree.is_within("A2", "圏域A") and tree.is_within("A2", "A2") and not tree.is_within("A2", "圏域B")
	assert tree.descendants_or_self("圏域A") == {"圏域A", "A1", "A2"}
	assert tree.subtree(None) is None
	assert tree.subtree(["圏域B", "A1"]) == {"圏域B", "B1", "A1"}
	assert tree.unit_of("A2", logic.DAILY_LIFE_AREA) == "圏域A"
	assert tree.unit_of("A2", logic.CITY) == "市"
	assert tree.unit_of("圏域A", logic.SCHOOL_DISTRICT) == "圏域A"  # above the level: itself
	assert tree.units(logic.SCHOOL_DISTRICT) == ["A1", "A2", "B1"]


def test_population_is_own_figure_or_the_sum_below(tree):
	assert tree.population_65("A1") == 1200
	assert tree.population_65("圏域A") == 2100  # no figure of its own: its school districts
	assert tree.population_65("圏域B") == 5000  # its own figure wins
	assert tree.population_65("市") == 7100


def test_units_in_view_follow_the_viewers_districts(tree):
	assert logic.units_in_view(tree, logic.SCHOOL_DISTRICT, None) == ["A1", "A2", "B1"]
	assert logic.units_in_view(tree, logic.SCHOOL_DISTRICT, {"圏域A", "A1", "A2"}) == ["A1", "A2"]
	assert logic.units_in_view(tree, logic.DAILY_LIFE_AREA, {"A1"}) == ["圏域A"]
	assert logic.units_in_view(tree, logic.SCHOOL_DISTRICT, set()) == []


# ニーズ集計


def test_needs_summary_by_district_and_category(tree):
	current = {("A1", "買い物"): 9, ("A2", "買い物"): 1, ("B1", "配食"): 4}
	previous = {("A1", "買い物"): 2, ("B1", "配食"): 4}
	rows, total = logic.needs_summary(
		current, previous, tree, logic.SCHOOL_DISTRICT, ["A1", "A2", "B1"], category_order=["買い物", "配食"]
	)
	assert [(r["district"], r["category"], r["needs"], r["previous_needs"]) for r in rows] == [
		("A1", "買い物", 9, 2),
		("A2", "買い物", 1, 0),
		("B1", "配食", 4, 4),
	]
	assert rows[0]["change"] == 7 and rows[0]["change_percent"] == 350.0
	assert rows[0]["rate_per_1000"] == 7.5
	assert total["needs"] == 14 and total["previous_needs"] == 6
	assert total["population_65_plus"] == 3100 and total["rate_per_1000"] == round(14000 / 3100, 2)
	shown = logic.mask_needs_row(rows[1])
	assert shown["needs"] == "<3" and shown["rate_per_1000"] is None and shown["change"] is None


def test_needs_summary_rolls_up_and_lists_every_unit(tree):
	current = {("A1", "買い物"): 5, ("A2", "配食"): 2}
	rows, _total = logic.needs_summary(
		current, {}, tree, logic.DAILY_LIFE_AREA, ["圏域A", "圏域B"], logic.GROUP_BY_DISTRICT
	)
	assert [(r["district"], r["needs"], r["rate_per_1000"]) for r in rows] == [
		("圏域A", 7, round(7000 / 2100, 2)),
		("圏域B", 0, 0.0),
	]
	rows, _total = logic.needs_summary(
		current, {}, tree, logic.SCHOOL_DISTRICT, ["A1"], logic.GROUP_BY_CATEGORY
	)
	assert [(r["category"], r["needs"]) for r in rows] == [("買い物", 5), ("配食", 2)]


# 資源ギャップ


def test_resources_serve_their_district_those_below_and_the_area_they_lie_in(tree):
	area_wide = Resource("R1", ("圏域A",), ("配食",))
	local = Resource("R2", ("A1",), ("買い物",))
	assert logic.resource_serves(area_wide, "A2", tree)
	assert logic.resource_serves(local, "A1", tree) and not logic.resource_serves(local, "A2", tree)
	assert logic.resource_serves(local, "圏域A", tree)  # at area level, A1's resource is in the area
	assert not logic.resource_serves(area_wide, "B1", tree)


def test_a_resource_for_a_parent_category_answers_its_children(categories):
	assert logic.resource_answers(Resource("R", (), ("すべて",)), "買い物", categories)
	assert not logic.resource_answers(Resource("R", (), ("配食",)), "買い物", categories)


def test_gaps_are_needs_without_a_resource(tree, categories):
	resources = [Resource("R1", ("圏域A",), ("配食",)), Resource("R2", ("A1",), ("買い物",))]
	counts = logic.resource_counts(
		resources, tree, ["A1", "A2", "B1"], categories, ["買い物", "配食", "外出・移動"]
	)
	assert counts == {("A1", "配食"): 1, ("A2", "配食"): 1, ("A1", "買い物"): 1}
	needs = {("A1", "買い物"): 6, ("A2", "外出・移動"): 2, ("B1", "配食"): 4}
	rows = logic.gap_rows(needs, counts, tree, ["A1", "A2", "B1"], ["買い物", "配食", "外出・移動"])
	table = {(r["district"], r["category"]): (r["open_needs"], r["resources"], r["gap"]) for r in rows}
	assert table == {
		("A1", "買い物"): (6, 1, False),
		("A1", "配食"): (0, 1, False),
		("A2", "配食"): (0, 1, False),
		("A2", "外出・移動"): (2, 0, True),
		("B1", "配食"): (4, 0, True),
	}
	gaps = logic.gap_rows(needs, counts, tree, ["A1", "A2", "B1"], [], gaps_only=True)
	assert [(r["district"], r["category"]) for r in gaps] == [("A2", "外出・移動"), ("B1", "配食")]
	shown = logic.mask_gap_row(gaps[0])
	assert shown["open_needs"] == "<3" and shown["gap"]
	assert logic.gap_by_unit(rows)["A2"] == {"open_needs": 2, "gaps": ["外出・移動"], "categories": 2}


# 地域課題の流れ, 協議体活動, 実績


def test_issue_flow_per_unit(tree):
	issues = [
		IssueFacts("I1", "A1", "Resolved", discussed=True, planned=True),
		IssueFacts("I2", "圏域A", "In Discussion", discussed=True),
		IssueFacts("I3", "B1", "Raised"),
	]
	rows, total = logic.issue_flow(
		{"A1": 10, "B1": 4}, {"A1": 3}, issues, tree, logic.DAILY_LIFE_AREA, ["圏域A", "圏域B"]
	)
	assert rows == [
		{
			"district": "圏域A",
			"needs_recorded": 10,
			"needs_lifted": 3,
			"issues_raised": 2,
			"issues_discussed": 2,
			"issues_planned": 1,
			"issues_resolved": 1,
		},
		{
			"district": "圏域B",
			"needs_recorded": 4,
			"needs_lifted": 0,
			"issues_raised": 1,
			"issues_discussed": 0,
			"issues_planned": 0,
			"issues_resolved": 0,
		},
	]
	assert total["issues_raised"] == 3 and total["needs_recorded"] == 14


def test_council_activity_row():
	activity = logic.CouncilActivity("会議A", meetings=2, attendance=15, issues={"I1", "I2"}, decisions=3)
	row = activity.as_row()
	assert row["average_attendance"] == 7.5 and row["issues_discussed"] == 2
	assert logic.CouncilActivity("会議B").as_row()["average_attendance"] is None


def test_coordinators_in_post_during_a_year():
	start, end = D(2024, 4, 1), D(2025, 3, 31)
	assert logic.coordinator_serves_in(None, None, True, start, end)
	assert not logic.coordinator_serves_in(None, None, False, start, end)
	assert logic.coordinator_serves_in(D(2020, 4, 1), None, True, start, end)
	assert logic.coordinator_serves_in(D(2020, 4, 1), D(2024, 9, 30), False, start, end)
	assert not logic.coordinator_serves_in(D(2025, 4, 1), None, True, start, end)
	assert not logic.coordinator_serves_in(D(2020, 4, 1), D(2024, 3, 31), False, start, end)


def test_sum_and_mask_rows():
	rows = [{"a": 1, "b": 5}, {"a": 1, "b": None}]
	assert logic.sum_rows(rows, ("a", "b")) == {"a": 2, "b": 5}
	assert logic.mask_counts({"a": 2, "b": 5, "x": "y"}, ("a", "b")) == {"a": "<3", "b": 5, "x": "y"}


def test_report_logic_does_not_need_frappe():
	import importlib
	import sys

	assert "frappe" not in importlib.import_module("chiiki_care.reporting.figures").__dict__
	assert sys.modules["chiiki_care.reporting.figures"]


# Period spans: whole months from counts per month, the days around them from counts per day


def _days_of(spans: logic.PeriodSpans, lowest: datetime.date, highest: datetime.date) -> list:
	"""Every day the spans cover between `lowest` and `highest`, in order, each once."""
	covered = []
	day = lowest
	while day <= highest:
		in_months = spans.months is not None and (
			(spans.months[0] is None or day.replace(day=1) >= spans.months[0])
			and (spans.months[1] is None or day.replace(day=1) <= spans.months[1])
		)
		in_days = [start <= day <= end for start, end in spans.days]
		assert in_months + sum(in_days) <= 1, day
		if in_months or any(in_days):
			covered.append(day)
		day += datetime.timedelta(days=1)
	return covered


@pytest.mark.parametrize(
	"start, end",
	[
		(D(2025, 12, 4), D(2026, 12, 3)),
		(D(2026, 1, 1), D(2026, 12, 31)),
		(D(2026, 3, 5), D(2026, 3, 20)),
		(D(2026, 1, 31), D(2026, 2, 1)),
		(D(2026, 2, 15), D(2026, 3, 31)),
		(D(2026, 4, 1), D(2026, 4, 30)),
		(D(2024, 2, 29), D(2024, 2, 29)),
		(D(2023, 12, 31), D(2024, 3, 1)),
	],
)
def test_period_spans_cover_every_day_of_the_period_once(start, end):
	spans = logic.period_spans(start, end)
	lowest, highest = start - datetime.timedelta(days=40), end + datetime.timedelta(days=40)
	expected = [start + datetime.timedelta(days=n) for n in range((end - start).days + 1)]
	assert _days_of(spans, lowest, highest) == expected
	for first, last in spans.days:
		assert first <= last


def test_period_spans_use_whole_months_only():
	spans = logic.period_spans(D(2025, 12, 4), D(2026, 12, 3))
	assert spans.months == (D(2026, 1, 1), D(2026, 11, 1))
	assert spans.days == ((D(2025, 12, 4), D(2025, 12, 31)), (D(2026, 12, 1), D(2026, 12, 3)))
	assert logic.period_spans(D(2026, 3, 5), D(2026, 3, 20)).months is None


def test_period_spans_without_bounds():
	assert logic.period_spans(None, None) == logic.PeriodSpans((None, None), ())
	spans = logic.period_spans(None, D(2026, 12, 3))
	assert spans.months == (None, D(2026, 11, 1)) and spans.days == ((D(2026, 12, 1), D(2026, 12, 3)),)
	spans = logic.period_spans(D(2026, 12, 3), None)
	assert spans.months == (D(2027, 1, 1), None) and spans.days == ((D(2026, 12, 3), D(2026, 12, 31)),)
	assert logic.period_spans(D(2026, 5, 2), D(2026, 5, 1)) == logic.PeriodSpans(None, ())
