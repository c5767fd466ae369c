"""The district CSV loader on a site (`bench chiiki-care-load-districts`): all or nothing, in Japanese."""

import frappe
import pytest

from chiiki_care.setup import districts

HEADER = "地区名,種別,上位地区,高齢者サポートセンター,総人口,65歳以上人口,基準日\n"


@pytest.fixture
def city(world):
	frappe.local.lang = "ja"
	return frappe.db.get_value("District", {"district_type": "City"})


def write_csv(tmp_path, text: str, encoding: str = "utf-8") -> str:
	path = tmp_path / "districts.csv"
	path.write_bytes(text.encode(encoding))
	return str(path)


def test_loads_a_tree_under_the_site_city_then_updates_it(city, tmp_path):
	text = HEADER + (
		f'L-圏域,日常生活圏域,{city},L-センター,"12,000",3400,2024年4月1日\n'
		"L-小学校区,小学校区,L-圏域,,５０００,1500,2024/04/01\n"
	)
	result = districts.load_districts_file(write_csv(tmp_path, text, "cp932"), echo=lambda _m="": None)

	assert result == {"created": 2, "updated": 0, "unchanged": 0, "centers_created": 1}
	school = frappe.get_doc("District", "L-小学校区")
	assert (school.parent_district, school.population_total, school.population_65_plus) == (
		"L-圏域",
		5000,
		1500,
	)
	assert frappe.db.get_value("District", "L-圏域", "support_center") == "L-センター"

	again = HEADER + f"L-小学校区,小学校区,L-圏域,,5100,,\nL-圏域,日常生活圏域,{city},,,,\n"
	result = districts.load_districts_file(write_csv(tmp_path, again), echo=lambda _m="": None)
	assert result == {"created": 0, "updated": 1, "unchanged": 1, "centers_created": 0}
	school.reload()
	assert (school.population_total, school.population_65_plus) == (5100, 1500)


def test_a_bad_file_loads_nothing_and_names_every_problem_in_japanese(city, tmp_path):
	text = HEADER + (
		f"L-良い圏域,日常生活圏域,{city},,,,\n"
		"L-小学校区,小学校区,どこにもない圏域,,abc,,\n"
		"L-未来,小学校区,L-良い圏域,,100,200,2999-01-01\n"
	)
	with pytest.raises(districts.DistrictLoadError) as raised:
		districts.load_districts_file(write_csv(tmp_path, text), echo=lambda _m="": None)

	messages = raised.value.messages
	assert any(m.startswith("3行目") and "どこにもない圏域" in m for m in messages), messages
	assert any(m.startswith("3行目") and "人口は整数" in m and "abc" in m for m in messages), messages
	assert any(m.startswith("4行目") and "65歳以上" in m for m in messages), messages
	assert any(m.startswith("4行目") and "2999-01-01" in m for m in messages), messages
	assert not frappe.db.exists("District", "L-良い圏域")


def test_a_second_city_is_refused(city, tmp_path):
	with pytest.raises(districts.DistrictLoadError) as raised:
		districts.load_district_rows(
			districts.district_csv.parse_district_csv(HEADER + "別の市,市全域,,,,,\n")[0],
			echo=lambda _m="": None,
		)
	assert city in raised.value.messages[0] and "別の市" in raised.value.messages[0]
	assert not frappe.db.exists("District", "別の市")
