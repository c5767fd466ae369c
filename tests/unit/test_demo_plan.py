"""The demo plan and its Hirakata district rows, checked without Frappe.

The demo's records are checked against the same rules the controllers enforce (and the Select
options and fields of the DocType JSON), so a demo that loads by batched inserts is valid data.

Run: python3 -m pytest -q tests/unit/test_demo_plan.py
"""

import datetime
import json
from collections import Counter
from pathlib import Path

import pytest

from chiiki_care.demo import plan
from chiiki_care.domain import rules
from chiiki_care.setup import district_csv

D = datetime.date
AS_OF = D(2026, 11, 29)
REPO_ROOT = Path(__file__).resolve().parents[2]
DOCTYPE_DIR = REPO_ROOT / "chiiki_care" / "chiiki_care" / "doctype"
STANDARD_FIELDS = {"name", "owner", "creation", "modified", "idx"}


def hirakata_geography() -> plan.Geography:
	rows = [
		{
			"name": r.district_name,
			"district_type": r.district_type,
			"parent_district": r.parent_district,
			"support_center": r.support_center,
			"population_65_plus": r.population_65_plus,
		}
		for r in plan.hirakata_district_rows()
	]
	return plan.geography_from_districts(rows)


CATEGORIES = list(plan.CATEGORY_WEIGHTS)


@pytest.fixture(scope="module")
def geo():
	return hirakata_geography()


@pytest.fixture(scope="module")
def dataset(geo):
	return plan.build_demo(geo, CATEGORIES, 400, seed=42, as_of=AS_OF)


def records(dataset, doctype):
	return dataset.records[doctype]


def index(dataset, doctype):
	return {r.key: r for r in dataset.records[doctype]}


# ---------------------------------------------------------------------------------------------
# Small helpers
# ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
	"total,weights",
	[(10, [1, 1, 1]), (112_000, [0.7, 1.3, 1.0, 0.9]), (5, [0, 0]), (0, [3, 1]), (7, [1e-9, 1, 1])],
)
def test_apportion_sums_exactly_and_follows_the_weights(total, weights):
	shares = plan.apportion(total, weights)
	assert sum(shares) == total
	assert all(s >= 0 for s in shares)
	if sum(weights):
		for share, weight in zip(shares, weights, strict=True):
			assert abs(share - total * weight / sum(weights)) < 1


def test_apportion_is_deterministic_on_ties():
	assert plan.apportion(2, [1, 1, 1]) == [1, 1, 0]


def test_kana_names_pass_the_residents_kana_rule():
	assert plan.to_katakana("たなか\u3000とおる") == "タナカ\u3000トオル"
	for family, family_kana in plan.FAMILY_NAMES:
		assert rules.is_kana(family_kana), family
	for pool in plan.GIVEN_NAMES.values():
		for given, given_kana in pool:
			assert rules.is_kana(plan.full_kana("たなか", given_kana)), given


def test_name_pools_have_no_duplicate_kanji_spellings():
	families = [f for f, _k in plan.FAMILY_NAMES]
	assert len(families) == len(set(families))


def test_review_interval_keeps_long_plans_to_a_few_reviews():
	start = AS_OF - datetime.timedelta(days=700)
	interval = plan.review_interval(2, start, AS_OF)
	assert interval > 2 and (AS_OF - start).days / 7 / interval <= 8
	assert plan.review_interval(4, AS_OF - datetime.timedelta(days=30), AS_OF) == 4


def test_layer_3_coordinators_grow_with_the_caseload():
	assert plan.l3_per_area(300, 13) == 3
	assert plan.l3_per_area(30_000, 13) > 3


def test_geojson_point_is_a_feature_collection():
	value = json.loads(plan.geojson_point(34.81, 135.65))
	assert value["type"] == "FeatureCollection"
	assert value["features"][0]["geometry"] == {"type": "Point", "coordinates": [135.65, 34.81]}


def test_fake_phone_numbers_cannot_be_real_japanese_numbers():
	rng = plan.make_rng(1, "phones")
	for _ in range(50):
		assert plan.fake_phone(rng).startswith("072-0")
		assert plan.fake_phone(rng, mobile=True).startswith("090-0")


