"""Reading identity is logged where the manager can see it, whatever the path it is read by."""

import frappe
from frappe.utils import now_datetime

LOGGED_KEY = "chiiki_care_identity_logged"


def log_identity_access(doc, channel: str = "Desk"):
	"""Log that the session user opened `doc` with the resident's identity visible to them."""
	if frappe.session.user in ("Administrator", "Guest"):
		return
	resident = doc.name if doc.doctype == "Resident" else doc.get("resident")
	if not resident:
		return
	if doc.doctype != "Resident" and 1 not in doc.meta.get_permlevel_access("read"):
		return
	log_identity_rows(doc.doctype, [(doc.name, resident)], channel)


def log_identity_rows(doctype: str, rows: list[tuple[str, str]], channel: str):
	"""Log (document, resident) pairs read by the session user, each once per request."""
	if frappe.session.user in ("Administrator", "Guest"):
		return
	# once per request: the reply of a form load or a save may show what was already logged
	request = getattr(frappe.local, "request", None)
	logged = getattr(request, LOGGED_KEY, None) if request is not None else None
	if logged is None:
		logged = set()
		if request is not None:
			setattr(request, LOGGED_KEY, logged)
	now = now_datetime()
	values = []
	for name, resident in rows:
		if not resident or (doctype, name) in logged:
			continue
		logged.add((doctype, name))
		user = frappe.session.user
		values.append(
			(
				frappe.generate_hash(length=12),
				user,
				now,
				user,
				now,
				user,
				doctype,
				name,
				resident,
				now,
				channel,
			)
		)
	if not values:
		return
	frappe.db.bulk_insert(
		"Identity Access Log",
		[
			"name",
			"owner",
			"creation",
			"modified_by",
			"modified",
			"user",
			"reference_doctype",
			"reference_name",
			"resident",
			"accessed_on",
			"channel",
		],
		values,
	)
	# a form or list is read with a GET request, which Frappe does not commit by itself
	frappe.local.flags.commit = True


def log_listed_identity(doctype: str, names: list[str]):
	"""Rows of `doctype` listed with identity columns through Frappe's API (lists, reports, exports)."""
	if not names:
		return
	if doctype == "Resident":
		rows = [(name, name) for name in names]
	else:
		rows = frappe.get_all(
			doctype, filters={"name": ("in", names)}, fields=["name", "resident"], as_list=True
		)
	log_identity_rows(doctype, rows, "API")
