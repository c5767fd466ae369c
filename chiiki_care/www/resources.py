"""The public resource directory: published, active community resources by district and domain,
with a map, for residents and families looking for 居場所 and services. No login, no personal data:
see `chiiki_care.portal.directory.public_resources` for the filter that is this page's security boundary."""

import json
from urllib.parse import urlencode

import frappe
from frappe import _

from chiiki_care import inputs
from chiiki_care.portal import directory, pages
from chiiki_care.utils import select_options

no_cache = 1

DEFAULT_TILES = "https://{s}.tile.openstreetmap.org/{z}/{x}/{y}.png"
DEFAULT_ATTRIBUTION = "© OpenStreetMap contributors"


def get_context(context):
	context.no_cache = 1
	context.no_breadcrumbs = 1
	context.title = _("Community Resources")
	context.portal_user = frappe.session.user if frappe.session.user != "Guest" else ""
	context.js_messages = pages.js_messages()
	pages.page_helpers(context)
	districts = directory.public_districts()
	names = {d.name for d in districts}
	# a public page: a query value that is not one of the choices (or not text) is ignored
	district, domain = inputs.query_text("district"), inputs.query_text("domain")
	context.district = district if district in names else ""
	context.domain = domain if domain in select_options("Community Resource", "domain") else ""
	context.q = inputs.query_text("q", max_length=2000)[:100]
	context.districts = [d for d in districts if d.district_type != "City"]
	context.domains = select_options("Community Resource", "domain")
	scope = {"district": context.district, "domain": context.domain, "q": context.q}
	context.total = directory.count_public_resources(**scope)
	per_page = directory.PUBLIC_RESOURCES_PER_PAGE
	last_page = max(1, -(-context.total // per_page))
	context.page = min(requested_page(), last_page)
	context.resources = directory.public_resources(**scope, start=(context.page - 1) * per_page)
	context.first_shown = (context.page - 1) * per_page + 1 if context.resources else 0
	context.last_shown = context.first_shown + len(context.resources) - 1 if context.resources else 0
	context.previous_page_url = page_url(scope, context.page - 1) if context.page > 1 else ""
	context.next_page_url = page_url(scope, context.page + 1) if context.page < last_page else ""
	context.map_points = [
		{
			"point": r.point,
			"title": r.resource_name,
			"detail": " ・ ".join(filter(None, [_(r.resource_type), r.schedule])),
			"anchor": f"resource-{r.name}",
		}
		for r in context.resources
		if r.point
	]
	context.map_centre = frappe.conf.get("chiiki_care_map_centre") or [34.8146, 135.6509]
	# JSON as a plain string, so that the template's `|e` escapes its quotes inside the attribute
	# (`tojson` returns markup that `|e` leaves alone, and it does not escape `"`)
	context.map_centre_json = json.dumps(context.map_centre)
	# the tile server is a site setting; an empty string shows the markers without a base map
	context.map_tiles = frappe.conf.get("chiiki_care_map_tiles", DEFAULT_TILES)
	context.map_attribution = frappe.conf.get("chiiki_care_map_attribution", DEFAULT_ATTRIBUTION)


def requested_page() -> int:
	"""The page of results asked for; anything but a whole number from 1 shows the first page."""
	try:
		return inputs.int_value(inputs.query_text("page"), minimum=1, default=1)
	except inputs.BadValue:
		return 1


def page_url(scope: dict, page: int) -> str:
	"""This page's address with the same search, on another page of results."""
	query = {key: value for key, value in scope.items() if value}
	if page > 1:
		query["page"] = page
	return "/resources" + (f"?{urlencode(query)}" if query else "")
