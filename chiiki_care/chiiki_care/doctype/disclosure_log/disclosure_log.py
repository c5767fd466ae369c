# Copyright (c) 2026, chiiki_care developers and contributors
# For license information, please see license.txt

# import frappe
from frappe.model.document import Document

from chiiki_care import inputs


class DisclosureLog(Document):
	# begin: auto-generated types
	# This code is auto-generated. Do not modify anything in this block.

	from typing import TYPE_CHECKING

	if TYPE_CHECKING:
		from frappe.types import DF

		basis: DF.Literal["Consent", "Legal Basis"]
		disclosed_by: DF.Link | None
		disclosed_on: DF.Datetime | None
		disclosed_to: DF.Link | None
		legal_basis: DF.Literal[
			"",
			"Support Council (Social Welfare Act Art. 106-6)",
			"Community Care Meeting (Long-Term Care Insurance Act Art. 115-48)",
			"Protection of Life, Body or Property (APPI Art. 27-1-2)",
			"Other Provision of Law (APPI Art. 27-1-1)",
		]
		method: DF.Literal["Share", "Assign", "Referral"]
		note: DF.SmallText | None
		organisation: DF.Data | None
		reference_doctype: DF.Link | None
		reference_name: DF.DynamicLink | None
		resident: DF.Link | None
	# end: auto-generated types

	def validate(self):
		inputs.validate_doc_values(self)
