"""Scheduled casework: review reminders for coordinators, and overdue reviews raised to layer 2."""

import frappe
from frappe import _
from frappe.utils import add_days, date_diff, getdate, today

from chiiki_care.access.permissions import coordinator_districts


def review_plans():
	"""Daily: flag overdue reviews, remind each plan's coordinator before the date, and raise plans
	overdue past the set number of days to the district's layer 2 coordinators (without identity)."""
	settings = frappe.get_single("Chiiki Care Settings")
	days_before = settings.reminder_days_before if settings.reminder_days_before is not None else 3
	escalate_after = settings.escalate_after_days or 14
	flag_overdue_reviews()
	layer_2_coverage = None  # computed once, only when a plan is to be raised
	due = frappe.get_all(
		"Support Plan",
		filters={"status": "Active", "next_review_date": ("<=", add_days(today(), days_before))},
		fields=["name", "coordinator", "district", "next_review_date"],
		order_by="next_review_date asc",
	)
	for plan in due:
		if user := plan.coordinator and frappe.db.get_value("Coordinator", plan.coordinator, "user"):
			ensure_todo(
				user,
				plan.name,
				_("Review of support plan {0} is due on {1}.").format(plan.name, plan.next_review_date),
				plan.next_review_date,
			)
		overdue_days = date_diff(today(), plan.next_review_date)
		if overdue_days > escalate_after:
			if layer_2_coverage is None:
				layer_2_coverage = layer_2_districts_by_user()
			for user in [u for u, districts in layer_2_coverage.items() if plan.district in districts]:
				ensure_todo(
					user,
					plan.name,
					_("Support plan {0} in {1} is {2} days past its review date.").format(
						plan.name, plan.district, overdue_days
					),
					today(),
				)


def flag_overdue_reviews():
	Plan = frappe.qb.DocType("Support Plan")
	overdue = (Plan.status == "Active") & (Plan.next_review_date < getdate(today()))
	frappe.qb.update(Plan).set(Plan.review_overdue, 1).where(overdue & (Plan.review_overdue == 0)).run()
	frappe.qb.update(Plan).set(Plan.review_overdue, 0).where(~overdue & (Plan.review_overdue == 1)).run()


def ensure_todo(user: str, plan: str, description: str, date):
	"""One open ToDo per user and plan; a new one also alerts the user."""
	if frappe.db.exists(
		"ToDo",
		{"allocated_to": user, "reference_type": "Support Plan", "reference_name": plan, "status": "Open"},
	):
		return
	frappe.get_doc(
		{
			"doctype": "ToDo",
			"allocated_to": user,
			"description": description,
			"date": date,
			"priority": "High",
			"reference_type": "Support Plan",
			"reference_name": plan,
		}
	).insert(ignore_permissions=True)
	frappe.get_doc(
		{
			"doctype": "Notification Log",
			"for_user": user,
			"type": "Alert",
			"document_type": "Support Plan",
			"document_name": plan,
			"subject": description,
		}
	).insert(ignore_permissions=True)


def layer_2_districts_by_user() -> dict[str, frozenset]:
	"""For each active layer 2 coordinator's user, the districts it covers and those below."""
	return {
		coordinator.user: coordinator_districts(coordinator.name)
		for coordinator in frappe.get_all(
			"Coordinator",
			filters={"layer": "Layer 2", "is_active": 1, "user": ("is", "set")},
			fields=["name", "user"],
			order_by="name asc",
		)
	}
