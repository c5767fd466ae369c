# Copyright (c) 2026, chiiki_care developers and contributors
# For license information, please see license.txt

"""伝達研修: a training session of coordinators. Completing it writes each attendee's training record
(Coordinator Training), which the yearly results report counts."""

import frappe
from frappe import _
from frappe.model.document import Document
from frappe.utils import getdate, today

from chiiki_care import inputs
from chiiki_care.utils import bold

COMPLETED = "Completed"


class TrainingSession(Document):
	# begin: auto-generated types
	# This code is auto-generated. Do not modify anything in this block.

	from typing import TYPE_CHECKING

	if TYPE_CHECKING:
		from chiiki_care.chiiki_care.doctype.training_session_attendee.training_session_attendee import (
			TrainingSessionAttendee,
		)
		from frappe.types import DF

		attendees: DF.Table[TrainingSessionAttendee]
		curriculum: DF.TextEditor | None
		layer_trained: DF.Literal["Layer 1", "Layer 2", "Layer 3"]
		session_date: DF.Date
		status: DF.Literal["Planned", "Completed"]
		title: DF.Data
		trainer: DF.Data | None
		venue: DF.Data | None
	# end: auto-generated types

	def validate(self):
		inputs.validate_doc_values(self)
		self.validate_attendees()
		if self.status == COMPLETED:
			self.validate_completion()

	def validate_attendees(self):
		seen = set()
		layers = dict(
			frappe.get_all(
				"Coordinator",
				filters={"name": ("in", [row.coordinator for row in self.attendees] or [""])},
				fields=["name", "layer"],
				as_list=True,
			)
		)
		for row in self.attendees:
			if row.coordinator in seen:
				frappe.throw(
					_("Row {0}: {1} is listed more than once among the attendees.").format(
						row.idx, bold(row.coordinator_name or row.coordinator)
					),
					title=_("Invalid value"),
				)
			seen.add(row.coordinator)
			if layers.get(row.coordinator) != self.layer_trained:
				frappe.throw(
					_("Row {0}: {1} is not a coordinator of {2}, the layer this session trains.").format(
						row.idx, bold(row.coordinator_name or row.coordinator), _(self.layer_trained)
					),
					title=_("Invalid value"),
				)
			if row.completed and not row.attended:
				frappe.throw(
					_("Row {0}: {1} cannot complete a session it did not attend.").format(
						row.idx, bold(row.coordinator_name or row.coordinator)
					),
					title=_("Invalid value"),
				)

	def validate_completion(self):
		if getdate(self.session_date) > getdate(today()):
			frappe.throw(
				_("A session held on {0} cannot be completed before that day.").format(
					frappe.format(self.session_date, "Date")
				),
				title=_("Not yet held"),
			)
		if not any(row.completed for row in self.attendees):
			frappe.throw(
				_("Tick {0} for the attendees who completed the session.").format(bold(_("Completed"))),
				title=_("No attendee completed"),
			)

	def on_update(self):
		sync_training_records(self)

	def on_trash(self):
		self.status = None  # a deleted session leaves no training record
		sync_training_records(self)


def sync_training_records(session):
	"""Each coordinator who completed the session, once it is completed, holds one training record of
	it; the others hold none (records of other trainings are left alone)."""
	completed = (
		{row.coordinator for row in session.attendees if row.completed}
		if session.status == COMPLETED
		else set()
	)
	holding = set(
		frappe.get_all(
			"Coordinator Training",
			filters={"parenttype": "Coordinator", "training_session": session.name},
			pluck="parent",
		)
	)
	for name in sorted(completed | holding):
		coordinator = frappe.get_doc("Coordinator", name)
		coordinator.trainings = [t for t in coordinator.trainings if t.training_session != session.name]
		if name in completed:
			coordinator.append(
				"trainings",
				{
					"training_name": session.title,
					"training_date": session.session_date,
					"completed": 1,
					"training_session": session.name,
				},
			)
		coordinator.save(ignore_permissions=True)  # the session's outcome, recorded by the app
