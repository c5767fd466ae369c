"""The privacy layer in-process (chiiki_care.access.privacy): queries, replies and handovers.

The same doors are tried over HTTP, with every whitelisted method, in
tests/integration/portal/test_privacy_surface.py; here each rule is pinned by a small case.
"""

import json

import frappe
import pytest

from chiiki_care.access.privacy import file_query_conditions, masked_versions
from tests.integration.helpers import JAPANESE, call_as


def query_as(user, doctype, **kwargs):
	frappe.set_user(user)
	try:
		return frappe.get_list(doctype, **kwargs)
	finally:
		frappe.set_user("Administrator")


pytestmark = pytest.mark.usefixtures("japanese")  # messages in the site's language


def refused(user, doctype, **kwargs):
	"""Refused before any row is read: by the app's check, or by Frappe's own (functions, sub-queries)."""
	with pytest.raises((frappe.PermissionError, frappe.DataError, frappe.DoesNotExistError)):
		query_as(user, doctype, **kwargs)


@pytest.mark.parametrize(
	"field",
	[
		"replace(name, name, resident_name) as rn",
		"concat(resident_name) as rn",
		"max(resident_name) as rn",
		"count(distinct resident) as n",
		"resident.full_name",
		"(select full_name from tabResident limit 1) as x",
		"substr(`tabNeed`.`resident_name`, 1, 1)",
	],
)
def test_a_column_expression_reads_only_what_the_user_may_read(world, field):
	refused(world.users["l1"], "Need", fields=["name", field])


def test_plain_columns_the_user_may_not_read_are_dropped(world):
	rows = query_as(world.users["l1"], "Need", fields=["name", "resident", "resident_name", "status"])
	assert rows and all(set(row) == {"name", "status"} for row in rows)


def test_counts_and_sums_of_readable_fields_still_work(world):
	rows = query_as(
		world.users["l2a"], "Need", fields=["status", "count(*) as n"], group_by="status", order_by="n desc"
	)
	assert sum(row.n for row in rows) >= 1


@pytest.mark.parametrize(
	"kwargs",
	[
		{"filters": [["resident_name", "like", "山田%"]]},
		{"filters": {"resident": ["is", "set"]}},
		{"or_filters": [["Need", "desired_life", "like", "%"]]},
		{"order_by": "resident_name desc"},
		{"order_by": "field(resident_name, 'x') desc"},
		{"group_by": "resident", "fields": ["count(*) as n"]},
	],
)
def test_filters_order_and_grouping_use_only_readable_fields(world, kwargs):
	refused(world.users["l1"], "Need", **kwargs)


def test_layer_3_reads_its_own_cases_with_identity(world):
	rows = query_as(
		world.users["l3a"],
		"Need",
		fields=["name", "resident_name"],
		filters=[["resident_name", "like", "山田%"]],
	)
	assert [row.name for row in rows] == [world.needs["a"]]


def test_a_dotted_column_does_not_read_through_a_link_into_rows_with_rules(world):
	refused(world.users["l3a"], "Need", fields=["name", "resident.full_name"])
	refused(world.users["l3a"], "Support Plan", fields=["name", "coordinator.user"])
	rows = query_as(world.users["l2a"], "Need", fields=["name", "district.district_type"])
	assert rows and all("district_type" in row for row in rows)


def test_a_child_table_column_needs_the_table_field_level(world):
	refused(
		world.users["cma"],
		"Community Issue",
		fields=["name", "`tabCommunity Issue Need`.`need`"],
	)


def test_history_keeps_only_changes_of_readable_fields(world):
	frappe.set_user(world.users["l3a"])
	plan = frappe.get_doc("Support Plan", world.plans["a"])
	plan.personal_goal = "秘密の新しい目標"
	plan.save(ignore_version=False)  # tests skip versions unless asked
	frappe.set_user("Administrator")
	versions = frappe.get_all(
		"Version", filters={"ref_doctype": "Support Plan", "docname": plan.name}, fields=["name", "data"]
	)
	frappe.set_user(world.users["l2a"])
	try:
		kept = masked_versions("Support Plan", versions)
	finally:
		frappe.set_user("Administrator")

	def changes(versions):
		return json.dumps([json.loads(v["data"]) for v in versions], ensure_ascii=False)

	assert "秘密の新しい目標" in changes(versions)
	assert "秘密の新しい目標" not in changes(kept)


def give_consent(resident):
	frappe.db.set_value(
		"Resident",
		resident,
		{"consent_given": 1, "consent_date": "2026-04-01", "consent_scope": "Support Team"},
	)


def hand_over(user, doctype, name, fieldname, coordinator):
	frappe.set_user(user)
	try:
		frappe.client.set_value(doctype, name, fieldname, coordinator)
	finally:
		frappe.set_user("Administrator")


def handover_logs(name, user):
	return frappe.get_all(
		"Disclosure Log",
		filters={"reference_name": name, "method": "Handover", "disclosed_to": user},
		pluck="name",
	)


