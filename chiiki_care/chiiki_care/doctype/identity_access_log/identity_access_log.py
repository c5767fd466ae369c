# Copyright (c) 2026, chiiki_care developers and contributors
# For license information, please see license.txt

# import frappe
from frappe.model.document import Document

from chiiki_care import inputs


class IdentityAccessLog(Document):
	# begin: auto-generated types
	# This code is auto-generated. Do not modify anything in this block.

	from typing import TYPE_CHECKING

	if TYPE_CHECKING:
		from frappe.types import DF

		accessed_on: DF.Datetime | None
		channel: DF.Literal["Desk", "Portal"]
		reference_doctype: DF.Link | None
		reference_name: DF.DynamicLink | None
		resident: DF.Link | None
		user: DF.Link | None
	# end: auto-generated types

	def validate(self):
		inputs.validate_doc_values(self)
