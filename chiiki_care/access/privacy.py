"""The app's personal-data rule on Frappe's whole generic surface (README: "Threat model").

The row rules (`chiiki_care.access.scope`) and field levels (identity fields at permlevel 1) decide what a
user may read. Frappe's generic endpoints reach the same rows by other doors; each door is closed
here, once, for every user the row rules restrict:

- `check_query`: any query of an app DocType made for a user (lists, REST, reportview, exports,
  group-by counts, number cards, charts, `get_value`, link search) may select only plain columns or
  simple aggregates of fields the user may read, and may filter, order and group only by them;
  dotted `link.column` reads into a row-ruled DocType are refused.
- `mask_reply`: every JSON reply, whatever method made it (save replies, `client.*`, REST, workflow,
  `run_doc_method`), carries app documents masked as a form load would mask them, and the history in
  `docinfo` carries no change of a field the user may not read.
- `report_error_as_missing`: a row the user may not read answers exactly like a row that does not exist.
- overrides (hooks.override_whitelisted_methods): Frappe methods that read rows without row rules
  are replaced by versions that read through `frappe.get_list`; counts of cases shown to users who
  may not read who they are about are masked below 3, as in the reports.
"""

import json
import os
import re
import sys
from urllib.parse import unquote

import frappe
from frappe import _
from frappe.database.utils import DefaultOrderBy
from frappe.model import child_table_fields, default_fields, get_permitted_fields, optional_fields
from frappe.utils import cint

from chiiki_care import inputs
from chiiki_care.access import audit
from chiiki_care.access.consent import IDENTITY_DOCTYPES
from chiiki_care.access.permissions import get_scope
from chiiki_care.access.scope import RULES
from chiiki_care.domain.rules import mask_small_count


def _app_doctypes() -> frozenset:
	folder = os.path.join(os.path.dirname(os.path.dirname(__file__)), "chiiki_care", "doctype")
	names = set()
	for entry in os.listdir(folder):
		path = os.path.join(folder, entry, f"{entry}.json")
		if os.path.exists(path):
			with open(path) as f:
				names.add(json.load(f)["name"])
	return frozenset(names)


APP_DOCTYPES = _app_doctypes()
STANDARD_COLUMNS = frozenset(default_fields) | frozenset(optional_fields) | frozenset(child_table_fields)


def is_restricted(user: str | None = None) -> bool:
	user = user or frappe.session.user
	return user != "Administrator" and not get_scope(user).unrestricted


# Queries
# -------

_NAME = r"[A-Za-z_][A-Za-z0-9_]*"
_TABLE = r"(?:`(?P<qtable>tab[^`]+)`|(?P<table>tab[A-Za-z0-9_]+))"
_COLUMN = rf"(?:{_TABLE}\s*\.\s*)?`?(?P<column>{_NAME})`?"
_ALIAS = r"(?:\s+as\s+(?:`[^`]*`|'[^']*'|\"[^\"]*\"|[A-Za-z_][A-Za-z0-9_]*))?"
PLAIN_COLUMN = re.compile(rf"^\s*(?:distinct\s+)?{_COLUMN}{_ALIAS}\s*$", re.IGNORECASE)
AGGREGATE = re.compile(
	rf"^\s*(?:count|sum|avg|min|max)\s*\(\s*(?:distinct\s+)?(?:\*|1|{_COLUMN})\s*\){_ALIAS}\s*$",
	re.IGNORECASE,
)
ORDER_TERM = re.compile(rf"^\s*{_COLUMN}(?:\s+(?:asc|desc))?\s*$", re.IGNORECASE)
# link search's ranking column and its sort term (frappe.desk.search.search_widget)
RELEVANCE = re.compile(
	r"^\(1 / nullif\(locate\('(?:[^'\\]|\\.)*', `tab[^`]+`\.`name`\), 0\)\) as `_relevance`$"
)
RELEVANCE_ORDER = "ifnull(_relevance, -9999) desc"
STAR = re.compile(r"^\s*(?:`tab[^`]+`\.)?\*\s*$")
ALIAS_NAME = re.compile(r"\s+as\s+[`'\"]?([A-Za-z_][A-Za-z0-9_]*)[`'\"]?\s*$", re.IGNORECASE)


