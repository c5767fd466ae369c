"""The 地域づくり workspace, its number cards and charts, and the maps: each computed as the viewer."""

import json

import frappe
import pytest
from frappe.desk.desktop import get_desktop_page
from frappe.desk.doctype.number_card.number_card import get_result
from frappe.utils import add_days, getdate, today

from chiiki_care.access.permissions import with_descendants
from chiiki_care.access.privacy import masked_count
from chiiki_care.domain import statuses
from chiiki_care.reporting import dashboards, map, tallies
from chiiki_care.reporting import figures as logic
from tests.integration.factories import build_report_data
from tests.integration.helpers import call_as

WORKSPACE = "地域づくり"
REPORTS = (
	"Needs Summary",
	"Resource Gap",
	"Monitoring Due",
	"Coordinator Caseload",
	"Community Issue Flow",
	"Council Activity",
	"Life Support Program Results",
)


@pytest.fixture(scope="module")
def data(world):
	frappe.set_user("Administrator")
	frappe.db.savepoint("chiiki_care_workspace")
	yield build_report_data(world)
	frappe.db.rollback(save_point="chiiki_care_workspace")
	frappe.set_user("Administrator")


def area(world, key):
	return set(with_descendants([world.area_a if key == "a" else world.area_b]))


def card_value(card):
	"""The card's figure as the desk asks for it: its method for a Custom card, else `get_result`
	with the card's filters (its dynamic filters evaluated for today)."""
	if card.type == "Custom":
		reply = frappe.get_attr(card.method)(filters="[]")
		return reply if isinstance(reply, str) else reply["value"]  # a string: masked ("<3")
	filters = json.loads(card.filters_json or "[]")
	for doctype, field, op, expression in json.loads(card.dynamic_filters_json or "[]"):
		filters.append([doctype, field, op, str(getdate(today())) if "today" in expression else expression])
	return get_result(card.as_json(), json.dumps(filters))


TODAY = getdate(today())
# What each card counts, as list filters (the list a click on the card opens)
CARD_ROWS = {
	"Open Needs": ("Need", [["status", "in", list(statuses.UNMET_NEED_STATUSES)]]),
	"New Needs This Month": ("Need", [["recorded_on", ">=", TODAY.replace(day=1)]]),
	"Overdue Reviews": ("Support Plan", [["status", "=", "Active"], ["next_review_date", "<", TODAY]]),
	"Reviews Due This Week": (
		"Support Plan",
		[["status", "=", "Active"], ["next_review_date", "between", [TODAY, add_days(TODAY, 7)]]],
	),
	"Issues in Discussion": ("Community Issue", [["status", "=", "In Discussion"]]),
	"Active Community Resources": ("Community Resource", [["status", "=", "Active"]]),
}


def test_workspace_shows_every_report_and_doctype_to_desk_roles(world, data):
	workspace = frappe.get_doc("Workspace", WORKSPACE)
	linked = {(link.link_type, link.link_to) for link in workspace.links if link.type == "Link"}
	assert {("Report", r) for r in REPORTS} <= linked
	app_doctypes = set(
		frappe.get_all("DocType", filters={"module": "Chiiki Care", "istable": 0}, pluck="name")
	)
	assert {("DocType", d) for d in app_doctypes} <= linked
	assert ("Page", "needs-resource-map") in linked

	page = json.dumps({"name": WORKSPACE, "title": WORKSPACE, "public": 1})
	for user in ("manager", "l1", "l2a", "scsa"):
		result = call_as(world.users[user], get_desktop_page, page)
		cards = {card.number_card_name for card in result["number_cards"]["items"]}
		charts = {chart.chart_name for chart in result["charts"]["items"]}
		assert {
			"Open Needs",
			"Overdue Reviews",
			"Issues in Discussion",
			"Active Community Resources",
		} <= cards, (
			user,
			cards,
		)
		assert {"Open Needs by Category", "Resources by Domain", "Needs and Resources by Area"} <= charts
		report_links = {
			link.get("link_to")
			for card in result["cards"]["items"]
			for link in card.get("links")
			if link.get("link_type") == "Report"
		}
		assert set(REPORTS) <= report_links, user
	# residents are not for layer 1 and 2: the link is left out for them
	for user in ("l1", "l2a"):
		result = call_as(world.users[user], get_desktop_page, page)
		doctypes = {link.get("link_to") for card in result["cards"]["items"] for link in card.get("links")}
		assert "Resident" not in doctypes and "Need" in doctypes


@pytest.mark.parametrize("user,key", [("l2a", "a"), ("l2b", "b")])
def test_number_cards_count_only_the_viewers_rows(world, data, user, key):
	districts = list(area(world, key))
	for name in (
		"Open Needs",
		"New Needs This Month",
		"Overdue Reviews",
		"Reviews Due This Week",
		"Issues in Discussion",
	):
		card = frappe.get_doc("Number Card", name)
		doctype, filters = CARD_ROWS[name]
		shown = call_as(world.users[user], card_value, card)
		direct = frappe.db.count(doctype, [*filters, ["district", "in", districts]])
		assert shown == call_as(world.users[user], masked_count, doctype, direct), (name, user)
	# the manager's cards count the whole city
	for name, (doctype, filters) in CARD_ROWS.items():
		card = frappe.get_doc("Number Card", name)
		assert call_as(world.users["manager"], card_value, card) == frappe.db.count(doctype, filters), name


