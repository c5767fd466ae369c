import frappe
from frappe import _

from chiiki_care.access.scope import COUNCIL_MEMBER
from chiiki_care.portal import pages

no_cache = 1


def get_context(context):
	"""A council member's councils, their meetings, issues and community plans: no person's data."""
	pages.guard(context, COUNCIL_MEMBER)
	context.title = _("My Councils")
	context.nav = "home"
	context.councils = frappe.get_list(
		"Council",
		fields=["name", "council_name", "local_name", "layer", "district"],
		order_by="council_name asc",
	)
	context.meetings = frappe.get_list(
		"Council Meeting",
		fields=["name", "title", "council", "meeting_date", "venue"],
		order_by="meeting_date desc",
		limit_page_length=50,
	)
	context.issues = frappe.get_list(
		"Community Issue",
		fields=["name", "title", "district", "status", "need_category", "raised_on"],
		order_by="raised_on desc",
		limit_page_length=100,
	)
	context.plans = frappe.get_list(
		"Support Plan",
		filters={"scope": "Community"},
		fields=["name", "title", "status", "next_review_date", "district"],
		order_by="start_date desc",
		limit_page_length=100,
	)