# ---------------------------------------------------------------------------------------------
# Hirakata districts: illustrative areas, population split
# ---------------------------------------------------------------------------------------------


def test_population_split_sums_to_the_city_and_respects_fixed_groups():
	names = [f"d{i}" for i in range(10)]
	figures = plan.split_population(names, 100_000, 29_000, fixed_groups=((names[:2], 20_000, 5_000),))
	assert sum(t for t, _a in figures.values()) == 100_000
	assert sum(a for _t, a in figures.values()) == 29_000
	assert figures["d0"][0] + figures["d1"][0] == 20_000
	assert figures["d0"][1] + figures["d1"][1] == 5_000
	assert all(0 < a < t for t, a in figures.values())
	assert figures == plan.split_population(
		names, 100_000, 29_000, fixed_groups=((names[:2], 20_000, 5_000),)
	)


def test_hirakata_tree_city_13_illustrative_areas_43_school_districts():
	rows = plan.hirakata_district_rows()
	kinds = Counter(r.district_type for r in rows)
	assert kinds == {plan.CITY: 1, plan.AREA: 13, plan.SCHOOL: 43}
	city = rows[0]
	assert (city.population_total, city.population_65_plus) == (390_000, 112_000)
	schools = [r for r in rows if r.district_type == plan.SCHOOL]
	assert sum(r.population_total for r in schools) == 390_000
	assert sum(r.population_65_plus for r in schools) == 112_000
	areas = [r for r in rows if r.district_type == plan.AREA]
	for area in areas:
		assert area.is_illustrative == 1
		assert "例示" in area.district_name and "公式" in area.description
		members = [r for r in schools if r.parent_district == area.district_name]
		assert members and area.population_total == sum(r.population_total for r in members)
		assert {r.support_center for r in members} == {area.support_center}
	assert len({a.support_center for a in areas}) == 13
	assert not district_csv.check_district_rows(rows, {}, today=AS_OF)


def test_the_known_area_stays_together_with_its_known_size():
	rows = plan.hirakata_district_rows()
	known = {f"{n}校区" for n in ("明倫", "中宮", "桜丘", "桜丘北")}
	parents = {r.parent_district for r in rows if r.district_name in known}
	assert len(parents) == 1
	members = [r for r in rows if r.district_name in known]
	assert sum(r.population_total for r in members) == plan.KNOWN_AREA_TOTAL
	parent = parents.pop()
	area = next(r for r in rows if r.district_name == parent)
	assert area.support_center == plan.KNOWN_AREA_CENTER


def test_shipped_district_file_matches_the_generator():
	"""The demo loads demo_data/hirakata_districts_illustrative.csv; it must be what the code generates."""
	shipped = plan.HIRAKATA_DISTRICTS_CSV.read_text(encoding="utf-8")
	assert shipped == district_csv.district_rows_to_csv(plan.hirakata_district_rows())
	rows, problems = district_csv.parse_district_csv(shipped)
	assert not problems and len(rows) == 57


def test_shipped_source_file_keeps_the_shared_data():
	source = plan.read_hirakata_source()
	assert len(source) == 43 and len({d.name for d in source}) == 43
	assert {d.area for d in source} == set(range(1, 14))


# ---------------------------------------------------------------------------------------------
# The demo plan: deterministic, complete, and valid under the controllers' rules
# ---------------------------------------------------------------------------------------------


def _fingerprint(dataset):
	return [
		(
			r.doctype,
			r.key,
			sorted((k, repr(v)) for k, v in r.fields.items()),
			repr(r.children),
			r.owner,
			r.created,
		)
		for doctype in plan.WRITE_ORDER
		for r in dataset.records[doctype]
	]


def test_same_seed_same_data_other_seed_other_data(geo, dataset):
	again = plan.build_demo(geo, CATEGORIES, 400, seed=42, as_of=AS_OF)
	assert _fingerprint(again) == _fingerprint(dataset)
	assert [u.email for u in again.users] == [u.email for u in dataset.users]
	other = plan.build_demo(geo, CATEGORIES, 400, seed=7, as_of=AS_OF)
	assert _fingerprint(other) != _fingerprint(dataset)


