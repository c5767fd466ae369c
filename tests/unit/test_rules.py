import datetime

import pytest

from chiiki_care.domain import rules

D = datetime.date
TODAY = D(2026, 11, 29)


def test_future_and_implausible_dates():
	assert rules.is_future(D(2026, 11, 30), TODAY)
	assert not rules.is_future(TODAY, TODAY)
	assert not rules.is_future(None, TODAY)
	assert rules.is_implausibly_old(D(1899, 12, 31))
	assert not rules.is_implausibly_old(D(1900, 1, 1))


@pytest.mark.parametrize(
	"birth,expected",
	[(D(1940, 11, 29), 86), (D(1940, 11, 30), 85), (D(1940, 2, 29), 86), (D(1942, 12, 1), 83)],
)
def test_age_on(birth, expected):
	assert rules.age_on(birth, TODAY) == expected


def test_district_tree_shape():
	assert rules.expected_parent_type("City") is None
	assert rules.expected_parent_type("Daily-life Area") == "City"
	assert rules.expected_parent_type("School District") == "Daily-life Area"
	assert rules.is_group_type("City") and rules.is_group_type("Daily-life Area")
	assert not rules.is_group_type("School District")


@pytest.mark.parametrize(
	"layer,types,problem",
	[
		("Layer 1", ["City"], None),
		("Layer 1", [], None),
		("Layer 1", ["School District"], "layer_1_not_city"),
		("Layer 1", ["City", "Daily-life Area"], "layer_1_not_city"),
		("Layer 2", ["Daily-life Area"], None),
		("Layer 2", [], "no_districts"),
		("Layer 2", ["City"], "city_below_layer_1"),
		("Layer 3", ["School District", "School District"], None),
		("Layer 3", ["School District", "City"], "city_below_layer_1"),
	],
)
def test_coordinator_layer_and_districts(layer, types, problem):
	assert rules.coordinator_district_problem(layer, types) == problem


@pytest.mark.parametrize(
	"layer,district_type,problem",
	[
		("Layer 1", "City", None),
		("Layer 1", None, None),
		("Layer 1", "School District", "layer_1_not_city"),
		("Layer 2", None, "layer_2_without_district"),
		("Layer 2", "City", "layer_2_city"),
		("Layer 2", "School District", None),
		("Layer 2", "Daily-life Area", None),
	],
)
def test_council_layer_and_district(layer, district_type, problem):
	assert rules.council_district_problem(layer, district_type) == problem


def test_next_review_date_follows_interval_and_latest_monitoring():
	start = D(2026, 10, 1)
	assert rules.next_review_date(start, 4, []) == D(2026, 10, 29)
	# the latest entry wins, whatever the order of the log
	log = [(D(2026, 11, 20), None), (D(2026, 10, 29), D(2026, 11, 5))]
	assert rules.next_review_date(start, 4, log) == D(2026, 12, 18)
	log = [(D(2026, 10, 29), None), (D(2026, 11, 20), D(2026, 12, 1))]
	assert rules.next_review_date(start, 4, log) == D(2026, 12, 1)


def test_overdue():
	assert rules.is_overdue(D(2026, 11, 28), TODAY)
	assert not rules.is_overdue(TODAY, TODAY)
	assert not rules.is_overdue(None, TODAY)


@pytest.mark.parametrize(
	"a,b",
	[
		("やまだ たろう", "ヤマダタロウ"),
		("ﾔﾏﾀﾞ ﾀﾛｳ", "ヤマダ　タロウ"),
		("すずき　はな", "スズキハナ"),
	],
)
def test_normalize_kana_folds_scripts_width_and_spaces(a, b):
	assert rules.normalize_kana(a) == rules.normalize_kana(b)


@pytest.mark.parametrize(
	"text,ok",
	[
		("ヤマダ タロウ", True),
		("やまだ たろう", True),
		("ﾔﾏﾀﾞ", True),
		("山田", False),
		("Yamada", False),
		("", False),
	],
)
def test_is_kana(text, ok):
	assert rules.is_kana(text) is ok


@pytest.mark.parametrize("count,shown", [(0, 0), (1, "<3"), (2, "<3"), (3, 3), (40, 40)])
def test_small_counts_are_masked(count, shown):
	assert rules.mask_small_count(count) == shown


@pytest.mark.parametrize(
	"text,expected",
	[
		("昭和15年4月1日", D(1940, 4, 1)),
		("S15.4.1", D(1940, 4, 1)),
		("ｓ１５．４．１", D(1940, 4, 1)),
		("平成元年1月8日", D(1989, 1, 8)),
		("R2/1/1", D(2020, 1, 1)),
		("大正14年12月31日", D(1925, 12, 31)),
		("昭和64年1月8日", None),
		("平成元年1月7日", None),
		("昭和15年2月30日", None),
		("1940-04-01", None),
		("", None),
	],
)
def test_parse_wareki(text, expected):
	assert rules.parse_wareki(text) == expected


def test_format_wareki_round_trips():
	for value in (D(1940, 4, 1), D(1989, 1, 8), D(2019, 5, 1), D(1926, 12, 25)):
		assert rules.parse_wareki(rules.format_wareki(value)) == value
	assert rules.format_wareki(D(1989, 1, 8)) == "平成元年1月8日"


def test_normalize_name_folds_width_spaces_and_dashes():
	assert rules.normalize_name("枚方市 大垣内町２－１") == rules.normalize_name("枚方市大垣内町2-1")
	assert rules.normalize_name("山田　太郎") == rules.normalize_name("山田太郎")


def test_finished_plans_have_no_next_review():
	start = D(2026, 10, 1)
	assert rules.plan_next_review_date("Active", start, 4, []) == D(2026, 10, 29)
	assert rules.plan_next_review_date("Completed", start, 4, []) is None
	assert rules.plan_next_review_date("Cancelled", start, 4, [(D(2026, 10, 5), None)]) is None


@pytest.mark.parametrize(
	"day,months,expected",
	[
		(datetime.date(2026, 1, 31), 1, datetime.date(2026, 2, 28)),
		(datetime.date(2028, 1, 31), 1, datetime.date(2028, 2, 29)),
		(datetime.date(2026, 11, 30), 1, datetime.date(2026, 12, 30)),
		(datetime.date(2026, 12, 15), 12, datetime.date(2027, 12, 15)),
		(datetime.date(2026, 3, 31), 25, datetime.date(2028, 4, 30)),
	],
)
def test_add_months_keeps_the_day_or_takes_the_months_last(day, months, expected):
	assert rules.add_months(day, months) == expected


def test_a_resource_is_due_for_checking_an_interval_after_its_last_check():
	recorded, checked = datetime.date(2025, 4, 1), datetime.date(2026, 2, 10)
	assert rules.verification_due_on(checked, recorded, 12) == datetime.date(2027, 2, 10)
	assert rules.verification_due_on(None, recorded, 6) == datetime.date(2025, 10, 1)  # never checked
	due = datetime.date(2026, 12, 1)
	assert not rules.is_verification_overdue(due, due)
	assert rules.is_verification_overdue(due, due + datetime.timedelta(days=1))
	assert not rules.is_verification_overdue(None, due)


@pytest.mark.parametrize(
	"months,ok", [(1, True), (12, True), (60, True), (0, False), (61, False), ("12", False)]
)
def test_verification_interval_bounds(months, ok):
	assert rules.is_verification_interval(months) is ok
