"""Small lookups shared by controllers."""

import frappe
from frappe import _


def select_options(doctype: str, fieldname: str) -> tuple[str, ...]:
	"""The values of a Select field, read from its DocType: the one source for the desk, the portal
	and the reports."""
	options = frappe.get_meta(doctype).get_field(fieldname).options or ""
	return tuple(option for option in options.split("\n") if option)


def get_user_coordinator(user: str | None = None) -> str | None:
	"""The active Coordinator record of `user` (default: the session user), if any."""
	return frappe.db.get_value("Coordinator", {"user": user or frappe.session.user, "is_active": 1}, "name")


def get_district_type(district: str | None) -> str | None:
	if not district:
		return None
	return frappe.get_cached_value("District", district, "district_type")


def get_city_root() -> str | None:
	return frappe.db.get_value("District", {"district_type": "City"}, "name")


def is_same_or_below(district: str | None, ancestor: str | None) -> bool:
	"""True when `district` is `ancestor` or lies below it in the District tree."""
	if not district or not ancestor:
		return False
	if district == ancestor:
		return True
	inner = frappe.db.get_value("District", district, ["lft", "rgt"])
	outer = frappe.db.get_value("District", ancestor, ["lft", "rgt"])
	return bool(inner and outer) and outer[0] < inner[0] and inner[1] < outer[1]


def add_role(user: str, role: str):
	"""Give `user` the `role` if it lacks it (roles follow the app's own records)."""
	if not user or role in frappe.get_roles(user):
		return
	user_doc = frappe.get_doc("User", user)
	user_doc.flags.ignore_permissions = True
	user_doc.add_roles(role)


def remove_role(user: str, role: str):
	if not user or role not in frappe.get_roles(user):
		return
	user_doc = frappe.get_doc("User", user)
	user_doc.flags.ignore_permissions = True
	user_doc.remove_roles(role)


def ensure_readable(doc, doctype: str, names) -> None:
	"""Refuse to link rows the user cannot read: linking would otherwise reveal them (e.g. a name fetched).

	A Web Form saves with `ignore_permissions` on behalf of the website user; its links are checked."""
	if doc.flags.ignore_permissions and not frappe.flags.in_web_form:
		return
	for name in [names] if isinstance(names, str) or names is None else names:
		if name and not frappe.has_permission(doctype, "read", doc=name):
			frappe.throw(
				_("You cannot link {0} {1}: it is outside what you may see.").format(_(doctype), bold(name)),
				frappe.PermissionError,
			)


def added_links(doc, table: str, fieldname: str) -> list[str]:
	"""Values of `fieldname` in rows of `table` that the document did not hold before this save."""
	before = doc.get_doc_before_save()
	old = {row.get(fieldname) for row in before.get(table)} if before else set()
	return [row.get(fieldname) for row in doc.get(table) if row.get(fieldname) not in old]


def changed_link(doc, fieldname: str) -> str | None:
	"""The link's value when it is new or changed in this save, else None."""
	if doc.is_new() or doc.has_value_changed(fieldname):
		return doc.get(fieldname)
	return None


def bold(text) -> str:
	"""`frappe.bold` for text a user typed: escaped, since messages are shown as HTML."""
	from frappe.utils import escape_html

	return frappe.bold(escape_html(str(text if text is not None else "")))