def test_sizes_and_counts(dataset):
	assert plan.SIZES == {"small": 300, "medium": 5_000, "large": 30_000}
	assert len(records(dataset, "Resident")) == 400
	needs = len(records(dataset, "Need"))
	assert 1.2 * 400 < needs < 2.2 * 400
	assert len(records(dataset, "Council")) == 1 + 43
	assert len(records(dataset, "Community Issue")) >= 5
	assert len(records(dataset, "Council Meeting")) >= 44
	scopes = Counter(r.fields["scope"] for r in records(dataset, "Support Plan"))
	assert scopes["Individual"] > 100 and scopes["Community"] >= 1


def test_every_link_points_at_a_planned_record(dataset):
	keys = {(doctype, r.key) for doctype, rs in dataset.records.items() for r in rs}

	def refs(value):
		if isinstance(value, plan.Ref):
			yield value

	for rs in dataset.records.values():
		for r in rs:
			values = list(r.fields.values()) + [
				v for rows in r.children.values() for row in rows for v in row.values()
			]
			for value in values:
				for ref in refs(value):
					assert (ref.doctype, ref.key) in keys, (r.doctype, r.key, ref)


def test_records_use_existing_fields_and_select_options(dataset):
	"""Every field written exists in the DocType JSON, and every Select value is one of its options."""
	for doctype, rs in dataset.records.items():
		if not rs:
			continue
		meta = _doctype_json(doctype)
		for r in rs:
			_check_fields(doctype, meta, r.fields)
			for fieldname, rows in r.children.items():
				assert fieldname in meta, (doctype, fieldname)
				child = _doctype_json(meta[fieldname]["options"])
				for row in rows:
					_check_fields(meta[fieldname]["options"], child, row)


def _doctype_json(doctype):
	folder = doctype.lower().replace(" ", "_")
	data = json.loads((DOCTYPE_DIR / folder / f"{folder}.json").read_text(encoding="utf-8"))
	return {f["fieldname"]: f for f in data["fields"]}


def _check_fields(doctype, meta, values):
	for fieldname, value in values.items():
		if fieldname in STANDARD_FIELDS:
			continue
		assert fieldname in meta, (doctype, fieldname)
		df = meta[fieldname]
		if df["fieldtype"] == "Select" and value not in (None, ""):
			assert value in df["options"].split("\n"), (doctype, fieldname, value)
		if df.get("reqd") and df["fieldtype"] not in ("Table", "Table MultiSelect"):
			assert value not in (None, ""), (doctype, fieldname)


def test_users_are_demo_users_one_per_email(dataset):
	emails = [u.email for u in dataset.users]
	assert len(emails) == len(set(emails))
	assert all(e.endswith("@" + plan.DEMO_DOMAIN) for e in emails)
	for expected in ("manager@", "l1.01@", "l2.area01@", "l3.area01.01@", "center.area01@", "council.sd01@"):
		assert any(e.startswith(expected) for e in emails), expected


def test_coordinators_cover_the_right_districts(geo, dataset):
	covered = set()
	for r in records(dataset, "Coordinator"):
		districts = [row["district"] for row in r.children["districts"]]
		types = [_type_of(geo, d) for d in districts]
		assert rules.coordinator_district_problem(r.fields["layer"], types) is None
		assert len(districts) == len(set(districts))
		if r.fields["layer"] == "Layer 3":
			covered |= set(districts)
		assert r.fields["appointed_from"] <= AS_OF
		assert all(t["training_date"] <= AS_OF for t in r.children["trainings"])
	assert covered == {u.name for u in geo.units}
	layers = Counter(r.fields["layer"] for r in records(dataset, "Coordinator"))
	assert layers["Layer 1"] in (1, 2) and layers["Layer 2"] == 13 and layers["Layer 3"] >= 3 * 13


def _type_of(geo, name):
	if name == geo.city:
		return plan.CITY
	if name in {a.name for a in geo.areas}:
		return plan.AREA
	return plan.SCHOOL


