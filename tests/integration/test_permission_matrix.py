"""Who sees and changes which rows: every role, every restricted DocType, two areas (A and B).

Each expectation is checked on every path a row can leave by: `frappe.get_list`, the single-document
check (`frappe.has_permission` with a document), the desk's link search (asked to ignore user
permissions) and the REST API (`/api/resource`).
"""

import frappe
import pytest

from tests.integration.helpers import can, link_search, list_names, rest_can_read, rest_names

ALL = "all"

# The world's records of each DocType, by key (see factories.build_world).
RECORDS = {
	"Resident": lambda w: w.residents,
	"Need": lambda w: w.needs,
	"Support Plan": lambda w: w.plans,
	"Community Issue": lambda w: w.issues,
	"Council": lambda w: w.councils,
	"Council Meeting": lambda w: w.meetings,
	"Coordinator": lambda w: w.coordinators,
	"Community Resource": lambda w: w.resources,
}

# READ[user][doctype]: keys of the records the user reads; None: no access to the DocType at all.
READ = {
	"manager": {dt: ALL for dt in RECORDS},
	"l1": {
		"Resident": None,
		"Need": ALL,
		"Support Plan": ALL,
		"Community Issue": ALL,
		"Council": ALL,
		"Council Meeting": ALL,
		"Coordinator": ALL,
		"Community Resource": ALL,
	},
	"l2a": {
		"Resident": None,
		"Need": {"a"},
		"Support Plan": {"a", "community_a"},
		"Community Issue": {"a"},
		"Council": {"city", "a"},
		"Council Meeting": {"a"},
		"Coordinator": ALL,
		"Community Resource": ALL,
	},
	"l2b": {
		"Resident": None,
		"Need": {"b"},
		"Support Plan": {"b"},
		"Community Issue": {"b"},
		"Council": {"city", "b"},
		"Council Meeting": {"b"},
		"Coordinator": ALL,
		"Community Resource": ALL,
	},
	"l3a": {
		"Resident": {"a"},
		"Need": {"a"},
		"Support Plan": {"a"},
		"Community Issue": set(),
		"Council": {"city"},
		"Council Meeting": set(),
		"Coordinator": {"l3a"},
		"Community Resource": ALL,
	},
	"l3b": {
		"Resident": {"b"},
		"Need": {"b"},
		"Support Plan": {"b"},
		"Community Issue": set(),
		"Council": {"city"},
		"Council Meeting": set(),
		"Coordinator": {"l3b"},
		"Community Resource": ALL,
	},
	"scsa": {
		"Resident": {"a"},
		"Need": {"a"},
		"Support Plan": {"a", "community_a"},
		"Community Issue": {"a"},
		"Council": {"city", "a"},
		"Council Meeting": {"a"},
		"Coordinator": ALL,
		"Community Resource": ALL,
	},
	"cma": {
		"Resident": None,
		"Need": None,
		"Support Plan": {"community_a"},
		"Community Issue": {"a"},
		"Council": {"a"},
		"Council Meeting": {"a"},
		"Coordinator": None,
		"Community Resource": ALL,
	},
	"outsider": {dt: None for dt in RECORDS},
}

# WRITE[user][doctype]: keys of the records the user may change (absent: none).
WRITE = {
	"manager": {dt: ALL for dt in RECORDS},
	"l1": {
		"Support Plan": {"community_a"},
		"Community Issue": ALL,
		"Council": ALL,
		"Council Meeting": ALL,
		"Community Resource": ALL,
	},
	"l2a": {
		"Need": {"a"},
		"Support Plan": {"a", "community_a"},
		"Community Issue": {"a"},
		"Council": {"a"},
		"Council Meeting": {"a"},
		"Community Resource": {"a"},
	},
	"l2b": {
		"Need": {"b"},
		"Support Plan": {"b"},
		"Community Issue": {"b"},
		"Council": {"b"},
		"Council Meeting": {"b"},
		"Community Resource": {"b"},
	},
	"l3a": {"Resident": {"a"}, "Need": {"a"}, "Support Plan": {"a"}},
	"l3b": {"Resident": {"b"}, "Need": {"b"}, "Support Plan": {"b"}},
	"scsa": {
		"Resident": {"a"},
		"Need": {"a"},
		"Support Plan": {"a", "community_a"},
		"Community Issue": {"a"},
		"Community Resource": {"a"},
	},
	"cma": {},
	"outsider": {},
}

# Only the manager deletes, and never a resident's case: statuses close cases.
DELETE = {"manager": {"Community Issue", "Council", "Council Meeting", "Coordinator", "Community Resource"}}

CASES = [(user, doctype) for user in READ for doctype in RECORDS]


def expected_names(world, user, doctype, table):
	keys = table[user].get(doctype)
	records = RECORDS[doctype](world)
	if keys is None:
		return None
	if keys == ALL:
		return set(records.values())
	return {records[k] for k in keys}


