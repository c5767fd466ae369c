"""The columns, rows and cards several reports share, built in one place: each report lists its
columns from these builders and keeps only what is its own.

Labels are translated here, when a report runs, so the desk shows them in the viewer's language.
"""

import frappe
from frappe import _

# Columns
# -------


def link(fieldname: str, label: str, doctype: str, width: int = 180) -> dict:
	return {"fieldname": fieldname, "label": label, "fieldtype": "Link", "options": doctype, "width": width}


def count(fieldname: str, label: str, width: int = 110) -> dict:
	return {"fieldname": fieldname, "label": label, "fieldtype": "Int", "width": width}


def text(fieldname: str, label: str, width: int = 160) -> dict:
	return {"fieldname": fieldname, "label": label, "fieldtype": "Data", "width": width}


def decimal(fieldname: str, label: str, width: int = 130, precision: int = 1) -> dict:
	return {
		"fieldname": fieldname,
		"label": label,
		"fieldtype": "Float",
		"precision": precision,
		"width": width,
	}


def district(width: int = 180) -> dict:
	return link("district", _("District"), "District", width)


def need_category(width: int = 160) -> dict:
	return link("category", _("Need Category"), "Need Category", width)


def coordinator(organisation_width: int = 160) -> list[dict]:
	"""The columns that name a coordinator (see `coordinator_fields`)."""
	return [
		link("coordinator", _("Coordinator"), "Coordinator", 120),
		text("coordinator_name", _("Coordinator Name"), 160),
		text("layer", _("Layer"), 90),
		text("organisation", _("Organisation"), organisation_width),
	]


# Rows
# ----


def coordinator_fields(name: str | None, people: dict[str, frappe._dict]) -> dict:
	"""A row's coordinator columns, from the coordinator records the viewer may read (`people`);
	a plan or need without one is shown as "Not Set"."""
	person = people.get(name) or frappe._dict()
	return {
		"coordinator": name,
		"coordinator_name": person.coordinator_name or (name or _("Not Set")),
		"layer": _(person.layer) if person.layer else "",
		"organisation": person.organisation or "",
	}


def with_total(rows: list[dict], total: dict, label_field: str) -> list[dict]:
	"""The rows (already masked) and a total row labelled in `label_field`; nothing when no rows."""
	if not rows:
		return []
	return [*rows, {**total, label_field: _("Total"), "is_total": 1}]


# Summary cards
# -------------


def card(value, label: str, indicator: str | None = None, datatype: str = "Data") -> dict:
	result = {"value": value, "label": label, "datatype": datatype}
	if indicator:
		result["indicator"] = indicator
	return result
