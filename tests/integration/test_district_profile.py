"""地域カルテ: the district profile as each viewer reads it, against the reports' own figures; who
may read which profile; no resident anywhere in it; its PDF; boundaries on the needs map."""

import json

import frappe
import pytest
from frappe.utils import add_days, add_months, getdate, today

from chiiki_care.chiiki_care.report.needs_summary import needs_summary
from chiiki_care.chiiki_care.report.resource_gap import resource_gap
from chiiki_care.reporting import map, profile
from tests.integration.factories import build_report_data
from tests.integration.helpers import call_as

pytestmark = pytest.mark.usefixtures("japanese")

SQUARE = {
	"type": "FeatureCollection",
	"features": [
		{
			"type": "Feature",
			"properties": {},
			"geometry": {
				"type": "Polygon",
				"coordinates": [[[135.6, 34.8], [135.7, 34.8], [135.7, 34.9], [135.6, 34.9], [135.6, 34.8]]],
			},
		}
	],
}


@pytest.fixture(scope="module")
def data(world):
	frappe.set_user("Administrator")
	frappe.db.savepoint("chiiki_care_district_profile")
	yield build_report_data(world)
	frappe.db.rollback(save_point="chiiki_care_district_profile")
	frappe.set_user("Administrator")


def period():
	to_date = getdate(today())
	return add_days(add_months(to_date, -profile.PROFILE_MONTHS), 1), to_date


def report_rows(filters):
	_columns, rows, *_rest = needs_summary.execute(frappe._dict(filters))
	return rows


def figures(row):
	return {k: row[k] for k in ("needs", "previous_needs", "change", "change_percent", "rate_per_1000")}


@pytest.mark.parametrize(
	"key, level", [("area_a", "Daily-life Area"), ("a1", "School District"), ("a2", "School District")]
)
def test_the_managers_profile_matches_the_reports(world, data, key, level):
	district = getattr(world, key)
	shown = call_as(world.users["manager"], profile.get_district_profile, district)
	start, end = period()
	assert (shown["from_date"], shown["to_date"]) == (str(start), str(end))
	filters = {"district": district, "level": level, "from_date": start, "to_date": end}
	as_report = call_as(world.users["manager"], report_rows, {**filters, "group_by": "Category"})
	*category_rows, total_row = as_report
	by_category = {row["category"]: figures(row) for row in category_rows}
	assert {row["category"]: figures(row) for row in shown["needs"]} == by_category
	assert figures(shown["needs_total"]) == figures(total_row)
	assert shown["needs_total"]["needs"] not in (0, None)
	# the categories with a gap are the Resource Gap report's for the same district and period
	_columns, gap_rows, *_rest = call_as(
		world.users["manager"], resource_gap.execute, frappe._dict({**filters, "gaps_only": 1})
	)
	assert set(shown["gaps"]) == {row["category"] for row in gap_rows if row["district"] == district}
	# the city's figures beside each of the district's
	assert shown["sees_city"] and shown["city"]["district"] == world.city
	assert all("city" in row for row in shown["needs"]) and "city" in shown["needs_total"]


def test_an_area_profile_puts_its_school_districts_side_by_side(world, data):
	shown = call_as(world.users["manager"], profile.get_district_profile, world.area_a)
	start, end = period()
	rows = call_as(
		world.users["manager"],
		report_rows,
		{
			"district": world.area_a,
			"level": "School District",
			"group_by": "District",
			"from_date": start,
			"to_date": end,
		},
	)
	expected = {
		row["district"]: (row["needs"], row["previous_needs"], row["rate_per_1000"])
		for row in rows
		if row.get("district") in (world.a1, world.a2)
	}
	side_by_side = {
		row["district"]: (row["needs"], row["previous_needs"], row["rate_per_1000"])
		for row in shown["school_districts"]
	}
	assert side_by_side == expected and set(side_by_side) == {world.a1, world.a2}
	# A1: in 12 months the world's need, 8 shopping and 2 meals; A2: 5
	assert side_by_side[world.a1][0] == 11 and side_by_side[world.a2][0] == 5
	assert call_as(world.users["manager"], profile.get_district_profile, world.a1)["school_districts"] == []


def test_a_layer_2_coordinator_reads_only_its_areas_profiles(world, data):
	l2a = world.users["l2a"]
	mine = call_as(l2a, profile.get_district_profile, world.area_a)
	managers = call_as(world.users["manager"], profile.get_district_profile, world.area_a)
	assert figures(mine["needs_total"]) == figures(managers["needs_total"])
	assert not mine["sees_city"] and mine["city"] is None
	assert all("city" not in row for row in mine["needs"]) and "city" not in mine["needs_total"]
	assert all(row["city"] is None for row in mine["resources"])
	assert call_as(l2a, profile.get_district_profile, world.a1)["district"] == world.a1
	for other in (world.area_b, world.b1, world.city, "存在しない地区"):
		with pytest.raises(frappe.PermissionError) as refused:
			call_as(l2a, profile.get_district_profile, other)
		assert "地域カルテ" in str(refused.value)  # the same answer whether it exists or not