def check_query(query) -> None:
	"""Refuse a query that would read, filter, order or group by what its user may not read.

	Called by `frappe_fixes` before Frappe's own field check of every `DatabaseQuery` that checks
	permissions. Plain columns the user may not read are left to Frappe, which drops them.
	"""
	if query.flags.ignore_permissions or not is_restricted(query.user):
		return
	involved = {query.doctype, *(t[4:-1] for t in query.tables), *(t.doctype for t in query.link_tables)}
	if not involved & APP_DOCTYPES:
		return
	readable = _ReadableColumns(query)
	aliases = set()
	for field in query.fields:
		if field is None:
			continue
		alias = ALIAS_NAME.search(field)
		if alias:
			aliases.add(alias.group(1))
		if RELEVANCE.match(field):
			continue
		if STAR.match(field):  # Frappe expands it to the fields the user may read
			query.chiiki_care_reads_identity = any(
				is_identity_column(query.doctype, f) for f in readable.fields_of(query.doctype)
			)
			continue
		plain = PLAIN_COLUMN.match(field)
		if plain:
			readable.check(plain, field, drop_allowed=True)
			continue
		aggregate = AGGREGATE.match(field)
		if not aggregate:
			_refuse(_("Only fields, or counts and sums of fields, can be queried: {0}").format(field))
		if aggregate.group("column"):
			readable.check(aggregate, field)
	for filters in (query.filters, query.or_filters):
		for condition in _as_conditions(filters, query.doctype):
			readable.check_filter(condition)
	for clause in (query.order_by, query.group_by):
		if not clause or clause == DefaultOrderBy:
			continue
		for term in str(clause).replace(RELEVANCE_ORDER, "_relevance desc").split(","):
			match = ORDER_TERM.match(term)
			if not match:
				_refuse(_("Only fields can be used to sort or group: {0}").format(term.strip()))
			if not match.group("table") and not match.group("qtable") and match.group("column") in aliases:
				continue
			readable.check(match, term)


def _as_conditions(filters, doctype: str) -> list:
	from frappe.model.db_query import get_filter

	if not filters:
		return []
	if isinstance(filters, dict):
		filters = [
			[doctype, key, *(value if isinstance(value, list | tuple) else ["=", value])]
			for key, value in filters.items()
		]
	conditions = []
	for condition in filters:
		if isinstance(condition, str):
			_refuse(_("A filter must name a field, an operator and a value."))
		conditions.append(get_filter(doctype, condition))
	return conditions


class _ReadableColumns:
	"""The columns a query's user may read, per table of the query."""

	def __init__(self, query):
		self.query = query
		self.cache = {}

	def fields_of(self, doctype: str) -> frozenset:
		if doctype not in self.cache:
			parenttype = self.query.parent_doctype if doctype == self.query.doctype else self.query.doctype
			self.cache[doctype] = (
				frozenset(
					get_permitted_fields(
						doctype, parenttype=parenttype, user=self.query.user, ignore_virtual=True
					)
				)
				| STANDARD_COLUMNS
			)
		return self.cache[doctype]

	def table_doctype(self, table: str | None) -> tuple[str, object]:
		"""The DocType of a table named in a query, and the link table it is, if it is one."""
		if not table:
			return self.query.doctype, None
		for link in self.query.link_tables:
			if link.table_alias.strip("`") == table:
				return link.doctype, link
		return table[3:], None

	def check(self, match, text: str, drop_allowed: bool = False) -> None:
		doctype, link = self.table_doctype(match.group("qtable") or match.group("table"))
		column = match.group("column")
		if link is not None:
			meta = frappe.get_meta(self.query.doctype)
			if link.doctype in RULES or link.fieldname not in self.fields_of(self.query.doctype):
				_refuse(
					_("{0} cannot be read through the field {1}.").format(_(link.doctype), link.fieldname)
				)
			if not meta.get_field(link.fieldname) or column not in self.fields_of(link.doctype):
				_refuse(_("You may not read the field {0} of {1}.").format(column, _(link.doctype)))
			return
		if doctype not in APP_DOCTYPES:
			return
		if column in self.fields_of(doctype):
			if doctype == self.query.doctype or self.table_readable(doctype):
				if doctype == self.query.doctype and is_identity_column(doctype, column):
					self.query.chiiki_care_reads_identity = True
				return
		if drop_allowed and doctype == self.query.doctype:
			return  # Frappe's own field check drops it from the result
		_refuse(_("You may not read the field {0} of {1}.").format(column, _(doctype)))

	def table_readable(self, child_doctype: str) -> bool:
		"""A child table joined to the query's DocType: the table field holding it must be readable."""
		meta = frappe.get_meta(self.query.doctype)
		levels = meta.get_permlevel_access("read", parenttype=self.query.parent_doctype, user=self.query.user)
		return any(df.permlevel in levels for df in meta.get_table_fields() if df.options == child_doctype)

	def check_filter(self, condition) -> None:
		fieldname = condition.fieldname or ""
		if not re.fullmatch(_NAME, fieldname):
			_refuse(_("A filter must name a field: {0}").format(fieldname))
		doctype = condition.doctype or self.query.doctype
		if doctype not in APP_DOCTYPES:
			return
		if fieldname in self.fields_of(doctype) and (
			doctype == self.query.doctype or self.table_readable(doctype)
		):
			return
		_refuse(_("You may not filter by the field {0} of {1}.").format(fieldname, _(doctype)))


