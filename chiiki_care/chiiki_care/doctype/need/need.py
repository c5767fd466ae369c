from collections import Counter

# Copyright (c) 2026, chiiki_care developers and contributors
# For license information, please see license.txt
import frappe
from frappe import _
from frappe.model.document import Document
from frappe.utils import getdate, today

from chiiki_care import inputs
from chiiki_care.access import audit, consent, identity_text_checks
from chiiki_care.access.status_changes import validate_status_change
from chiiki_care.domain import rules
from chiiki_care.reporting import tallies
from chiiki_care.utils import bold, changed_link, ensure_readable, get_user_coordinator

LENS_FIELDS = ("unmet_troubles", "urgent_needs", "connection_and_purpose", "desired_life")


class Need(Document):
	# begin: auto-generated types
	# This code is auto-generated. Do not modify anything in this block.

	from typing import TYPE_CHECKING

	if TYPE_CHECKING:
		from chiiki_care.chiiki_care.doctype.need_category_item.need_category_item import NeedCategoryItem
		from frappe.types import DF

		categories: DF.TableMultiSelect[NeedCategoryItem]
		community_issue: DF.Link | None
		connection_and_purpose: DF.SmallText | None
		desired_life: DF.SmallText | None
		district: DF.Link
		primary_category: DF.Link | None
		recorded_by: DF.Link | None
		recorded_on: DF.Date
		resident: DF.Link
		resident_name: DF.Data | None
		status: DF.Literal[
			"New", "Under Review", "Supporting", "Resolved", "Lifted to Community Issue", "Withdrawn"
		]
		support_plan: DF.Link | None
		unmet_troubles: DF.SmallText | None
		urgency: DF.Literal["Normal", "Immediate"]
		urgent_needs: DF.SmallText | None
	# end: auto-generated types

	def validate(self):
		inputs.validate_doc_values(self)
		ensure_readable(self, "Resident", changed_link(self, "resident"))
		self.validate_district()
		if rules.is_future(getdate(self.recorded_on), getdate(today())):
			frappe.throw(_("The recorded date cannot be in the future."))
		if not any((self.get(field) or "").strip() for field in LENS_FIELDS):
			frappe.throw(_("Fill in at least one of the four lenses of the need."))
		self.set_primary_category()
		if self.is_new() and not self.recorded_by:
			self.recorded_by = get_user_coordinator()
		validate_status_change(self)
		validate_need_status(self)
		consent.check_handover(self)
		identity_text_checks.refuse_identity_in_free_text(self)

	def onload(self):
		audit.log_identity_access(self)

	def on_update(self):
		consent.log_handover(self)
		tallies.follow(self.doctype, self.get_doc_before_save(), self)

	def on_trash(self):
		tallies.follow(self.doctype, self, None)

	def validate_district(self):
		resident_district = frappe.db.get_value("Resident", self.resident, "district")
		if not self.district:
			self.district = resident_district
		elif self.district != resident_district:
			frappe.throw(
				_("The need's district {0} differs from the resident's district.").format(
					bold(self.district)
				),
				title=_("District mismatch"),
			)

	def set_primary_category(self):
		categories = [row.need_category for row in self.categories]
		if len(categories) != len(set(categories)):
			frappe.throw(_("A need category is listed more than once."))
		self.primary_category = categories[0] if categories else None


def on_doctype_update():
	# a Layer 3 coordinator's own cases: recorded by it or created by it (access.scope._own_cases)
	frappe.db.add_index("Need", ["owner"])
	frappe.db.add_index("Need", ["district", "status", "recorded_on"])
	frappe.db.add_index("Need", ["primary_category", "district"])
	# covers counting needs by district and category over a period (reports, DESIGN.md §6)
	frappe.db.add_index("Need", ["district", "recorded_on", "primary_category", "status"])


def validate_need_status(need):
	if need.status == "Lifted to Community Issue" and not need.community_issue:
		frappe.throw(_("Choose the community issue the need is lifted to."), title=_("No community issue"))


@frappe.whitelist(methods=["POST"])
def lift_needs(
	needs: list | str | None = None, community_issue: str | None = None, title: str | None = None
) -> str:
	"""Create a community issue from needs of one district, or add them to an existing issue.

	Runs as the caller: needs must be readable by it, and each need's status change must be
	one the caller may make.
	"""
	needs = list(dict.fromkeys(inputs.check_text_list(needs, _("Needs"))))
	community_issue = inputs.check_id(community_issue, _("Community Issue"), required=False)
	title = inputs.check_text(title, _("Title"), max_length=140)
	if not needs:
		frappe.throw(_("Choose at least one need to lift."))
	readable = frappe.get_list(
		"Need",
		filters={"name": ("in", needs)},
		fields=["name", "district", "primary_category", "community_issue"],
	)
	if len(readable) != len(needs):
		frappe.throw(_("Some of these needs are outside what you may see."), frappe.PermissionError)
	already = [n.name for n in readable if n.community_issue and n.community_issue != community_issue]
	if already:
		frappe.throw(_("Need {0} is already part of a community issue.").format(bold(already[0])))
	if community_issue:
		inputs.check_id(community_issue, _("Community Issue"), "Community Issue")
		issue = frappe.get_doc("Community Issue", community_issue)
		issue.check_permission("write")
	else:
		districts = {n.district for n in readable}
		if len(districts) != 1:
			frappe.throw(_("Only needs of the same district can be lifted into one new community issue."))
		if not title:
			frappe.throw(_("Give the community issue a title."))
		district = districts.pop()
		issue = frappe.get_doc(
			{
				"doctype": "Community Issue",
				"title": title,
				"district": district,
				"need_category": Counter(n.primary_category for n in readable).most_common(1)[0][0],
				"council": council_for(district),
			}
		)
	existing = {row.need for row in issue.needs}
	for need in needs:
		if need not in existing:
			issue.append("needs", {"need": need})
	issue.save()
	for name in needs:
		need = frappe.get_doc("Need", name)
		need.community_issue = issue.name
		need.status = "Lifted to Community Issue"
		need.save()
	return issue.name


def council_for(district: str) -> str | None:
	"""The active layer 2 council of the district, or of the nearest district above it."""
	lft, rgt = frappe.db.get_value("District", district, ["lft", "rgt"])
	District = frappe.qb.DocType("District")
	Council = frappe.qb.DocType("Council")
	row = (
		frappe.qb.from_(Council)
		.join(District)
		.on(Council.district == District.name)
		.select(Council.name)
		.where((Council.layer == "Layer 2") & (Council.status == "Active"))
		.where((District.lft <= lft) & (District.rgt >= rgt))
		.orderby(District.lft, order=frappe.qb.desc)
		.limit(1)
		.run()
	)
	return row[0][0] if row else None
