import frappe

from chiiki_care.access.scope import LAYER_3
from chiiki_care.portal import pages

no_cache = 1


def get_context(context):
	pages.guard(context, LAYER_3)
	issue = pages.get_portal_doc("Community Issue", frappe.form_dict.name)
	context.issue = issue
	context.title = issue.title
	context.nav = "home"
	context.council_name = (
		frappe.db.get_value("Council", issue.council, "council_name") if issue.council else None
	)
	context.my_needs = frappe.get_list(
		"Need",
		filters={"community_issue": issue.name},
		fields=["name", "resident_name", "primary_category", "status"],
	)