@pytest.mark.parametrize(
	"doctype, key, fieldname",
	[("Need", "needs", "recorded_by"), ("Support Plan", "plans", "coordinator")],
)
def test_handing_a_case_to_a_coordinator_who_cannot_read_it_needs_consent(world, doctype, key, fieldname):
	name = getattr(world, key)["a"]
	with pytest.raises(frappe.PermissionError) as info:
		hand_over(world.users["l2a"], doctype, name, fieldname, world.coordinators["l3b"])
	assert JAPANESE.search(str(info.value)) and "同意" in str(info.value), str(info.value)
	assert frappe.db.get_value(doctype, name, fieldname) == world.coordinators["l3a"]

	give_consent(world.residents["a"])
	hand_over(world.users["l2a"], doctype, name, fieldname, world.coordinators["l3b"])
	assert frappe.db.get_value(doctype, name, fieldname) == world.coordinators["l3b"]
	assert handover_logs(name, world.users["l3b"])


def test_a_new_primary_coordinator_of_a_resident_needs_consent(world):
	with pytest.raises(frappe.PermissionError):
		hand_over(
			world.users["manager"],
			"Resident",
			world.residents["a"],
			"primary_coordinator",
			world.coordinators["l3b"],
		)
	give_consent(world.residents["a"])
	hand_over(
		world.users["manager"],
		"Resident",
		world.residents["a"],
		"primary_coordinator",
		world.coordinators["l3b"],
	)
	assert handover_logs(world.residents["a"], world.users["l3b"])


def test_handing_over_to_someone_who_still_cannot_read_identity_discloses_nothing(world):
	hand_over(world.users["l2a"], "Need", world.needs["a"], "recorded_by", world.coordinators["l2a"])
	assert frappe.db.get_value("Need", world.needs["a"], "recorded_by") == world.coordinators["l2a"]
	assert not frappe.get_all("Disclosure Log", filters={"reference_name": world.needs["a"]})


def test_counts_of_cases_are_masked_below_3_for_users_who_cannot_read_who(world):
	from chiiki_care.access.privacy import get_count, get_group_by_count

	one = [["name", "=", world.needs["a"]]]
	assert call_as(world.users["l2a"], get_count, "Need", filters=one) == "<3"
	assert call_as(world.users["l3a"], get_count, "Need", filters=one) == 1
	rows = call_as(world.users["l2a"], get_group_by_count, "Need", json.dumps(one), "status")
	assert rows and all(row["count"] == "<3" for row in rows)


def test_the_sidebar_assigned_to_counts_only_rows_in_scope(world):
	from chiiki_care.access.privacy import get_group_by_count

	frappe.get_doc(
		{
			"doctype": "ToDo",
			"allocated_to": world.users["l2b"],
			"reference_type": "Need",
			"reference_name": world.needs["b"],
			"description": "x",
		}
	).insert(ignore_permissions=True)
	rows = call_as(world.users["l2a"], get_group_by_count, "Need", "[]", "assigned_to")
	assert world.users["l2b"] not in {row["name"] for row in rows}


def test_the_app_documents_are_not_followed_by_email(world):
	from chiiki_care.access.privacy import follow_document

	call_as(world.users["l2a"], follow_document, "Need", world.needs["a"], world.users["l2a"])
	assert not frappe.get_all("Document Follow", filters={"ref_doctype": "Need"})


def test_attachments_are_private_and_listed_only_with_readable_rows(world):
	def attach(is_private):
		return frappe.get_doc(
			{
				"doctype": "File",
				"file_name": "visit-note.txt",
				"content": "note",
				"attached_to_doctype": "Need",
				"attached_to_name": world.needs["a"],
				"is_private": is_private,
			}
		).insert()

	with pytest.raises(frappe.ValidationError) as info:
		attach(0)
	assert JAPANESE.search(str(info.value)), str(info.value)
	file = attach(1)
	assert file.name not in set(query_as(world.users["l2b"], "File", pluck="name"))

	def allowed_by_app_rule(user):  # Frappe adds its own File rule (by user type) to the app's
		condition = file_query_conditions(user)
		return bool(frappe.db.sql(f"select name from `tabFile` where name=%s and {condition}", file.name))

	assert allowed_by_app_rule(world.users["l2a"]) and not allowed_by_app_rule(world.users["l2b"])


def test_identity_read_through_the_api_is_logged(world):
	from frappe.utils import set_request

	frappe.set_user(world.users["l3a"])
	set_request(method="GET", path="/api/resource/Need")
	try:
		frappe.get_list("Need", fields=["name", "resident_name"])
	finally:
		frappe.local.request = None
		frappe.set_user("Administrator")
	logs = frappe.get_all(
		"Identity Access Log",
		filters={"user": world.users["l3a"], "channel": "API", "reference_name": world.needs["a"]},
		pluck="resident",
	)
	assert logs == [world.residents["a"]]
