import frappe
from frappe import _

from chiiki_care import edit_conflicts, portal
from chiiki_care.scope import LAYER_3

no_cache = 1


def get_context(context):
	portal.guard(context, LAYER_3)
	need = portal.get_portal_doc("Need", frappe.form_dict.name)
	portal.show_identity(need)
	context.need = need
	# the browser keeps page titles in its history and tabs: no name in them
	context.title = _("Need {0}").format(need.name)
	context.nav = "home"
	context.lenses = [
		(_("Troubles Formal Services Cannot Handle"), need.unmet_troubles),
		(_("Temporary or Urgent Needs"), need.urgent_needs),
		(_("Connection, Enjoyment and Purpose"), need.connection_and_purpose),
		(_("How the Person Wants to Live"), need.desired_life),
	]
	context.categories = [row.need_category for row in need.categories]
	context.actions = portal.workflow_actions(need, exclude=("Lift to Community Issue",))
	context.can_lift = (
		not need.community_issue
		and need.status in portal.OPEN_NEED_STATUSES
		and "Lift to Community Issue" in portal.workflow_actions(need)
	)
	context.issues = portal.open_issues_for(need.district) if context.can_lift else []
	context.issue_title = (
		frappe.db.get_value("Community Issue", need.community_issue, "title")
		if need.community_issue
		else None
	)
	context.plan_title = (
		frappe.db.get_value("Support Plan", need.support_plan, "title")
		if need.support_plan and frappe.has_permission("Support Plan", "read", need.support_plan)
		else None
	)
	# the version the forms were loaded from (chiiki_care.edit_conflicts)
	context.doc_version = edit_conflicts.version_of(need)
	context.status_base = edit_conflicts.base_json({"status": need.status})
