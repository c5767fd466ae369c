"""Identity stays with those who serve the person: layers 1 and 2 and council members see cases without it."""

import frappe
import pytest
from frappe.client import get_value
from frappe.desk.form.load import getdoc

from tests.integration.helpers import list_names, rest

IDENTITY = (
	"resident",
	"resident_name",
	"unmet_troubles",
	"urgent_needs",
	"connection_and_purpose",
	"desired_life",
)


def load_form(user, doctype, name):
	frappe.set_user(user)
	try:
		getdoc(doctype, name)
		return frappe.response.docs[-1].as_dict()
	finally:
		frappe.set_user("Administrator")


@pytest.mark.parametrize("user", ["l1", "l2a"])
def test_higher_layers_read_needs_without_identity(world, user):
	email = world.users[user]
	need = load_form(email, "Need", world.needs["a"])
	assert need["district"] == world.a1 and need["primary_category"] == "買い物"
	assert all(not need.get(field) for field in IDENTITY), need

	data = rest("GET", f"/api/resource/Need/{world.needs['a']}", email)["data"]
	assert data["district"] == world.a1
	assert all(not data.get(field) for field in IDENTITY), data

	frappe.set_user(email)
	rows = frappe.get_list("Need", fields=["name", *IDENTITY], filters={"name": world.needs["a"]})
	assert rows and all(field not in row or not row[field] for row in rows for field in IDENTITY), rows
	assert not (get_value("Need", "resident", {"name": world.needs["a"]}) or {}).get("resident")

	listed = rest("GET", "/api/resource/Need", email, fields=["name", "resident", "resident_name"])["data"]
	assert listed and all(not row.get("resident") and not row.get("resident_name") for row in listed)


@pytest.mark.parametrize("user", ["l3a", "scsa", "manager"])
def test_those_who_serve_the_person_see_identity(world, user):
	need = load_form(world.users[user], "Need", world.needs["a"])
	assert need["resident"] == world.residents["a"]
	assert need["resident_name"] == "山田 太郎"
	assert need["unmet_troubles"]


def test_layer_2_reads_plans_without_the_persons_goal(world):
	plan = load_form(world.users["l2a"], "Support Plan", world.plans["a"])
	assert not plan.get("resident") and not plan.get("resident_name") and not plan.get("personal_goal")
	assert plan["actions"], "actions of the plan are visible to layer 2"


def test_layer_2_update_keeps_identity_it_cannot_see(world):
	frappe.set_user(world.users["l2a"])
	need = frappe.get_doc("Need", world.needs["a"])
	need.status = "Under Review"
	need.save()
	frappe.set_user("Administrator")
	stored = frappe.db.get_value(
		"Need", world.needs["a"], ["status", "resident", "unmet_troubles"], as_dict=True
	)
	assert stored.status == "Under Review"
	assert stored.resident == world.residents["a"] and stored.unmet_troubles


def test_layer_2_cannot_set_identity_fields(world):
	frappe.set_user(world.users["l2a"])
	need = frappe.get_doc("Need", world.needs["a"])
	need.unmet_troubles = "書き換え"
	need.save()
	frappe.set_user("Administrator")
	assert frappe.db.get_value("Need", world.needs["a"], "unmet_troubles") != "書き換え"


def test_council_member_sees_community_plan_but_no_person(world):
	email = world.users["cma"]
	assert list_names("Resident", email) is None
	assert list_names("Need", email) is None
	plan = load_form(email, "Support Plan", world.plans["community_a"])
	assert plan["scope"] == "Community" and not plan.get("resident")
	issue = load_form(email, "Community Issue", world.issues["a"])
	assert not issue.get("needs"), "council members do not see which needs an issue came from"


def test_child_rows_follow_their_parents_rule(world):
	"""Child tables queried on their own (REST with ?parent=) show only rows of readable parents."""
	plan_b_actions = set(
		frappe.get_all("Support Plan Action", filters={"parent": world.plans["b"]}, pluck="name")
	)
	assert plan_b_actions
	data = rest(
		"GET",
		"/api/resource/Support Plan Action",
		world.users["l2a"],
		parent="Support Plan",
		limit_page_length=0,
	)
	seen = {row["name"] for row in data["data"]}
	assert seen and not (seen & plan_b_actions)

	issue_rows = rest(
		"GET", "/api/resource/Community Issue Need", world.users["cma"], parent="Community Issue"
	)
	assert issue_rows["data"] == []

	categories = rest(
		"GET",
		"/api/resource/Need Category Item",
		world.users["l2a"],
		parent="Need",
		fields=["parent", "parenttype"],
		limit_page_length=0,
	)
	assert {row["parent"] for row in categories["data"] if row["parenttype"] == "Need"} == {world.needs["a"]}


def test_child_row_read_by_name_follows_parent(world):
	action = frappe.get_all("Support Plan Action", filters={"parent": world.plans["b"]}, pluck="name")[0]
	with pytest.raises(frappe.PermissionError):
		rest("GET", f"/api/resource/Support Plan Action/{action}", world.users["l2a"])
	assert (
		rest("GET", f"/api/resource/Support Plan Action/{action}", world.users["l2b"])["data"]["name"]
		== action
	)


def test_version_history_is_kept_for_personal_data(world):
	for doctype in ("Resident", "Need", "Support Plan"):
		assert frappe.get_meta(doctype).track_changes, doctype
	frappe.set_user(world.users["l3a"])
	resident = frappe.get_doc("Resident", world.residents["a"])
	resident.phone = "072-000-0000"
	resident.save(ignore_version=False)  # Frappe skips versions in tests unless asked
	frappe.set_user("Administrator")
	assert frappe.db.exists("Version", {"ref_doctype": "Resident", "docname": world.residents["a"]})
