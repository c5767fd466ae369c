"""The portal's endpoints for individual support plans: draft, edit, actions and monitoring."""

import re
import unicodedata

import frappe
from frappe import _
from frappe.utils import getdate, today

from chiiki_care.chiiki_care.doctype.support_plan.support_plan import review_interval_message
from chiiki_care.domain import rules
from chiiki_care.portal import edit_conflicts
from chiiki_care.portal.forms import InputCheck, coordinator_action, url_for, writable_doc
from chiiki_care.portal.pages import (
	get_portal_doc,
)
from chiiki_care.utils import select_options


@coordinator_action
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


@coordinator_action
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


@coordinator_action
def add_plan_action(
	plan: str | None = None,
	description: str | None = None,
	support_kind: str | None = None,
	community_resource: str | None = None,
	responsible: str | None = None,
	due_date: str | None = None,
) -> dict:
	"""Add a support action (one of the four kinds), optionally with a community resource."""
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


@coordinator_action
def set_action_status(
	plan: str | None = None,
	action: str | None = None,
	status: str | None = None,
	base_version: str | None = None,
	base_values: str | None = None,
) -> dict:
	"""Set an action's status; refused (409) when someone else set it since the page was loaded."""
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


@coordinator_action
def add_monitoring(
	plan: str | None = None,
	monitoring_date: str | None = None,
	observation: str | None = None,
	outcome: str | None = None,
	next_review_date: str | None = None,
) -> dict:
	"""Add a monitoring entry; the plan's next review date follows from it."""
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
