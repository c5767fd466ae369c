import frappe

from chiiki_care import inputs
from chiiki_care.access.scope import LAYER_3
from chiiki_care.domain.statuses import OPEN_PLAN_STATUSES
from chiiki_care.portal import edit_conflicts, pages
from chiiki_care.portal.api import plans
from chiiki_care.utils import select_options

no_cache = 1


def get_context(context):
	plan = pages.document_page(context, LAYER_3, "Support Plan", scope="Individual")
	pages.show_identity(plan)
	context.plan = plan
	context.can_write = plan.has_permission("write") and plan.status in OPEN_PLAN_STATUSES
	context.actions = pages.workflow_actions(plan) if plan.has_permission("write") else []
	context.review_state = pages.due_date_state(plan.next_review_date) if plan.status == "Active" else ""
	context.monitoring = sorted(plan.monitoring, key=lambda m: (str(m.monitoring_date), m.idx), reverse=True)
	context.resource_names = pages.resource_names(plan)
	chosen = inputs.query_text("resource")
	context.chosen_resource = (
		frappe.get_list("Community Resource", filters={"name": chosen}, fields=["name", "resource_name"])
		if chosen
		else []
	)
	context.support_kinds = select_options("Support Plan Action", "support_kind")
	context.action_statuses = select_options("Support Plan Action", "status")
	context.outcomes = select_options("Support Plan Monitoring", "outcome")
	context.needs = frappe.get_list(
		"Need",
		filters={"name": ("in", [row.need for row in plan.needs] or [""])},
		fields=["name", "primary_category", "status"],
	)
	# the version the forms were loaded from, and what they show (chiiki_care.portal.edit_conflicts)
	context.doc_version = edit_conflicts.version_of(plan)
	context.edit_base = edit_conflicts.base_json({f: plan.get(f) for f in plans.plan_edit_labels()})
	context.status_base = edit_conflicts.base_json({"status": plan.status})
	context.action_base = {row.name: edit_conflicts.base_json({"status": row.status}) for row in plan.actions}
