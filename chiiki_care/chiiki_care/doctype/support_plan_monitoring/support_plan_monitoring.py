# Copyright (c) 2026, chiiki_care developers and contributors
# For license information, please see license.txt

# import frappe
from chiiki_care.access.child_table import RestrictedChildDocument


class SupportPlanMonitoring(RestrictedChildDocument):
	# begin: auto-generated types
	# This code is auto-generated. Do not modify anything in this block.

	from typing import TYPE_CHECKING

	if TYPE_CHECKING:
		from frappe.types import DF

		monitoring_date: DF.Date
		next_review_date: DF.Date | None
		observation: DF.SmallText
		outcome: DF.Literal["Continue", "Revise Plan", "Goal Achieved", "End Support"]
		parent: DF.Data
		parentfield: DF.Data
		parenttype: DF.Data
		recorded_by: DF.Link | None
	# end: auto-generated types
	pass
