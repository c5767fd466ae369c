"""The pure checks of chiiki_care.inputs (no Frappe): what junk they refuse and what they accept."""

import datetime
import json

import pytest

from chiiki_care import inputs
from chiiki_care.inputs import BadValue

D = datetime.date


def reason(function, *args, **kwargs) -> str:
	with pytest.raises(BadValue) as error:
		function(*args, **kwargs)
	return error.value.reason


# JSON arguments
# --------------


def test_json_value_reads_json_of_the_expected_shape():
	assert inputs.json_value('["a", "b"]', list) == ["a", "b"]
	assert inputs.json_value('{"a": 1}', dict) == {"a": 1}
	assert inputs.json_value(["a"], list) == ["a"]
	assert inputs.json_value({"a": 1}, (list, dict)) == {"a": 1}


@pytest.mark.parametrize("value", ["{[", "", "null x", "[" * 100_000])
def test_json_value_refuses_what_is_not_json(value):
	assert reason(inputs.json_value, value, list) in ("not_json", "too_long")


@pytest.mark.parametrize("value", ["null", "-1", '"text"', "true", '{"a": 1}', 1, None, True])
def test_json_value_refuses_the_wrong_shape(value):
	assert reason(inputs.json_value, value, list) == "wrong_shape"


def test_json_value_refuses_a_huge_string():
	assert reason(inputs.json_value, "[" + "1," * 60_000 + "1]", list) == "too_long"


# Text, ids, lists
# ----------------


def test_text_value_bounds_and_strips():
	assert inputs.text_value("  a  ") == "a"
	assert inputs.text_value("  a  ", strip=False) == "  a  "
	assert inputs.text_value(None) is None
	assert inputs.text_value("") is None
	assert inputs.text_value(12) == "12"
	assert reason(inputs.text_value, "x" * 141, max_length=140) == "too_long"
	assert reason(inputs.text_value, "", required=True) == "required"
	assert reason(inputs.text_value, "   ", required=True) == "required"


@pytest.mark.parametrize("value", [["a"], {"a": 1}, True, object()])
def test_text_value_refuses_what_is_not_text(value):
	assert reason(inputs.text_value, value) == "not_text"


def test_text_list_takes_a_json_list_or_a_list_of_strings():
	assert inputs.text_list('["a", " b "]') == ["a", "b"]
	assert inputs.text_list(["a"]) == ["a"]
	assert inputs.text_list(None) == []
	assert inputs.text_list("") == []
	assert inputs.text_list("買い物", allow_single=True) == ["買い物"]


@pytest.mark.parametrize(
	"value,expected",
	[
		("{[", "not_json"),
		("買い物", "not_json"),
		('["a", ["b"]]', "not_text_list"),
		('["a", ""]', "not_text_list"),
		("[1, 2]", "not_text_list"),
		('{"a": 1}', "wrong_shape"),
		("null", "wrong_shape"),
		(12, "wrong_shape"),
		(json.dumps(["x" * 141]), "too_long"),
		(json.dumps(["a"] * 501), "too_many"),
	],
)
def test_text_list_refuses_junk(value, expected):
	assert reason(inputs.text_list, value) == expected


def test_text_list_single_value_is_not_a_broken_json_list():
	assert reason(inputs.text_list, "[a", allow_single=True) == "not_json"


# Numbers
# -------


@pytest.mark.parametrize(
	"value,expected", [("4", 4), ("-1", -1), (7, 7), (3.0, 3), (True, 1), ("１２", 12), (" 5 ", 5)]
)
def test_int_value_reads_whole_numbers(value, expected):
	assert inputs.int_value(value) == expected


@pytest.mark.parametrize(
	"value,expected",
	[
		("abc", "not_int"),
		("1.5", "not_int"),
		(1.5, "not_int"),
		(float("nan"), "not_int"),
		(float("inf"), "not_int"),
		("1e400", "not_int"),
		(["1"], "not_int"),
		({"a": 1}, "not_int"),
		("9" * 40, "out_of_range"),
		(10**40, "out_of_range"),
		("፩", "not_int"),
	],
)
def test_int_value_refuses_junk(value, expected):
	assert reason(inputs.int_value, value) == expected


def test_int_value_range_and_default():
	assert inputs.int_value("", default=20) == 20
	assert inputs.int_value(None, default=0) == 0
	assert reason(inputs.int_value, None) == "required"
	assert reason(inputs.int_value, "0", minimum=1, maximum=52) == "out_of_range"
	assert reason(inputs.int_value, "53", minimum=1, maximum=52) == "out_of_range"
	assert inputs.int_value("52", minimum=1, maximum=52) == 52


# Dates
# -----


@pytest.mark.parametrize(
	"value,expected",
	[
		("2026-02-28", D(2026, 2, 28)),
		("2026/2/3", D(2026, 2, 3)),
		("２０２６－０２－０３", D(2026, 2, 3)),
		("2026年2月3日", D(2026, 2, 3)),
		("2026-02-03 10:20:30", D(2026, 2, 3)),
		("2026-02-03T10:20:30.123456", D(2026, 2, 3)),
		("令和7年4月1日", D(2025, 4, 1)),
		("S15.4.1", D(1940, 4, 1)),
		(D(2026, 1, 2), D(2026, 1, 2)),
		(datetime.datetime(2026, 1, 2, 3, 4), D(2026, 1, 2)),
		(None, None),
		("", None),
	],
)
def test_date_value_reads_dates(value, expected):
	assert inputs.date_value(value) == expected