def _refuse(message: str):
	frappe.throw(message, frappe.PermissionError, title=_("Not permitted"))


# Identity read through lists
# ---------------------------


def is_identity_column(doctype: str, column: str) -> bool:
	"""Whether a column of a DocType is the resident's identity (all of a Resident; level 1 elsewhere)."""
	if doctype not in IDENTITY_DOCTYPES or column in STANDARD_COLUMNS:
		return False
	df = frappe.get_meta(doctype).get_field(column)
	return doctype == "Resident" or bool(df and (df.permlevel or 0) >= 1)


def log_identity_read(query, result) -> None:
	"""Rows listed with identity columns through Frappe's API are logged like opened forms."""
	request = getattr(frappe.local, "request", None)
	if not result or not getattr(query, "chiiki_care_reads_identity", False):
		return
	if not request or not (getattr(request, "path", "") or "").startswith("/api/"):
		return  # the portal's pages log what they show themselves
	index = _name_column(query)
	names = []
	for row in result:
		if isinstance(row, str):
			names.append(row)
		elif isinstance(row, dict):
			names.append(row.get("name"))
		elif isinstance(row, list | tuple) and index is not None and index < len(row):
			names.append(row[index])
	audit.log_listed_identity(query.doctype, [n for n in names if isinstance(n, str)])


def _name_column(query) -> int | None:
	for index, field in enumerate(query.fields):
		match = PLAIN_COLUMN.match(field or "")
		if match and match.group("column") == "name" and not ALIAS_NAME.search(field):
			return index
	return None


# Replies
# -------


def mask_reply(response) -> None:
	"""Mask the app documents in a JSON reply as a form load masks them, for a restricted user."""
	if not frappe.session.user or frappe.session.user == "Administrator" or not is_restricted():
		return
	read = []
	for key in ("message", "data", "docs"):
		if key in response:
			response[key] = _mask(response[key], 0, read)
	for doctype, name, resident in read:
		audit.log_identity_rows(doctype, [(name, resident)], "API")
	docinfo = response.get("docinfo")
	if isinstance(docinfo, dict) and docinfo.get("doctype") in APP_DOCTYPES:
		docinfo["versions"] = masked_versions(docinfo["doctype"], docinfo.get("versions") or [])


def _mask(value, depth: int, read: list):
	"""`value` with app documents masked; the identity left in them (allowed) is noted in `read`."""
	from frappe.model.document import BaseDocument

	if depth > 8:
		return value
	if isinstance(value, BaseDocument):
		if value.doctype not in APP_DOCTYPES:
			return value
		value = value.as_dict(convert_dates_to_str=True)
	if isinstance(value, dict):
		if value.get("doctype") in APP_DOCTYPES and value.get("name"):
			masked = masked_doc(value)
			doctype, name = masked["doctype"], masked["name"]
			resident = name if doctype == "Resident" else masked.get("resident")
			if doctype in IDENTITY_DOCTYPES and resident and len(masked) > 2:
				read.append((doctype, name, resident))
			return masked
		return {key: _mask(item, depth + 1, read) for key, item in value.items()}
	if isinstance(value, list | tuple):
		return [_mask(item, depth + 1, read) for item in value]
	return value


