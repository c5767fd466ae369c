"""The district CSV loader's pure half (`chiiki_care.setup.district_csv`), checked without Frappe.

Run: python3 -m pytest -q tests/unit/test_district_csv.py
"""

import datetime
import re
from pathlib import Path

import pytest

from chiiki_care.setup import district_csv

D = datetime.date
AS_OF = D(2026, 11, 29)
APP_DIR = Path(__file__).resolve().parents[2] / "chiiki_care"
SETUP_DIR = APP_DIR / "setup"
DATA_DIR = APP_DIR / "demo_data"

ENGLISH = """district_name,district_type,parent_district,support_center,population_total,population_65_plus,population_as_of
Midori,City,,,120000,36000,2024-04-01
North,Daily-life Area,Midori,North Centre,"62,000",１８５００,2024/04/01
North 1,School District,North,North Centre,31000,9200,2024年4月1日

North 2,School District,North,,,,
"""


def test_parse_english_headers_numbers_and_dates():
	rows, problems = district_csv.parse_district_csv(ENGLISH)
	assert not problems
	assert [r.line for r in rows] == [2, 3, 4, 6]
	north = rows[1]
	assert (north.district_type, north.population_total, north.population_65_plus) == (
		district_csv.AREA,
		62_000,
		18_500,
	)
	assert north.population_as_of == D(2024, 4, 1) == rows[2].population_as_of
	assert rows[3].population_total is None and rows[3].support_center == ""


def test_parse_japanese_headers_and_types_and_shift_jis():
	text = "地区名,種別,上位地区\nみどり市,市全域,\n北部,日常生活圏域,みどり市\n北小,小学校区,北部\n"
	rows, problems = district_csv.parse_district_csv(district_csv.decode_csv_bytes(text.encode("cp932")))
	assert not problems
	assert [r.district_type for r in rows] == [district_csv.CITY, district_csv.AREA, district_csv.SCHOOL]
	assert district_csv.decode_csv_bytes(("\ufeff" + text).encode("utf-8")) == text


def test_shipped_template_is_valid():
	text = (DATA_DIR / "districts_template_ja.csv").read_text(encoding="utf-8")
	rows, problems = district_csv.parse_district_csv(text)
	assert not problems
	assert not district_csv.check_district_rows(rows, {}, today=AS_OF)


@pytest.mark.parametrize(
	"text,code",
	[
		("", "empty_file"),
		("district_name,district_type\n", "no_rows"),
		("district_name,kind\nA,City\n", "unknown_column"),
		("district_name,parent_district\nA,\n", "missing_column"),
		("district_name,district_type,district_type\nA,City,City\n", "duplicate_column"),
		("district_name,district_type\nA,City,extra\n", "too_many_values"),
		("district_name,district_type\n,City\n", "missing_name"),
		("district_name,district_type\nA,\n", "missing_type"),
		("district_name,district_type\nA,Prefecture\n", "unknown_type"),
		("district_name,district_type,population_total\nA,City,many\n", "not_a_number"),
		("district_name,district_type,population_as_of\nA,City,2024-13-01\n", "not_a_date"),
		("district_name,district_type,is_illustrative\nA,City,maybe\n", "not_a_flag"),
	],
)
def test_parse_reports_unreadable_rows(text, code):
	_rows, problems = district_csv.parse_district_csv(text)
	assert code in {p.code for p in problems}


def test_a_bad_file_reports_every_problem_in_one_pass():
	text = (
		"地区名,種別,上位地区,総人口,65歳以上人口\n"
		"みどり市,市全域,,120000,36000\n"
		"北部,圏域X,みどり市,abc,100\n"
		"南部,日常生活圏域,どこか,1000,2000\n"
		"北小,小学校区,みどり市,10,5\n"
		"北小,小学校区,南部,10,5\n"
	)
	rows, problems = district_csv.parse_district_csv(text)
	problems += district_csv.check_district_rows(rows, {"枚方市": district_csv.CITY}, today=AS_OF)
	found = {(p.line, p.code) for p in problems}
	assert found == {
		(2, "city_exists"),
		(3, "unknown_type"),
		(3, "not_a_number"),
		(4, "unknown_parent"),
		(4, "aged_exceeds_total"),
		(5, "wrong_parent_type"),
		(6, "duplicate_name"),
	}


def _rows(*specs):
	return [
		district_csv.DistrictRow(
			line=i, district_name=name, district_type=kind, parent_district=parent, **extra
		)
		for i, (name, kind, parent, extra) in enumerate(specs, start=2)
	]


@pytest.mark.parametrize(
	"specs,existing,code",
	[
		((("A", district_csv.CITY, "", {}), ("A", district_csv.CITY, "", {})), {}, "duplicate_name"),
		((("A", district_csv.CITY, "", {}), ("B", district_csv.CITY, "", {})), {}, "second_city_in_file"),
		((("A", district_csv.CITY, "", {}),), {"Z": district_csv.CITY}, "city_exists"),
		(
			(("A", district_csv.AREA, "Z", {}),),
			{"A": district_csv.SCHOOL, "Z": district_csv.CITY},
			"type_change",
		),
		((("A", district_csv.CITY, "X", {}),), {}, "city_with_parent"),
		((("A", district_csv.AREA, "", {}),), {}, "missing_parent"),
		((("A", district_csv.AREA, "A", {}),), {}, "own_parent"),
		((("A", district_csv.AREA, "Nowhere", {}),), {}, "unknown_parent"),
		((("C", district_csv.CITY, "", {}), ("S", district_csv.SCHOOL, "C", {})), {}, "wrong_parent_type"),
		((("C", district_csv.CITY, "", {"population_total": -1}),), {}, "negative"),
		(
			(("C", district_csv.CITY, "", {"population_total": 10, "population_65_plus": 11}),),
			{},
			"aged_exceeds_total",
		),
		((("C", district_csv.CITY, "", {"population_as_of": D(2030, 1, 1)}),), {}, "future_date"),
	],
)
def test_check_finds_each_problem(specs, existing, code):
	problems = district_csv.check_district_rows(_rows(*specs), existing, today=AS_OF)
	assert code in {p.code for p in problems}


def test_check_accepts_parents_already_on_the_site_and_updates():
	rows = _rows(("School", district_csv.SCHOOL, "Area", {}), ("Area", district_csv.AREA, "City", {}))
	assert not district_csv.check_district_rows(
		rows, {"City": district_csv.CITY, "Area": district_csv.AREA}, today=AS_OF
	)
	assert [r.district_name for r in district_csv.order_district_rows(rows)] == ["Area", "School"]


def test_every_problem_has_a_message():
	"""chiiki_care.setup.districts.problem_message knows every code the checks can produce."""
	source = (SETUP_DIR / "districts.py").read_text(encoding="utf-8")
	checks_source = (SETUP_DIR / "district_csv.py").read_text(encoding="utf-8")
	codes = set(re.findall(r'RowProblem\([^,]+, "([a-z_]+)"', checks_source))
	assert codes
	for code in codes:
		assert f'code == "{code}"' in source, code
