"""District boundaries from GeoJSON (chiiki_care/setup/boundary_geojson.py), without Frappe."""

import json

import pytest

from chiiki_care.setup import boundary_geojson as bg

SQUARE = [[[135.60, 34.80], [135.62, 34.80], [135.62, 34.82], [135.60, 34.82], [135.60, 34.80]]]


def feature(name, coordinates=SQUARE, kind="Polygon", key="name"):
	return {
		"type": "Feature",
		"properties": {key: name},
		"geometry": {"type": kind, "coordinates": coordinates},
	}


def collection(*features):
	return json.dumps({"type": "FeatureCollection", "features": list(features)}, ensure_ascii=False)


def codes(problems):
	return [(p.number, p.code) for p in problems]


def test_named_polygons_are_read_with_the_usual_name_properties():
	boundaries, problems = bg.parse_boundaries(
		collection(
			feature("西牧野小学校区"),
			feature("招提小学校区", key="A27_004"),
			feature("樟葉小学校区", [SQUARE], kind="MultiPolygon", key="地区名"),
		)
	)
	assert problems == []
	assert [b.name for b in boundaries] == ["西牧野小学校区", "招提小学校区", "樟葉小学校区"]
	stored = bg.as_field_value(boundaries[0])
	assert bg.stored_boundary_problem(stored) is None
	assert json.loads(stored)["features"][0]["geometry"]["type"] == "Polygon"


def test_a_chosen_name_property_is_the_only_one_read():
	boundaries, problems = bg.parse_boundaries(collection(feature("A", key="学区")), name_property="学区")
	assert [b.name for b in boundaries] == ["A"] and problems == []
	_boundaries, problems = bg.parse_boundaries(collection(feature("A")), name_property="学区")
	assert codes(problems) == [(1, "no_name")]


@pytest.mark.parametrize(
	"text,expected",
	[
		("{not json", [(0, "not_json")]),
		(json.dumps({"type": "Feature"}), [(0, "not_feature_collection")]),
		(collection(), [(0, "empty")]),
		(collection({"type": "Point"}), [(1, "not_feature")]),
		(collection(feature("")), [(1, "no_name")]),
		(collection(feature("A"), feature("A")), [(2, "duplicate_name")]),
		(collection(feature("A", [135.6, 34.8], kind="Point")), [(1, "not_polygon")]),
		(
			collection(feature("A", [[[135.6, 34.8], [135.7, 34.8], [135.7, 34.9], [135.6, 34.9]]])),
			[(1, "open_ring")],
		),
		(
			collection(feature("A", [[[135.6, 34.8], [500, 34.8], [135.7, 34.9], [135.6, 34.8]]])),
			[(1, "shape")],
		),
		(
			collection(feature("A", [[["x", 34.8], [135.7, 34.8], [135.7, 34.9], ["x", 34.8]]])),
			[(1, "shape")],
		),
	],
)
def test_every_problem_is_found(text, expected):
	boundaries, problems = bg.parse_boundaries(text)
	assert codes(problems) == expected


def test_names_no_district_has_are_listed():
	boundaries, _problems = bg.parse_boundaries(collection(feature("A"), feature("存在しない学校区")))
	assert codes(bg.unmatched(boundaries, {"A"})) == [(2, "unmatched")]


@pytest.mark.parametrize(
	"value,ok",
	[
		("", True),
		(None, True),
		(collection(feature("A")), True),
		(collection(feature("A", [135.6, 34.8], kind="Point")), False),
		('{"type": "FeatureCollection", "features": []}', False),
		("[1, 2", False),
	],
)
def test_a_stored_boundary_is_a_polygon(value, ok):
	assert (bg.stored_boundary_problem(value) is None) is ok


# The demo's illustrative boundaries (chiiki_care/demo/plan.py illustrative_boundaries)
# --------------------------------------------------------------------------------------


def inside(point, ring) -> bool:
	"""Ray casting: is (lng, lat) inside the polygon ring?"""
	x, y = point
	found = False
	for (x1, y1), (x2, y2) in zip(ring, ring[1:]):
		if (y1 > y) != (y2 > y) and x < x1 + (y - y1) * (x2 - x1) / (y2 - y1):
			found = not found
	return found


def test_the_demo_boundaries_hold_each_school_district_and_load_cleanly():
	from chiiki_care.demo import plan

	source = plan.read_hirakata_source()
	drawn = plan.illustrative_boundaries(source)
	with open(plan.HIRAKATA_BOUNDARIES, encoding="utf-8") as f:
		shipped = json.load(f)
	assert shipped == json.loads(json.dumps(drawn))  # the file is the function's output
	boundaries, problems = bg.parse_boundaries(json.dumps(shipped))
	assert problems == [] and len(boundaries) == len(source) == 43
	rings = {b.name: b.geometry["coordinates"][0] for b in boundaries}
	for district in source:
		name = plan.school_district_name(district.name)
		assert inside((district.lng, district.lat), rings[name]), name
		others = [other for other in source if other is not district]
		assert not any(inside((o.lng, o.lat), rings[name]) for o in others), name  # cells do not overlap
	assert all(f["properties"]["illustrative"] is True for f in shipped["features"])
