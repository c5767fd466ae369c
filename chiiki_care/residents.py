"""Finding the same person twice: kana and birth date, or name and address, normalised."""

import frappe
from frappe import _
from frappe.utils import getdate

from chiiki_care import inputs, rules


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
