# Copyright (c) 2026, chiiki_care developers and contributors
# For license information, please see license.txt

import frappe
from frappe import _
from frappe.model.document import Document

from chiiki_care import inputs


class CommunityResource(Document):
	# begin: auto-generated types
	# This code is auto-generated. Do not modify anything in this block.

	from typing import TYPE_CHECKING

	if TYPE_CHECKING:
		from chiiki_care.chiiki_care.doctype.district_item.district_item import DistrictItem
		from chiiki_care.chiiki_care.doctype.need_category_item.need_category_item import NeedCategoryItem
		from frappe.types import DF

		additional_districts: DF.TableMultiSelect[DistrictItem]
		address: DF.SmallText | None
		capacity: DF.Int
		contact_email: DF.Data | None
		contact_phone: DF.Data | None
		cost: DF.Data | None
		description: DF.TextEditor | None
		district: DF.Link
		domain: DF.Literal[
			"Health",
			"Life Support",
			"Watching Over",
			"Gathering and Exchange",
			"Participation and Activity",
			"Community Contribution",
		]
		formality: DF.Literal["Informal", "Formal"]
		need_categories: DF.TableMultiSelect[NeedCategoryItem]
		provider: DF.Data | None
		published: DF.Check
		resource_name: DF.Data
		resource_type: DF.Literal[
			"Gathering Place or Salon",
			"Watching Over",
			"Meal Delivery",
			"Shopping Support",
			"Transport Support",
			"Housework Help",
			"Care Prevention Class",
			"Self-pay Service",
			"Volunteer Group",
			"Other",
		]
		schedule: DF.Data | None
		status: DF.Literal["Active", "Inactive"]
	# end: auto-generated types

	def validate(self):
		inputs.validate_doc_values(self)
		self.validate_location()
		if (self.capacity or 0) < 0:
			frappe.throw(_("Capacity cannot be negative."))
		others = [row.district for row in self.additional_districts]
		if self.district in others or len(others) != len(set(others)):
			frappe.throw(_("A district is listed more than once among the districts served."))

	def validate_location(self):
		"""The map location (Frappe's Geolocation field) is a GeoJSON FeatureCollection whose
		features have geometries with valid coordinates: a Point [longitude, latitude] of numbers in
		range, a LineString or Polygon lists of such points. An empty map stores nothing."""
		inputs.check_geolocation(self.location, _("Location"))