@pytest.mark.parametrize(
	"value",
	[
		"2026-02-30",
		"2026-13-45",
		"-1",
		"abc",
		"0000-01-01",
		"null",
		"9" * 40,
		"長" * 20_000,
		"昭和99年1月1日",
		20260101,
		["2026-01-01"],
		{"a": 1},
		True,
	],
)
def test_date_value_guesses_nothing(value):
	assert reason(inputs.date_value, value) == "not_date"


# Filters
# -------


@pytest.mark.parametrize(
	"value",
	[
		{"status": "Active"},
		{"name": ["in", ["a", "b"]]},
		[["status", "=", "Active"]],
		[["Community Resource", "status", "=", "Active"]],
		[["Community Resource", "status", "=", "Active", False]],
		[],
		{},
	],
)
def test_filters_value_accepts_frappes_shapes(value):
	assert inputs.filters_value(value) == value


@pytest.mark.parametrize(
	"value",
	[
		["a", ["b"]],
		[["status"]],
		[[1, "=", 2]],
		[["status", "=", {"a": 1}]],
		{"status": {"a": 1}},
		{"status": [1, 2]},
		{"status": ["=", "a", "b"]},
		[["x" * 141, "=", "a"]],
	],
)
def test_filters_value_refuses_junk(value):
	assert reason(inputs.filters_value, value) == "bad_filters"


def test_filters_value_refuses_other_shapes():
	assert reason(inputs.filters_value, "status") == "wrong_shape"
	assert reason(inputs.filters_value, 1) == "wrong_shape"


# GeoJSON (Geolocation fields)
# ----------------------------


def collection(*geometries) -> str:
	return json.dumps(
		{
			"type": "FeatureCollection",
			"features": [{"type": "Feature", "properties": {}, "geometry": g} for g in geometries],
		}
	)


POINT = {"type": "Point", "coordinates": [135.65, 34.81]}
LINE = {"type": "LineString", "coordinates": [[135.65, 34.81], [135.66, 34.82]]}
POLYGON = {
	"type": "Polygon",
	"coordinates": [[[135.65, 34.81], [135.66, 34.81], [135.66, 34.82], [135.65, 34.81]]],
}


@pytest.mark.parametrize(
	"value",
	[
		None,
		"",
		collection(),
		collection(POINT),
		collection(POINT, LINE, POLYGON),
		collection({"type": "Point", "coordinates": [-180, -90]}),
		collection({"type": "Point", "coordinates": [135, 34, 12.5]}),
		json.loads(collection(POINT)),
	],
)
def test_geojson_accepts_feature_collections_with_valid_geometries(value):
	assert inputs.geojson_problems(value) is None


@pytest.mark.parametrize(
	"value,expected",
	[
		("[]", "not_feature_collection"),
		("{[", "not_json"),
		('"just a string"', "not_feature_collection"),
		('{"type": "Feature"}', "not_feature_collection"),
		('{"type": "FeatureCollection"}', "not_feature_collection"),
		('{"type": "FeatureCollection", "features": [null]}', "not_feature"),
		('{"type": "FeatureCollection", "features": [{"type": "Feature"}]}', "geometry_missing"),
		(collection({"type": "Point"}), "position_shape"),
		(collection({"type": "Point", "coordinates": []}), "position_shape"),
		(collection({"type": "Point", "coordinates": ["a", "b"]}), "position_not_number"),
		(collection({"type": "Point", "coordinates": [True, 1]}), "position_not_number"),
		(collection({"type": "Point", "coordinates": [500, 99]}), "position_out_of_range"),
		(collection({"type": "Point", "coordinates": [135, 91]}), "position_out_of_range"),
		(collection({"type": "LineString", "coordinates": [[135, 34]]}), "coordinates_shape"),
		(collection({"type": "LineString", "coordinates": [135, 34]}), "position_shape"),
		(collection({"type": "Polygon", "coordinates": [[[135, 34], [135, 35]]]}), "coordinates_shape"),
		(collection({"type": "Circle", "coordinates": [135, 34]}), "geometry_type"),
	],
)
def test_geojson_refuses_bad_values(value, expected):
	assert inputs.geojson_problems(value) == expected


@pytest.mark.parametrize(
	"value",
	[
		"[]",
		"{[",
		'"x"',
		'{"type": "FeatureCollection", "features": [null, 1, "x"]}',
		collection({"type": "Point"}),
		collection({"type": "Point", "coordinates": ["a"]}),
		None,
		"",
	],
)
def test_broken_stored_locations_give_no_points(value):
	assert inputs.geojson_points(value) == []
	assert inputs.geojson_features(value) == []


def test_points_of_a_stored_location_skip_only_the_broken_features():
	value = json.dumps(
		{
			"type": "FeatureCollection",
			"features": [
				{"type": "Feature", "geometry": {"type": "Point"}},
				{"type": "Feature", "geometry": POINT},
				{"type": "Feature", "geometry": LINE},
			],
		}
	)
	assert inputs.geojson_points(value) == [(34.81, 135.65)]
	assert len(inputs.geojson_features(value)) == 2


def test_shown_values_are_short():
	assert inputs.shown("長" * 20_000) == "長" * 40 + "…"
	assert inputs.shown(["a"]) == '["a"]'
	assert inputs.shown("a\nb") == "a b"
