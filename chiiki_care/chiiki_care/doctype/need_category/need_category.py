# Copyright (c) 2026, chiiki_care developers and contributors
# For license information, please see license.txt

from frappe.utils.nestedset import NestedSet

from chiiki_care import inputs


class NeedCategory(NestedSet):
	# begin: auto-generated types
	# This code is auto-generated. Do not modify anything in this block.

	from typing import TYPE_CHECKING

	if TYPE_CHECKING:
		from frappe.types import DF

		category_name: DF.Data
		description: DF.SmallText | None
		domain: DF.Literal[
			"",
			"Health",
			"Life Support",
			"Watching Over",
			"Gathering and Exchange",
			"Participation and Activity",
			"Community Contribution",
		]
		is_group: DF.Check
		lft: DF.Int
		old_parent: DF.Link | None
		parent_need_category: DF.Link | None
		rgt: DF.Int
	# end: auto-generated types

	nsm_parent_field = "parent_need_category"

	def validate(self):
		inputs.validate_doc_values(self)
