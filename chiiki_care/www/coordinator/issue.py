import frappe

from chiiki_care.access.scope import LAYER_3
from chiiki_care.portal import pages

no_cache = 1


def get_context(context):
	issue = pages.document_page(context, LAYER_3, "Community Issue")
	context.issue = issue
	context.council_name = pages.council_name(issue.council)
	context.my_needs = frappe.get_list(
		"Need",
		filters={"community_issue": issue.name},
		fields=["name", "resident_name", "primary_category", "status"],
	)
