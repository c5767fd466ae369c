# Copyright (c) 2026, chiiki_care developers and contributors
# For license information, please see license.txt

import frappe
from frappe import _
from frappe.model.document import Document
from frappe.utils import getdate

from chiiki_care import inputs
from chiiki_care.access import identity_text_checks
from chiiki_care.utils import added_links, changed_link, ensure_readable


class CouncilMeeting(Document):
	# begin: auto-generated types
	# This code is auto-generated. Do not modify anything in this block.

	from typing import TYPE_CHECKING

	if TYPE_CHECKING:
		from chiiki_care.chiiki_care.doctype.council_meeting_attendee.council_meeting_attendee import (
			CouncilMeetingAttendee,
		)
		from chiiki_care.chiiki_care.doctype.council_meeting_follow_up.council_meeting_follow_up import (
			CouncilMeetingFollowUp,
		)
		from chiiki_care.chiiki_care.doctype.council_meeting_issue.council_meeting_issue import (
			CouncilMeetingIssue,
		)
		from frappe.types import DF

		agenda: DF.TextEditor | None
		attendees: DF.Table[CouncilMeetingAttendee]
		council: DF.Link
		decisions: DF.TextEditor | None
		district: DF.Link | None
		follow_ups: DF.Table[CouncilMeetingFollowUp]
		issues_discussed: DF.Table[CouncilMeetingIssue]
		meeting_date: DF.Date
		minutes: DF.TextEditor | None
		plan_reports: DF.TextEditor | None
		title: DF.Data
		venue: DF.Data | None
	# end: auto-generated types

	def before_insert(self):
		inputs.validate_doc_values(self)  # carrying follow-ups reads the council and the date
		carry_open_follow_ups(self)

	def validate(self):
		inputs.validate_doc_values(self)
		ensure_readable(self, "Council", changed_link(self, "council"))
		ensure_readable(self, "Community Issue", added_links(self, "issues_discussed", "community_issue"))
		self.district = frappe.db.get_value("Council", self.council, "district")
		for row in self.follow_ups:
			# a follow-up carried over from an earlier meeting keeps its original (past) due date
			if row.due_date and not row.carried_from and getdate(row.due_date) < getdate(self.meeting_date):
				frappe.throw(_("Row {0}: a follow-up cannot be due before the meeting date.").format(row.idx))
		issues = [row.community_issue for row in self.issues_discussed]
		if len(issues) != len(set(issues)):
			frappe.throw(_("A community issue is listed more than once."))
		identity_text_checks.refuse_identity_in_free_text(self)

	def on_update(self):
		sync_follow_up_todos(self)
		mark_issues_discussed(self)


def carry_open_follow_ups(meeting):
	"""A new meeting takes over the open follow-ups of the council's previous meeting."""
	previous = frappe.get_all(
		"Council Meeting",
		filters={"council": meeting.council, "meeting_date": ("<=", meeting.meeting_date)},
		order_by="meeting_date desc, creation desc",
		limit=1,
		pluck="name",
	)
	if not previous:
		return
	for row in frappe.get_doc("Council Meeting", previous[0]).follow_ups:
		if row.status == "Open":
			meeting.append(
				"follow_ups",
				{
					"description": row.description,
					"assigned_to": row.assigned_to,
					"due_date": row.due_date,
					"todo": row.todo,
					"carried_from": previous[0],
				},
			)


def sync_follow_up_todos(meeting):
	"""Each follow-up with an assignee is a ToDo; done follow-ups close theirs."""
	for row in meeting.follow_ups:
		if row.status == "Open" and row.assigned_to and not row.todo:
			todo = frappe.get_doc(
				{
					"doctype": "ToDo",
					"allocated_to": row.assigned_to,
					"description": row.description,
					"date": row.due_date,
					"reference_type": "Council Meeting",
					"reference_name": meeting.name,
					"assigned_by": frappe.session.user,
				}
			).insert(ignore_permissions=True)
			row.db_set("todo", todo.name)
		elif row.status == "Done" and row.todo and frappe.db.get_value("ToDo", row.todo, "status") == "Open":
			frappe.db.set_value("ToDo", row.todo, "status", "Closed")


def mark_issues_discussed(meeting):
	"""Issues on a meeting's agenda are in discussion at their council, with a note on their timeline."""
	for row in meeting.issues_discussed:
		issue = frappe.get_doc("Community Issue", row.community_issue)
		changed = False
		if not issue.council:
			issue.council, changed = meeting.council, True
		if issue.status in ("Raised", "On Hold"):
			issue.status, changed = "In Discussion", True
		if changed:
			issue.save()
		issue.add_comment(
			"Info", _("Discussed at council meeting {0} on {1}.").format(meeting.name, meeting.meeting_date)
		)
