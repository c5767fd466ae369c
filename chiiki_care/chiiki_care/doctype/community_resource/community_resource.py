# Copyright (c) 2026, chiiki_care developers and contributors
# For license information, please see license.txt

import frappe
from frappe import _
from frappe.model.document import Document
from frappe.utils import cint, getdate, today

from chiiki_care import inputs
from chiiki_care.domain import rules
from chiiki_care.utils import bold
from chiiki_care.chiiki_care.doctype.support_plan.support_plan import plan_need_categories


class CommunityResource(Document):
	# begin: auto-generated types
	# This code is auto-generated. Do not modify anything in this block.

	from typing import TYPE_CHECKING

	if TYPE_CHECKING:
		from chiiki_care.chiiki_care.doctype.district_item.district_item import DistrictItem
		from chiiki_care.chiiki_care.doctype.need_category_item.need_category_item import NeedCategoryItem
		from frappe.types import DF

		additional_districts: DF.TableMultiSelect[DistrictItem]
		address: DF.SmallText | None
		capacity: DF.Int
		contact_email: DF.Data | None
		contact_phone: DF.Data | None
		cost: DF.Data | None
		description: DF.TextEditor | None
		district: DF.Link
		domain: DF.Literal[
			"Health",
			"Life Support",
			"Watching Over",
			"Gathering and Exchange",
			"Participation and Activity",
			"Community Contribution",
		]
		formality: DF.Literal["Informal", "Formal"]
		last_verified_by: DF.Link | None
		last_verified_on: DF.Date | None
		need_categories: DF.TableMultiSelect[NeedCategoryItem]
		provider: DF.Data | None
		published: DF.Check
		resource_name: DF.Data
		resource_type: DF.Literal[
			"Gathering Place or Salon",
			"Watching Over",
			"Meal Delivery",
			"Shopping Support",
			"Transport Support",
			"Housework Help",
			"Care Prevention Class",
			"Self-pay Service",
			"Volunteer Group",
			"Other",
		]
		schedule: DF.Data | None
		status: DF.Literal["Active", "Inactive"]
		verification_due_on: DF.Date | None
		verification_interval_months: DF.Int
	# end: auto-generated types

	def validate(self):
		inputs.validate_doc_values(self)
		self.validate_location()
		if (self.capacity or 0) < 0:
			frappe.throw(_("Capacity cannot be negative."))
		others = [row.district for row in self.additional_districts]
		if self.district in others or len(others) != len(set(others)):
			frappe.throw(_("A district is listed more than once among the districts served."))
		self.set_verification()

	def set_verification(self):
		"""Who checked the details last, and when they are due to be checked again."""
		if self.verification_interval_months in (None, ""):
			self.verification_interval_months = rules.DEFAULT_VERIFICATION_INTERVAL_MONTHS
		if not rules.is_verification_interval(cint(self.verification_interval_months)):
			frappe.throw(
				_("{0} must be between {1} and {2} months.").format(
					bold(_("Verify Every (Months)")), *rules.VERIFICATION_INTERVAL_MONTHS
				),
				title=_("Invalid value"),
			)
		checked_on = getdate(self.last_verified_on) if self.last_verified_on else None
		if rules.is_future(checked_on, getdate(today())):
			frappe.throw(
				_("{0} cannot be in the future.").format(bold(_("Last Verified On"))),
				title=_("Invalid value"),
			)
		before = self.get_doc_before_save()
		checked_before = getdate(before.last_verified_on) if before and before.last_verified_on else None
		if checked_on and checked_on != checked_before:
			self.last_verified_by = frappe.session.user  # whoever records the check
		elif not checked_on:
			self.last_verified_by = None
		recorded_on = getdate(self.creation) if self.creation else getdate(today())
		self.verification_due_on = rules.verification_due_on(
			checked_on, recorded_on, cint(self.verification_interval_months)
		)

	def validate_location(self):
		"""The map location (Frappe's Geolocation field) is a GeoJSON FeatureCollection whose
		features have geometries with valid coordinates: a Point [longitude, latitude] of numbers in
		range, a LineString or Polygon lists of such points. An empty map stores nothing."""
		inputs.check_geolocation(self.location, _("Location"))


@frappe.whitelist()
def resource_query(doctype=None, txt=None, searchfield=None, start=0, page_len=20, filters=None):
	"""Active resources for a plan action: those serving the plan's need categories in its district
	and the neighbouring districts (same parent, and the parent) come first.

	A link field's search query (frappe.desk.search.search_widget calls it with these six
	arguments). Its arguments are checked here rather than by `frappe.validate_and_sanitize_search_inputs`,
	which fails with a server error on a missing or malformed one; `doctype` and `searchfield` are
	not used (the query is about Community Resource names)."""
	inputs.check_text(doctype, _("Document Type"), max_length=140)
	inputs.check_text(searchfield, _("Search"), max_length=140)
	txt = inputs.check_text(txt, _("Search"), max_length=140) or ""
	start = inputs.check_int(start, _("Start"), 0, 100_000, default=0)
	page_len = inputs.check_int(page_len, _("Page Length"), 1, 500, default=20)
	filters = inputs.parse_json_arg(filters, _("Filters"), dict, default={})
	district = inputs.check_id(filters.get("district"), _("District"), required=False)
	plan = inputs.check_id(filters.get("support_plan"), _("Support Plan"), required=False)
	categories = set(plan_need_categories(plan)) if plan and frappe.db.exists("Support Plan", plan) else set()
	neighbours = set(neighbouring_districts(district)) if district else set()
	resources = frappe.get_list(
		"Community Resource",
		filters={"status": "Active", "resource_name": ("like", f"%{txt}%")},
		fields=["name", "resource_name", "district"],
		order_by="resource_name asc",
		limit_page_length=500,
	)
	served = {}
	for row in frappe.get_all(
		"Need Category Item",
		filters={"parenttype": "Community Resource", "parent": ("in", [r.name for r in resources] or [""])},
		fields=["parent", "need_category"],
	):
		served.setdefault(row.parent, set()).add(row.need_category)

	def rank(resource):
		return (not (served.get(resource.name, set()) & categories), resource.district not in neighbours)

	ranked = sorted(resources, key=rank)
	return [(r.name, r.resource_name, r.district) for r in ranked[start : start + page_len]]


def neighbouring_districts(district: str) -> list[str]:
	"""The district, its parent and the parent's other children."""
	parent = frappe.db.get_value("District", district, "parent_district")
	if not parent:
		return [district]
	return [parent, *frappe.get_all("District", filters={"parent_district": parent}, pluck="name")]
