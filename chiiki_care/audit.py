"""Reading identity is logged where the manager can see it."""

import frappe
from frappe.utils import now_datetime


def log_identity_access(doc, channel: str = "Desk"):
	"""Log that the session user opened `doc` with the resident's identity visible to them."""
	if frappe.session.user in ("Administrator", "Guest"):
		return
	resident = doc.name if doc.doctype == "Resident" else doc.get("resident")
	if not resident:
		return
	if doc.doctype != "Resident" and 1 not in doc.meta.get_permlevel_access("read"):
		return
	frappe.get_doc(
		{
			"doctype": "Identity Access Log",
			"user": frappe.session.user,
			"reference_doctype": doc.doctype,
			"reference_name": doc.name,
			"resident": resident,
			"accessed_on": now_datetime(),
			"channel": channel,
		}
	).insert(ignore_permissions=True)
	# a form is opened with a GET request, which Frappe does not commit by itself
	frappe.local.flags.commit = True
