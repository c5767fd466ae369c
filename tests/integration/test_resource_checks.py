"""Resources that stay current (情報確認): when and by whom a resource's details were last confirmed,
when they are due again, the flag on the public directory, and the monthly ToDo of each Layer 2
coordinator listing its districts' resources due for a check."""

import datetime

import frappe
import pytest
from frappe.utils import add_days, getdate, today

from chiiki_care.domain import rules
from chiiki_care.notifications.resource_checks import remind_stale_resources
from chiiki_care.portal import directory
from tests.integration.factories import make_resource
from tests.integration.helpers import JAPANESE

TODAY = getdate(today())


pytestmark = pytest.mark.usefixtures("japanese")  # messages in the site's language


def checked(name: str, on, months: int = 12, user: str = "Administrator"):
	frappe.set_user(user)
	try:
		doc = frappe.get_doc("Community Resource", name)
		doc.last_verified_on = on
		doc.verification_interval_months = months
		doc.save()
		return doc
	finally:
		frappe.set_user("Administrator")


def test_a_check_records_who_made_it_and_when_the_next_is_due(world):
	name = make_resource("T-確認 体操教室", world.a1)
	doc = frappe.get_doc("Community Resource", name)
	assert doc.verification_interval_months == 12
	assert getdate(doc.verification_due_on) == rules.add_months(getdate(doc.creation), 12)  # never checked
	assert not doc.last_verified_by

	doc = checked(name, add_days(TODAY, -30), user=world.users["l2a"])
	assert doc.last_verified_by == world.users["l2a"]
	assert getdate(doc.verification_due_on) == rules.add_months(add_days(TODAY, -30), 12)

	doc = checked(name, add_days(TODAY, -30), months=6)  # the same check, another interval
	assert doc.last_verified_by == world.users["l2a"]  # still who checked, not who changed the interval
	assert getdate(doc.verification_due_on) == rules.add_months(add_days(TODAY, -30), 6)


@pytest.mark.parametrize(
	"values,label",
	[
		({"verification_interval_months": 0}, "確認間隔（月）"),
		({"verification_interval_months": 61}, "確認間隔（月）"),
		({"last_verified_on": add_days(TODAY, 1)}, "情報確認日"),
	],
)
def test_a_bad_interval_or_a_future_check_is_refused_in_japanese(world, values, label):
	doc = frappe.get_doc("Community Resource", make_resource("T-確認 不正", world.a1))
	doc.update(values)
	with pytest.raises(frappe.ValidationError) as info:
		doc.save()
	assert JAPANESE.search(str(info.value)) and label in str(info.value)


def test_the_public_directory_shows_when_details_were_checked_not_by_whom(world):
	fresh = make_resource("T-確認 公開 新しい", world.a1, published=1)
	stale = make_resource("T-確認 公開 古い", world.a1, published=1)
	checked(fresh, add_days(TODAY, -10), user=world.users["l2a"])
	checked(stale, add_days(TODAY, -400), user=world.users["l2a"])
	frappe.set_user("Guest")
	try:
		rows = {r.name: r for r in directory.public_resources(q="T-確認 公開", page_length=50)}
	finally:
		frappe.set_user("Administrator")
	assert rows[fresh].information_checked and not rows[fresh].check_due
	assert rows[stale].check_due
	assert all("last_verified_by" not in row for row in rows.values())


@pytest.fixture
def stale_resources(world):
	"""As of a fixed day: resources due for a check in areas A and B, one serving both, one inactive,
	one checked recently."""
	as_of = datetime.date(2026, 6, 1)
	old = datetime.date(2025, 1, 15)
	made = {
		"a": make_resource("T-点検 A1", world.a1),
		"b": make_resource("T-点検 B1", world.b1),
		"both": make_resource("T-点検 A2とB1", world.a2),
		"inactive": make_resource("T-点検 休止", world.a1),
		"recent": make_resource("T-点検 確認済み", world.a1),
	}
	for key, name in made.items():
		doc = frappe.get_doc("Community Resource", name)
		doc.last_verified_on = datetime.date(2026, 5, 1) if key == "recent" else old
		if key == "both":
			doc.append("additional_districts", {"district": world.b1})
		if key == "inactive":
			doc.status = "Inactive"
		doc.save()
	return as_of, made


def todos_of(user: str) -> list:
	return frappe.get_all(
		"ToDo",
		filters={"allocated_to": user, "reference_type": "Coordinator", "status": "Open"},
		fields=["name", "description", "date", "reference_name"],
	)


def test_each_layer_2_coordinator_gets_one_todo_of_its_districts_resources_due(world, stale_resources):
	as_of, made = stale_resources
	listed = remind_stale_resources(as_of)
	mine = {key for key, name in made.items() if name in listed.get(world.users["l2a"], [])}
	theirs = {key for key, name in made.items() if name in listed.get(world.users["l2b"], [])}
	assert mine == {"a", "both"} and theirs == {"b", "both"}

	todo_a = todos_of(world.users["l2a"])
	assert len(todo_a) == 1 and getdate(todo_a[0].date) == as_of
	assert todo_a[0].reference_name == world.coordinators["l2a"]
	assert "T-点検 A1" in todo_a[0].description and "T-点検 B1" not in todo_a[0].description
	assert JAPANESE.search(todo_a[0].description)

	remind_stale_resources(as_of + datetime.timedelta(days=30))  # next month: updated, not repeated
	assert len(todos_of(world.users["l2a"])) == 1
	todo = frappe.get_doc("ToDo", todos_of(world.users["l2a"])[0].name)
	assert not frappe.has_permission("ToDo", "read", doc=todo, user=world.users["l2b"])


def test_no_todo_when_nothing_is_due(world, stale_resources):
	as_of, made = stale_resources
	for name in made.values():
		frappe.db.set_value("Community Resource", name, "verification_due_on", add_days(as_of, 10))
	before = len(todos_of(world.users["l2a"]))
	assert not {n for names in remind_stale_resources(as_of).values() for n in names} & set(made.values())
	assert len(todos_of(world.users["l2a"])) == before
