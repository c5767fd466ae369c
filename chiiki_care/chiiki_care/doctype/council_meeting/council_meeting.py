# Copyright (c) 2026, chiiki_care developers and contributors
# For license information, please see license.txt

import frappe
from frappe import _
from frappe.model.document import Document
from frappe.utils import getdate

from chiiki_care import casework, identity_text_checks, inputs
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
		casework.carry_open_follow_ups(self)

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
		casework.sync_follow_up_todos(self)
		casework.mark_issues_discussed(self)
