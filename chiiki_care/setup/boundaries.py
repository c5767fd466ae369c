"""District boundaries from one GeoJSON file (`bench --site SITE chiiki-care-load-boundaries`):
every feature matched to a district by name, all or nothing. The file is read and checked in plain
Python (`chiiki_care.setup.boundary_geojson`)."""

import frappe
from frappe import _

from chiiki_care.setup import boundary_geojson
from chiiki_care.setup.districts import DistrictLoadError, print_line


def problem_message(problem: boundary_geojson.BoundaryProblem) -> str:
	"""A problem of the file in words: {0} the feature's place in the file, {1} its district name."""
	text = {
		"too_big": _("The file is too large (at most 20 MB)."),
		"not_json": _("The file is not valid JSON."),
		"not_feature_collection": _("The file must be a GeoJSON FeatureCollection."),
		"empty": _("The file holds no feature."),
		"not_feature": _("Feature {0} is not a GeoJSON Feature."),
		"no_name": _("Feature {0} has no district name (looked for the properties {1})."),
		"duplicate_name": _("Feature {0} names {1} again: each district may have one boundary."),
		"not_polygon": _("Feature {0} ({1}) is not a polygon: a boundary must be a Polygon or MultiPolygon."),
		"shape": _("Feature {0} ({1}) has coordinates that are not longitude and latitude in range."),
		"open_ring": _(
			"Feature {0} ({1}) has a ring that is not closed (its first and last points differ) or has fewer than 4 points."
		),
		"unmatched": _("Feature {0} names {1}, which is no district on this site."),
	}[problem.code]
	return text.format(problem.number, problem.value)


def load_boundaries_file(path: str, name_property: str | None = None, echo=print_line) -> int:
	try:
		with open(path, encoding="utf-8-sig") as f:
			text = f.read()
	except UnicodeDecodeError:
		raise DistrictLoadError([_("The file must be UTF-8 text.")]) from None
	return load_boundaries(text, name_property=name_property, echo=echo)


def load_boundaries(text: str, name_property: str | None = None, echo=print_line) -> int:
	"""Set the boundary of every district the file names, and return how many; refuse the whole
	file (DistrictLoadError, nothing changed) if any feature is wrong or names no district. The
	caller commits."""
	boundaries, problems = boundary_geojson.parse_boundaries(text, name_property)
	districts = set(frappe.get_all("District", pluck="name"))
	problems = sorted([*problems, *boundary_geojson.unmatched(boundaries, districts)], key=lambda p: p.number)
	if problems:
		raise DistrictLoadError([problem_message(p) for p in problems])
	savepoint = "chiiki_care_load_boundaries"
	frappe.db.savepoint(savepoint)
	try:
		for boundary in boundaries:
			doc = frappe.get_doc("District", boundary.name)
			doc.boundary = boundary_geojson.as_field_value(boundary)
			doc.save()
	except Exception:
		frappe.db.rollback(save_point=savepoint)
		raise
	echo(_("{0} district boundaries loaded.").format(len(boundaries)))
	return len(boundaries)