def masked_doc(values: dict, parenttype: str | None = None) -> dict:
	"""A document's values without the fields the session user may not read (rows of tables too)."""
	meta = frappe.get_meta(values["doctype"])
	if not meta.istable and values.get("name") and not _readable_row(values):
		return {"doctype": values["doctype"], "name": values["name"]}
	parenttype = (parenttype or values.get("parenttype")) if meta.istable else None
	levels = meta.get_permlevel_access("read", parenttype=parenttype)
	hides_identity = bool(meta.get_high_permlevel_fields()) and 1 not in levels
	masked = {}
	for key, item in values.items():
		df = meta.get_field(key)
		if df and (df.permlevel or 0) not in levels:
			continue
		if df and df.fieldtype in frappe.model.table_fields and isinstance(item, list):
			item = [masked_doc(row, values["doctype"]) if isinstance(row, dict) else row for row in item]
		if key == "__onload" and hides_identity:
			continue
		masked[key] = item
	return masked


def _readable_row(values: dict) -> bool:
	doctype, name = values["doctype"], values["name"]
	if not frappe.db.exists(doctype, name):
		return True  # a reply about a row just deleted carries what the user sent
	return bool(frappe.has_permission(doctype, "read", doc=name))


def masked_versions(doctype: str, versions: list) -> list:
	"""Versions of a document with only the changes of fields the session user may read."""
	meta = frappe.get_meta(doctype)
	levels = meta.get_permlevel_access("read")

	def readable(meta_, fieldname) -> bool:
		df = meta_.get_field(fieldname)
		return not df or (df.permlevel or 0) in levels

	kept = []
	for version in versions:
		try:
			data = json.loads(version.get("data") or "{}")
		except (TypeError, ValueError):
			continue
		data["changed"] = [c for c in data.get("changed") or [] if readable(meta, c[0])]
		for key in ("added", "removed"):
			data[key] = [
				[table, _masked_row(meta, table, row, levels)]
				for table, row in data.get(key) or []
				if readable(meta, table)
			]
		row_changed = []
		for table, idx, row_name, changes in data.get("row_changed") or []:
			if not readable(meta, table):
				continue
			child = frappe.get_meta(meta.get_field(table).options)
			changes = [c for c in changes if readable(child, c[0])]
			if changes:
				row_changed.append([table, idx, row_name, changes])
		data["row_changed"] = row_changed
		if any(data.get(key) for key in ("changed", "added", "removed", "row_changed")):
			kept.append({**version, "data": json.dumps(data, default=str)})
	return kept


def _masked_row(meta, table: str, row, levels):
	if not isinstance(row, dict):
		return row
	child = frappe.get_meta(meta.get_field(table).options)
	return {
		k: v
		for k, v in row.items()
		if not child.get_field(k) or (child.get_field(k).permlevel or 0) in levels
	}


# The same answer for forbidden and missing rows
# ----------------------------------------------


def not_found_message() -> str:
	return _("This record does not exist or you may not see it.")


def request_names_app_doctype() -> bool:
	form = frappe.local.form_dict or {}
	values = {v for v in form.values() if isinstance(v, str)}
	request = getattr(frappe.local, "request", None)
	path = getattr(request, "path", "") or ""
	values.update(unquote(part) for part in path.split("/"))
	return bool(values & APP_DOCTYPES)


def report_error_as_missing(report_error, status_code: int):
	"""Frappe's `report_error`, but a forbidden row and a missing row give one and the same reply."""
	exc_type = sys.exc_info()[0]
	if not (
		exc_type
		and issubclass(exc_type, frappe.PermissionError | frappe.DoesNotExistError)
		and frappe.session.user not in (None, "Guest")
		and is_restricted()
		and request_names_app_doctype()
		and (issubclass(exc_type, frappe.DoesNotExistError) or not _app_messages())
	):
		return report_error(status_code)
	frappe.local.message_log = []
	frappe.flags.error_message = None
	frappe.msgprint(not_found_message(), title=_("Not found"), indicator="red")
	response = report_error(404)
	body = json.loads(response.get_data(as_text=True) or "{}")
	body.pop("exception", None)
	body["exc_type"] = "DoesNotExistError"
	response.set_data(json.dumps(body, separators=(",", ":")))
	response.status_code = 404
	return response


def _app_messages() -> bool:
	"""Whether the error carries a message of its own (app code's frappe.throw with a title, e.g.
	"Consent needed"), rather than Frappe's generic "no permission"."""
	generic = {None, "", "Message", _("Message")}
	return any(
		isinstance(m, dict) and m.get("raise_exception") and m.get("title") not in generic
		for m in frappe.local.message_log or []
	)


# Frappe methods that read rows without the row rules, read here through `frappe.get_list`
# ------------------------------------------------------------------------------------------


