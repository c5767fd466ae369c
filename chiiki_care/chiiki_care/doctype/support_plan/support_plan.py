# Copyright (c) 2026, chiiki_care developers and contributors
# For license information, please see license.txt

import frappe
from frappe import _
from frappe.model.document import Document
from frappe.utils import getdate, today

from chiiki_care import inputs
from chiiki_care.access import audit, consent, identity_text_checks
from chiiki_care.access.scope import LAYER_1, LAYER_2, SUPPORT_CENTER_STAFF
from chiiki_care.access.status_changes import is_privileged, previous_status, validate_status_change
from chiiki_care.domain import rules
from chiiki_care.reporting import tallies
from chiiki_care.utils import added_links, bold, changed_link, ensure_readable, get_user_coordinator
from chiiki_care.domain.statuses import FINAL_OUTCOMES

CONFIRMER_ROLES = {"Layer 2 Coordinator": LAYER_2, "Support Center": SUPPORT_CENTER_STAFF}


class SupportPlan(Document):
	# begin: auto-generated types
	# This code is auto-generated. Do not modify anything in this block.

	from typing import TYPE_CHECKING

	if TYPE_CHECKING:
		from chiiki_care.chiiki_care.doctype.support_plan_action.support_plan_action import SupportPlanAction
		from chiiki_care.chiiki_care.doctype.support_plan_monitoring.support_plan_monitoring import (
			SupportPlanMonitoring,
		)
		from chiiki_care.chiiki_care.doctype.support_plan_need.support_plan_need import SupportPlanNeed
		from frappe.types import DF

		actions: DF.Table[SupportPlanAction]
		community_issue: DF.Link | None
		coordinator: DF.Link | None
		council: DF.Link | None
		district: DF.Link
		end_date: DF.Date | None
		goal: DF.SmallText | None
		monitoring: DF.Table[SupportPlanMonitoring]
		needs: DF.Table[SupportPlanNeed]
		next_review_date: DF.Date | None
		personal_goal: DF.SmallText | None
		resident: DF.Link | None
		resident_name: DF.Data | None
		review_interval_weeks: DF.Int
		review_overdue: DF.Check
		scope: DF.Literal["Individual", "Community"]
		start_date: DF.Date
		status: DF.Literal["Draft", "Pending Confirmation", "Active", "Completed", "Cancelled"]
		title: DF.Data
	# end: auto-generated types

	def validate(self):
		inputs.validate_doc_values(self)
		ensure_readable(self, "Resident", changed_link(self, "resident"))
		ensure_readable(self, "Community Issue", changed_link(self, "community_issue"))
		ensure_readable(self, "Need", added_links(self, "needs", "need"))
		self.validate_scope()
		self.validate_needs()
		self.validate_dates()
		self.validate_monitoring()
		self.set_next_review_date()
		if self.is_new() and not self.coordinator:
			self.coordinator = get_user_coordinator()
		self.review_overdue = is_overdue(self)
		validate_status_change(self)
		validate_plan_status(self)
		consent.check_handover(self)
		identity_text_checks.refuse_identity_in_free_text(self)

	def onload(self):
		audit.log_identity_access(self)

	def on_update(self):
		consent.log_handover(self)
		tallies.follow(self.doctype, self.get_doc_before_save(), self)

	def on_trash(self):
		tallies.follow(self.doctype, self, None)

	def set_next_review_date(self):
		"""From the interval and the latest monitoring entry; a finished plan has no next review."""
		self.next_review_date = rules.plan_next_review_date(
			self.status,
			getdate(self.start_date),
			self.review_interval_weeks,
			[
				(getdate(m.monitoring_date), getdate(m.next_review_date) if m.next_review_date else None)
				for m in self.monitoring
			],
		)

	def validate_scope(self):
		if self.scope == "Individual":
			if not self.resident:
				frappe.throw(_("An individual support plan needs a resident."))
			if self.community_issue:
				frappe.throw(_("An individual support plan is not linked to a community issue."))
			expected = frappe.db.get_value("Resident", self.resident, "district")
		else:
			if not self.community_issue:
				frappe.throw(_("A community support plan needs a community issue."))
			if self.resident:
				frappe.throw(_("A community support plan is not about one resident; remove the resident."))
			expected = frappe.db.get_value("Community Issue", self.community_issue, "district")
		if not self.district:
			self.district = expected
		elif self.district != expected:
			frappe.throw(
				_("The plan's district {0} differs from the district of its {1}.").format(
					bold(self.district),
					_("Resident") if self.scope == "Individual" else _("Community Issue"),
				),
				title=_("District mismatch"),
			)

	def validate_needs(self):
		needs = [row.need for row in self.needs]
		if len(needs) != len(set(needs)):
			frappe.throw(_("A need is listed more than once."))
		if self.scope != "Individual":
			return
		for row in self.needs:
			if frappe.db.get_value("Need", row.need, "resident") != self.resident:
				frappe.throw(
					_("Row {0}: need {1} is about another resident.").format(row.idx, bold(row.need))
				)

	def validate_dates(self):
		if self.end_date and getdate(self.end_date) < getdate(self.start_date):
			frappe.throw(_("The end date cannot be before the start date."))
		if not rules.is_review_interval(self.review_interval_weeks):
			frappe.throw(review_interval_message())

	def validate_monitoring(self):
		start, now = getdate(self.start_date), getdate(today())
		for row in self.monitoring:
			date = getdate(row.monitoring_date)
			if date < start:
				frappe.throw(
					_("Row {0}: a monitoring entry cannot be dated before the plan starts.").format(row.idx)
				)
			if rules.is_future(date, now):
				frappe.throw(_("Row {0}: a monitoring entry cannot be dated in the future.").format(row.idx))
			if row.next_review_date and getdate(row.next_review_date) <= date:
				frappe.throw(
					_("Row {0}: the next review date must come after the monitoring date.").format(row.idx),
					title=_("Invalid review date"),
				)
			if not row.recorded_by:
				row.recorded_by = frappe.session.user


