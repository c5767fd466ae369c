import frappe

from chiiki_care.access.scope import COUNCIL_MEMBER
from chiiki_care.portal import pages

no_cache = 1


def get_context(context):
	"""A community issue as the council sees it: district, category, counts by category; no person."""
	pages.guard(context, COUNCIL_MEMBER)
	issue = pages.get_portal_doc("Community Issue", frappe.form_dict.name)
	context.issue = issue
	context.title = issue.title
	context.nav = "home"
	context.description_html = pages.sanitized(issue.description)
	context.council_name = (
		frappe.db.get_value("Council", issue.council, "council_name") if issue.council else None
	)
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
