# Copyright (c) 2026, chiiki_care developers and contributors
# For license information, please see license.txt

import frappe
from frappe import _
from frappe.model.document import Document
from frappe.utils import getdate, today

from chiiki_care import inputs
from chiiki_care.access import audit, consent
from chiiki_care.domain import rules
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
		self.validate_values()
		if self.is_new() and not self.primary_coordinator:
			self.primary_coordinator = get_user_coordinator()
		set_match_keys(self)
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

	def validate_values(self):
		problems = resident_problems(self)
		if problems:
			frappe.throw(
				"\n".join(message for _field, message in problems), title=_("Please check what you entered")
			)


def resident_problems(resident) -> list[tuple[str, str]]:
	"""What is wrong with a resident's values, as (field, message) pairs. The form's save and the
	portal's registration both ask here, so they give the same answers."""
	problems = []
	today_ = getdate(today())
	if resident.birth_date:
		birth_date = getdate(resident.birth_date)
		if rules.is_future(birth_date, today_):
			problems.append(("birth_date", _("The birth date cannot be in the future.")))
		elif rules.is_implausibly_old(birth_date):
			problems.append(
				(
					"birth_date",
					_("Please check the birth date: {0} is too far in the past.").format(birth_date),
				)
			)
	if resident.full_name_kana and not rules.is_kana(resident.full_name_kana):
		problems.append(
			("full_name_kana", _("Write the name in kana (hiragana or katakana) in Full Name (Kana)."))
		)
	if resident.district and get_district_type(resident.district) == "City":
		problems.append(
			("district", _("Choose the resident's school district or daily-life area, not the whole city."))
		)
	if resident.consent_given:
		if not resident.consent_date:
			problems.append(("consent_date", _("Enter the date consent to share information was given.")))
		elif rules.is_future(getdate(resident.consent_date), today_):
			problems.append(("consent_date", _("The consent date cannot be in the future.")))
	return problems


def set_match_keys(resident):
	resident.kana_key = rules.normalize_kana(resident.full_name_kana)
	resident.name_key = rules.normalize_name(resident.full_name)
	resident.address_key = rules.normalize_name(resident.address) or None


@frappe.whitelist()
def find_similar_residents(
	full_name: str | None = None,
	full_name_kana: str | None = None,
	birth_date: str | None = None,
	birth_date_wareki: str | None = None,
	address: str | None = None,
	exclude: str | None = None,
) -> dict:
	"""Residents that may be the same person: those the caller may see (to open), and how many
	others exist outside the caller's scope (a count only)."""
	full_name = inputs.check_text(full_name, _("Full Name"), max_length=140)
	full_name_kana = inputs.check_text(full_name_kana, _("Full Name (Kana)"), max_length=140)
	address = inputs.check_text(address, _("Address"), max_length=500)
	exclude = inputs.check_id(exclude, _("Resident"), required=False)
	birth_date = inputs.check_date(birth_date, _("Birth Date"))
	if not birth_date and birth_date_wareki:
		birth_date = inputs.check_date(
			inputs.check_text(birth_date_wareki, _("Birth Date"), max_length=40), _("Birth Date")
		)
	conditions = []
	kana_key = rules.normalize_kana(full_name_kana)
	if kana_key and birth_date:
		conditions.append({"kana_key": kana_key, "birth_date": getdate(birth_date)})
	name_key, address_key = rules.normalize_name(full_name), rules.normalize_name(address)
	if name_key and address_key:
		conditions.append({"name_key": name_key, "address_key": address_key})
	matches, total = {}, set()
	for filters in conditions:
		if exclude:
			filters["name"] = ("!=", exclude)
		for row in frappe.get_list(
			"Resident",
			filters=filters,
			fields=["name", "full_name", "birth_date", "district"],
			order_by="name",
		):
			matches[row.name] = row
		total |= set(frappe.get_all("Resident", filters=filters, pluck="name"))
	return {"matches": list(matches.values()), "others": len(total - set(matches))}


@frappe.whitelist()
def convert_wareki(text: str | None = None) -> str:
	text = inputs.check_text(text, _("Birth Date"), max_length=40, required=True)
	value = rules.parse_wareki(text)
	if not value:
		frappe.throw(_("{0} is not a date in the Japanese era calendar (e.g. 昭和15年4月1日).").format(text))
	return value.isoformat()


def on_doctype_update():
	# a Layer 3 coordinator's residents: its own or created by it (access.scope._own_cases)
	frappe.db.add_index("Resident", ["primary_coordinator"])
	frappe.db.add_index("Resident", ["owner"])
