"""The public resource directory (/resources, guests included): published resources only, in pages."""

import frappe
from frappe.utils import formatdate, getdate, today

from chiiki_care import inputs
from chiiki_care.domain import rules
from chiiki_care.portal.pages import plain_text, resources_serving
from chiiki_care.utils import select_options

# Public directory (guests): published resources only
# ----------------------------------------------------

PUBLIC_RESOURCE_FIELDS = (
	"name",
	"resource_name",
	"resource_type",
	"domain",
	"formality",
	"provider",
	"district",
	"schedule",
	"cost",
	"capacity",
	"contact_phone",
	"contact_email",
	"address",
	"location",
	"description",
	"last_verified_on",  # when the details were last confirmed (情報確認日); not who confirmed them
	"verification_due_on",
)


PUBLIC_RESOURCES_PER_PAGE = 20


def public_resources(
	district: str | None = None,
	domain: str | None = None,
	q: str | None = None,
	start: int = 0,
	page_length: int = PUBLIC_RESOURCES_PER_PAGE,
) -> list:
	"""Published, active resources for anyone, guests included, one page at a time.

	Guests have no DocPerm on Community Resource, so this reads with `frappe.get_all`: the filter
	`published = 1 and status = Active` and the field list `PUBLIC_RESOURCE_FIELDS` are the security
	boundary of the public page (a resource holds no resident data; its provider's contact is public)."""
	rows = frappe.get_all(
		"Community Resource",
		filters=public_resource_filters(district, domain, q),
		fields=list(PUBLIC_RESOURCE_FIELDS),
		order_by="resource_name asc, name asc",
		limit_start=start,
		limit_page_length=page_length,
	)
	checked_today = getdate(today())
	for row in rows:
		row.point = first_point(row.pop("location", None), row.name)
		row.description = plain_text(row.description)
		row.information_checked = formatdate(row.last_verified_on) if row.last_verified_on else ""
		due = getdate(row.verification_due_on) if row.verification_due_on else None
		row.check_due = rules.is_verification_overdue(due, checked_today)
	return rows


def count_public_resources(
	district: str | None = None, domain: str | None = None, q: str | None = None
) -> int:
	return frappe.db.count("Community Resource", public_resource_filters(district, domain, q))


def public_resource_filters(district: str | None, domain: str | None, q: str | None) -> dict:
	filters = {"published": 1, "status": "Active"}
	if domain in select_options("Community Resource", "domain"):
		filters["domain"] = domain
	if q:
		filters["resource_name"] = ("like", f"%{q.strip()}%")
	if district and frappe.db.exists("District", district):
		filters["name"] = ("in", resources_serving(district) or [""])
	return filters


def first_point(location: str | None, name: str = "") -> list[float] | None:
	"""[lat, lng] of the first point of a Geolocation value (GeoJSON), or None. A broken stored
	value is skipped (and logged, without personal data) rather than breaking the page."""
	points = inputs.stored_geojson_points(location, "Community Resource", name)
	return list(points[0]) if points else None


def public_districts() -> list[dict]:
	return frappe.get_all(
		"District",
		fields=["name", "district_type", "parent_district"],
		order_by="lft asc",
		limit_page_length=500,
	)
