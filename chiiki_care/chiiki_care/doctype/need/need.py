# Copyright (c) 2026, chiiki_care developers and contributors
# For license information, please see license.txt

import frappe
from frappe import _
from frappe.model.document import Document
from frappe.utils import getdate, today

from chiiki_care import audit, casework, consent, identity_text_checks, inputs, rules
from chiiki_care.utils import bold, changed_link, ensure_readable, get_user_coordinator

LENS_FIELDS = ("unmet_troubles", "urgent_needs", "connection_and_purpose", "desired_life")


class Need(Document):
	# begin: auto-generated types
	# This code is auto-generated. Do not modify anything in this block.

	from typing import TYPE_CHECKING

	if TYPE_CHECKING:
		from chiiki_care.chiiki_care.doctype.need_category_item.need_category_item import NeedCategoryItem
		from frappe.types import DF

		categories: DF.TableMultiSelect[NeedCategoryItem]
		community_issue: DF.Link | None
		connection_and_purpose: DF.SmallText | None
		desired_life: DF.SmallText | None
		district: DF.Link
		primary_category: DF.Link | None
		recorded_by: DF.Link | None
		recorded_on: DF.Date
		resident: DF.Link
		resident_name: DF.Data | None
		status: DF.Literal[
			"New", "Under Review", "Supporting", "Resolved", "Lifted to Community Issue", "Withdrawn"
		]
		support_plan: DF.Link | None
		unmet_troubles: DF.SmallText | None
		urgency: DF.Literal["Normal", "Immediate"]
		urgent_needs: DF.SmallText | None
	# end: auto-generated types

	def validate(self):
		inputs.validate_doc_values(self)
		ensure_readable(self, "Resident", changed_link(self, "resident"))
		self.validate_district()
		if rules.is_future(getdate(self.recorded_on), getdate(today())):
			frappe.throw(_("The recorded date cannot be in the future."))
		if not any((self.get(field) or "").strip() for field in LENS_FIELDS):
			frappe.throw(_("Fill in at least one of the four lenses of the need."))
		self.set_primary_category()
		if self.is_new() and not self.recorded_by:
			self.recorded_by = get_user_coordinator()
		casework.validate_status_change(self)
		casework.validate_need_status(self)
		consent.check_handover(self)
		identity_text_checks.refuse_identity_in_free_text(self)

	def onload(self):
		audit.log_identity_access(self)

	def on_update(self):
		consent.log_handover(self)

	def validate_district(self):
		resident_district = frappe.db.get_value("Resident", self.resident, "district")
		if not self.district:
			self.district = resident_district
		elif self.district != resident_district:
			frappe.throw(
				_("The need's district {0} differs from the resident's district.").format(
					bold(self.district)
				),
				title=_("District mismatch"),
			)

	def set_primary_category(self):
		categories = [row.need_category for row in self.categories]
		if len(categories) != len(set(categories)):
			frappe.throw(_("A need category is listed more than once."))
		self.primary_category = categories[0] if categories else None


def on_doctype_update():
	frappe.db.add_index("Need", ["district", "status", "recorded_on"])
	frappe.db.add_index("Need", ["primary_category", "district"])
	# covers counting needs by district and category over a period (reports, DESIGN.md §6)
	frappe.db.add_index("Need", ["district", "recorded_on", "primary_category", "status"])