def test_a_council_member_reads_its_councils_district_and_nothing_else(world, data):
	cma = world.users["cma"]
	assert call_as(cma, profile.council_districts) == [world.area_a]
	mine = call_as(cma, profile.get_district_profile, world.area_a)
	managers = call_as(world.users["manager"], profile.get_district_profile, world.area_a)
	# counted from the kept counts, the council's district whole: the manager's figures
	assert figures(mine["needs_total"]) == {k: v for k, v in figures(managers["needs_total"]).items()}
	assert [figures(r) for r in mine["needs"]] == [figures(r) for r in managers["needs"]]
	assert mine["gaps"] == managers["gaps"]
	assert [r["needs"] for r in mine["school_districts"]] == [
		r["needs"] for r in managers["school_districts"]
	]
	assert mine["coordinators"] is None and mine["city"] is None  # it may read no Coordinator
	# today's profile only: no other period to subtract from it
	earlier = call_as(cma, profile.get_district_profile, world.area_a, str(add_days(today(), -30)))
	assert earlier["to_date"] == mine["to_date"] == str(getdate(today()))
	for other in (world.area_b, world.a1, world.city):
		with pytest.raises(frappe.PermissionError):
			call_as(cma, profile.get_district_profile, other)
	for user in ("l3a", "outsider"):
		with pytest.raises(frappe.PermissionError):
			call_as(world.users[user], profile.get_district_profile, world.area_a)


def test_the_profile_names_no_resident_and_masks_small_counts(world, data):
	shown = call_as(world.users["manager"], profile.get_district_profile, world.a2)
	html = call_as(world.users["manager"], profile.get_district_profile_html, world.a2)
	residents = frappe.get_all(
		"Resident", filters={"district": ["in", [world.a1, world.a2]]}, pluck="full_name"
	)
	assert residents
	text = json.dumps(shown, ensure_ascii=False, default=str) + html
	for name in residents:
		assert name not in text
	# A2: one 見守り need (masked), four 外出・移動
	by_category = {row["category"]: row for row in shown["needs"]}
	assert by_category["見守り・安否確認"]["needs"] == "<3"
	assert by_category["見守り・安否確認"]["rate_per_1000"] is None
	assert by_category["外出・移動"]["needs"] == 4
	assert "&lt;3" in html and "<3<" not in html


def test_the_profile_shows_issues_by_stage_councils_resources_and_coordinators(world, data):
	frappe.db.set_value(
		"Community Resource",
		data.resource,
		{"last_verified_on": "2020-04-01", "verification_due_on": "2021-04-01"},
	)
	shown = call_as(world.users["manager"], profile.get_district_profile, world.area_a)
	stages = {stage["status"]: stage["count"] for stage in shown["issue_stages"]}
	assert stages["Resolved"] >= 1 and sum(stages.values()) >= 2
	open_titles = {issue["title"] for issue in shown["issues"]}
	assert "A地区の買い物困難" in open_titles and "A2の外出支援" not in open_titles  # resolved
	issue_a = next(issue for issue in shown["issues"] if issue["title"] == "A地区の買い物困難")
	assert [plan["title"] for plan in issue_a["plans"]] == ["商店街の配達日"]  # its community plan
	council_view = call_as(world.users["cma"], profile.get_district_profile, world.area_a)
	assert [p["title"] for i in council_view["issues"] for p in i["plans"]] == ["商店街の配達日"]
	council = next(c for c in shown["councils"] if c["council_name"] == world.councils["a"])
	assert [m["title"] for m in council["meetings"]][:2] == [f"第1回 {world.councils['a']}", "第2回 T-会議A"]
	assert {r["resource_name"] for r in shown["stale_resources"]} == {"圏域A 配食サービス"}
	domains = {row["domain"]: row["count"] for row in shown["resources"]}
	assert domains["Life Support"] >= 1
	names = {c["coordinator_name"] for c in shown["coordinators"]}
	assert {"第2層A 一郎", "第3層A 三子"} <= names and "第2層B 次郎" not in names


def test_bad_input_is_refused_in_japanese(world, data):
	for district, to_date in (
		(None, None),
		("", None),
		(["x"], None),
		(world.area_a, "明日"),
		(world.area_a, "2026-13-45"),
	):
		with pytest.raises(frappe.ValidationError) as refused:
			call_as(world.users["manager"], profile.get_district_profile, district, to_date)
		assert "地区" in str(refused.value) or "終了日" in str(refused.value) or "日付" in str(refused.value)


