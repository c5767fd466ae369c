import frappe
from frappe import _

from chiiki_care.access.scope import LAYER_3
from chiiki_care.domain.statuses import CASEWORK_NEED_STATUSES
from chiiki_care.portal import edit_conflicts, pages

no_cache = 1


def get_context(context):
	need = pages.document_page(context, LAYER_3, "Need")
	pages.show_identity(need)
	context.need = need
	# the browser keeps page titles in its history and tabs: no name in them
	context.title = _("Need {0}").format(need.name)
	context.lenses = [
		(_("Troubles Formal Services Cannot Handle"), need.unmet_troubles),
		(_("Temporary or Urgent Needs"), need.urgent_needs),
		(_("Connection, Enjoyment and Purpose"), need.connection_and_purpose),
		(_("How the Person Wants to Live"), need.desired_life),
	]
	context.categories = [row.need_category for row in need.categories]
	context.actions = pages.workflow_actions(need, exclude=("Lift to Community Issue",))
	context.can_lift = (
		not need.community_issue
		and need.status in CASEWORK_NEED_STATUSES
		and "Lift to Community Issue" in pages.workflow_actions(need)
	)
	context.issues = pages.open_issues_for(need.district) if context.can_lift else []
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
	# the version the forms were loaded from (chiiki_care.portal.edit_conflicts)
	context.doc_version = edit_conflicts.version_of(need)
	context.status_base = edit_conflicts.base_json({"status": need.status})
