import frappe

from chiiki_care.access.scope import COUNCIL_MEMBER
from chiiki_care.portal import pages

no_cache = 1


def get_context(context):
	"""A community issue as the council sees it: district, category, counts by category; no person."""
	issue = pages.document_page(context, COUNCIL_MEMBER, "Community Issue")
	context.issue = issue
	context.description_html = pages.sanitized(issue.description)
	context.council_name = pages.council_name(issue.council)
	context.plans = frappe.get_list(
		"Support Plan",
		filters={"scope": "Community", "community_issue": issue.name},
		fields=["name", "title", "status", "next_review_date"],
	)
	context.meetings = frappe.get_list(
		"Council Meeting",
		filters=[["Council Meeting Issue", "community_issue", "=", issue.name]],
		fields=["name", "title", "meeting_date"],
		order_by="meeting_date desc",
	)
