"""A fix for Frappe 15.44 that the app's personal-data rule depends on.

`DatabaseQuery.apply_fieldlevel_read_permissions` removes disallowed columns with `list.pop` while
it iterates over the columns by index, so the column right after a removed one is never checked:
`fields=["resident", "resident_name"]` returned the resident's name to a user without access to
either. Here removed columns are blanked in place while Frappe iterates and dropped afterwards,
so every column is checked.

Imported by `chiiki_care.permissions`, whose query hook runs before the field check of every
query on the app's restricted DocTypes, so the fix is in place before it is needed.
"""

from frappe.model.db_query import DatabaseQuery

_original = DatabaseQuery.apply_fieldlevel_read_permissions


def apply_fieldlevel_read_permissions(self):
	as_list = self.as_list
	self.as_list = True  # Frappe's remove_field then sets the column to None instead of popping it
	try:
		_original(self)
	finally:
		self.as_list = as_list
	if not as_list:
		self.fields = [field for field in self.fields if field is not None]


if not getattr(DatabaseQuery.apply_fieldlevel_read_permissions, "chiiki_care_fix", False):
	apply_fieldlevel_read_permissions.chiiki_care_fix = True
	DatabaseQuery.apply_fieldlevel_read_permissions = apply_fieldlevel_read_permissions