@pytest.mark.parametrize("user,doctype", CASES)
def test_read_through_list_link_search_and_rest(world, user, doctype):
	email = world.users[user]
	expected = expected_names(world, user, doctype, READ)
	universe = set(RECORDS[doctype](world).values())

	for path, seen in (
		("frappe.get_list", list_names(doctype, email)),
		("link search", link_search(doctype, email)),
		("REST list", rest_names(doctype, email)),
	):
		if expected is None:
			assert not seen, f"{user} must not list any {doctype} via {path}, saw {seen}"
		else:
			assert seen is not None, f"{user} was refused the {doctype} list via {path}"
			assert seen & universe == expected, f"{user} {doctype} via {path}"

	for name in universe:
		allowed = expected is not None and name in expected
		assert can(email, "read", doctype, name) == allowed, f"{user} read {doctype} {name}"
		assert rest_can_read(doctype, name, email) == allowed, f"{user} REST read {doctype} {name}"


@pytest.mark.parametrize("user,doctype", CASES)
def test_write_and_delete(world, user, doctype):
	email = world.users[user]
	writable = expected_names(world, user, doctype, WRITE) or set()
	for name in RECORDS[doctype](world).values():
		assert can(email, "write", doctype, name) == (name in writable), f"{user} write {doctype} {name}"
		deletable = doctype in DELETE.get(user, set())
		assert can(email, "delete", doctype, name) == deletable, f"{user} delete {doctype} {name}"


def test_edit_cannot_pull_a_row_into_ones_scope(world):
	"""Changing a foreign row's district to one's own still counts the row's stored district."""
	issue = frappe.get_doc("Community Issue", world.issues["b"])
	issue.district = world.area_a
	issue.council = None
	assert not frappe.has_permission("Community Issue", "write", doc=issue, user=world.users["l2a"])
	frappe.set_user(world.users["l2a"])
	with pytest.raises(frappe.PermissionError):
		issue.save()


@pytest.mark.parametrize(
	"user,doctype,values,allowed",
	[
		("l2a", "Community Issue", {"title": "新しい課題", "district": "area_a"}, True),
		("l2a", "Community Issue", {"title": "新しい課題", "district": "area_b"}, False),
		("l2b", "Council", {"council_name": "T-新会議", "layer": "Layer 2", "district": "area_b"}, True),
		("l2b", "Council", {"council_name": "T-新会議", "layer": "Layer 2", "district": "area_a"}, False),
		("scsa", "Community Resource", {"resource_name": "新サロン", "district": "a2"}, True),
		("scsa", "Community Resource", {"resource_name": "新サロン", "district": "b1"}, False),
		("cma", "Community Issue", {"title": "会員の課題", "district": "area_a"}, False),
		("l3a", "Council", {"council_name": "T-新会議", "layer": "Layer 2", "district": "a1"}, False),
	],
)
def test_create_only_within_scope(world, user, doctype, values, allowed):
	values = {k: getattr(world, v) if k == "district" else v for k, v in values.items()}
	if doctype == "Community Resource":
		values.update(resource_type="Gathering Place or Salon", domain="Gathering and Exchange")
	doc = frappe.get_doc({"doctype": doctype, **values})
	frappe.set_user(world.users[user])
	if allowed:
		doc.insert()
		assert frappe.db.exists(doctype, doc.name)
	else:
		with pytest.raises(frappe.PermissionError):
			doc.insert()


def test_layer_3_cannot_record_a_need_for_someone_elses_resident(world):
	frappe.set_user(world.users["l3a"])
	need = frappe.get_doc(
		{
			"doctype": "Need",
			"resident": world.residents["b"],
			"categories": [{"need_category": "配食"}],
			"unmet_troubles": "食事の用意ができない",
		}
	)
	with pytest.raises(frappe.PermissionError):
		need.insert()
	assert not frappe.db.exists(
		"Need", {"resident": world.residents["b"], "unmet_troubles": "食事の用意ができない"}
	)


def test_layer_3_records_a_need_for_own_resident(world):
	frappe.set_user(world.users["l3a"])
	need = frappe.get_doc(
		{
			"doctype": "Need",
			"resident": world.residents["a"],
			"categories": [{"need_category": "配食"}],
			"urgent_needs": "今日の食事がない",
			"urgency": "Immediate",
		}
	).insert()
	assert need.district == world.a1
	assert need.recorded_by == world.coordinators["l3a"]
	assert need.name in frappe.get_list("Need", pluck="name")


def test_shared_case_is_visible_to_whom_it_is_shared(world):
	"""A case shared with a Layer 2 coordinator of another area is readable by it, and only that case."""
	frappe.db.set_value(
		"Resident",
		world.residents["a"],
		{"consent_given": 1, "consent_date": "2026-04-01", "consent_scope": "Support Team"},
	)
	frappe.share.add_docshare(
		"Need", world.needs["a"], world.users["l2b"], read=1, flags={"ignore_share_permission": True}
	)
	assert world.needs["a"] in list_names("Need", world.users["l2b"])
	assert can(world.users["l2b"], "read", "Need", world.needs["a"])
	assert not can(world.users["l2b"], "write", "Need", world.needs["a"])


def test_inactive_coordinator_loses_its_scope(world):
	coordinator = frappe.get_doc("Coordinator", world.coordinators["l2a"])
	coordinator.is_active = 0
	coordinator.save()
	assert "Layer 2 Coordinator" not in frappe.get_roles(world.users["l2a"])
	assert list_names("Need", world.users["l2a"]) is None
