import frappe

from chiiki_care.access.scope import COUNCIL_MEMBER
from chiiki_care.portal import pages

no_cache = 1


def get_context(context):
	"""A community plan of the member's council (individual plans are refused by the row rules)."""
	plan = pages.document_page(context, COUNCIL_MEMBER, "Support Plan", scope="Community")
	context.plan = plan
	context.issue_title = (
		frappe.db.get_value("Community Issue", plan.community_issue, "title")
		if plan.community_issue
		else None
	)
	context.resource_names = pages.resource_names(plan)
	context.monitoring = sorted(plan.monitoring, key=lambda m: (str(m.monitoring_date), m.idx), reverse=True)
