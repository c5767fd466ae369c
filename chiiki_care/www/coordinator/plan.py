import frappe
from frappe import _

from chiiki_care import edit_conflicts, inputs, portal
from chiiki_care.scope import LAYER_3

no_cache = 1


def get_context(context):
	portal.guard(context, LAYER_3)
	plan = portal.get_portal_doc("Support Plan", frappe.form_dict.name)
	if plan.scope != "Individual":
		frappe.throw(_("This record does not exist or you may not see it."), frappe.PermissionError)
	portal.show_identity(plan)
	context.plan = plan
	context.title = plan.title
	context.nav = "home"
	context.can_write = plan.has_permission("write") and plan.status in portal.OPEN_PLAN_STATUSES
	context.actions = portal.workflow_actions(plan) if plan.has_permission("write") else []
	context.review_state = portal.due_date_state(plan.next_review_date) if plan.status == "Active" else ""
	context.monitoring = sorted(plan.monitoring, key=lambda m: (str(m.monitoring_date), m.idx), reverse=True)
	resources = {row.community_resource for row in plan.actions if row.community_resource}
	context.resource_names = dict(
		frappe.get_list(
			"Community Resource",
			filters={"name": ("in", list(resources) or [""])},
			fields=["name", "resource_name"],
			as_list=True,
		)
	)
	chosen = inputs.query_text("resource")
	context.chosen_resource = (
		frappe.get_list("Community Resource", filters={"name": chosen}, fields=["name", "resource_name"])
		if chosen
		else []
	)
	context.support_kinds = portal.select_options("Support Plan Action", "support_kind")
	context.action_statuses = portal.select_options("Support Plan Action", "status")
	context.outcomes = portal.select_options("Support Plan Monitoring", "outcome")
	context.needs = frappe.get_list(
		"Need",
		filters={"name": ("in", [row.need for row in plan.needs] or [""])},
		fields=["name", "primary_category", "status"],
	)
	# the version the forms were loaded from, and what they show (chiiki_care.edit_conflicts)
	context.doc_version = edit_conflicts.version_of(plan)
	context.edit_base = edit_conflicts.base_json({f: plan.get(f) for f in portal.plan_edit_labels()})
	context.status_base = edit_conflicts.base_json({"status": plan.status})
	context.action_base = {row.name: edit_conflicts.base_json({"status": row.status}) for row in plan.actions}
