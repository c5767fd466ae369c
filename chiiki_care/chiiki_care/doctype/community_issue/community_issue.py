# Copyright (c) 2026, chiiki_care developers and contributors
# For license information, please see license.txt

import frappe
from frappe import _
from frappe.model.document import Document

from chiiki_care import casework, identity_text_checks, inputs
from chiiki_care.utils import added_links, bold, ensure_readable, is_same_or_below


class CommunityIssue(Document):
	# begin: auto-generated types
	# This code is auto-generated. Do not modify anything in this block.

	from typing import TYPE_CHECKING

	if TYPE_CHECKING:
		from chiiki_care.chiiki_care.doctype.community_issue_need.community_issue_need import (
			CommunityIssueNeed,
		)
		from frappe.types import DF

		council: DF.Link | None
		description: DF.TextEditor | None
		district: DF.Link
		need_category: DF.Link | None
		need_count: DF.Int
		need_summary: DF.SmallText | None
		needs: DF.Table[CommunityIssueNeed]
		raised_on: DF.Date | None
		status: DF.Literal["Raised", "In Discussion", "In Progress", "Resolved", "On Hold"]
		title: DF.Data
	# end: auto-generated types

	def validate(self):
		inputs.validate_doc_values(self)
		ensure_readable(self, "Need", added_links(self, "needs", "need"))
		needs = [row.need for row in self.needs]
		if len(needs) != len(set(needs)):
			frappe.throw(_("A need is listed more than once."))
		for row in self.needs:
			need_district = frappe.db.get_value("Need", row.need, "district")
			if not is_same_or_below(need_district, self.district):
				frappe.throw(
					_("Row {0}: need {1} is from a district outside this issue's district.").format(
						row.idx, bold(row.need)
					)
				)
		self.need_count = len(self.needs)
		self.need_summary = casework.summarise_needs(
			[frappe.db.get_value("Need", row.need, "primary_category") for row in self.needs]
		)
		casework.validate_status_change(self)
		casework.validate_issue_status(self)
		if self.council:
			council_layer, council_district = frappe.db.get_value(
				"Council", self.council, ["layer", "district"]
			)
			if council_layer != "Layer 1" and not is_same_or_below(self.district, council_district):
				frappe.throw(
					_("Council {0} does not serve the district of this issue.").format(
						bold(self.council)
					)
				)
		identity_text_checks.refuse_identity_in_free_text(self)

	def on_update(self):
		if self.status == "Resolved" and casework.previous_status(self) != "Resolved":
			casework.notify_issue_resolved(self)
