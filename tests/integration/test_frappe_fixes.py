"""The platform fixes of chiiki_care.access.frappe_fixes: each Frappe bug is shown to be still there
in the Frappe that runs (Frappe's own function, kept as `original`), and fixed by the wrapper.

When a test named `test_frappe_still_...` fails, Frappe has fixed the bug upstream: remove the
workaround (and this test) rather than the assertion."""

import pickle

import frappe
from frappe.model.db_query import DatabaseQuery
import pytest
from frappe.website.doctype.web_form import web_form
from frappe.website.doctype.web_page import web_page
from frappe.website.router import get_page_info_from_web_form, get_page_info_from_web_page_with_dynamic_routes

from chiiki_care.access import frappe_fixes

IDENTITY_COLUMNS = ["resident", "resident_name", "name"]


def field_check_as(user, check) -> list:
	query = DatabaseQuery("Need")
	query.fields = list(IDENTITY_COLUMNS)
	query.as_list = False
	query.parent_doctype = None
	frappe.set_user(user)
	try:
		check(query)
	finally:
		frappe.set_user("Administrator")
	return query.fields


def test_the_fixes_are_installed_on_this_frappe():
	assert frappe_fixes.has_known_bugs()
	frappe_fixes.install()
	for function in (
		DatabaseQuery.apply_fieldlevel_read_permissions,
		DatabaseQuery.execute,
		frappe.utils.response.as_json,
		frappe.utils.response.report_error,
		web_form.get_published_web_forms,
		web_page.get_dynamic_web_pages,
		frappe.utils.typing_validations.raise_type_error,
	):
		assert getattr(function, frappe_fixes.MARK, False), function
	frappe_fixes.install()  # idempotent: still one wrapper deep
	assert not getattr(DatabaseQuery.execute.original, frappe_fixes.MARK, False)


def test_frappe_still_skips_the_column_after_a_removed_one(world):
	original = DatabaseQuery.apply_fieldlevel_read_permissions.original
	fields = field_check_as(world.users["l1"], original)
	assert "resident" not in fields
	assert "resident_name" in fields  # never checked: Frappe popped the column before it


def test_the_field_check_checks_every_column(world):
	fields = field_check_as(world.users["l1"], DatabaseQuery.apply_fieldlevel_read_permissions)
	assert fields == ["name"]


CACHED_LISTS = {
	"web forms": (web_form, "get_published_web_forms", get_page_info_from_web_form),
	"dynamic web pages": (web_page, "get_dynamic_web_pages", get_page_info_from_web_page_with_dynamic_routes),
}


def lost_cached_list(module, name):
	"""The state Frappe's Redis cache is in when a cached list expires (or is cleared) between its
	`exists` and its `get`: the key is there and holds nothing."""
	original = getattr(module, name).original
	original.clear_cache()
	original()  # cache the list, to learn its key
	uncached = original.__wrapped__
	keys = frappe.cache.get_keys(f"{uncached.__module__}.{uncached.__qualname__}")  # Frappe's key
	assert keys
	for key in keys:
		frappe.cache.set(key, pickle.dumps(None))
	frappe.local.cache.clear()
	return original


@pytest.mark.parametrize("kind", CACHED_LISTS)
def test_frappe_still_answers_none_for_a_lost_cached_list(kind):
	module, name, _route = CACHED_LISTS[kind]
	original = lost_cached_list(module, name)
	try:
		assert original() is None
	finally:
		original.clear_cache()


@pytest.mark.parametrize("kind", CACHED_LISTS)
def test_a_page_is_routed_while_a_cached_list_is_lost(kind):
	module, name, route = CACHED_LISTS[kind]
	original = lost_cached_list(module, name)
	try:
		assert getattr(module, name)() == original.__wrapped__()
		route("coordinator")  # what the router asks for every page: no error
	finally:
		original.clear_cache()


def test_an_argument_of_the_wrong_type_is_refused_in_japanese_naming_the_field(world, japanese):
	"""Frappe checks the annotations of whitelisted methods in requests (and tests); its message was
	English, naming Python types."""
	from chiiki_care.reporting import map

	frappe_fixes.install()
	in_test = frappe.local.flags.in_test
	frappe.local.flags.in_test = True  # as in a request
	frappe.set_user(world.users["manager"])
	try:
		with pytest.raises(frappe.exceptions.FrappeTypeError) as refused:
			map.get_district_map(district=["x"])
		with pytest.raises(frappe.exceptions.FrappeTypeError) as refused_date:
			map.get_district_map(to_date={"a": 1})
	finally:
		frappe.local.flags.in_test = in_test
		frappe.set_user("Administrator")
	assert str(refused.value) == "地区：この種類の値は受け付けられません。"
	assert str(refused_date.value).startswith("終了日：")
	assert refused.value.http_status_code == 417
