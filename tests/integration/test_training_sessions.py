"""伝達研修 on record (Training Session): completing a session writes its attendees' training records,
which the yearly results report counts; bad attendee lists are refused in Japanese; who may do what."""

import frappe
import pytest
from frappe.utils import add_days, getdate, today

from chiiki_care.chiiki_care.report.life_support_program_results import life_support_program_results
from chiiki_care.reporting import figures as logic
from tests.integration.helpers import JAPANESE

TODAY = getdate(today())


pytestmark = pytest.mark.usefixtures("japanese")  # messages in the site's language


def session(world, attendees, status="Planned", day=None, layer="Layer 3", insert=True):
	doc = frappe.get_doc(
		{
			"doctype": "Training Session",
			"title": "T-伝達研修 生活支援体制整備",
			"session_date": day or add_days(TODAY, -7),
			"layer_trained": layer,
			"trainer": "第1層 花子",
			"venue": "市民会館",
			"status": status,
			"attendees": [
				{"coordinator": world.coordinators[key], "attended": 1, "completed": int(done)}
				for key, done in attendees
			],
		}
	)
	return doc.insert() if insert else doc


def records_of(world, key) -> list:
	return frappe.get_all(
		"Coordinator Training",
		filters={"parenttype": "Coordinator", "parent": world.coordinators[key]},
		fields=["training_name", "training_date", "completed", "training_session"],
	)


def from_sessions(world, key) -> list:
	return [r for r in records_of(world, key) if r.training_session]


def test_completing_a_session_writes_the_training_records_of_who_completed_it(world):
	doc = session(world, [("l3a", True), ("l3b", False)])
	assert from_sessions(world, "l3a") == []  # planned: nothing yet

	doc.status = "Completed"
	doc.save()
	[record] = from_sessions(world, "l3a")
	assert record.training_session == doc.name and record.completed == 1
	assert getdate(record.training_date) == getdate(doc.session_date)
	assert from_sessions(world, "l3b") == []  # attended, did not complete

	doc.save()  # saved again: still one record
	assert len(from_sessions(world, "l3a")) == 1

	doc.attendees[1].completed = 1
	doc.attendees[0].completed = 0
	doc.save()
	assert from_sessions(world, "l3a") == [] and len(from_sessions(world, "l3b")) == 1

	frappe.delete_doc("Training Session", doc.name)
	assert from_sessions(world, "l3b") == []


def test_the_yearly_report_counts_who_completed_a_session(world):
	year = logic.fiscal_year_of(TODAY)
	filters = {"fiscal_year": str(year)}

	def trained():
		_columns, rows, *_rest = life_support_program_results.execute(filters)
		label = frappe._("Coordinators who completed a training")
		return next(r["value"] for r in rows if r.get("item") == label)

	before = trained()
	doc = session(world, [("l3a", True), ("l3b", True)], day=add_days(TODAY, -1))
	doc.status = "Completed"
	doc.save()
	already = {
		key
		for key in ("l3a", "l3b")
		if any(r.completed and not r.training_session for r in records_of(world, key))
	}
	assert trained() == before + 2 - len(already)


@pytest.mark.parametrize(
	"attendees,layer,status,day,fragment",
	[
		([("l3a", True), ("l3a", True)], "Layer 3", "Planned", None, "2回以上"),
		([("l2a", False)], "Layer 3", "Planned", None, "第3層"),
		([("l3a", False)], "Layer 3", "Completed", None, "修了"),
		([("l3a", True)], "Layer 3", "Completed", add_days(TODAY, 3), "実施日"),
	],
)
def test_a_bad_session_is_refused_in_japanese(world, attendees, layer, status, day, fragment):
	doc = session(world, attendees, status=status, day=day, layer=layer, insert=False)
	with pytest.raises(frappe.ValidationError) as info:
		doc.insert()
	message = str(info.value)
	assert JAPANESE.search(message) and fragment in message, message


def test_who_may_read_and_record_sessions(world):
	doc = session(world, [("l3a", False)])
	assert frappe.has_permission("Training Session", "read", doc=doc, user=world.users["l2a"])
	assert not frappe.has_permission("Training Session", "write", doc=doc, user=world.users["l2a"])
	assert frappe.has_permission("Training Session", "write", doc=doc, user=world.users["l1"])
	for user in ("l3a", "cma"):  # Layer 3 coordinators and council members: not at all
		assert not frappe.has_permission("Training Session", "read", user=world.users[user])
	frappe.set_user(world.users["l2a"])
	try:
		own = session(world, [("l3a", False)])  # a Layer 2 coordinator records its own sessions
		assert frappe.has_permission("Training Session", "write", doc=own)
	finally:
		frappe.set_user("Administrator")


def test_the_materials_are_private_attachments(world):
	doc = session(world, [("l3a", False)])

	def attach(is_private):
		return frappe.get_doc(
			{
				"doctype": "File",
				"file_name": "伝達研修資料.txt",
				"content": "三層の役割",
				"attached_to_doctype": "Training Session",
				"attached_to_name": doc.name,
				"is_private": is_private,
			}
		).insert()

	with pytest.raises(frappe.ValidationError) as info:
		attach(0)
	assert JAPANESE.search(str(info.value))
	assert attach(1).is_private
