# Copyright (c) 2026, chiiki_care developers and contributors
# For license information, please see license.txt

import frappe
from frappe import _
from frappe.model.document import Document
from frappe.utils import getdate

from chiiki_care import inputs
from chiiki_care.access.scope import LAYER_ROLES
from chiiki_care.domain import rules
from chiiki_care.notifications.email_reports import (
	ensure_coordinator_subscription,
	remove_coordinator_subscriptions,
)
from chiiki_care.utils import add_role, get_city_root, get_district_type, remove_role


class Coordinator(Document):
	# begin: auto-generated types
	# This code is auto-generated. Do not modify anything in this block.

	from typing import TYPE_CHECKING

	if TYPE_CHECKING:
		from chiiki_care.chiiki_care.doctype.coordinator_training.coordinator_training import (
			CoordinatorTraining,
		)
		from chiiki_care.chiiki_care.doctype.district_item.district_item import DistrictItem
		from frappe.types import DF

		appointed_from: DF.Date | None
		appointed_to: DF.Date | None
		coordinator_name: DF.Data
		districts: DF.TableMultiSelect[DistrictItem]
		email: DF.Data | None
		is_active: DF.Check
		layer: DF.Literal["Layer 1", "Layer 2", "Layer 3"]
		organisation: DF.Data | None
		phone: DF.Data | None
		trainings: DF.Table[CoordinatorTraining]
		user: DF.Link | None
	# end: auto-generated types

	def validate(self):
		inputs.validate_doc_values(self)
		self.validate_appointment()
		self.set_city_for_layer_1()
		self.validate_districts()
		if self.user and not self.email:
			self.email = frappe.db.get_value("User", self.user, "email")

	def validate_appointment(self):
		if (
			self.appointed_from
			and self.appointed_to
			and getdate(self.appointed_to) < getdate(self.appointed_from)
		):
			frappe.throw(_("The end of the appointment cannot be before its start."))

	def set_city_for_layer_1(self):
		if self.layer == "Layer 1" and not self.districts and (city := get_city_root()):
			self.append("districts", {"district": city})

	def validate_districts(self):
		names = [row.district for row in self.districts]
		if len(names) != len(set(names)):
			frappe.throw(_("A district is listed more than once."))
		problem = rules.coordinator_district_problem(self.layer, [get_district_type(d) for d in names])
		messages = {
			"layer_1_not_city": _("A Layer 1 coordinator works city-wide: its district must be the city."),
			"no_districts": _("A {0} coordinator must cover at least one district.").format(_(self.layer)),
			"city_below_layer_1": _(
				"Only a Layer 1 coordinator covers the whole city; choose daily-life areas or school districts."
			),
		}
		if problem:
			frappe.throw(messages[problem], title=_("Layer and districts disagree"))

	def on_update(self):
		self.sync_user_roles()
		# its user receives the weekly digest from the start (and can switch it off)
		ensure_coordinator_subscription(self)

	def sync_user_roles(self):
		"""The user holds the role of this coordinator's layer while active, and no other layer's role."""
		previous = self.get_doc_before_save()
		if previous and previous.user and previous.user != self.user:
			for role in LAYER_ROLES.values():
				remove_role(previous.user, role)
		if not self.user:
			return
		for layer, role in LAYER_ROLES.items():
			if self.is_active and layer == self.layer:
				add_role(self.user, role)
			else:
				remove_role(self.user, role)

	def on_trash(self):
		if self.user:
			for role in LAYER_ROLES.values():
				remove_role(self.user, role)
		remove_coordinator_subscriptions(self)
