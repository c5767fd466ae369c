# Copyright (c) 2026, chiiki_care developers and contributors
# For license information, please see license.txt

# import frappe
from chiiki_care.access.child_table import RestrictedChildDocument


class SupportPlanAction(RestrictedChildDocument):
	# begin: auto-generated types
	# This code is auto-generated. Do not modify anything in this block.

	from typing import TYPE_CHECKING

	if TYPE_CHECKING:
		from frappe.types import DF

		community_resource: DF.Link | None
		description: DF.SmallText
		due_date: DF.Date | None
		parent: DF.Data
		parentfield: DF.Data
		parenttype: DF.Data
		responsible: DF.Data | None
		status: DF.Literal["Planned", "In Progress", "Done", "Cancelled"]
		support_kind: DF.Literal[
			"Formal Service", "Self-pay or Informal Service", "Social Participation", "Watching Over"
		]
	# end: auto-generated types
	pass
