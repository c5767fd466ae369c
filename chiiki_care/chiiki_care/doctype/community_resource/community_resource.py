# Copyright (c) 2026, chiiki_care developers and contributors
# For license information, please see license.txt

import frappe
from frappe import _
from frappe.model.document import Document


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
		if (self.capacity or 0) < 0:
			frappe.throw(_("Capacity cannot be negative."))
		others = [row.district for row in self.additional_districts]
		if self.district in others or len(others) != len(set(others)):
			frappe.throw(_("A district is listed more than once among the districts served."))