def test_councils_serve_the_right_districts(geo, dataset):
	for r in records(dataset, "Council"):
		assert rules.council_district_problem(r.fields["layer"], _type_of(geo, r.fields["district"])) is None
		users = [m["user"] for m in r.children["members"] if m.get("user")]
		assert len(users) == len(set(users))
	assert sum(1 for r in records(dataset, "Council") if r.fields["layer"] == "Layer 1") == 1
	assert any(m.get("user") for r in records(dataset, "Council") for m in r.children["members"]), (
		"some council members have users"
	)


def test_residents_are_valid(geo, dataset):
	units = {u.name for u in geo.units}
	identities = set()
	for r in records(dataset, "Resident"):
		f = r.fields
		assert rules.is_kana(f["full_name_kana"])
		assert D(1925, 1, 1) <= f["birth_date"] <= D(1960, 12, 31)
		assert f["district"] in units
		assert rules.parse_wareki(f["birth_date_wareki"]) == f["birth_date"]
		if f["consent_given"]:
			assert f["consent_date"] and f["consent_date"] <= AS_OF and f["consent_scope"]
		identity = (rules.normalize_kana(f["full_name_kana"]), f["birth_date"])
		assert identity not in identities
		identities.add(identity)
		assert r.created.date() <= AS_OF


def test_showcase_resident_mr_t(dataset):
	r = records(dataset, "Resident")[0]
	assert r.fields["full_name"] == "田中\u3000徹"
	assert (r.fields["household"], r.fields["care_level"]) == ("Living Alone", "Support Level 1")
	assert rules.age_on(r.fields["birth_date"], AS_OF) in (84, 85)
	need = records(dataset, "Need")[0]
	assert need.fields["resident"] == plan.Ref("Resident", r.key)
	assert need.fields["primary_category"] == "買い物" and need.fields["status"] == "Supporting"
	assert r.owner == f"l3.area01.01@{plan.DEMO_DOMAIN}"


def test_needs_are_valid(dataset):
	residents = index(dataset, "Resident")
	for r in records(dataset, "Need"):
		f = r.fields
		resident = residents[f["resident"].key]
		assert f["district"] == resident.fields["district"]
		assert f["resident_name"] == resident.fields["full_name"]
		assert f["recorded_on"] <= AS_OF
		assert all(
			f[lens].strip()
			for lens in ("unmet_troubles", "urgent_needs", "connection_and_purpose", "desired_life")
		)
		categories = [row["need_category"] for row in r.children["categories"]]
		assert categories and len(categories) == len(set(categories))
		assert f["primary_category"] == categories[0]
		if f["status"] == "Lifted to Community Issue":
			assert f["community_issue"]
		assert f["recorded_by"] == resident.fields["primary_coordinator"]


def test_individual_plans_are_valid(dataset):
	needs = index(dataset, "Need")
	residents = index(dataset, "Resident")
	statuses = Counter()
	for r in records(dataset, "Support Plan"):
		f = r.fields
		statuses[(f["scope"], f["status"])] += 1
		_check_plan_dates(r)
		if f["status"] in ("Pending Confirmation", "Active"):
			assert r.children["actions"], r.key
		if f["scope"] != "Individual":
			continue
		assert f["resident"] and not f["community_issue"]
		assert f["district"] == residents[f["resident"].key].fields["district"]
		plan_needs = [row["need"].key for row in r.children["needs"]]
		assert plan_needs and len(plan_needs) == len(set(plan_needs))
		for key in plan_needs:
			assert needs[key].fields["resident"] == f["resident"]
			assert needs[key].fields["support_plan"] == plan.Ref("Support Plan", r.key)
		kinds = {a["support_kind"] for a in r.children["actions"]}
		assert kinds <= set(plan.ACTIONS)
	for status in ("Active", "Completed", "Draft"):
		assert statuses[("Individual", status)], status
	all_kinds = {a["support_kind"] for r in records(dataset, "Support Plan") for a in r.children["actions"]}
	assert all_kinds == set(plan.ACTIONS), "actions of the four kinds"