def _guarded(doctype) -> bool:
	return isinstance(doctype, str) and doctype in APP_DOCTYPES and is_restricted()


CASE_DOCTYPES = ("Need", "Support Plan")


def masked_count(doctype: str, count):
	"""A count of cases shown to a user who may not read who they are about: 1 and 2 as "<3", as in
	the reports (a count that small could point at a person)."""
	if doctype not in CASE_DOCTYPES or not is_restricted():
		return count
	if 1 in frappe.get_meta(doctype).get_permlevel_access("read"):
		return count
	return mask_small_count(cint(count))


@frappe.whitelist()
@inputs.checked(doctype="doctype", filters="filters")
def get_count(doctype: str, filters=None, debug: bool = False, cache: bool = False) -> int | str:
	"""`frappe.client.get_count` counts with `frappe.db.count`, without any permission."""
	from frappe.client import get_count as frappe_get_count
	from frappe.client import get_safe_filters

	if not _guarded(doctype):
		return frappe_get_count(doctype, filters=filters, debug=debug, cache=cache)
	rows = frappe.get_list(doctype, filters=get_safe_filters(filters), fields=["count(*) as total"])
	return masked_count(doctype, rows[0].total if rows else 0)


@frappe.whitelist()
@frappe.read_only()
def get_list_count() -> int | str:
	"""`frappe.desk.reportview.get_count` (the list view's count), masked like the reports."""
	from frappe.desk.reportview import get_count as frappe_list_count

	return masked_count(frappe.form_dict.get("doctype"), frappe_list_count())


@frappe.whitelist()
@inputs.checked(doc="number_card", filters="filter_list", to_date="date")
def get_number_card_result(doc, filters, to_date=None):
	"""A number card's figure (`frappe.desk.doctype.number_card.number_card.get_result`), masked like
	the reports when it counts cases."""
	from frappe.desk.doctype.number_card.number_card import get_result

	result = get_result(doc, filters, to_date=to_date)
	card = frappe.parse_json(doc) or {}
	if isinstance(card, dict) and card.get("function") == "Count":
		return masked_count(card.get("document_type"), result)
	return result


@frappe.whitelist()
@inputs.checked(doctype="doctype", docname="id")
def get_link_title(doctype: str, docname: str):
	"""`frappe.desk.search.get_link_title` reads the title of any row with `frappe.db.get_value`."""
	from frappe.desk.search import get_link_title as frappe_get_link_title

	if not _guarded(doctype):
		return frappe_get_link_title(doctype, docname)
	meta = frappe.get_meta(doctype)
	if not meta.show_title_field_in_link or not meta.title_field:
		return docname
	rows = frappe.get_list(
		doctype, filters={"name": docname}, fields=[meta.title_field], limit=1, as_list=True
	)
	return rows[0][0] if rows and rows[0] and rows[0][0] else docname


@frappe.whitelist()
@inputs.checked(doctype="doctype", docname="id", fields="names")
def validate_link(doctype: str, docname: str, fields=None):
	"""`frappe.client.validate_link` tells whether any row exists, readable or not."""
	from frappe.client import get_value
	from frappe.client import validate_link as frappe_validate_link

	if not _guarded(doctype) or not isinstance(docname, str):
		return frappe_validate_link(doctype, docname, fields=fields)
	values = frappe._dict(name=None)
	names = frappe.get_list(doctype, filters={"name": docname}, pluck="name", limit=1)
	if names:
		values.name = names[0]
		fields = frappe.parse_json(fields)
		if fields:
			values.update(get_value(doctype, fields, docname))
	return values


@frappe.whitelist()
@inputs.checked(doctype="doctype", name="id", filters="filters", parent="text")
def get(doctype: str, name: str | None = None, filters=None, parent: str | None = None):
	"""`frappe.client.get` by filters: a row matched but not readable answers as no row matched."""
	from frappe.client import get as frappe_get

	if _guarded(doctype) and not name and filters:
		names = frappe.get_list(doctype, filters=frappe.parse_json(filters), pluck="name", limit=1)
		if not names:
			frappe.throw(not_found_message(), frappe.DoesNotExistError)
		name, filters = names[0], None
	return frappe_get(doctype, name=name, filters=filters, parent=parent)


