"""What installing the app gives a site: roles, categories, Japanese, and roles that follow the app's records."""

import frappe
import pytest

from chiiki_care.access.scope import APP_ROLES, COUNCIL_MEMBER, LAYER_2, LAYER_3, SUPPORT_CENTER_STAFF
from tests.integration.factories import make_user

PORTAL_ROLES = {LAYER_3, COUNCIL_MEMBER}


def test_roles_are_installed_with_the_right_desk_access():
	for role in APP_ROLES:
		assert frappe.db.get_value("Role", role, "desk_access") == (0 if role in PORTAL_ROLES else 1), role


def test_need_categories_are_a_tree_shipped_with_the_app():
	root = frappe.get_doc("Need Category", "すべてのニーズ分類")
	assert root.is_group and not root.parent_need_category
	children = frappe.get_all("Need Category", filters={"parent_need_category": root.name}, pluck="name")
	assert {"見守り・安否確認", "買い物", "配食", "居場所・交流", "認知症", "その他"} <= set(children)
	assert all(frappe.db.get_value("Need Category", c, "lft") > root.lft for c in children)


def test_site_speaks_japanese_in_tokyo_time():
	settings = frappe.get_single("System Settings")
	assert settings.language == "ja"
	assert settings.time_zone == "Asia/Tokyo"


def test_every_doctype_label_and_option_is_translated_at_runtime():
	"""The desk shows Japanese: Frappe's own translation loader finds every string of the app's DocTypes."""
	frappe.local.lang = "ja"
	untranslated = set()
	for doctype in frappe.get_all("DocType", filters={"module": "Chiiki Care"}, pluck="name"):
		meta = frappe.get_meta(doctype)
		strings = {doctype}
		for df in meta.fields:
			if df.label:
				strings.add(df.label)
			if df.fieldtype == "Select" and df.options:
				strings.update(option for option in df.options.split("\n") if option)
		untranslated |= {s for s in strings if frappe._(s) == s}
	for role in APP_ROLES:
		if frappe._(role) == role:
			untranslated.add(role)
	frappe.local.lang = "en"
	assert not untranslated, sorted(untranslated)


@pytest.mark.parametrize(
	"doctype",
	[
		"Resident",
		"Need",
		"Support Plan",
		"Community Issue",
		"Council",
		"Council Meeting",
		"Coordinator",
		"Community Resource",
	],
)
def test_row_rules_are_wired_for_every_restricted_doctype(doctype):
	hooks = frappe.get_hooks("permission_query_conditions")
	assert hooks.get(doctype) == ["chiiki_care.access.permissions.get_permission_query_conditions"]
	assert frappe.get_hooks("has_permission").get(doctype) == [
		"chiiki_care.access.permissions.has_permission"
	]
	for df in frappe.get_meta(doctype).get_table_fields():
		assert hooks.get(df.options) == [
			"chiiki_care.access.permissions.get_child_permission_query_conditions"
		], df.options


def test_coordinator_record_gives_and_moves_layer_roles(world):
	user = make_user("newcoord")
	coordinator = frappe.get_doc(
		{
			"doctype": "Coordinator",
			"coordinator_name": "新任 コーディネーター",
			"layer": "Layer 3",
			"user": user,
			"districts": [{"district": world.a2}],
		}
	).insert()
	assert LAYER_3 in frappe.get_roles(user)

	coordinator.layer = "Layer 2"
	coordinator.set("districts", [{"district": world.area_a}])
	coordinator.save()
	roles = frappe.get_roles(user)
	assert LAYER_2 in roles and LAYER_3 not in roles

	other = make_user("newcoord2")
	coordinator.user = other
	coordinator.save()
	assert LAYER_2 not in frappe.get_roles(user)
	assert LAYER_2 in frappe.get_roles(other)


def test_council_membership_and_support_centre_give_their_roles(world):
	member, staff = make_user("member2"), make_user("staff2")
	council = frappe.get_doc("Council", world.councils["b"])
	council.append("members", {"member_name": "自治会長", "user": member})
	council.save()
	assert COUNCIL_MEMBER in frappe.get_roles(member)
	centre = frappe.get_doc("Support Center", world.center_a)
	centre.append("staff", {"user": staff})
	centre.save()
	assert SUPPORT_CENTER_STAFF in frappe.get_roles(staff)


def test_portal_roles_make_website_users(world):
	assert frappe.db.get_value("User", world.users["cma"], "user_type") == "Website User"
	assert frappe.db.get_value("User", world.users["l3a"], "user_type") == "Website User"
	assert frappe.db.get_value("User", world.users["l2a"], "user_type") == "System User"


def test_only_the_manager_configures_the_app(world):
	for key in ("manager",):
		assert frappe.has_permission("Chiiki Care Settings", "write", user=world.users[key])
	for key in ("l1", "l2a", "l3a", "scsa", "cma", "outsider"):
		assert not frappe.has_permission("Chiiki Care Settings", "read", user=world.users[key]), key
