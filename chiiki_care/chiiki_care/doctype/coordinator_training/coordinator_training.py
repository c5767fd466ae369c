# Copyright (c) 2026, chiiki_care developers and contributors
# For license information, please see license.txt

# import frappe
from chiiki_care.access.child_table import RestrictedChildDocument


class CoordinatorTraining(RestrictedChildDocument):
	# begin: auto-generated types
	# This code is auto-generated. Do not modify anything in this block.

	from typing import TYPE_CHECKING

	if TYPE_CHECKING:
		from frappe.types import DF

		completed: DF.Check
		parent: DF.Data
		parentfield: DF.Data
		parenttype: DF.Data
		remarks: DF.SmallText | None
		training_date: DF.Date | None
		training_name: DF.Data
		training_session: DF.Link | None
	# end: auto-generated types
	pass
