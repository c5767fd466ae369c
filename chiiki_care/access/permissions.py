"""Frappe adapter for the row rules in `chiiki_care.access.scope`.

One mechanism on every path a row can leave by:
- lists, report view, link search, REST list, `frappe.get_list`: `get_permission_query_conditions`
- form load, REST read/update/delete, `doc.check_permission`: `has_permission`
- link search called with `ignore_user_permissions`: `search_link` / `search_widget` overrides
App code that reads rows for a user goes through `frappe.get_list`, or filters with `allowed_filters`.
"""

import json
import re

import frappe
from frappe import _
from frappe.desk import search as desk_search

from chiiki_care import inputs
from chiiki_care.access.scope import (
	COUNCIL_MEMBER,
	LAYER_1,
	LAYER_2,
	LAYER_3,
	RULES,
	SUPPORT_CENTER_STAFF,
	Rule,
	Scope,
	combine,
	rule,
	rule_for,
)
from chiiki_care.utils import get_user_coordinator

CACHE_KEY = "chiiki_care_scopes"


def get_scope(user: str | None = None) -> Scope:
	user = user or frappe.session.user
	cache = getattr(frappe.local, CACHE_KEY, None)
	if cache is None:
		cache = {}
		setattr(frappe.local, CACHE_KEY, cache)
	if user not in cache:
		cache[user] = _load_scope(user)
	return cache[user]


def clear_scope_cache(*args, **kwargs):
	"""Forget computed scopes (called when coordinators, districts, councils or centres change)."""
	setattr(frappe.local, CACHE_KEY, {})


def _load_scope(user: str) -> Scope:
	roles = frozenset(frappe.get_roles(user))
	coordinator = None
	districts = frozenset()
	if roles & {LAYER_1, LAYER_2, LAYER_3}:
		coordinator = get_user_coordinator(user)
		if coordinator:
			districts = coordinator_districts(coordinator)
	center_districts = frozenset()
	if SUPPORT_CENTER_STAFF in roles:
		centers = frappe.get_all(
			"Support Center Staff Member",
			filters={"user": user, "parenttype": "Support Center"},
			pluck="parent",
		)
		if centers:
			served = frappe.get_all("District", filters={"support_center": ("in", centers)}, pluck="name")
			center_districts = frozenset(with_descendants(served))
	councils = frozenset()
	if COUNCIL_MEMBER in roles:
		councils = frozenset(
			frappe.get_all(
				"Council Membership",
				filters={"user": user, "parenttype": "Council"},
				pluck="parent",
			)
		)
	return Scope(
		user=user,
		roles=roles,
		coordinator=coordinator,
		districts=districts,
		center_districts=center_districts,
		councils=councils,
	)


def coordinator_districts(coordinator: str) -> frozenset:
	"""The districts a coordinator covers and every district below them."""
	covered = frappe.get_all(
		"District Item", filters={"parent": coordinator, "parenttype": "Coordinator"}, pluck="district"
	)
	return frozenset(with_descendants(covered))


def with_descendants(districts: list[str]) -> list[str]:
	"""The districts given and every district below them in the tree."""
	if not districts:
		return []
	District = frappe.qb.DocType("District")
	bounds = (
		frappe.qb.from_(District)
		.select(District.lft, District.rgt)
		.where(District.name.isin(districts))
		.run()
	)
	if not bounds:
		return []
	condition = None
	for lft, rgt in bounds:
		term = (District.lft >= lft) & (District.rgt <= rgt)
		condition = term if condition is None else condition | term
	return frappe.qb.from_(District).select(District.name).where(condition).run(pluck=True)


def rule_to_sql(doctype: str, rule: Rule) -> str:
	if rule.unrestricted:
		return ""
	if not rule.clauses:
		return "(1=0)"
	table = f"`tab{doctype}`"
	parts = []
	for clause in rule.clauses:
		terms = []
		for fieldname, values in clause:
			quoted = ", ".join(frappe.db.escape(v) for v in sorted(values))
			terms.append(f"{table}.`{fieldname}` in ({quoted})")
		parts.append("(" + " and ".join(terms) + ")")
	return "(" + " or ".join(parts) + ")"


