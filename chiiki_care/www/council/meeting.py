import frappe
from frappe import _

from chiiki_care.access.scope import COUNCIL_MEMBER
from chiiki_care.portal import pages

no_cache = 1


def get_context(context):
	meeting = pages.document_page(context, COUNCIL_MEMBER, "Council Meeting")
	context.meeting = meeting
	context.council_name = pages.council_name(meeting.council)
	context.attended = sum(1 for row in meeting.attendees if row.attended)
	titles = dict(
		frappe.get_list(
			"Community Issue",
			filters={"name": ("in", [row.community_issue for row in meeting.issues_discussed] or [""])},
			fields=["name", "title"],
			as_list=True,
		)
	)
	context.issues = [
		frappe._dict(
			name=row.community_issue,
			title=titles.get(row.community_issue),
			discussion=row.discussion,
			decision=row.decision,
		)
		for row in meeting.issues_discussed
	]
	context.sections = [
		(_("Agenda"), pages.sanitized(meeting.agenda)),
		(_("Minutes"), pages.sanitized(meeting.minutes)),
		(_("Decisions"), pages.sanitized(meeting.decisions)),
		(_("Plan Reports"), pages.sanitized(meeting.plan_reports)),
	]
