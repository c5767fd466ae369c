"""What the portal's POST endpoints share: collecting every problem of a form at once, the role
guard, and loading a document the user may change."""

import datetime
import functools
import re
import unicodedata
from urllib.parse import quote

import frappe
from frappe import _
from frappe.utils import getdate, today

from chiiki_care import inputs
from chiiki_care.access.scope import LAYER_3
from chiiki_care.domain import rules

# Input checks: every problem at once, in Japanese, with the fields to fix
# ------------------------------------------------------------------------


class InputCheck:
	def __init__(self):
		self.problems: list[str] = []
		self.fields: list[str] = []

	def add(self, fieldname: str, message: str):
		self.problems.append(message)
		if fieldname not in self.fields:
			self.fields.append(fieldname)

	def text(self, fieldname: str, value, label: str, required: bool = False, max_length: int = 2000) -> str:
		value = (value or "").strip() if isinstance(value, str) else ""
		if required and not value:
			self.add(fieldname, _("Enter {0}.").format(label))
		elif len(value) > max_length:
			self.add(fieldname, _("{0} is too long: at most {1} characters.").format(label, max_length))
		return value

	def choice(self, fieldname: str, value, options, label: str, required: bool = True) -> str | None:
		if not value and not required:
			return None
		if value not in options:
			self.add(fieldname, _("Choose {0}.").format(label))
			return None
		return value

	def date(
		self, fieldname: str, value, label: str, required: bool = False, allow_future: bool = False
	) -> datetime.date | None:
		if not value or not str(value).strip():
			if required:
				self.add(fieldname, _("Enter {0}.").format(label))
			return None
		parsed = parse_date(str(value))
		if not parsed:
			self.add(
				fieldname,
				_("{0}: {1} is not a date. Write it like 2025-04-01 or 令和7年4月1日.").format(label, value),
			)
			return None
		if not allow_future and parsed > getdate(today()):
			self.add(fieldname, _("{0} cannot be in the future.").format(label))
		return parsed

	def done(self):
		if self.problems:
			frappe.local.response["invalid_fields"] = self.fields
			frappe.throw("\n".join(self.problems), title=_("Please check what you entered"))


def parse_date(text: str) -> datetime.date | None:
	"""A date typed on a phone: 2025-04-01, 2025/4/1, full-width digits, or the Japanese era calendar."""
	folded = unicodedata.normalize("NFKC", text).strip()
	match = re.fullmatch(r"(\d{4})[-/.年](\d{1,2})[-/.月](\d{1,2})日?", folded)
	if match:
		try:
			return datetime.date(*(int(part) for part in match.groups()))
		except ValueError:
			return None
	return rules.parse_wareki(folded)


def parse_list(value) -> list | None:
	"""A JSON list of names, a list, or one name; None when it is none of these."""
	try:
		return inputs.text_list(value, allow_single=True)
	except inputs.BadValue:
		return None


def require_role(role: str):
	if role not in frappe.get_roles():
		frappe.throw(_("This page is for {0}.").format(_(role)), frappe.PermissionError)


def portal_action(role: str):
	"""Make a function a portal form's endpoint: POST only, and for users with `role` only (403)."""

	def decorate(function):
		@functools.wraps(function)
		def action(*args, **kwargs):
			require_role(role)
			return function(*args, **kwargs)

		return frappe.whitelist(methods=["POST"])(action)

	return decorate


coordinator_action = portal_action(LAYER_3)


def writable_doc(doctype: str, name: str | None):
	"""A document the session user may change (same answer for missing and out-of-scope rows).

	Loaded with a row lock (`for_update`, the latest committed rows, children included), held until
	the request ends: two saves of one document run one after the other, so two appended rows are
	both kept, and an edit is compared with the version saved just before it (`edit_conflicts`)."""
	if not name or not isinstance(name, str) or not frappe.db.exists(doctype, name):
		frappe.throw(_("This record does not exist or you may not see it."), frappe.PermissionError)
	doc = frappe.get_doc(doctype, name, for_update=True)
	if not doc.has_permission("write"):
		frappe.throw(_("This record does not exist or you may not see it."), frappe.PermissionError)
	return doc


def url_for(route: str, name: str) -> str:
	return f"/{route}?name={quote(name)}"