def get_permission_query_conditions(user: str | None = None, doctype: str | None = None) -> str:
	"""Hooked as `permission_query_conditions` for every DocType in `scope.RULES`."""
	if not doctype:
		return ""
	return rule_to_sql(doctype, list_rule(doctype, user))


def list_rule(doctype: str, user: str | None = None) -> Rule:
	"""The rows a user may list: those in scope, and those shared with the user (DocShare)."""
	user = user or frappe.session.user
	in_scope = rule_for(doctype, get_scope(user))
	if in_scope.unrestricted:
		return in_scope
	return combine([in_scope, rule((("name", shared_with(doctype, user)),))])


def shared_with(doctype: str, user: str) -> list[str]:
	"""The documents of `doctype` shared with `user` to read: `frappe.share.get_shared` in one query
	(it is asked for every list and report query, and Frappe's query builder costs more than it)."""
	everyone = " or `everyone` = 1" if user != "Guest" else ""
	return frappe.db.sql_list(
		f"""select `share_name` from `tabDocShare`
		where `read` = 1 and `share_doctype` = %s and (`user` = %s{everyone})""",
		(doctype, user),
	)


def split_by_district(doctype: str, user: str | None = None) -> tuple[frozenset | None, Rule]:
	"""The rows a user may list (`list_rule`) as two parts: the districts whose rows it may read
	whole (None: every row), and the rest of its rule (own cases, shares), to be read row by row.
	Counts kept per district (`reporting.tallies`) can answer the first part only."""
	full = list_rule(doctype, user)
	if full.unrestricted:
		return None, rule()
	districts, rest = set(), []
	for clause in full.clauses:
		if len(clause) == 1 and clause[0][0] == "district":
			districts |= clause[0][1]
		else:
			rest.append(clause)
	return frozenset(districts), Rule(clauses=tuple(rest))


def get_child_permission_query_conditions(user: str | None = None, doctype: str | None = None) -> str:
	"""Hooked for the child tables of restricted DocTypes: rows of a child table queried on their own
	(e.g. `/api/resource/Support Plan Monitoring?parent=Support Plan`) follow their parent's rule,
	and the parent's field-level access to that table."""
	if not doctype:
		return ""
	user = user or frappe.session.user
	if get_scope(user).unrestricted:
		return ""
	table = f"`tab{doctype}`"
	parents = restricted_parents(doctype)
	if not parents:
		return ""
	clauses = [f"{table}.`parenttype` not in ({', '.join(frappe.db.escape(p) for p in parents)})"]
	for parent, parentfields in parents.items():
		meta = frappe.get_meta(parent)
		readable_levels = meta.get_permlevel_access("read", user=user)
		fields = [f for f in parentfields if meta.get_field(f).permlevel in readable_levels]
		if not fields:
			continue
		condition = rule_to_sql(parent, list_rule(parent, user)) or "(1=1)"
		quoted_fields = ", ".join(frappe.db.escape(f) for f in fields)
		clauses.append(
			f"({table}.`parenttype` = {frappe.db.escape(parent)} and {table}.`parentfield` in ({quoted_fields})"
			f" and {table}.`parent` in (select `tab{parent}`.`name` from `tab{parent}` where {condition}))"
		)
	return "(" + " or ".join(clauses) + ")"


def restricted_parents(child_doctype: str) -> dict[str, list[str]]:
	"""Restricted DocTypes holding `child_doctype` as a table, with the names of those table fields."""
	parents = {}
	for parent in RULES:
		fields = [
			df.fieldname for df in frappe.get_meta(parent).get_table_fields() if df.options == child_doctype
		]
		if fields:
			parents[parent] = fields
	return parents


def has_permission(doc, ptype: str = "read", user: str | None = None, debug: bool = False):
	"""Hooked as `has_permission`: deny rows outside the user's scope, else leave it to DocPerm.

	For changes to a saved document both its stored values and its new values must be in scope,
	so nobody can pull a row into their scope by editing it.
	"""
	rule = rule_for(doc.doctype, get_scope(user), ptype)
	if rule.unrestricted:
		return None
	if not rule.allows(doc):
		return False
	if ptype != "read" and not doc.is_new():
		fields = sorted(rule.fields() - {"name"})
		stored = frappe.db.get_value(doc.doctype, doc.name, fields, as_dict=True) if fields else {}
		if stored is not None and not rule.allows({**stored, "name": doc.name}):
			return False
	return None