def test_a_card_opens_the_list_of_what_it_counts(world, data):
	for name in ("Open Needs", "New Needs This Month", "Overdue Reviews", "Reviews Due This Week"):
		card = frappe.get_doc("Number Card", name)
		reply = call_as(world.users["manager"], frappe.get_attr(card.method), filters="[]")
		doctype, filters = CARD_ROWS[name]
		assert reply["route"] == ["List", doctype]
		listed = call_as(
			world.users["manager"],
			frappe.get_list,
			doctype,
			filters=[
				[field, *(value if isinstance(value, list) else ["=", value])]
				for field, value in reply["route_options"].items()
			],
			fields=["count(*) as n"],
		)
		assert listed[0].n == reply["value"], name


def test_a_card_of_cases_is_masked_below_3_like_the_lists(world, data):
	card = frappe.get_doc("Number Card", "Overdue Reviews")
	frappe.db.savepoint("chiiki_care_card_mask")
	try:
		frappe.db.sql(
			"""update `tabSupport Plan` set `next_review_date` = %s where `status` = 'Active'""",
			add_days(TODAY, 100),
		)  # no overdue review left...
		plan = frappe.get_all("Support Plan", {"status": "Active", "district": world.a1}, pluck="name")[0]
		frappe.db.sql(
			"update `tabSupport Plan` set `next_review_date` = %s where `name` = %s",
			(add_days(TODAY, -3), plan),
		)  # ...but one
		tallies.rebuild()
		assert call_as(world.users["manager"], card_value, card) == 1
		assert call_as(world.users["l2a"], card_value, card) == "<3"
	finally:
		frappe.db.rollback(save_point="chiiki_care_card_mask")


def test_a_card_of_needs_is_refused_to_who_reads_no_need(world):
	for name in ("Open Needs", "New Needs This Month"):  # council members read no need
		card = frappe.get_doc("Number Card", name)
		with pytest.raises(frappe.PermissionError):
			call_as(world.users["cma"], frappe.get_attr(card.method), filters="[]")


def test_charts_are_computed_as_the_viewer(world, data):
	by_category = call_as(world.users["l2a"], dashboards.open_needs_by_category)
	counts = dict(zip(by_category["labels"], by_category["datasets"][0]["values"], strict=True))
	for category, value in counts.items():
		direct = frappe.db.count(
			"Need",
			{
				"district": ["in", list(area(world, "a"))],
				"primary_category": category,
				"status": ["in", list(statuses.UNMET_NEED_STATUSES)],
			},
		)
		assert value == logic.chart_value(logic.mask(direct)), category
	assert counts["外出・移動"] == 4
	by_area = call_as(world.users["l2b"], dashboards.needs_and_resources_by_area)
	assert by_area["labels"] == [world.area_b]
	assert call_as(world.users["l2a"], dashboards.needs_and_resources_by_area)["labels"] == [world.area_a]
	domains = call_as(world.users["l2a"], dashboards.resources_by_domain)
	assert sum(domains["datasets"][0]["values"]) == 2  # A1's volunteers and area A's meal service
	months = call_as(world.users["l2a"], dashboards.needs_per_month)
	assert len(months["labels"]) == 12  # this month and the eleven before it
	assert months["labels"][-1] == frappe._("Month {0}").format(getdate(today()).month)
	issues = call_as(world.users["l2b"], dashboards.issues_by_status)
	assert sum(issues["datasets"][0]["values"]) == frappe.db.count(
		"Community Issue", {"district": ["in", list(area(world, "b"))]}
	)


def test_charts_are_for_desk_roles_only(world, data):
	for user, allowed in (("l2a", True), ("cma", False), ("outsider", False)):
		chart = frappe.get_doc("Dashboard Chart", "Open Needs by Category")
		assert frappe.has_permission("Dashboard Chart", doc=chart, user=world.users[user]) == allowed, user
	with pytest.raises(frappe.PermissionError):
		call_as(world.users["outsider"], dashboards.open_needs_by_category)


def test_resource_map_reads_through_the_row_rules(world, data):
	collection = call_as(world.users["l2b"], map.get_coords, "Community Resource", "[]", "location_field")
	popups = [feature["properties"]["name"] for feature in collection["features"]]
	assert any("A地区 買い物ボランティア" in popup for popup in popups)  # resources are public to staff
	assert all(feature["geometry"]["type"] == "Point" for feature in collection["features"])
	filtered = call_as(
		world.users["l2b"],
		map.get_coords,
		"Community Resource",
		json.dumps([["Community Resource", "district", "=", world.area_a]]),
		"location_field",
	)
	assert [f["properties"]["name"] for f in filtered["features"]] == [
		p for p in popups if "圏域A 配食サービス" in p
	]
	with pytest.raises(frappe.PermissionError):
		call_as(world.users["outsider"], map.get_coords, "Community Resource", "[]", "location_field")
	from chiiki_care import hooks

	assert (
		hooks.override_whitelisted_methods["frappe.geo.utils.get_coords"]
		== "chiiki_care.reporting.map.get_coords"
	)


def test_district_map_shows_a_layer_2_coordinator_its_districts(world, data):
	result = call_as(world.users["l2a"], map.get_district_map)
	by_district = {d["district"]: d for d in result["districts"]}
	assert set(by_district) == {world.a1, world.a2}
	assert by_district[world.a2]["gaps"] == ["見守り・安否確認", "外出・移動"] or set(
		by_district[world.a2]["gaps"]
	) == {"見守り・安否確認", "外出・移動"}
	assert by_district[world.a1]["open_needs"] == 6 and by_district[world.a1]["resources"] == 2
	assert by_district[world.a1]["lat"] is not None  # drawn where its resources are
	areas = call_as(world.users["l1"], map.get_district_map, district=world.city, level="Daily-life Area")
	assert {world.area_a, world.area_b} <= {d["district"] for d in areas["districts"]}
	with pytest.raises(frappe.PermissionError):
		call_as(world.users["l3a"], map.get_district_map)