@frappe.whitelist()
@inputs.checked(doctype="doctype", name="id", user="id")
def getdoc(doctype: str, name: str, user: str | None = None):
	"""`frappe.desk.form.load.getdoc` answers a missing row with no documents, a forbidden one with 403."""
	from frappe.desk.form.load import getdoc as frappe_getdoc

	if _guarded(doctype) and not _exists_for_user(doctype, name):
		return []
	return frappe_getdoc(doctype, name, user=user)


def _exists_for_user(doctype: str, name) -> bool:
	if not isinstance(name, str) or not frappe.db.exists(doctype, name):
		return False
	return bool(frappe.has_permission(doctype, "read", doc=name))


@frappe.whitelist()
@inputs.checked(doctype="doctype", docname="id")
def get_linked_docs(doctype: str, docname: str):
	"""`frappe.desk.form.linked_with.get` checks the permission but ignores the answer."""
	from frappe.desk.form.linked_with import get as frappe_get_linked

	if _guarded(doctype) and not _exists_for_user(doctype, docname):
		frappe.throw(not_found_message(), frappe.DoesNotExistError)
	return frappe_get_linked(doctype, docname)


@frappe.whitelist()
@inputs.checked(doctype="doctype", current_filters="filters", field="field")
def get_group_by_count(doctype: str, current_filters: str, field: str) -> list[dict]:
	"""The sidebar's group-by counts: "assigned to" is counted by Frappe over every row, without any
	permission; all of them are masked like the reports."""
	from frappe.desk.listview import get_group_by_count as frappe_group_by_count

	if not _guarded(doctype):
		return frappe_group_by_count(doctype, current_filters, field)
	if field == "assigned_to":
		names = frappe.get_list(doctype, filters=frappe.parse_json(current_filters), pluck="name")
		rows = _assigned_to_counts(doctype, names)
	else:
		rows = frappe_group_by_count(doctype, current_filters, field)
	for row in rows:
		row["count"] = masked_count(doctype, row["count"])
	return rows


def _assigned_to_counts(doctype: str, names: list[str]) -> list[dict]:
	if not names:
		return []
	ToDo = frappe.qb.DocType("ToDo")
	count = frappe.query_builder.functions.Count("*").as_("count")
	return (
		frappe.qb.from_(ToDo)
		.select(ToDo.allocated_to.as_("name"), count)
		.where(
			(ToDo.status != "Cancelled")
			& (ToDo.reference_type == doctype)
			& (ToDo.reference_name.isin(names))
		)
		.groupby(ToDo.allocated_to)
		.orderby(count, order=frappe.qb.desc)
		.limit(50)
		.run(as_dict=True)
	)


@frappe.whitelist()
@inputs.checked(doctype="doctype", doc_name="id", user="id")
def follow_document(doctype: str, doc_name: str, user: str):
	"""The app's documents are not followed by email: the digest would carry their whole history."""
	from frappe.desk.form.document_follow import follow_document as frappe_follow

	if isinstance(doctype, str) and doctype in APP_DOCTYPES:
		return None
	return frappe_follow(doctype, doc_name, user)


def forget_document_follow(doc, method=None):
	"""Document Follow `after_insert`: automatic follows (on create, assign, comment) are undone too."""
	if doc.ref_doctype in APP_DOCTYPES:
		frappe.db.delete("Document Follow", doc.name)


def refuse_public_attachment(doc, method=None):
	"""File `validate`: an attachment of the app's documents is never a public file."""
	if doc.attached_to_doctype in APP_DOCTYPES and not doc.is_private:
		frappe.throw(
			_("Files attached to {0} must be private: tick Is Private.").format(_(doc.attached_to_doctype)),
			title=_("Private file needed"),
		)


def file_query_conditions(user: str | None = None) -> str:
	"""Files attached to rows with row rules are listed only with rows the user may read."""
	from chiiki_care.access.permissions import get_permission_query_conditions

	user = user or frappe.session.user
	if not is_restricted(user):
		return ""
	ruled = ", ".join(frappe.db.escape(d) for d in sorted(RULES))
	clauses = [f"ifnull(`tabFile`.`attached_to_doctype`, '') not in ({ruled})"]
	for doctype in sorted(RULES):
		condition = get_permission_query_conditions(user, doctype) or "(1=1)"
		clauses.append(
			f"(`tabFile`.`attached_to_doctype` = {frappe.db.escape(doctype)} and `tabFile`.`attached_to_name`"
			f" in (select `tab{doctype}`.`name` from `tab{doctype}` where {condition}))"
		)
	return "(" + " or ".join(clauses) + ")"
