"""The 地域づくり workspace, its number cards and charts, and the maps: each computed as the viewer."""

import json

import frappe
import pytest
from frappe.desk.desktop import get_desktop_page
from frappe.desk.doctype.number_card.number_card import get_result
from frappe.utils import add_days, getdate, today

from chiiki_care.access.permissions import with_descendants
from chiiki_care.domain import statuses
from chiiki_care.reporting import dashboards, map
from chiiki_care.reporting import figures as logic
from tests.integration.factories import build_report_data

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


def as_user(user, fn, *args, **kwargs):
	frappe.set_user(user)
	try:
		return fn(*args, **kwargs)
	finally:
		frappe.set_user("Administrator")


def area(world, key):
	return set(with_descendants([world.area_a if key == "a" else world.area_b]))


def card_filters(card) -> list:
	"""The card's filters as the desk sends them (its dynamic filters evaluated for today)."""
	filters = json.loads(card.filters_json or "[]")
	for doctype, field, op, expression in json.loads(card.dynamic_filters_json or "[]"):
		today_ = str(getdate(today()))
		if "add_days" in expression:
			value = [today_, str(add_days(today_, 7))]
		elif "month_start" in expression:
			value = str(getdate(today()).replace(day=1))
		else:
			value = today_
		filters.append([doctype, field, op, value])
	return filters


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
		result = as_user(world.users[user], get_desktop_page, page)
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
		result = as_user(world.users[user], get_desktop_page, page)
		doctypes = {link.get("link_to") for card in result["cards"]["items"] for link in card.get("links")}
		assert "Resident" not in doctypes and "Need" in doctypes


@pytest.mark.parametrize("user,key", [("l2a", "a"), ("l2b", "b")])
def test_number_cards_count_only_the_viewers_rows(world, data, user, key):
	districts = list(area(world, key))
	for name, doctype in (
		("Open Needs", "Need"),
		("Overdue Reviews", "Support Plan"),
		("Reviews Due This Week", "Support Plan"),
		("Issues in Discussion", "Community Issue"),
	):
		card = frappe.get_doc("Number Card", name)
		filters = card_filters(card)
		shown = as_user(world.users[user], get_result, card.as_json(), json.dumps(filters))
		direct = frappe.db.count(
			doctype,
			[*[[f[1], f[2], f[3]] for f in filters], ["district", "in", districts]],
		)
		assert shown == direct, (name, user)
	# the manager's card counts the whole city
	card = frappe.get_doc("Number Card", "Open Needs")
	everything = as_user(world.users["manager"], get_result, card.as_json(), card.filters_json)
	assert everything == frappe.db.count("Need", {"status": ["in", list(statuses.UNMET_NEED_STATUSES)]})


def test_charts_are_computed_as_the_viewer(world, data):
	by_category = as_user(world.users["l2a"], dashboards.open_needs_by_category)
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
	by_area = as_user(world.users["l2b"], dashboards.needs_and_resources_by_area)
	assert by_area["labels"] == [world.area_b]
	assert as_user(world.users["l2a"], dashboards.needs_and_resources_by_area)["labels"] == [world.area_a]
	domains = as_user(world.users["l2a"], dashboards.resources_by_domain)
	assert sum(domains["datasets"][0]["values"]) == 2  # A1's volunteers and area A's meal service
	months = as_user(world.users["l2a"], dashboards.needs_per_month)
	assert len(months["labels"]) == 12  # this month and the eleven before it
	assert months["labels"][-1] == frappe._("Month {0}").format(getdate(today()).month)
	issues = as_user(world.users["l2b"], dashboards.issues_by_status)
	assert sum(issues["datasets"][0]["values"]) == frappe.db.count(
		"Community Issue", {"district": ["in", list(area(world, "b"))]}
	)


def test_charts_are_for_desk_roles_only(world, data):
	for user, allowed in (("l2a", True), ("cma", False), ("outsider", False)):
		chart = frappe.get_doc("Dashboard Chart", "Open Needs by Category")
		assert frappe.has_permission("Dashboard Chart", doc=chart, user=world.users[user]) == allowed, user
	with pytest.raises(frappe.PermissionError):
		as_user(world.users["outsider"], dashboards.open_needs_by_category)


def test_resource_map_reads_through_the_row_rules(world, data):
	collection = as_user(world.users["l2b"], map.get_coords, "Community Resource", "[]", "location_field")
	popups = [feature["properties"]["name"] for feature in collection["features"]]
	assert any("A地区 買い物ボランティア" in popup for popup in popups)  # resources are public to staff
	assert all(feature["geometry"]["type"] == "Point" for feature in collection["features"])
	filtered = as_user(
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
		as_user(world.users["outsider"], map.get_coords, "Community Resource", "[]", "location_field")
	from chiiki_care import hooks

	assert (
		hooks.override_whitelisted_methods["frappe.geo.utils.get_coords"]
		== "chiiki_care.reporting.map.get_coords"
	)


def test_district_map_shows_a_layer_2_coordinator_its_districts(world, data):
	result = as_user(world.users["l2a"], map.get_district_map)
	by_district = {d["district"]: d for d in result["districts"]}
	assert set(by_district) == {world.a1, world.a2}
	assert by_district[world.a2]["gaps"] == ["見守り・安否確認", "外出・移動"] or set(
		by_district[world.a2]["gaps"]
	) == {"見守り・安否確認", "外出・移動"}
	assert by_district[world.a1]["open_needs"] == 6 and by_district[world.a1]["resources"] == 2
	assert by_district[world.a1]["lat"] is not None  # drawn where its resources are
	areas = as_user(world.users["l1"], map.get_district_map, district=world.city, level="Daily-life Area")
	assert {world.area_a, world.area_b} <= {d["district"] for d in areas["districts"]}
	with pytest.raises(frappe.PermissionError):
		as_user(world.users["l3a"], map.get_district_map)
