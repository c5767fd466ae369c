"""Monthly: each Layer 2 coordinator gets one ToDo listing the resources of its districts whose
details are due to be checked again (情報確認). A resource holds no resident data."""

import frappe
from frappe import _
from frappe.utils import escape_html, formatdate, get_url_to_form, getdate, today

from chiiki_care.notifications.reviews import layer_2_districts_by_user

REFERENCE = "Coordinator"  # the ToDo is about the coordinator's own districts


def remind_stale_resources(as_of=None) -> dict[str, list[str]]:
	"""Give every active Layer 2 coordinator one open ToDo, this month, listing the active resources
	registered in or serving its districts whose next check is before `as_of` (default today); an
	open ToDo of this job for the same coordinator is updated, not repeated. Returns the resources
	listed per user."""
	as_of = getdate(as_of or today())
	stale = frappe.get_all(
		"Community Resource",
		filters={"status": "Active", "verification_due_on": ("<", as_of)},
		fields=["name", "resource_name", "district", "verification_due_on"],
		order_by="verification_due_on asc, name asc",
	)
	if not stale:
		return {}
	served = {}
	for row in frappe.get_all(
		"District Item",
		filters={"parenttype": "Community Resource", "parent": ("in", [r.name for r in stale])},
		fields=["parent", "district"],
	):
		served.setdefault(row.parent, set()).add(row.district)
	listed = {}
	for user, districts in layer_2_districts_by_user().items():
		mine = [r for r in stale if ({r.district} | served.get(r.name, set())) & districts]
		if mine:
			_write_todo(user, mine, as_of)
			listed[user] = [r.name for r in mine]
	return listed


def _write_todo(user: str, resources: list, as_of):
	"""One open ToDo of this job per coordinator (it references the user's Coordinator record)."""
	coordinator = frappe.db.get_value("Coordinator", {"user": user, "layer": "Layer 2", "is_active": 1})
	lines = "".join(
		"<li>"
		+ _("{0} ({1}, check due {2})").format(
			f'<a href="{escape_html(get_url_to_form("Community Resource", r.name))}">'
			f"{escape_html(r.resource_name)}</a>",
			escape_html(r.district),
			formatdate(r.verification_due_on),
		)
		+ "</li>"
		for r in resources
	)
	heading = _("{0} community resources in your districts are due for an information check.")
	description = f"<p>{escape_html(heading.format(len(resources)))}</p><ul>{lines}</ul>"
	existing = frappe.db.get_value(
		"ToDo",
		{"allocated_to": user, "reference_type": REFERENCE, "reference_name": coordinator, "status": "Open"},
	)
	if existing:
		todo = frappe.get_doc("ToDo", existing)
		todo.description, todo.date = description, as_of
		todo.save(ignore_permissions=True)
		return
	frappe.get_doc(
		{
			"doctype": "ToDo",
			"allocated_to": user,
			"description": description,
			"date": as_of,
			"priority": "Medium",
			"reference_type": REFERENCE,
			"reference_name": coordinator,
		}
	).insert(ignore_permissions=True)
