"""District boundaries as GeoJSON, read and checked in plain Python (no Frappe).

The pure half of `bench chiiki-care-load-boundaries` (`chiiki_care.setup.boundaries` writes them):
a municipality converts the public 小学校区 boundary data (国土数値情報 A27, or its own GIS) to one
GeoJSON FeatureCollection whose features are polygons named after its districts. `parse_boundaries`
reads every feature and finds every problem; `unmatched` lists the names no district has. Each
problem is a `BoundaryProblem` code; `chiiki_care.setup.boundaries.problem_message` words it.
"""

import json
from dataclasses import dataclass

from chiiki_care import inputs

# Properties that may hold a feature's district name, in the order they are tried.
NAME_PROPERTIES = ("district_name", "name", "地区名", "名称", "学校区名", "A27_004")
POLYGONS = ("Polygon", "MultiPolygon")
MAX_BYTES = 20_000_000


@dataclass(frozen=True)
class Boundary:
	number: int  # the feature's place in the file, from 1
	name: str
	geometry: dict


@dataclass(frozen=True)
class BoundaryProblem:
	number: int  # the feature's place in the file, from 1; 0: the file as a whole
	code: str
	value: str = ""


def parse_boundaries(
	text: str, name_property: str | None = None
) -> tuple[list[Boundary], list[BoundaryProblem]]:
	"""The named polygons of a GeoJSON FeatureCollection, and every problem found in it."""
	if len(text) > MAX_BYTES:
		return [], [BoundaryProblem(0, "too_big")]
	try:
		data = json.loads(text)
	except (ValueError, RecursionError):
		return [], [BoundaryProblem(0, "not_json")]
	features = data.get("features") if isinstance(data, dict) else None
	if (
		not isinstance(data, dict)
		or data.get("type") != "FeatureCollection"
		or not isinstance(features, list)
	):
		return [], [BoundaryProblem(0, "not_feature_collection")]
	if not features:
		return [], [BoundaryProblem(0, "empty")]
	boundaries, problems, seen = [], [], set()
	properties_tried = (name_property,) if name_property else NAME_PROPERTIES
	for number, feature in enumerate(features, start=1):
		if not isinstance(feature, dict) or feature.get("type") != "Feature":
			problems.append(BoundaryProblem(number, "not_feature"))
			continue
		properties = feature.get("properties") if isinstance(feature.get("properties"), dict) else {}
		name = next((str(properties[p]).strip() for p in properties_tried if properties.get(p)), "")
		if not name:
			problems.append(BoundaryProblem(number, "no_name", ", ".join(properties_tried)))
			continue
		if name in seen:
			problems.append(BoundaryProblem(number, "duplicate_name", name))
			continue
		seen.add(name)
		problem = boundary_problem(feature.get("geometry"))
		if problem:
			problems.append(BoundaryProblem(number, problem, name))
			continue
		boundaries.append(Boundary(number, name, feature["geometry"]))
	return boundaries, problems


def boundary_problem(geometry) -> str | None:
	"""Why a geometry is not a district boundary (a polygon or multipolygon of closed rings), or None."""
	if not isinstance(geometry, dict) or geometry.get("type") not in POLYGONS:
		return "not_polygon"
	problem = inputs.geometry_problem(geometry)
	if problem:
		return "shape"
	polygons = geometry["coordinates"] if geometry["type"] == "MultiPolygon" else [geometry["coordinates"]]
	for polygon in polygons:
		if not polygon:
			return "shape"
		for ring in polygon:
			if len(ring) < 4 or list(ring[0]) != list(ring[-1]):
				return "open_ring"
	return None


def stored_boundary_problem(value) -> str | None:
	"""Why a District's stored boundary (a FeatureCollection of one polygon feature) is not valid."""
	if value in (None, ""):
		return None
	problem = inputs.geojson_problems(value)
	if problem:
		return "shape"
	features = inputs.geojson_features(value)
	if not features:
		return "not_polygon"
	return next((p for p in (boundary_problem(f["geometry"]) for f in features) if p), None)


def as_field_value(boundary: Boundary) -> str:
	"""The boundary as a District's Geolocation value (what the desk's map field stores)."""
	feature = {"type": "Feature", "properties": {}, "geometry": boundary.geometry}
	return json.dumps({"type": "FeatureCollection", "features": [feature]}, ensure_ascii=False)


def unmatched(boundaries: list[Boundary], districts: set[str]) -> list[BoundaryProblem]:
	return [BoundaryProblem(b.number, "unmatched", b.name) for b in boundaries if b.name not in districts]
