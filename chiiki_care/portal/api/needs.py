"""The portal's endpoints for needs: record one (with a new resident if need be), lift one into a
community issue."""

import frappe
from frappe import _
from frappe.utils import cint, getdate, today

from chiiki_care import inputs
from chiiki_care.chiiki_care.doctype.need.need import lift_needs
from chiiki_care.chiiki_care.doctype.resident.resident import find_similar_residents, resident_problems
from chiiki_care.portal import edit_conflicts
from chiiki_care.portal.api.workflow import status_edit
from chiiki_care.portal.forms import InputCheck, coordinator_action, parse_list, url_for, writable_doc
from chiiki_care.portal.pages import (
	coordinator_districts,
	get_portal_doc,
	need_categories,
)
from chiiki_care.utils import select_options


@coordinator_action
def record_need(
	resident: str | None = None,
	new_resident: str | dict | None = None,
	categories: str | list | None = None,
	unmet_troubles: str | None = None,
	urgent_needs: str | None = None,
	connection_and_purpose: str | None = None,
	desired_life: str | None = None,
	urgency: str | None = None,
	recorded_on: str | None = None,
	confirm_new_resident: str | int | None = None,
) -> dict:
	"""Record a need through the four lenses, for one of the user's residents or a new one.

	For a new resident the duplicate check runs first: when the same person may be on record, the
	answer is `{"duplicates": ...}` and nothing is saved until the coordinator confirms."""
	check = InputCheck()
	lenses = {
		"unmet_troubles": check.text(
			"unmet_troubles", unmet_troubles, _("Troubles Formal Services Cannot Handle")
		),
		"urgent_needs": check.text("urgent_needs", urgent_needs, _("Temporary or Urgent Needs")),
		"connection_and_purpose": check.text(
			"connection_and_purpose", connection_and_purpose, _("Connection, Enjoyment and Purpose")
		),
		"desired_life": check.text("desired_life", desired_life, _("How the Person Wants to Live")),
	}
	if not any(lenses.values()):
		check.add("lenses", _("Write at least one of the four lenses."))
	categories = parse_list(categories)
	known = set(need_categories())
	if categories is None:
		check.add("categories", _("Choose need categories from the list."))
	elif not categories:
		check.add("categories", _("Choose at least one need category."))
	elif any(c not in known for c in categories):
		check.add("categories", _("Choose need categories from the list."))
	urgency = check.choice("urgency", urgency or "Normal", select_options("Need", "urgency"), _("Urgency"))
	recorded = check.date("recorded_on", recorded_on, _("Recorded On")) or getdate(today())
	person = None
	if new_resident:
		person = check_new_resident(check, new_resident)
	elif not resident:
		check.add("resident", _("Choose the resident, or register a new one."))
	check.done()

	if person is not None:
		if not cint(confirm_new_resident):
			similar = find_similar_residents(
				full_name=person["full_name"],
				full_name_kana=person["full_name_kana"],
				birth_date=str(person["birth_date"]),
				address=person.get("address"),
			)
			if similar["matches"] or similar["others"]:
				return {"duplicates": similar}
		resident = frappe.get_doc({"doctype": "Resident", **person}).insert().name
	else:
		get_portal_doc("Resident", resident)
	need = frappe.get_doc(
		{
			"doctype": "Need",
			"resident": resident,
			"recorded_on": recorded,
			"urgency": urgency,
			"categories": [{"need_category": c} for c in dict.fromkeys(categories)],
			**lenses,
		}
	).insert()
	return {"need": need.name, "resident": resident, "url": url_for("coordinator/need", need.name)}


def check_new_resident(check: InputCheck, data) -> dict:
	data = inputs.parse_json_arg(data, _("Resident"), dict, default={})
	person = {
		"full_name": check.text(
			"full_name", data.get("full_name"), _("Full Name"), required=True, max_length=140
		),
		"full_name_kana": check.text(
			"full_name_kana", data.get("full_name_kana"), _("Full Name (Kana)"), required=True, max_length=140
		),
		"address": check.text("address", data.get("address"), _("Address"), max_length=500) or None,
		"phone": check.text("phone", data.get("phone"), _("Phone"), max_length=40) or None,
	}
	person["birth_date"] = check.date(
		"birth_date", data.get("birth_date"), _("Birth Date"), required=True, allow_future=True
	)
	person["district"] = check.choice(
		"district", data.get("district"), coordinator_districts(), _("the resident's district")
	)
	person["household"] = check.choice(
		"household", data.get("household"), select_options("Resident", "household"), _("Household"), False
	)
	person["care_level"] = check.choice(
		"care_level", data.get("care_level"), select_options("Resident", "care_level"), _("Care Level"), False
	)
	if cint(data.get("consent_given")):
		person["consent_given"] = 1
		person["consent_date"] = check.date(
			"consent_date", data.get("consent_date"), _("Consent Date"), allow_future=True
		)
		person["consent_scope"] = check.choice(
			"consent_scope", data.get("consent_scope"), residents_consent_scopes(), _("Consent Scope")
		)
	person = frappe._dict({k: v for k, v in person.items() if v is not None})
	for field, message in resident_problems(person):
		check.add(field, message)
	return person


def residents_consent_scopes() -> tuple:
	from chiiki_care.access.consent import CONSENT_SCOPES

	return CONSENT_SCOPES


@coordinator_action
def lift_need(
	need: str | None = None,
	community_issue: str | None = None,
	title: str | None = None,
	base_version: str | None = None,
	base_values: str | None = None,
) -> dict:
	"""Lift one's need into a new community issue, or add it to an open one (seed, 活動内容③).
	Like `apply_action`, refused (409) when the need's status changed since the page was loaded."""
	need_doc = writable_doc("Need", need)
	check = InputCheck()
	title = check.text("title", title, _("Title"), max_length=140)
	if not community_issue and not title:
		check.add("title", _("Choose a community issue or give a new one a title."))
	if community_issue and not frappe.has_permission("Community Issue", "read", community_issue):
		check.add("community_issue", _("Choose a community issue from the list."))
	check.done()
	if base_version is not None:
		edit_conflicts.refuse_if_stale(need_doc, base_version, base_values, [status_edit(need_doc)])
	issue = lift_needs([need], community_issue=community_issue or None, title=title or None)
	return {"issue": issue, "url": url_for("coordinator/issue", issue)}
