# Copyright (c) 2026, chiiki_care developers and contributors
# For license information, please see license.txt

import frappe
from frappe import _
from frappe.model.document import Document

from chiiki_care import inputs
from chiiki_care.access.scope import SUPPORT_CENTER_STAFF
from chiiki_care.utils import add_role, bold


class SupportCenter(Document):
	# begin: auto-generated types
	# This code is auto-generated. Do not modify anything in this block.

	from typing import TYPE_CHECKING

	if TYPE_CHECKING:
		from chiiki_care.chiiki_care.doctype.support_center_staff_member.support_center_staff_member import (
			SupportCenterStaffMember,
		)
		from frappe.types import DF

		address: DF.SmallText | None
		center_name: DF.Data
		operator: DF.Data | None
		phone: DF.Data | None
		staff: DF.Table[SupportCenterStaffMember]
	# end: auto-generated types

	def validate(self):
		inputs.validate_doc_values(self)
		users = [row.user for row in self.staff]
		duplicates = {user for user in users if users.count(user) > 1}
		if duplicates:
			frappe.throw(_("Staff member {0} is listed more than once.").format(bold(", ".join(duplicates))))

	def on_update(self):
		for row in self.staff:
			add_role(row.user, SUPPORT_CENTER_STAFF)
