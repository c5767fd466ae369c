# Copyright (c) 2026, chiiki_care developers and contributors
# For license information, please see license.txt

import frappe
from frappe import _
from frappe.model.document import Document

from chiiki_care import inputs
from chiiki_care.utils import bold


class EmailReportSubscription(Document):
	# begin: auto-generated types
	# This code is auto-generated. Do not modify anything in this block.

	from typing import TYPE_CHECKING

	if TYPE_CHECKING:
		from frappe.types import DF

		coordinator: DF.Link | None
		council: DF.Link | None
		enabled: DF.Check
		last_sent_on: DF.Datetime | None
		report_kind: DF.Literal["Weekly Digest", "District Summary", "City Summary"]
		user: DF.Link
	# end: auto-generated types

	def validate(self):
		inputs.validate_doc_values(self)
		if self.report_kind == "District Summary":
			if not self.council:
				frappe.throw(_("A district summary needs the council whose district it covers."))
		else:
			self.council = None
		if self.report_kind != "Weekly Digest":
			self.coordinator = None
		duplicate = frappe.db.exists(
			"Email Report Subscription",
			{
				"user": self.user,
				"report_kind": self.report_kind,
				"council": self.council or ("is", "not set"),
				"name": ("!=", self.name or ""),
			},
		)
		if duplicate:
			frappe.throw(
				_("{0} already has this email report: {1}.").format(bold(self.user), duplicate),
				frappe.DuplicateEntryError,
			)
