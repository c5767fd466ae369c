# Copyright (c) 2026, chiiki_care developers and contributors
# For license information, please see license.txt

import frappe
from frappe import _
from frappe.model.document import Document
from frappe.utils import getdate, today

from chiiki_care import audit, consent, inputs, residents, rules
from chiiki_care.utils import get_district_type, get_user_coordinator


class Resident(Document):
	# begin: auto-generated types
	# This code is auto-generated. Do not modify anything in this block.

	from typing import TYPE_CHECKING

	if TYPE_CHECKING:
		from frappe.types import DF

		address: DF.SmallText | None
		address_key: DF.Data | None
		birth_date: DF.Date
		birth_date_wareki: DF.Data | None
		care_level: DF.Literal[
			"",
			"Not Applicable",
			"Program Eligible",
			"Support Level 1",
			"Support Level 2",
			"Care Level 1",
			"Care Level 2",
			"Care Level 3",
			"Care Level 4",
			"Care Level 5",
		]
		consent_date: DF.Date | None
		consent_given: DF.Check
		consent_note: DF.SmallText | None
		consent_scope: DF.Literal["", "Support Team", "Care and Medical Providers", "Community Supporters"]
		dementia: DF.Check
		district: DF.Link
		emergency_contact_name: DF.Data | None
		emergency_contact_phone: DF.Data | None
		emergency_contact_relation: DF.Data | None
		full_name: DF.Data
		full_name_kana: DF.Data
		gender: DF.Literal["", "Female", "Male", "Other"]
		household: DF.Literal["", "Living Alone", "Elderly Household", "Living with Family"]
		kana_key: DF.Data | None
		name_key: DF.Data | None
		notes: DF.SmallText | None
		phone: DF.Data | None
		primary_coordinator: DF.Link | None
		status: DF.Literal["Active", "Closed"]
	# end: auto-generated types

	def validate(self):
		inputs.validate_doc_values(self)
		self.set_birth_date_from_wareki()
		self.validate_birth_date()
		self.validate_kana()
		self.validate_district()
		self.validate_consent()
		if self.is_new() and not self.primary_coordinator:
			self.primary_coordinator = get_user_coordinator()
		residents.set_match_keys(self)
		consent.check_handover(self)

	def onload(self):
		audit.log_identity_access(self)

	def on_update(self):
		consent.log_handover(self)

	def set_birth_date_from_wareki(self):
		"""The birth date may be typed in the Japanese era calendar; both fields then agree."""
		if self.birth_date_wareki and (self.is_new() or self.has_value_changed("birth_date_wareki")):
			value = rules.parse_wareki(self.birth_date_wareki)
			if not value:
				frappe.throw(
					_("{0} is not a date in the Japanese era calendar (e.g. 昭和15年4月1日).").format(
						self.birth_date_wareki
					)
				)
			self.birth_date = value
		if self.birth_date:
			self.birth_date_wareki = rules.format_wareki(getdate(self.birth_date))

	def validate_birth_date(self):
		birth_date = getdate(self.birth_date)
		if rules.is_future(birth_date, getdate(today())):
			frappe.throw(_("The birth date cannot be in the future."), title=_("Invalid birth date"))
		if rules.is_implausibly_old(birth_date):
			frappe.throw(
				_("Please check the birth date: {0} is too far in the past.").format(self.birth_date)
			)

	def validate_kana(self):
		if not rules.is_kana(self.full_name_kana):
			frappe.throw(_("Write the name in kana (hiragana or katakana) in Full Name (Kana)."))

	def validate_district(self):
		if get_district_type(self.district) == "City":
			frappe.throw(_("Choose the resident's school district or daily-life area, not the whole city."))

	def validate_consent(self):
		if not self.consent_given:
			return
		if not self.consent_date:
			frappe.throw(_("Enter the date consent to share information was given."))
		if rules.is_future(getdate(self.consent_date), getdate(today())):
			frappe.throw(_("The consent date cannot be in the future."))