def allowed_filters(doctype: str, user: str | None = None) -> str:
	"""SQL condition for app code that builds its own query (reports): the same rule as lists."""
	return rule_to_sql(doctype, list_rule(doctype, user)) or "(1=1)"


def _ignore_user_permissions(doctype: str, requested) -> bool:
	# `ignore_user_permissions` makes link search skip every permission check (frappe.desk.search);
	# for rows this app restricts, that would leak other districts' rows, so it is never honoured.
	return False if doctype in RULES else requested


QUERY_PATH = re.compile(r"[A-Za-z_]\w*(\.[A-Za-z_]\w*)+")
MAX_SEARCH_TEXT = 500


def _search_args(doctype, txt, query, searchfield, start, page_length, filters, reference_doctype):
	"""Type checks of link search arguments, before Frappe's search reads them (its own reading
	answers a malformed one with a server error)."""
	doctype = inputs.check_text(doctype, _("Document Type"), max_length=inputs.MAX_ID_LENGTH, required=True)
	txt = inputs.check_text(txt, _("Search"), max_length=MAX_SEARCH_TEXT, strip=False) or ""
	query = inputs.check_text(query, _("Query"), max_length=inputs.MAX_ID_LENGTH)
	if query:
		try:
			if not QUERY_PATH.fullmatch(query):
				raise ValueError(query)
			frappe.get_attr(query)
		except Exception:
			frappe.throw(
				_("{0}: this search query does not exist.").format(_("Query")), frappe.ValidationError
			)
	searchfield = inputs.check_text(searchfield, _("Search Field"), max_length=inputs.MAX_ID_LENGTH)
	start = inputs.check_int(start, _("Start"), 0, 1_000_000, default=0)
	page_length = inputs.check_int(page_length, _("Page Length"), 1, 1000, default=10)
	filters = inputs.check_filters(filters, _("Filters"))
	reference_doctype = inputs.check_text(
		reference_doctype, _("Reference Document Type"), max_length=inputs.MAX_ID_LENGTH
	)
	return doctype, txt, query, searchfield, start, page_length, filters, reference_doctype


@frappe.whitelist()
def search_link(
	doctype: str | None = None,
	txt: str | None = None,
	query: str | None = None,
	filters: str | dict | list | None = None,
	page_length: int = 10,
	searchfield: str | None = None,
	reference_doctype: str | None = None,
	ignore_user_permissions: bool = False,
):
	doctype, txt, query, searchfield, _start, page_length, filters, reference_doctype = _search_args(
		doctype, txt, query, searchfield, 0, page_length, filters, reference_doctype
	)
	return desk_search.search_link(
		doctype,
		txt,
		query=query,
		filters=filters,
		page_length=page_length,
		searchfield=searchfield,
		reference_doctype=reference_doctype,
		ignore_user_permissions=_ignore_user_permissions(doctype, ignore_user_permissions),
	)


@frappe.whitelist()
def search_widget(
	doctype: str | None = None,
	txt: str | None = None,
	query: str | None = None,
	searchfield: str | None = None,
	start: int = 0,
	page_length: int = 10,
	filters: str | dict | list | None = None,
	filter_fields=None,
	as_dict: bool = False,
	reference_doctype: str | None = None,
	ignore_user_permissions: bool = False,
):
	doctype, txt, query, searchfield, start, page_length, filters, reference_doctype = _search_args(
		doctype, txt, query, searchfield, start, page_length, filters, reference_doctype
	)
	if filter_fields not in (None, ""):
		filter_fields = json.dumps(inputs.check_text_list(filter_fields, _("Fields"), max_items=50))
	return desk_search.search_widget(
		doctype,
		txt,
		query=query,
		searchfield=searchfield,
		start=start,
		page_length=page_length,
		filters=filters,
		filter_fields=filter_fields,
		as_dict=as_dict,
		reference_doctype=reference_doctype,
		ignore_user_permissions=_ignore_user_permissions(doctype, ignore_user_permissions),
	)
