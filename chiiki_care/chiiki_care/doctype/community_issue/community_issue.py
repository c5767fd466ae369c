from collections import Counter

# Copyright (c) 2026, chiiki_care developers and contributors
# For license information, please see license.txt
import frappe
from frappe import _
from frappe.model.document import Document
from frappe.model.mapper import get_mapped_doc

from chiiki_care import inputs
from chiiki_care.access import identity_text_checks
from chiiki_care.access.status_changes import previous_status, validate_status_change
from chiiki_care.domain import rules
from chiiki_care.utils import added_links, bold, ensure_readable, is_same_or_below


class CommunityIssue(Document):
	# begin: auto-generated types
	# This code is auto-generated. Do not modify anything in this block.

	from typing import TYPE_CHECKING

	if TYPE_CHECKING:
		from chiiki_care.chiiki_care.doctype.community_issue_need.community_issue_need import (
			CommunityIssueNeed,
		)
		from frappe.types import DF

		council: DF.Link | None
		description: DF.TextEditor | None
		district: DF.Link
		need_category: DF.Link | None
		need_count: DF.Int
		need_summary: DF.SmallText | None
		needs: DF.Table[CommunityIssueNeed]
		raised_on: DF.Date | None
		status: DF.Literal["Raised", "In Discussion", "In Progress", "Resolved", "On Hold"]
		title: DF.Data
	# end: auto-generated types

	def validate(self):
		inputs.validate_doc_values(self)
		ensure_readable(self, "Need", added_links(self, "needs", "need"))
		needs = [row.need for row in self.needs]
		if len(needs) != len(set(needs)):
			frappe.throw(_("A need is listed more than once."))
		for row in self.needs:
			need_district = frappe.db.get_value("Need", row.need, "district")
			if not is_same_or_below(need_district, self.district):
				frappe.throw(
					_("Row {0}: need {1} is from a district outside this issue's district.").format(
						row.idx, bold(row.need)
					)
				)
		self.need_count = len(self.needs)
		self.need_summary = summarise_needs(
			[frappe.db.get_value("Need", row.need, "primary_category") for row in self.needs]
		)
		validate_status_change(self)
		validate_issue_status(self)
		if self.council:
			council_layer, council_district = frappe.db.get_value(
				"Council", self.council, ["layer", "district"]
			)
			if council_layer != "Layer 1" and not is_same_or_below(self.district, council_district):
				frappe.throw(
					_("Council {0} does not serve the district of this issue.").format(bold(self.council))
				)
		identity_text_checks.refuse_identity_in_free_text(self)

	def on_update(self):
		if self.status == "Resolved" and previous_status(self) != "Resolved":
			notify_issue_resolved(self)


def validate_issue_status(issue):
	if issue.status in ("In Discussion", "In Progress") and not issue.council:
		frappe.throw(_("Raise the issue to a council before it is discussed."), title=_("No council"))


def summarise_needs(categories: list[str]) -> str:
	"""How many needs of which category, never who; counts below 3 are shown as <3."""
	counts = Counter(c or _("Uncategorised") for c in categories)
	return " / ".join(f"{cat}: {rules.mask_small_count(n)}" for cat, n in sorted(counts.items()))


@frappe.whitelist()
def make_community_plan(source_name: str | None = None, target_doc: str | dict | None = None):
	"""A community support plan from a community issue (mapped, not saved: the form opens it)."""
	source_name = inputs.check_id(source_name, _("Community Issue"), "Community Issue")
	target_doc = inputs.parse_json_arg(target_doc, _("Support Plan"), dict)
	if target_doc is not None:
		# the form being filled in (its plain fields), as Frappe's mapper takes it
		if target_doc.get("doctype", "Support Plan") != "Support Plan":
			frappe.throw(_("{0}: a set of fields was expected.").format(_("Support Plan")))
		meta = frappe.get_meta("Support Plan")
		target_doc = frappe.get_doc(
			{
				"doctype": "Support Plan",
				**{
					key: value
					for key, value in target_doc.items()
					if meta.has_field(key)
					and meta.get_field(key).fieldtype not in frappe.model.table_fields
					and isinstance(value, str | int | float)
				},
			}
		)

	def set_missing(source, target):
		target.scope = "Community"
		target.title = source.title
		target.district = source.district
		target.status = "Draft"

	return get_mapped_doc(
		"Community Issue",
		source_name,
		{"Community Issue": {"doctype": "Support Plan", "field_map": {"name": "community_issue"}}},
		target_doc,
		set_missing,
	)


def notify_issue_resolved(issue):
	"""Tell the coordinators of the needs behind an issue that it is resolved (no identity in the message)."""
	coordinators = {
		frappe.db.get_value("Need", row.need, "recorded_by") for row in issue.needs if row.need
	} - {None}
	users = {frappe.db.get_value("Coordinator", c, "user") for c in coordinators} - {None}
	for user in sorted(users):
		frappe.get_doc(
			{
				"doctype": "Notification Log",
				"for_user": user,
				"type": "Alert",
				"document_type": "Community Issue",
				"document_name": issue.name,
				"subject": _("Community issue {0} was resolved.").format(issue.title),
			}
		).insert(ignore_permissions=True)
