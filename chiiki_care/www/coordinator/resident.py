import frappe
from frappe import _
from frappe.utils import getdate, today

from chiiki_care.access.scope import LAYER_3
from chiiki_care.domain import rules
from chiiki_care.portal import pages

no_cache = 1


def get_context(context):
	resident = pages.document_page(context, LAYER_3, "Resident")
	pages.show_identity(resident)
	context.resident = resident
	context.age = (
		rules.age_on(getdate(resident.birth_date), getdate(today())) if resident.birth_date else None
	)
	# the browser keeps page titles in its history and tabs: no name in them
	context.title = _("Resident {0}").format(resident.name)
	context.needs = frappe.get_list(
		"Need",
		filters={"resident": resident.name},
		fields=[
			"name",
			"status",
			"urgency",
			"recorded_on",
			"primary_category",
			"support_plan",
			"community_issue",
		],
		order_by="recorded_on desc",
	)
	context.plans = frappe.get_list(
		"Support Plan",
		filters={"resident": resident.name},
		fields=["name", "title", "status", "next_review_date"],
		order_by="start_date desc",
	)
	for plan in context.plans:
		plan.due_state = pages.due_date_state(plan.next_review_date) if plan.status == "Active" else ""
	context.can_write = resident.has_permission("write")
