import frappe
from frappe import _

from chiiki_care.access.scope import COUNCIL_MEMBER
from chiiki_care.portal import pages

no_cache = 1


def get_context(context):
	"""A community plan of the member's council (individual plans are refused by the row rules)."""
	pages.guard(context, COUNCIL_MEMBER)
	plan = pages.get_portal_doc("Support Plan", frappe.form_dict.name)
	if plan.scope != "Community":
		frappe.throw(_("This record does not exist or you may not see it."), frappe.PermissionError)
	context.plan = plan
	context.title = plan.title
	context.nav = "home"
	context.issue_title = (
		frappe.db.get_value("Community Issue", plan.community_issue, "title")
		if plan.community_issue
		else None
	)
	resources = {row.community_resource for row in plan.actions if row.community_resource}
	context.resource_names = dict(
		frappe.get_list(
			"Community Resource",
			filters={"name": ("in", list(resources) or [""])},
			fields=["name", "resource_name"],
			as_list=True,
		)
	)
	context.monitoring = sorted(plan.monitoring, key=lambda m: (str(m.monitoring_date), m.idx), reverse=True)
