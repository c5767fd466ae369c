# Copyright (c) 2026, chiiki_care developers and contributors
# For license information, please see license.txt

# import frappe
from frappe.model.document import Document

from chiiki_care import inputs


class ChiikiCareSettings(Document):
	# begin: auto-generated types
	# This code is auto-generated. Do not modify anything in this block.

	from typing import TYPE_CHECKING

	if TYPE_CHECKING:
		from frappe.types import DF

		escalate_after_days: DF.Int
		reminder_days_before: DF.Int
	# end: auto-generated types

	def validate(self):
		inputs.validate_doc_values(self)