def _check_plan_dates(r):
	f = r.fields
	start = f["start_date"]
	assert start <= AS_OF
	assert 1 <= f["review_interval_weeks"] <= 52
	if f["end_date"]:
		assert f["end_date"] >= start
	dates = []
	for m in r.children["monitoring"]:
		assert start <= m["monitoring_date"] <= AS_OF
		if m["next_review_date"]:
			assert m["next_review_date"] > m["monitoring_date"]
		assert m["recorded_by"]
		dates.append(m["monitoring_date"])
	assert f["next_review_date"] == rules.plan_next_review_date(
		f["status"],
		start,
		f["review_interval_weeks"],
		[(m["monitoring_date"], m["next_review_date"]) for m in r.children["monitoring"]],
	)
	if f["status"] == "Completed":
		latest = max(r.children["monitoring"], key=lambda m: m["monitoring_date"])
		assert latest["outcome"] in ("Goal Achieved", "End Support")


def test_issues_and_community_plans_are_valid(geo, dataset):
	needs = index(dataset, "Need")
	councils = index(dataset, "Council")
	area_of = {u.name: u.area for u in geo.units}
	issues = index(dataset, "Community Issue")
	for r in issues.values():
		f = r.fields
		keys = [row["need"].key for row in r.children["needs"]]
		assert len(keys) == len(set(keys)) == f["need_count"] >= 3
		for key in keys:
			need_district = needs[key].fields["district"]
			assert f["district"] in (need_district, area_of[need_district])
			assert needs[key].fields["community_issue"] == plan.Ref("Community Issue", r.key)
		council = councils[f["council"].key].fields
		if council["layer"] == "Layer 2":
			assert council["district"] == f["district"]
		assert f["raised_on"] <= AS_OF
		assert f["council"] or f["status"] not in ("In Discussion", "In Progress")
	for r in records(dataset, "Support Plan"):
		if r.fields["scope"] == "Community":
			issue = issues[r.fields["community_issue"].key]
			assert not r.fields["resident"]
			assert r.fields["district"] == issue.fields["district"]
			assert r.fields["council"] == issue.fields["council"]


def test_meetings_are_valid(dataset):
	issues = index(dataset, "Community Issue")
	for r in records(dataset, "Council Meeting"):
		day = r.fields["meeting_date"]
		assert day <= AS_OF
		for row in r.children["follow_ups"]:
			assert row["due_date"] >= day
			# Open follow-ups are carried to the council's next meeting; they are not yet due then.
			assert row["status"] == "Done" or row["due_date"] >= AS_OF
		discussed = [row["community_issue"].key for row in r.children["issues_discussed"]]
		assert len(discussed) == len(set(discussed))
		for key in discussed:
			issue = issues[key].fields
			assert issue["raised_on"] <= day and issue["council"] == r.fields["council"]
			assert issue["status"] not in plan.UNDISCUSSED


def test_resources_are_valid(geo, dataset):
	units = {u.name for u in geo.units}
	types = Counter()
	for r in records(dataset, "Community Resource"):
		f = r.fields
		types[f["resource_type"]] += 1
		assert f["district"] in units and f["capacity"] >= 0
		others = [row["district"] for row in r.children["additional_districts"]]
		assert f["district"] not in others and len(others) == len(set(others))
		point = json.loads(f["location"])["features"][0]["geometry"]["coordinates"]
		assert 135.55 < point[0] < 135.80 and 34.70 < point[1] < 34.92
	assert types["Gathering Place or Salon"] and types["Meal Delivery"] and types["Shopping Support"]
	assert any(r.fields["published"] for r in records(dataset, "Community Resource"))


def test_an_official_tree_without_school_districts_still_plans(dataset):
	rows = [
		{"name": "みどり市", "district_type": plan.CITY, "parent_district": None},
		{
			"name": "北部",
			"district_type": plan.AREA,
			"parent_district": "みどり市",
			"population_65_plus": 9000,
		},
		{"name": "南部", "district_type": plan.AREA, "parent_district": "みどり市"},
	]
	geo = plan.geography_from_districts(rows)
	assert [u.name for u in geo.units] == ["北部", "南部"]
	small = plan.build_demo(geo, ["買い物", "見守り・安否確認", "新しい分類"], 50, seed=1, as_of=AS_OF)
	assert len(small.records["Resident"]) == 50
	assert set(small.area_centers) == {"北部", "南部"}
	assert len(small.records["Support Center"]) == 2
