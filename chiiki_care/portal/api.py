"""The portal: phone pages for Layer 3 coordinators (/coordinator/...) and council members
(/council/...), and the public resource directory (/resources).

How it is built (see README, "Portal"):
- Jinja pages under `chiiki_care/www/` (`no_cache = 1`; guests are sent to the login page and
  back). Pages read rows only through `frappe.get_list` and `get_portal_doc` (`frappe.get_doc` +
  `has_permission`), so the row rules of `chiiki_care.access.permissions` decide what a page shows, as
  on the desk; each document is shown after `apply_fieldlevel_read_permissions`.
- Small POST endpoints below for every write. They save as the session user, never with
  `ignore_permissions`, so DocPerm, row rules, workflows and the controllers' validations apply.
  Bad input is answered with Japanese messages and the names of the fields to fix.
- No Web Forms: `frappe.website.doctype.web_form.web_form.accept` inserts with
  `ignore_permissions=True` and its link options read with `frappe.get_all` (every resident's
  name, or only rows the user created), neither of which the row rules can see; and the four
  lenses, the duplicate check and the monitoring log need their own layout on a phone.
"""

import re
import unicodedata

import frappe
from frappe import _
from frappe.model.workflow import apply_workflow
from frappe.utils import cint, getdate, today

from chiiki_care import inputs
from chiiki_care.access.scope import LAYER_3
from chiiki_care.chiiki_care.doctype.need.need import lift_needs
from chiiki_care.chiiki_care.doctype.resident.resident import find_similar_residents, resident_problems
from chiiki_care.chiiki_care.doctype.support_plan.support_plan import review_interval_message
from chiiki_care.domain import rules
from chiiki_care.portal import edit_conflicts
from chiiki_care.portal.forms import InputCheck, parse_list, require_role, url_for, writable_doc
from chiiki_care.portal.pages import (
	coordinator_districts,
	get_portal_doc,
	need_categories,
	select_options,
	workflow_actions,
)

# Endpoints (POST, as the session user)
# -------------------------------------


@frappe.whitelist(methods=["POST"])
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
	require_role(LAYER_3)
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


@frappe.whitelist(methods=["POST"])
def create_plan(
	resident: str | None = None,
	need: str | None = None,
	title: str | None = None,
	personal_goal: str | None = None,
	goal: str | None = None,
	start_date: str | None = None,
	review_interval_weeks: str | int | None = None,
) -> dict:
	"""Draft an individual support plan for a resident, from one of the resident's needs if given."""
	require_role(LAYER_3)
	check = InputCheck()
	title = check.text("title", title, _("Title"), required=True, max_length=140)
	personal_goal = check.text("personal_goal", personal_goal, _("The Person's Own Goal"))
	goal = check.text("goal", goal, _("Goal"))
	start = check.date("start_date", start_date, _("Start Date"), allow_future=True) or getdate(today())
	weeks = check_weeks(check, review_interval_weeks)
	if not resident and not need:
		check.add("resident", _("Choose the resident, or register a new one."))
	check.done()
	need_doc = None
	if need:
		need_doc = get_portal_doc("Need", need)
		resident = need_doc.resident
	get_portal_doc("Resident", resident)
	plan = frappe.get_doc(
		{
			"doctype": "Support Plan",
			"scope": "Individual",
			"resident": resident,
			"title": title,
			"personal_goal": personal_goal,
			"goal": goal,
			"start_date": start,
			"review_interval_weeks": weeks,
			"needs": [{"need": need}] if need else [],
		}
	).insert()
	if need_doc and not need_doc.support_plan:
		need_doc = writable_doc("Need", need)
		need_doc.support_plan = plan.name
		need_doc.save()
	return {"plan": plan.name, "url": url_for("coordinator/plan", plan.name)}


def check_weeks(check: InputCheck, value) -> int:
	"""The review interval typed on the form (4 when left empty), bounded as the plan's controller bounds it."""
	text = unicodedata.normalize("NFKC", str(value or "4")).strip()
	weeks = int(text) if re.fullmatch(r"[0-9]{1,3}", text) else None
	if not rules.is_review_interval(weeks):
		check.add("review_interval_weeks", review_interval_message())
		return 4
	return weeks


@frappe.whitelist(methods=["POST"])
def update_plan(
	plan: str | None = None,
	title: str | None = None,
	personal_goal: str | None = None,
	goal: str | None = None,
	review_interval_weeks: str | int | None = None,
	base_version: str | None = None,
	base_values: str | None = None,
) -> dict:
	"""Edit the plan's title, goals and review interval. Refused (409) when one of them was changed
	since the form's `base_version` and the form would overwrite it (`edit_conflicts`)."""
	require_role(LAYER_3)
	doc = writable_doc("Support Plan", plan)
	check = InputCheck()
	values = {
		"title": check.text("title", title, _("Title"), required=True, max_length=140),
		"personal_goal": check.text("personal_goal", personal_goal, _("The Person's Own Goal")),
		"goal": check.text("goal", goal, _("Goal")),
		"review_interval_weeks": check_weeks(check, review_interval_weeks),
	}
	check.done()
	edit_conflicts.refuse_if_stale(doc, base_version, base_values, plan_edits(doc, values))
	doc.update(values)
	doc.save()
	return {
		"plan": doc.name,
		"next_review_date": doc.next_review_date,
		"url": url_for("coordinator/plan", doc.name),
	}


def plan_edit_labels() -> dict:
	"""The plan's fields its portal edit form writes, with their labels."""
	return {
		"title": _("Title"),
		"personal_goal": _("The Person's Own Goal"),
		"goal": _("Goal"),
		"review_interval_weeks": _("Review Interval (Weeks)"),
	}


