"""No lost update on the portal.

Every portal form that changes an existing document carries the version it was loaded from (the
document's `modified`, hidden input `base_version`) and the values it showed (`base_values`, JSON:
{key: value as text}). Drafts kept in the browser keep both, so an old draft is judged by the
version it was written on. The endpoint loads the document with a row lock (`for_update`), so two
saves of one document run one after the other, and then calls `refuse_if_stale`:

- the same version: nothing changed since the form was loaded; save;
- an older (or unknown) version: for each value the form writes, a change since the form was loaded
  (stored value differs from its base value) that the form would overwrite with something else is a
  conflict. The save is refused with `StaleEditError` (HTTP 409) and a Japanese message naming each
  such field, its current value, who changed it and when (from the document's Version log, else its
  last modifier). The answer carries the current version and values (`conflict`), which the page
  takes as the form's new base: the person's entries stay in the form, and saving again (having seen
  what changed) replaces the current values on purpose.

Appending rows (an action, a monitoring entry) changes nothing anyone else wrote and needs no
version: the row lock alone keeps both of two simultaneous appends. The desk keeps Frappe's own
check (`Document.check_if_latest`).
"""

import json
from dataclasses import dataclass

import frappe
from frappe import _
from frappe.utils import get_datetime, get_fullname

MAX_SHOWN = 200
MAX_BASE_LENGTH = 100_000
ANY_CHANGE = object()  # `submitted` of a step that writes no value of its own (a workflow action)


class StaleEditError(frappe.TimestampMismatchError):
	"""A portal save based on an older version of the document."""

	http_status_code = 409


@dataclass
class Edit:
	"""One value a portal form writes."""

	key: str  # its name in the form's base values
	label: str  # translated
	current: object  # the value stored now
	submitted: object = ANY_CHANGE  # the value the form sends
	path: tuple = ()  # where the Version log records it: (fieldname,) or (table, row name, fieldname)
	translate: bool = False  # a Select value, shown translated


def version_of(doc) -> str:
	return str(doc.modified)


def as_text(value) -> str:
	if value is None:
		return ""
	return str(value).replace("\r\n", "\n").strip()


def base_json(values: dict) -> str:
	"""The `base_values` a form carries: what it shows, as text."""
	return json.dumps({key: as_text(value) for key, value in values.items()}, ensure_ascii=False)


def same_version(doc, base_version) -> bool:
	if not base_version or not isinstance(base_version, str):
		return False
	try:
		return get_datetime(base_version) == get_datetime(doc.modified)
	except Exception:
		return False


def parse_base(base_values) -> dict:
	"""The form's base values; anything unreadable counts as unknown (every value may have changed)."""
	if isinstance(base_values, dict):
		values = base_values
	elif isinstance(base_values, str) and len(base_values) > MAX_BASE_LENGTH:
		values = {}
	else:
		try:
			values = json.loads(base_values) if isinstance(base_values, str) and base_values else {}
		except (ValueError, RecursionError):
			values = {}
	if not isinstance(values, dict):
		return {}
	return {key: as_text(value) for key, value in values.items() if isinstance(value, str | int | float)}


def conflicts(doc, base_version, base_values, edits: list[Edit]) -> list[Edit]:
	"""The edits that would overwrite a change made since the form's base version."""
	if same_version(doc, base_version):
		return []
	base = parse_base(base_values)
	found = []
	for edit in edits:
		now = as_text(edit.current)
		if edit.key in base and base[edit.key] == now:
			continue  # unchanged since the form was loaded
		if edit.submitted is not ANY_CHANGE and as_text(edit.submitted) == now:
			continue  # the form writes what is stored already
		found.append(edit)
	return found


def refuse_if_stale(doc, base_version, base_values, edits: list[Edit]):
	"""Raise `StaleEditError` (409) when saving would overwrite what someone changed since."""
	found = conflicts(doc, base_version, base_values, edits)
	if not found:
		return
	changes = changed_by(doc, base_version)
	lines = []
	for edit in found:
		who, when = changes.get(edit.path) or (doc.modified_by, doc.modified)
		lines.append(
			_("{0} is now “{1}” (changed by {2}, {3}).").format(
				edit.label, shown(edit), get_fullname(who) if who else "?", fmt_datetime(when)
			)
		)
	lines.append(
		_(
			"Your entries are kept in the form. Check them against the current values above and save again to replace those, or reload the page to start from the current version."
		)
	)
	frappe.local.response["conflict"] = {
		"fields": [edit.key for edit in found],
		"base_version": version_of(doc),
		"base_values": base_json({edit.key: edit.current for edit in edits}),
	}
	frappe.throw("\n".join(lines), StaleEditError, title=_("Someone else changed this after you opened it"))


def shown(edit: Edit) -> str:
	text = as_text(edit.current)
	if not text:
		return _("(empty)")
	if edit.translate:
		text = _(text)
	return text if len(text) <= MAX_SHOWN else text[:MAX_SHOWN] + "…"


def fmt_datetime(value) -> str:
	try:
		return get_datetime(value).strftime("%Y/%m/%d %H:%M")
	except Exception:
		return ""


def changed_by(doc, base_version) -> dict:
	"""{path: (user, when)} of the latest change of each value since `base_version`, from the
	document's Version log (kept for the app's DocTypes: track_changes)."""
	filters = {"ref_doctype": doc.doctype, "docname": doc.name}
	try:
		if base_version:
			filters["creation"] = (">", get_datetime(base_version))
	except Exception:
		pass  # an unreadable base: the latest changes
	found = {}
	for version in frappe.get_all(
		"Version",
		filters=filters,
		fields=["owner", "creation", "data"],
		order_by="creation desc",
		limit_page_length=50,
	):
		try:
			data = json.loads(version.data or "{}")
		except ValueError:
			continue
		for change in data.get("changed") or []:
			found.setdefault((change[0],), (version.owner, version.creation))
		for table, _index, row, changes in data.get("row_changed") or []:
			for change in changes:
				found.setdefault((table, row, change[0]), (version.owner, version.creation))
	return found
