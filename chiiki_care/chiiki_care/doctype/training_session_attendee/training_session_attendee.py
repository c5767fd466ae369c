# Copyright (c) 2026, chiiki_care developers and contributors
# For license information, please see license.txt

from frappe.model.document import Document


class TrainingSessionAttendee(Document):
	# begin: auto-generated types
	# This code is auto-generated. Do not modify anything in this block.

	from typing import TYPE_CHECKING

	if TYPE_CHECKING:
		from frappe.types import DF

		attended: DF.Check
		completed: DF.Check
		coordinator: DF.Link
		coordinator_name: DF.Data | None
		parent: DF.Data
		parentfield: DF.Data
		parenttype: DF.Data
	# end: auto-generated types
	pass