def on_doctype_update():
	frappe.db.add_index("Support Plan", ["status", "next_review_date"])
	frappe.db.add_index("Support Plan", ["owner"])  # own cases (access.scope._own_cases)


def review_interval_message() -> str:
	return _("The review interval must be between {0} and {1} weeks.").format(*rules.REVIEW_INTERVAL_WEEKS)


def validate_plan_status(plan):
	"""A plan starts with at least one action, completes with a final monitoring entry,
	and is confirmed by whoever the district names."""
	old, new = previous_status(plan), plan.status
	if old == new:
		return
	if new in ("Pending Confirmation", "Active") and not plan.actions:
		frappe.throw(
			_("Add at least one support action before the plan can go ahead."), title=_("No actions")
		)
	if new == "Completed":
		latest = max(plan.monitoring, key=lambda m: getdate(m.monitoring_date), default=None)
		if not latest or latest.outcome not in FINAL_OUTCOMES:
			frappe.throw(
				_(
					"Record a final monitoring entry (goal achieved or end of support) before completing the plan."
				),
				title=_("Final monitoring missing"),
			)
	if new == "Active" and old == "Pending Confirmation" and not is_privileged():
		confirmer = plan_confirmer_role(plan)
		if confirmer not in frappe.get_roles():
			frappe.throw(
				_("Plans of this district are confirmed by: {0}.").format(_(confirmer)),
				frappe.PermissionError,
				title=_("Status change not allowed"),
			)


def plan_confirmer_role(plan) -> str:
	"""Who confirms the plan: for community plans layer 1; for individual plans the district's setting,
	inherited from the nearest district above that has one (default: the layer 2 coordinator)."""
	if plan.scope == "Community":
		return LAYER_1
	lft, rgt = frappe.db.get_value("District", plan.district, ["lft", "rgt"])
	settings = frappe.get_all(
		"District",
		filters={"lft": ("<=", lft), "rgt": (">=", rgt), "plan_confirmer": ("is", "set")},
		fields=["plan_confirmer"],
		order_by="lft desc",
		limit=1,
	)
	return CONFIRMER_ROLES[settings[0].plan_confirmer if settings else "Layer 2 Coordinator"]


def is_overdue(plan) -> bool:
	return plan.status == "Active" and rules.is_overdue(getdate(plan.next_review_date), getdate(today()))


def plan_need_categories(plan: str) -> list[str]:
	needs = frappe.get_all(
		"Support Plan Need", filters={"parent": plan, "parenttype": "Support Plan"}, pluck="need"
	)
	return frappe.get_all(
		"Need Category Item",
		filters={"parenttype": "Need", "parent": ("in", needs or [""])},
		pluck="need_category",
	)
