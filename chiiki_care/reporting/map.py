"""Maps: Community Resources on Frappe's map view, and open needs against resources per district.

`get_coords` replaces Frappe's `frappe.geo.utils.get_coords` (hooks.py `override_whitelisted_methods`):
Frappe's version reads locations with `frappe.get_all` or raw SQL, i.e. without the app's row rules,
for any DocType; this one reads them with `frappe.get_list` as the user, and gives each Community
Resource a readable popup (name, type, district) instead of its ID.

`get_district_map` feeds the desk page "Needs and Resources Map" (page `needs-resource-map`): per
district, the open needs and the resources that serve it, from the same computation as the
Resource Gap report, run as the viewer. A district with a boundary (its own, or its school
districts' for a daily-life area) is drawn as that shape, shaded by its open needs per 1,000 aged
65+; a district without one is drawn as a circle at the centre of the resources registered in it.
"""

import frappe
from frappe import _
from frappe.utils import escape_html

from chiiki_care import inputs
from chiiki_care.reporting import figures as logic
from chiiki_care.reporting import queries as data

RESOURCE = "Community Resource"
MAP_REPORT = "Resource Gap"


@frappe.whitelist()
def get_coords(doctype: str | None = None, filters: str | list | dict | None = None, type: str | None = None):
	"""GeoJSON of the documents the user may list, with their filters (Frappe's map view)."""
	doctype = inputs.check_doctype(doctype)
	filters = inputs.check_filters(filters, _("Filters"), default=[])
	type = inputs.check_text(type, _("Type"), max_length=40)
	meta = frappe.get_meta(doctype)
	has_location = any(df.fieldname == "location" and df.fieldtype == "Geolocation" for df in meta.fields)
	features = []
	if has_location and type != "coordinates":
		fields = ["name", "location"]
		if doctype == RESOURCE:
			fields += ["resource_name", "resource_type", "district"]
		elif meta.title_field:
			fields.append(meta.title_field)
		for row in frappe.get_list(
			doctype, filters=filters, fields=fields, order_by="name asc", limit_page_length=0
		):
			for feature in inputs.stored_geojson_features(row.location, doctype, row.name):
				feature.setdefault("properties", {})["name"] = popup(doctype, row, meta.title_field)
				features.append(feature)
	elif meta.has_field("latitude") and meta.has_field("longitude"):
		for row in frappe.get_list(
			doctype,
			filters=filters,
			fields=["name", "latitude", "longitude"],
			order_by="name asc",
			limit_page_length=0,
		):
			if inputs.geojson_problems(
				{
					"type": "FeatureCollection",
					"features": [
						{
							"type": "Feature",
							"geometry": {"type": "Point", "coordinates": [row.longitude, row.latitude]},
						}
					],
				}
			):
				continue  # not set, or not a place on earth
			features.append(
				{
					"type": "Feature",
					"properties": {"name": popup(doctype, row, None)},
					"geometry": {"type": "Point", "coordinates": [row.longitude, row.latitude]},
				}
			)
	return {"type": "FeatureCollection", "features": features}


def popup(doctype: str, row, title_field: str | None) -> str:
	url = f"/app/{frappe.scrub(doctype).replace('_', '-')}/{row.name}"
	if doctype == RESOURCE:
		title = row.resource_name or row.name
		detail = " / ".join(escape_html(v) for v in (_(row.resource_type or ""), row.district or "") if v)
		return f'<a href="{escape_html(url)}"><b>{escape_html(title)}</b></a><br>{detail}'
	title = (title_field and row.get(title_field)) or row.name
	return f'<a href="{escape_html(url)}">{escape_html(title)}</a>'


@frappe.whitelist()
def get_district_map(
	district: str | None = None,
	level: str | None = None,
	from_date: str | None = None,
	to_date: str | None = None,
	need_category: str | None = None,
) -> dict:
	"""Per district: open needs (masked), resources serving it, the categories with a gap, and where
	to draw it; and the resources the viewer may read, as points. Computed as the viewer."""
	from chiiki_care.chiiki_care.report.resource_gap.resource_gap import get_gaps

	if not frappe.get_doc("Report", MAP_REPORT).is_permitted():
		frappe.throw(_("You do not have access to this map."), frappe.PermissionError)
	p = data.parse_filters(
		{
			"district": inputs.check_id(district, _("District"), required=False),
			"level": inputs.check_text(level, _("Level"), max_length=40) or logic.SCHOOL_DISTRICT,
			"from_date": inputs.check_date(from_date, _("From Date")),
			"to_date": inputs.check_date(to_date, _("To Date")),
			"need_category": inputs.check_id(need_category, _("Need Category"), required=False),
		},
		default_months=12,
	)
	result = get_gaps(p)
	resources = frappe.get_list(
		RESOURCE,
		filters={"status": "Active", "name": ["in", data.in_filter(r.name for r in result.resources)]},
		fields=["name", "resource_name", "resource_type", "district", "location"],
		order_by="name asc",
		limit_page_length=0,
	)
	points = []
	by_unit = {unit: [] for unit in p.units}
	for row in resources:
		for point in inputs.stored_geojson_points(row.location, RESOURCE, row.name):
			points.append(
				{
					"lat": point[0],
					"lng": point[1],
					"name": row.resource_name or row.name,
					"type": _(row.resource_type or ""),
					"district": row.district,
					"url": f"/app/community-resource/{row.name}",
				}
			)
			unit = p.tree.unit_of(row.district, p.level)
			if unit in by_unit:
				by_unit[unit].append(point)
	boundaries = district_boundaries(p.tree)
	districts = []
	for unit in p.units:
		entry = result.per_unit[unit]
		where = by_unit.get(unit) or []
		shapes = boundaries.get(unit) or [
			shape for d in p.tree.sorted(p.tree.descendants_or_self(unit)) for shape in boundaries.get(d, [])
		]
		districts.append(
			{
				"district": unit,
				"shapes": [shape["geometry"] for shape in shapes],
				"illustrative": any(shape["illustrative"] for shape in shapes),
				"open_needs": logic.mask(entry["open_needs"]),
				"open_needs_value": logic.chart_value(logic.mask(entry["open_needs"])),
				"resources": entry["resources"],
				"gaps": [data.category_label(c) for c in entry["gaps"]],
				"population_65_plus": p.tree.population_65(unit),
				"rate_per_1000": logic.masked_rate(entry["open_needs"], p.tree.population_65(unit)),
				"lat": sum(pt[0] for pt in where) / len(where) if where else None,
				"lng": sum(pt[1] for pt in where) / len(where) if where else None,
			}
		)
	return {
		"districts": districts,
		"resources": points,
		"illustrative_boundaries": any(d["illustrative"] for d in districts),
		"period": data.period_label(p),
		"note": data.masking_note(),
	}


def district_boundaries(tree) -> dict[str, list[dict]]:
	"""The drawable boundary polygons of each district the viewer may read: {district: [{geometry,
	illustrative}]}. A stored boundary that is not a valid polygon is skipped (and logged)."""
	found = {}
	for row in frappe.get_list(
		"District",
		filters={"boundary": ["is", "set"]},
		fields=["name", "boundary", "is_illustrative"],
		order_by="lft asc",
		limit_page_length=0,
	):
		if row.name not in tree:
			continue
		shapes = [
			{"geometry": feature["geometry"], "illustrative": bool(row.is_illustrative)}
			for feature in inputs.stored_geojson_features(row.boundary, "District", row.name)
			if feature["geometry"].get("type") in ("Polygon", "MultiPolygon")
		]
		if shapes:
			found[row.name] = shapes
	return found
