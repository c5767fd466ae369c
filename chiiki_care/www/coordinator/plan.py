import frappe
from frappe import _

from chiiki_care import inputs
from chiiki_care.access.scope import LAYER_3
from chiiki_care.domain.statuses import OPEN_PLAN_STATUSES
from chiiki_care.portal import api, edit_conflicts, pages

no_cache = 1


def get_context(context):
	pages.guard(context, LAYER_3)
	plan = pages.get_portal_doc("Support Plan", frappe.form_dict.name)
	if plan.scope != "Individual":
		frappe.throw(_("This record does not exist or you may not see it."), frappe.PermissionError)
	pages.show_identity(plan)
	context.plan = plan
	context.title = plan.title
	context.nav = "home"
	context.can_write = plan.has_permission("write") and plan.status in OPEN_PLAN_STATUSES
	context.actions = pages.workflow_actions(plan) if plan.has_permission("write") else []
	context.review_state = pages.due_date_state(plan.next_review_date) if plan.status == "Active" else ""
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
	context.support_kinds = pages.select_options("Support Plan Action", "support_kind")
	context.action_statuses = pages.select_options("Support Plan Action", "status")
	context.outcomes = pages.select_options("Support Plan Monitoring", "outcome")
	context.needs = frappe.get_list(
		"Need",
		filters={"name": ("in", [row.need for row in plan.needs] or [""])},
		fields=["name", "primary_category", "status"],
	)
	# the version the forms were loaded from, and what they show (chiiki_care.portal.edit_conflicts)
	context.doc_version = edit_conflicts.version_of(plan)
	context.edit_base = edit_conflicts.base_json({f: plan.get(f) for f in api.plan_edit_labels()})
	context.status_base = edit_conflicts.base_json({"status": plan.status})
	context.action_base = {row.name: edit_conflicts.base_json({"status": row.status}) for row in plan.actions}
