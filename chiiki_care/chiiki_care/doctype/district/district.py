# Copyright (c) 2026, chiiki_care developers and contributors
# For license information, please see license.txt

import frappe
from frappe import _
from frappe.utils.nestedset import NestedSet

from chiiki_care import inputs
from chiiki_care.domain import rules
from chiiki_care.setup import boundary_geojson
from chiiki_care.utils import bold, get_district_type


class District(NestedSet):
	# begin: auto-generated types
	# This code is auto-generated. Do not modify anything in this block.

	from typing import TYPE_CHECKING

	if TYPE_CHECKING:
		from frappe.types import DF

		boundary: DF.Geolocation | None
		description: DF.SmallText | None
		district_name: DF.Data
		district_type: DF.Literal["City", "Daily-life Area", "School District"]
		is_group: DF.Check
		is_illustrative: DF.Check
		lft: DF.Int
		old_parent: DF.Link | None
		parent_district: DF.Link | None
		plan_confirmer: DF.Literal["", "Layer 2 Coordinator", "Support Center"]
		population_65_plus: DF.Int
		population_as_of: DF.Date | None
		population_total: DF.Int
		rgt: DF.Int
		support_center: DF.Link | None
	# end: auto-generated types

	def validate(self):
		inputs.validate_doc_values(self)
		self.validate_place_in_tree()
		self.validate_population()
		self.validate_boundary()
		self.is_group = rules.is_group_type(self.district_type)

	def validate_boundary(self):
		"""The district's area on the map: polygons of closed rings, drawn on the form or loaded from a
		GeoJSON file (`bench chiiki-care-load-boundaries`)."""
		problem = boundary_geojson.stored_boundary_problem(self.boundary)
		if problem:
			frappe.throw(
				_("{0} must be a polygon of longitude and latitude whose rings are closed.").format(
					bold(_("Boundary"))
				),
				title=_("Invalid value"),
			)

	def validate_place_in_tree(self):
		expected = rules.expected_parent_type(self.district_type)
		if expected is None:
			if self.parent_district:
				frappe.throw(_("The city is the top of the district tree and has no parent district."))
			other_city = frappe.db.get_value("District", {"district_type": "City", "name": ("!=", self.name)})
			if other_city:
				frappe.throw(_("There is already a city district: {0}.").format(bold(other_city)))
			return
		if not self.parent_district:
			frappe.throw(
				_("A {0} needs a parent district of type {1}.").format(_(self.district_type), _(expected))
			)
		parent_type = get_district_type(self.parent_district)
		if parent_type != expected:
			frappe.throw(
				_("A {0} must sit under a {1}, but {2} is not one.").format(
					_(self.district_type), _(expected), bold(self.parent_district)
				)
			)

	def validate_population(self):
		for fieldname in ("population_total", "population_65_plus"):
			if (self.get(fieldname) or 0) < 0:
				frappe.throw(_("{0} cannot be negative.").format(_(self.meta.get_label(fieldname))))
		if self.population_total and (self.population_65_plus or 0) > self.population_total:
			frappe.throw(_("The population aged 65+ cannot exceed the total population."))
