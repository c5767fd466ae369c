"""Where the app's privacy rule (`chiiki_care.privacy`) hooks into Frappe 15, and two Frappe bug fixes.

Five functions of Frappe are wrapped, each at the one place every request passes:
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
- `get_published_web_forms`, which the website router asks on every page: Frappe 15.44's Redis cache
  answers None when the cached list expires between its `exists` and its `get` (under load a page
  then fails with "'NoneType' object is not iterable"); None is then read again from the database.
  tests/integration/test_frappe_fixes.py shows the bug is still in the running Frappe.

Each wrapper calls Frappe's own function, so it stays correct when Frappe changes inside v15.
`install` runs on import and before every request (hooks.before_request); it is idempotent.
"""

import functools

import frappe.utils.response
from frappe.model.db_query import DatabaseQuery
from frappe.website.doctype.web_form import web_form

MARK = "chiiki_care_fix"


def _marked(function):
	setattr(function, MARK, True)
	return function


def _wrap_published_web_forms(original):
	@_marked
	@functools.wraps(original)
	def get_published_web_forms():
		forms = original()
		if forms is None:  # the cached list expired while Frappe read it
			forms = original.__wrapped__()
		return forms

	get_published_web_forms.original = original
	return get_published_web_forms


def _wrap_fieldlevel_check(original):
	@_marked
	def apply_fieldlevel_read_permissions(self):
		from chiiki_care.privacy import check_query

		check_query(self)
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
	@_marked
	def execute(self, *args, **kwargs):
		from chiiki_care.privacy import log_identity_read

		result = original(self, *args, **kwargs)
		log_identity_read(self, result)
		return result

	return execute


def _wrap_as_json(original):
	@_marked
	def as_json():
		from chiiki_care.privacy import mask_reply

		mask_reply(frappe.local.response)
		return original()

	return as_json


def _wrap_report_error(original):
	@_marked
	def report_error(status_code):
		from chiiki_care.privacy import report_error_as_missing

		return report_error_as_missing(original, status_code)

	return report_error


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
	if not getattr(web_form.get_published_web_forms, MARK, False):
		web_form.get_published_web_forms = _wrap_published_web_forms(web_form.get_published_web_forms)


install()
