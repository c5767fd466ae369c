"""Where the app's privacy rule (`chiiki_care.access.privacy`) hooks into Frappe 15, and Frappe bug
fixes.

Seven functions of Frappe are wrapped, each at the one place every request passes:
- `DatabaseQuery.apply_fieldlevel_read_permissions`, run by every query made for a user: the app's
  query check runs first (`privacy.check_query`). Frappe 15.44's own check removes disallowed
  columns with `list.pop` while it iterates over them by index, so the column right after a removed
  one was never checked (`fields=["resident", "resident_name"]` returned the name). Here removed
  columns are blanked in place while Frappe iterates and dropped afterwards.
- `DatabaseQuery.execute`: rows listed with identity columns through the API are logged in the
  Identity Access Log (`privacy.log_identity_read`).
- `frappe.utils.response.as_json`, which serialises every JSON reply: app documents in it are masked
  first (`privacy.mask_reply`).
- `frappe.utils.response.report_error`, which builds every JSON error reply: a forbidden row answers
  like a missing one (`privacy.report_error_as_missing`).
- `frappe.utils.typing_validations.raise_type_error`, which answers a whitelisted method called with
  an argument of the wrong type (a list where its annotation says `str`): Frappe's message is in
  English and names the Python types; here it is translated and names the argument as a field
  (`district` → 地区), still a FrappeTypeError (417).
- `get_published_web_forms` and `get_dynamic_web_pages`, which the website router asks on every
  page: Frappe 15.44's `redis_cache` answers None when the cached list expires, or is cleared by
  `frappe.clear_cache()` in another request, between its `exists` and its `get` (under load a page,
  or a reply rendered as a page, then fails with "'NoneType' object is not iterable"); here None is
  read again from the database.

Each wrapper calls Frappe's own function (kept as `original` on the wrapper), so it stays correct
when Frappe changes inside v15. The bug fixes are applied on the Frappe versions they were
written for (`BUGGY_FRAPPE_MAJOR`), and tests/integration/test_frappe_fixes.py shows, on the running
Frappe, that each bug is still there: when one fails, Frappe has fixed it and the fix can go.

`install` is idempotent. It runs before every request and every background job (hooks
`before_request`, `before_job`); scripts that query as a user outside both call it first.
"""

import functools

import frappe
import frappe.utils.response
import frappe.utils.typing_validations
from frappe import _
from frappe.exceptions import FrappeTypeError
from frappe.model.db_query import DatabaseQuery
from frappe.website.doctype.web_form import web_form
from frappe.website.doctype.web_page import web_page

MARK = "chiiki_care_fix"
BUGGY_FRAPPE_MAJOR = (15,)


def has_known_bugs() -> bool:
	"""Whether this Frappe is one whose bugs the fixes below were written for."""
	return int(frappe.__version__.split(".")[0]) in BUGGY_FRAPPE_MAJOR


def _marked(original):
	def mark(function):
		setattr(function, MARK, True)
		function.original = original
		return function

	return mark


def _wrap_fieldlevel_check(original):
	@_marked(original)
	def apply_fieldlevel_read_permissions(self):
		from chiiki_care.access.privacy import check_query

		check_query(self)
		if not has_known_bugs():
			return original(self)
		as_list = self.as_list
		self.as_list = True  # Frappe's remove_field then sets the column to None instead of popping it
		try:
			original(self)
		finally:
			self.as_list = as_list
		if not as_list:
			self.fields = [field for field in self.fields if field is not None]

	return apply_fieldlevel_read_permissions


def _wrap_execute(original):
	@_marked(original)
	def execute(self, *args, **kwargs):
		from chiiki_care.access.privacy import log_identity_read

		result = original(self, *args, **kwargs)
		log_identity_read(self, result)
		return result

	return execute


def _wrap_as_json(original):
	@_marked(original)
	def as_json():
		from chiiki_care.access.privacy import mask_reply

		mask_reply(frappe.local.response)
		return original()

	return as_json


def _wrap_report_error(original):
	@_marked(original)
	def report_error(status_code):
		from chiiki_care.access.privacy import report_error_as_missing

		return report_error_as_missing(original, status_code)

	return report_error


def _wrap_cached_list(original):
	"""A `redis_cache`d function that returns a list: None means the cache lost it mid-read."""

	@_marked(original)
	@functools.wraps(original)
	def cached_list():
		found = original()
		if found is None:  # the cached list expired or was cleared while Frappe read it
			found = original.__wrapped__()
		return found

	return cached_list


def _wrap_type_error(original):
	@_marked(original)
	def raise_type_error(arg_name, arg_type, arg_value, current_exception=None):
		label = _(frappe.unscrub(str(arg_name)))
		raise FrappeTypeError(
			_("{0}: a value of this kind is not accepted here.").format(label)
		) from current_exception

	return raise_type_error


# the cached lists the website router reads on every page: (module, function name)
CACHED_LISTS = ((web_form, "get_published_web_forms"), (web_page, "get_dynamic_web_pages"))


def install():
	if not getattr(DatabaseQuery.apply_fieldlevel_read_permissions, MARK, False):
		DatabaseQuery.apply_fieldlevel_read_permissions = _wrap_fieldlevel_check(
			DatabaseQuery.apply_fieldlevel_read_permissions
		)
	if not getattr(DatabaseQuery.execute, MARK, False):
		DatabaseQuery.execute = _wrap_execute(DatabaseQuery.execute)
	response = frappe.utils.response
	if not getattr(response.as_json, MARK, False):
		response.as_json = _wrap_as_json(response.as_json)
	if not getattr(response.report_error, MARK, False):
		response.report_error = _wrap_report_error(response.report_error)
	typing = frappe.utils.typing_validations
	if not getattr(typing.raise_type_error, MARK, False):
		typing.raise_type_error = _wrap_type_error(typing.raise_type_error)
	if has_known_bugs():
		for module, name in CACHED_LISTS:
			if not getattr(getattr(module, name), MARK, False):
				setattr(module, name, _wrap_cached_list(getattr(module, name)))