def plan_edits(doc, values: dict) -> list:
	return [
		edit_conflicts.Edit(field, label, doc.get(field), values[field], path=(field,))
		for field, label in plan_edit_labels().items()
	]


@frappe.whitelist(methods=["POST"])
def add_plan_action(
	plan: str | None = None,
	description: str | None = None,
	support_kind: str | None = None,
	community_resource: str | None = None,
	responsible: str | None = None,
	due_date: str | None = None,
) -> dict:
	"""Add a support action (one of the four kinds), optionally with a community resource."""
	require_role(LAYER_3)
	doc = writable_doc("Support Plan", plan)
	check = InputCheck()
	row = {
		"description": check.text("description", description, _("Action"), required=True),
		"support_kind": check.choice(
			"support_kind",
			support_kind,
			select_options("Support Plan Action", "support_kind"),
			_("Kind of Support"),
		),
		"responsible": check.text("responsible", responsible, _("Responsible"), max_length=140) or None,
		"due_date": check.date("due_date", due_date, _("Due Date"), allow_future=True),
	}
	if community_resource:
		if not frappe.db.exists("Community Resource", community_resource) or not frappe.has_permission(
			"Community Resource", "read", community_resource
		):
			check.add("community_resource", _("Choose a community resource from the search."))
		else:
			row["community_resource"] = community_resource
	check.done()
	doc.append("actions", row)
	doc.save()
	return {"plan": doc.name, "url": url_for("coordinator/plan", doc.name)}


@frappe.whitelist(methods=["POST"])
def set_action_status(
	plan: str | None = None,
	action: str | None = None,
	status: str | None = None,
	base_version: str | None = None,
	base_values: str | None = None,
) -> dict:
	"""Set an action's status; refused (409) when someone else set it since the page was loaded."""
	require_role(LAYER_3)
	doc = writable_doc("Support Plan", plan)
	check = InputCheck()
	status = check.choice("status", status, select_options("Support Plan Action", "status"), _("Status"))
	rows = [row for row in doc.actions if row.name == action]
	if not rows:
		check.add("action", _("This action is no longer in the plan; reload the page."))
	check.done()
	edit_conflicts.refuse_if_stale(
		doc,
		base_version,
		base_values,
		[
			edit_conflicts.Edit(
				"status",
				_("Status of the action “{0}”").format(rows[0].description or ""),
				rows[0].status,
				status,
				path=("actions", rows[0].name, "status"),
				translate=True,
			)
		],
	)
	rows[0].status = status
	doc.save()
	return {"plan": doc.name, "url": url_for("coordinator/plan", doc.name)}


@frappe.whitelist(methods=["POST"])
def add_monitoring(
	plan: str | None = None,
	monitoring_date: str | None = None,
	observation: str | None = None,
	outcome: str | None = None,
	next_review_date: str | None = None,
) -> dict:
	"""Add a monitoring entry; the plan's next review date follows from it."""
	require_role(LAYER_3)
	doc = writable_doc("Support Plan", plan)
	check = InputCheck()
	date = check.date("monitoring_date", monitoring_date, _("Monitoring Date"), required=True)
	observation = check.text("observation", observation, _("Observation"), required=True)
	outcome = check.choice(
		"outcome", outcome or "Continue", select_options("Support Plan Monitoring", "outcome"), _("Outcome")
	)
	next_review = check.date("next_review_date", next_review_date, _("Next Review Date"), allow_future=True)
	if date and date < getdate(doc.start_date):
		check.add(
			"monitoring_date",
			_("The monitoring date cannot be before the plan starts ({0}).").format(
				frappe.format(doc.start_date, "Date")
			),
		)
	if date and next_review and next_review <= date:
		check.add("next_review_date", _("The next review date must come after the monitoring date."))
	check.done()
	doc.append(
		"monitoring",
		{
			"monitoring_date": date,
			"observation": observation,
			"outcome": outcome,
			"next_review_date": next_review,
		},
	)
	doc.save()
	return {
		"plan": doc.name,
		"next_review_date": str(doc.next_review_date),
		"url": url_for("coordinator/plan", doc.name),
	}


@frappe.whitelist(methods=["POST"])
def apply_action(
	doctype: str | None = None,
	name: str | None = None,
	action: str | None = None,
	base_version: str | None = None,
	base_values: str | None = None,
) -> dict:
	"""Take a workflow action on one's need or plan (the site's workflow decides who may).

	The page's buttons send the version they were shown on: a status changed since is answered
	409 with who changed it (a call without `base_version` acts on the current status)."""
	require_role(LAYER_3)
	if doctype not in ("Need", "Support Plan"):
		frappe.throw(_("This record does not exist or you may not see it."), frappe.PermissionError)
	doc = writable_doc(doctype, name)
	if base_version is not None:
		edit_conflicts.refuse_if_stale(doc, base_version, base_values, [status_edit(doc)])
	if action not in workflow_actions(doc, exclude=("Lift to Community Issue",)):
		frappe.throw(_("This step is not available now; reload the page."))
	doc = apply_workflow(doc.as_dict(), action)
	route = "coordinator/need" if doctype == "Need" else "coordinator/plan"
	return {"status": doc.status, "url": url_for(route, name)}


@frappe.whitelist(methods=["POST"])
def lift_need(
	need: str | None = None,
	community_issue: str | None = None,
	title: str | None = None,
	base_version: str | None = None,
	base_values: str | None = None,
) -> dict:
	"""Lift one's need into a new community issue, or add it to an open one (seed, 活動内容③).
	Like `apply_action`, refused (409) when the need's status changed since the page was loaded."""
	require_role(LAYER_3)
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


def status_edit(doc):
	"""A workflow step on `doc`: any change of its status since the page was loaded conflicts."""
	return edit_conflicts.Edit("status", _("Status"), doc.status, path=("status",), translate=True)
