# Copyright (c) 2026, chiiki_care developers and contributors
# For license information, please see license.txt

import frappe
from frappe import _
from frappe.model.document import Document

from chiiki_care import inputs
from chiiki_care.access.scope import COUNCIL_MEMBER
from chiiki_care.domain import rules
from chiiki_care.utils import add_role, get_city_root, get_district_type


class Council(Document):
	# begin: auto-generated types
	# This code is auto-generated. Do not modify anything in this block.

	from typing import TYPE_CHECKING

	if TYPE_CHECKING:
		from chiiki_care.chiiki_care.doctype.council_membership.council_membership import CouncilMembership
		from frappe.types import DF

		council_name: DF.Data
		description: DF.TextEditor | None
		district: DF.Link | None
		established_on: DF.Date | None
		layer: DF.Literal["Layer 1", "Layer 2"]
		local_name: DF.Data | None
		members: DF.Table[CouncilMembership]
		secretariat: DF.Link | None
		status: DF.Literal["Active", "Inactive"]
	# end: auto-generated types

	def validate(self):
		inputs.validate_doc_values(self)
		if self.layer == "Layer 1" and not self.district:
			self.district = get_city_root()
		problem = rules.council_district_problem(self.layer, get_district_type(self.district))
		messages = {
			"layer_2_without_district": _(
				"A Layer 2 council (元気づくり・地域づくり会議) must name the district it serves."
			),
			"layer_2_city": _(
				"A Layer 2 council serves a daily-life area or school district, not the whole city."
			),
			"layer_1_not_city": _("A Layer 1 council serves the whole city: its district must be the city."),
		}
		if problem:
			frappe.throw(messages[problem], title=_("Layer and district disagree"))
		users = [row.user for row in self.members if row.user]
		if len(users) != len(set(users)):
			frappe.throw(_("A user is listed more than once among the members."))

	def on_update(self):
		for row in self.members:
			if row.user:
				add_role(row.user, COUNCIL_MEMBER)
