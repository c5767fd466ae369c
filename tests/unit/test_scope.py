"""The row rules, without Frappe: what each role's scope allows for each DocType."""

import pytest

from chiiki_care.access.scope import (
	COUNCIL_MEMBER,
	LAYER_1,
	LAYER_2,
	LAYER_3,
	MANAGER,
	SUPPORT_CENTER_STAFF,
	Scope,
	rule,
	rule_for,
)

AREA_A = frozenset({"A", "A1", "A2"})


def scope(*roles, **kwargs):
	return Scope(user=kwargs.pop("user", "u@example.com"), roles=frozenset(roles), **kwargs)


def test_manager_and_administrator_are_unrestricted():
	assert rule_for("Need", scope(MANAGER)).unrestricted
	assert rule_for("Resident", Scope(user="Administrator", roles=frozenset())).unrestricted


def test_layer_2_reads_needs_of_its_districts_only():
	r = rule_for("Need", scope(LAYER_2, districts=AREA_A))
	assert r.allows({"district": "A1"})
	assert not r.allows({"district": "B1"})
	assert not r.allows({"district": None})


def test_layer_2_without_districts_sees_nothing():
	r = rule_for("Need", scope(LAYER_2))
	assert not r.unrestricted and not r.clauses
	assert not r.allows({"district": "A1"})


def test_layer_1_reads_all_cases_but_changes_only_community_plans():
	s = scope(LAYER_1)
	assert rule_for("Need", s, "read").unrestricted
	assert not rule_for("Need", s, "write").allows({"district": "A1"})
	assert rule_for("Support Plan", s, "write").allows({"scope": "Community"})
	assert not rule_for("Support Plan", s, "write").allows({"scope": "Individual"})


def test_layer_3_sees_its_own_cases_by_coordinator_or_creator():
	s = scope(LAYER_3, user="l3@example.com", coordinator="CRD-0001", districts=AREA_A)
	r = rule_for("Need", s)
	assert r.allows({"recorded_by": "CRD-0001", "owner": "x@example.com"})
	assert r.allows({"recorded_by": "CRD-0002", "owner": "l3@example.com"})
	assert not r.allows({"recorded_by": "CRD-0002", "owner": "x@example.com", "district": "A1"})
	resident_rule = rule_for("Resident", s)
	assert resident_rule.allows({"primary_coordinator": "CRD-0001"})
	assert not resident_rule.allows({"primary_coordinator": "CRD-0002", "district": "A1"})


def test_layer_3_without_coordinator_record_only_sees_what_it_created():
	r = rule_for("Need", scope(LAYER_3, user="l3@example.com"))
	assert r.allows({"recorded_by": None, "owner": "l3@example.com"})
	assert not r.allows({"recorded_by": None, "owner": "x@example.com"})


def test_council_member_sees_community_plans_of_its_councils_only():
	r = rule_for("Support Plan", scope(COUNCIL_MEMBER, councils=frozenset({"会議A"})))
	assert r.allows({"scope": "Community", "council": "会議A"})
	assert not r.allows({"scope": "Individual", "council": "会議A"})
	assert not r.allows({"scope": "Community", "council": "会議B"})
	assert not rule_for("Resident", scope(COUNCIL_MEMBER, councils=frozenset({"会議A"}))).allows({})


def test_support_center_staff_follow_their_centres_districts():
	r = rule_for("Resident", scope(SUPPORT_CENTER_STAFF, center_districts=AREA_A))
	assert r.allows({"district": "A2"})
	assert not r.allows({"district": "B1"})


def test_roles_combine_as_a_union():
	s = scope(LAYER_2, SUPPORT_CENTER_STAFF, districts=frozenset({"A1"}), center_districts=frozenset({"B1"}))
	r = rule_for("Need", s)
	assert r.allows({"district": "A1"}) and r.allows({"district": "B1"})
	assert not r.allows({"district": "C1"})


def test_city_council_is_readable_but_not_writable_below_layer_1():
	s = scope(LAYER_2, districts=AREA_A)
	assert rule_for("Council", s, "read").allows({"layer": "Layer 1", "district": "City"})
	assert not rule_for("Council", s, "write").allows({"layer": "Layer 1", "district": "City"})
	assert rule_for("Council", s, "write").allows({"layer": "Layer 2", "district": "A"})


def test_resources_are_read_by_all_and_edited_within_scope():
	s = scope(LAYER_2, districts=AREA_A)
	assert rule_for("Community Resource", s, "read").unrestricted
	assert rule_for("Community Resource", s, "write").allows({"district": "A1"})
	assert not rule_for("Community Resource", s, "write").allows({"district": "B1"})


def test_unknown_doctype_is_not_restricted_by_these_rules():
	assert rule_for("ToDo", scope(LAYER_2)).unrestricted


def test_rule_drops_clauses_that_can_match_nothing():
	r = rule((("district", set()),), (("owner", {"u"}),))
	assert len(r.clauses) == 1
	assert r.allows({"owner": "u"})


@pytest.mark.parametrize("role", [LAYER_1, LAYER_2, LAYER_3, SUPPORT_CENTER_STAFF, COUNCIL_MEMBER])
def test_no_role_but_manager_sees_every_resident(role):
	r = rule_for(
		"Resident", scope(role, districts=AREA_A, center_districts=AREA_A, councils=frozenset({"X"}))
	)
	assert not r.unrestricted
