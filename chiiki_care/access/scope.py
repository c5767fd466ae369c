"""Row rules in plain Python: who may see which rows, independent of Frappe.

A `Scope` says what a user is (roles, own Coordinator record, districts it covers, the districts its
support centre serves, the councils it sits on). `rule_for` turns a scope into a `Rule` for one
DocType and permission type. A rule is a disjunction of clauses; a clause is a conjunction of
"field is one of these values". The same rule is rendered as SQL for lists and evaluated on a
document for single-document checks, so both paths agree by construction.
"""

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

MANAGER = "Chiiki Care Manager"
LAYER_1 = "Layer 1 Coordinator"
LAYER_2 = "Layer 2 Coordinator"
LAYER_3 = "Layer 3 Coordinator"
SUPPORT_CENTER_STAFF = "Support Center Staff"
COUNCIL_MEMBER = "Council Member"
SYSTEM_MANAGER = "System Manager"

APP_ROLES = (MANAGER, LAYER_1, LAYER_2, LAYER_3, SUPPORT_CENTER_STAFF, COUNCIL_MEMBER)
UNRESTRICTED_ROLES = frozenset({SYSTEM_MANAGER, MANAGER, "Administrator"})
LAYER_ROLES = {"Layer 1": LAYER_1, "Layer 2": LAYER_2, "Layer 3": LAYER_3}

WRITE_TYPES = frozenset({"write", "create", "delete", "submit", "cancel", "amend"})


@dataclass(frozen=True)
class Scope:
	user: str
	roles: frozenset
	coordinator: str | None = None
	districts: frozenset = frozenset()
	center_districts: frozenset = frozenset()
	councils: frozenset = frozenset()

	@property
	def unrestricted(self) -> bool:
		return self.user == "Administrator" or bool(self.roles & UNRESTRICTED_ROLES)


@dataclass(frozen=True)
class Rule:
	"""Rows allowed: all of them, or those matching any clause (a clause: every field in its values)."""

	unrestricted: bool = False
	clauses: tuple = field(default_factory=tuple)

	def allows(self, values: Mapping) -> bool:
		if self.unrestricted:
			return True
		return any(all(values.get(f) in allowed for f, allowed in clause) for clause in self.clauses)

	def fields(self) -> set:
		return {f for clause in self.clauses for f, _ in clause}


ALL = Rule(unrestricted=True)


def rule(*clauses: Iterable) -> Rule:
	"""Build a rule from clauses, dropping those that can match nothing (an empty value set)."""
	kept = []
	for clause in clauses:
		clause = tuple((f, frozenset(v for v in values if v)) for f, values in clause)
		if all(values for _, values in clause):
			kept.append(clause)
	return Rule(clauses=tuple(kept))


def combine(rules: Iterable[Rule]) -> Rule:
	rules = list(rules)
	if any(r.unrestricted for r in rules):
		return ALL
	return Rule(clauses=tuple(c for r in rules for c in r.clauses))


def _own_cases(scope: Scope, coordinator_field: str) -> Rule:
	return rule(((coordinator_field, {scope.coordinator}),), (("owner", {scope.user}),))


def _in_districts(districts: frozenset, fieldname: str = "district") -> Rule:
	return rule(((fieldname, districts),))


def rule_for(doctype: str, scope: Scope, ptype: str = "read") -> Rule:
	"""The rows of `doctype` that `scope` may access for `ptype`, before DocPerm and shares.

	DocPerm decides whether a role may touch a DocType at all; this decides which rows.
	"""
	if scope.unrestricted:
		return ALL
	builder = RULES.get(doctype)
	if not builder:
		return ALL
	roles = scope.roles
	return combine(builder(scope, role, ptype) for role in APP_ROLES if role in roles)


def _resident(scope: Scope, role: str, ptype: str) -> Rule:
	if role == SUPPORT_CENTER_STAFF:
		return _in_districts(scope.center_districts)
	if role == LAYER_3:
		return _own_cases(scope, "primary_coordinator")
	return rule()


def _case(coordinator_field: str):
	"""Needs and support plans: layer 1 reads all, layer 2 its districts, layer 3 its own cases."""

	def build(scope: Scope, role: str, ptype: str) -> Rule:
		if role == LAYER_1:
			# layer 1 reads every case, and confirms and follows community plans
			if ptype not in WRITE_TYPES:
				return ALL
			return rule((("scope", {"Community"}),)) if coordinator_field == "coordinator" else rule()
		if role == LAYER_2:
			return _in_districts(scope.districts)
		if role == SUPPORT_CENTER_STAFF:
			return _in_districts(scope.center_districts)
		if role == LAYER_3:
			return _own_cases(scope, coordinator_field)
		if role == COUNCIL_MEMBER and coordinator_field == "coordinator":
			return rule((("scope", {"Community"}), ("council", scope.councils)))
		return rule()

	return build


def _community_issue(scope: Scope, role: str, ptype: str) -> Rule:
	if role == LAYER_1:
		return ALL
	if role in (LAYER_2, LAYER_3):
		return _in_districts(scope.districts)
	if role == SUPPORT_CENTER_STAFF:
		return _in_districts(scope.center_districts)
	if role == COUNCIL_MEMBER:
		return rule((("council", scope.councils),))
	return rule()


def _council(scope: Scope, role: str, ptype: str) -> Rule:
	if role == LAYER_1:
		return ALL
	if role == COUNCIL_MEMBER:
		return rule((("name", scope.councils),))
	districts = scope.center_districts if role == SUPPORT_CENTER_STAFF else scope.districts
	if ptype in WRITE_TYPES:
		return _in_districts(districts)
	return combine([_in_districts(districts), rule((("layer", {"Layer 1"}),))])


def _council_meeting(scope: Scope, role: str, ptype: str) -> Rule:
	if role == LAYER_1:
		return ALL
	if role == COUNCIL_MEMBER:
		return rule((("council", scope.councils),))
	districts = scope.center_districts if role == SUPPORT_CENTER_STAFF else scope.districts
	return _in_districts(districts)


def _coordinator(scope: Scope, role: str, ptype: str) -> Rule:
	if role in (LAYER_1, LAYER_2, SUPPORT_CENTER_STAFF):
		return ALL
	if role == LAYER_3:
		return rule((("user", {scope.user}),))
	return rule()


def _community_resource(scope: Scope, role: str, ptype: str) -> Rule:
	# Resources are public knowledge: everyone with DocPerm reads them all; edits stay in one's districts.
	if ptype not in WRITE_TYPES or role == LAYER_1:
		return ALL
	if role == SUPPORT_CENTER_STAFF:
		return _in_districts(scope.center_districts)
	return _in_districts(scope.districts)


RULES = {
	"Resident": _resident,
	"Need": _case("recorded_by"),
	"Support Plan": _case("coordinator"),
	"Community Issue": _community_issue,
	"Council": _council,
	"Council Meeting": _council_meeting,
	"Coordinator": _coordinator,
	"Community Resource": _community_resource,
}