def test_the_profile_prints_to_an_a4_pdf(world, data):
	frappe.local.response = frappe._dict()
	call_as(world.users["l2a"], profile.download_district_profile, world.area_a)
	assert frappe.local.response.type == "pdf"
	assert frappe.local.response.filecontent.startswith(b"%PDF")
	with pytest.raises(frappe.PermissionError):
		call_as(world.users["l2a"], profile.download_district_profile, world.area_b)


def test_the_map_shades_districts_that_have_a_boundary(world, data):
	frappe.db.set_value("District", world.a1, "boundary", json.dumps(SQUARE))
	frappe.db.set_value(
		"District", world.b1, "boundary", '{"type": "FeatureCollection", "features": ['
	)  # broken
	result = call_as(world.users["manager"], map.get_district_map, level="School District")
	by_district = {d["district"]: d for d in result["districts"]}
	assert by_district[world.a1]["shapes"] == [SQUARE["features"][0]["geometry"]]
	assert by_district[world.a2]["shapes"] == [] and by_district[world.b1]["shapes"] == []
	assert by_district[world.a1]["rate_per_1000"] is not None
	areas = call_as(world.users["manager"], map.get_district_map, level="Daily-life Area")
	by_area = {d["district"]: d for d in areas["districts"]}
	assert by_area[world.area_a]["shapes"] == [SQUARE["features"][0]["geometry"]]  # its school district's
	assert by_area[world.area_b]["shapes"] == []


def test_importing_the_demos_boundaries_shades_every_district_of_the_map(world):
	from chiiki_care.demo import plan
	from chiiki_care.setup.boundaries import load_boundaries
	from chiiki_care.setup.districts import DistrictLoadError

	with open(plan.HIRAKATA_BOUNDARIES, encoding="utf-8") as f:
		text = f.read()
	schools = [feature["properties"]["district_name"] for feature in json.loads(text)["features"]]
	missing = set(schools) - set(frappe.get_all("District", pluck="name"))
	assert not missing, "the demo's districts must be on the site (tests/run.sh loads the demo)"
	for name in schools:
		frappe.db.set_value("District", name, "boundary", None)
	assert load_boundaries(text, echo=lambda _message="": None) == len(schools) == 43
	by_school = {
		d["district"]: d
		for d in call_as(world.users["manager"], map.get_district_map, level="School District")["districts"]
	}
	assert all(by_school[name]["shapes"] and by_school[name]["illustrative"] for name in schools)
	areas = {frappe.db.get_value("District", name, "parent_district") for name in schools}
	by_area = {
		d["district"]: d
		for d in call_as(world.users["manager"], map.get_district_map, level="Daily-life Area")["districts"]
	}
	assert all(len(by_area[area]["shapes"]) >= 1 for area in areas)
	assert sum(len(by_area[area]["shapes"]) for area in areas) == 43  # each area: its school districts
	# a file with one shape broken is refused whole: nothing changes
	broken = json.loads(text)
	broken["features"][0]["geometry"]["coordinates"][0].pop()  # the ring is no longer closed
	for feature in broken["features"][1:]:
		feature["geometry"]["coordinates"] = SQUARE["features"][0]["geometry"]["coordinates"]
	before = frappe.db.get_value("District", schools[1], "boundary")
	with pytest.raises(DistrictLoadError) as refused:
		load_boundaries(json.dumps(broken, ensure_ascii=False), echo=lambda _message="": None)
	assert len(refused.value.messages) == 1 and schools[0] in refused.value.messages[0]
	assert frappe.db.get_value("District", schools[1], "boundary") == before


def test_every_stored_text_is_escaped_in_the_profile(world, data):
	markup = '<img src=x onerror="alert(1)">'
	frappe.db.set_value("Community Issue", world.issues["a"], "title", f"買い物{markup}")
	frappe.db.set_value(
		"Council Meeting",
		data.meeting,
		"decisions",
		f"<p>決定 &lt;script&gt;alert(1)&lt;/script&gt;{markup}</p>",
	)
	frappe.db.set_value(
		"Community Resource",
		data.resource,
		{"resource_name": f"配食{markup}", "verification_due_on": "2021-04-01"},
	)
	html = call_as(world.users["manager"], profile.get_district_profile_html, world.area_a)
	assert "<img" not in html and "<script" not in html
	assert "買い物&lt;img src=x onerror=&#34;alert(1)&#34;&gt;" in html
	assert "配食&lt;img" in html
	assert "決定 &lt;script&gt;alert(1)&lt;/script&gt;" in html  # the editor's entities, read as text
