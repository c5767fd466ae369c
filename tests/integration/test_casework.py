"""The seed's casework, walked end to end as the real users of each role (DESIGN.md §8).

One resident's need goes through a plan, monitoring, an overdue raise, a lift into a community
issue, a council meeting, a community plan and resolution; at each step each role sees and may
do only what it should.
"""

import frappe
import pytest
from frappe.model.workflow import apply_workflow
from frappe.utils import add_days, today

from chiiki_care.chiiki_care.doctype.community_issue.community_issue import make_community_plan
from chiiki_care.chiiki_care.doctype.community_resource.community_resource import resource_query
from chiiki_care.chiiki_care.doctype.need.need import lift_needs
from chiiki_care.notifications import reviews
from tests.integration.factories import make_council, make_need, make_resident
from tests.integration.helpers import JAPANESE, list_names


pytestmark = pytest.mark.usefixtures("japanese")  # messages in the site's language


def act(user, doctype, name, action):
	frappe.set_user(user)
	try:
		return apply_workflow(frappe.get_doc(doctype, name).as_dict(), action)
	finally:
		frappe.set_user("Administrator")


def refused(user, fn, fragment, exc=frappe.ValidationError):
	frappe.set_user(user)
	try:
		with pytest.raises(exc) as info:
			fn()
	finally:
		frappe.set_user("Administrator")
	message = str(info.value)
	if fragment:
		assert JAPANESE.search(message) and fragment in message, message
	return message


def as_user(user, fn):
	frappe.set_user(user)
	try:
		return fn()
	finally:
		frappe.set_user("Administrator")


def test_one_resident_from_need_to_resolution(world):
	u = world.users

	# Monday: the layer 3 coordinator records Mr T's need through the four lenses.
	need = as_user(
		u["l3a"],
		lambda: frappe.get_doc(
			{
				"doctype": "Need",
				"resident": world.residents["a"],
				"categories": [{"need_category": "買い物"}, {"need_category": "居場所・交流"}],
				"unmet_troubles": "買い物袋を持って帰れない",
				"urgent_needs": "今日は冷蔵庫が空",
				"connection_and_purpose": "碁会所に通えなくなった",
				"desired_life": "自宅で暮らし続けたい",
				"urgency": "Immediate",
			}
		).insert(),
	).name
	assert need in list_names("Need", u["l2a"]) and need not in list_names("Need", u["l2b"])
	assert list_names("Need", u["cma"]) is None
	act(u["l3a"], "Need", need, "Start Support")
	assert frappe.db.get_value("Need", need, "status") == "Supporting"

	# She drafts a plan with the three kinds of support and asks for confirmation.
	plan = as_user(
		u["l3a"],
		lambda: frappe.get_doc(
			{
				"doctype": "Support Plan",
				"scope": "Individual",
				"title": "買い物と居場所",
				"resident": world.residents["a"],
				"start_date": add_days(today(), -60),
				"review_interval_weeks": 4,
				"personal_goal": "自宅で暮らし続けたい",
				"needs": [{"need": need}],
				"actions": [
					{
						"description": "買い物支援ボランティア",
						"support_kind": "Self-pay or Informal Service",
						"community_resource": world.resources["a"],
					},
					{"description": "地域のサロン", "support_kind": "Social Participation"},
					{"description": "近所の方の朝の声かけ", "support_kind": "Watching Over"},
				],
			}
		).insert(),
	).name
	act(u["l3a"], "Support Plan", plan, "Request Confirmation")
	refused(u["l3a"], lambda: act(u["l3a"], "Support Plan", plan, "Confirm"), "ワークフロー")
	refused(u["l2b"], lambda: act(u["l2b"], "Support Plan", plan, "Confirm"), "", frappe.PermissionError)
	act(u["l2a"], "Support Plan", plan, "Confirm")
	assert frappe.db.get_value("Support Plan", plan, "status") == "Active"

	# Monitoring moves the next review on; a missed review is raised to layer 2 without the name.
	doc = frappe.get_doc("Support Plan", plan)
	doc.append(
		"monitoring",
		{
			"monitoring_date": add_days(today(), -40),
			"observation": "買い物支援が始まった",
			"outcome": "Continue",
			"next_review_date": add_days(today(), -20),
		},
	)
	as_user(u["l3a"], doc.save)
	assert str(frappe.db.get_value("Support Plan", plan, "next_review_date")) == add_days(today(), -20)
	frappe.db.delete("ToDo", {"reference_type": "Support Plan", "reference_name": plan})
	reviews.review_plans()
	assert frappe.db.get_value("Support Plan", plan, "review_overdue") == 1
	todos = frappe.get_all(
		"ToDo",
		filters={"reference_type": "Support Plan", "reference_name": plan, "status": "Open"},
		fields=["allocated_to", "description"],
	)
	assert {t.allocated_to for t in todos} == {u["l3a"], u["l2a"]}
	raised = next(t for t in todos if t.allocated_to == u["l2a"])
	assert "山田" not in raised.description and "20" in raised.description
	reviews.review_plans()  # idempotent: no second ToDo
	assert frappe.db.count("ToDo", {"reference_name": plan, "status": "Open"}) == 2

	# Wednesday: the layer 2 coordinator lifts the need (she sees categories, not names).
	issue = as_user(u["l2a"], lambda: lift_needs([need], title="校区A1の買い物困難"))
	issue_doc = frappe.get_doc("Community Issue", issue)
	assert issue_doc.district == world.a1 and issue_doc.council == world.councils["a"]
	assert issue_doc.need_summary == "買い物: <3"
	assert frappe.db.get_value("Need", need, ["status", "community_issue"]) == (
		"Lifted to Community Issue",
		issue,
	)
	assert issue in list_names("Community Issue", u["cma"])
	assert issue not in list_names("Community Issue", u["cmb"])

	# Next month the council discusses it; a follow-up becomes a ToDo.
	meeting = as_user(
		u["l2a"],
		lambda: frappe.get_doc(
			{
				"doctype": "Council Meeting",
				"title": "第2回 元気づくり・地域づくり会議",
				"council": world.councils["a"],
				"meeting_date": today(),
				"issues_discussed": [{"community_issue": issue, "decision": "商店街に配達日を依頼する"}],
				"decisions": "商店街に配達日を依頼する",
				"follow_ups": [{"description": "商店街へ相談", "assigned_to": u["l2a"]}],
			}
		).insert(),
	)
	assert frappe.db.get_value("Community Issue", issue, "status") == "In Discussion"
	assert frappe.db.exists(
		"ToDo", {"reference_name": meeting.name, "allocated_to": u["l2a"], "status": "Open"}
	)
	assert meeting.name in list_names("Council Meeting", u["cma"])

	# A community plan tracks it, confirmed by layer 1; council members read it without any person.
	community_plan = make_community_plan(issue)
	community_plan.update(
		{
			"goal": "商店街の配達日をつくる",
			"actions": [{"description": "商店街と協議", "support_kind": "Social Participation"}],
		}
	)
	as_user(u["l2a"], community_plan.insert)
	act(u["l2a"], "Support Plan", community_plan.name, "Request Confirmation")
	refused(
		u["scsa"],
		lambda: act(u["scsa"], "Support Plan", community_plan.name, "Confirm"),
		"第1層",
		frappe.PermissionError,
	)
	act(u["l1"], "Support Plan", community_plan.name, "Confirm")
	assert community_plan.name in list_names("Support Plan", u["cma"])
	assert plan not in list_names("Support Plan", u["cma"])

	# The issue is resolved: the need's coordinator is told, without the resident's name.
	act(u["l2a"], "Community Issue", issue, "Take Action")
	act(u["l2a"], "Community Issue", issue, "Resolve")
	note = frappe.get_all(
		"Notification Log", filters={"document_name": issue, "for_user": u["l3a"]}, fields=["subject"]
	)
	assert note and "山田" not in note[0].subject

	# The next meeting carries the open follow-up.
	next_meeting = as_user(
		u["l2a"],
		lambda: frappe.get_doc(
			{
				"doctype": "Council Meeting",
				"title": "第3回",
				"council": world.councils["a"],
				"meeting_date": today(),
			}
		).insert(),
	)
	assert [(r.description, r.carried_from) for r in next_meeting.follow_ups] == [
		("商店街へ相談", meeting.name)
	]

	# The plan completes only with a final monitoring entry.
	refused(u["l3a"], lambda: act(u["l3a"], "Support Plan", plan, "Complete"), "最終")
	doc = frappe.get_doc("Support Plan", plan)
	doc.append(
		"monitoring",
		{"monitoring_date": today(), "observation": "安定して暮らせている", "outcome": "Goal Achieved"},
	)
	as_user(u["l3a"], doc.save)
	act(u["l3a"], "Support Plan", plan, "Complete")
	assert frappe.db.get_value("Support Plan", plan, ["status", "next_review_date"]) == ("Completed", None)


def test_plan_cannot_start_without_an_action(world):
	plan = frappe.get_doc("Support Plan", world.plans["a"])
	plan.set("actions", [])
	plan.save()
	refused(
		world.users["l3a"],
		lambda: act(world.users["l3a"], "Support Plan", plan.name, "Request Confirmation"),
		"支援内容",
	)


def test_confirmer_is_configurable_per_district(world):
	frappe.db.set_value("District", world.area_a, "plan_confirmer", "Support Center")
	act(world.users["l3a"], "Support Plan", world.plans["a"], "Request Confirmation")
	message = refused(
		world.users["l2a"],
		lambda: act(world.users["l2a"], "Support Plan", world.plans["a"], "Confirm"),
		"高齢者サポートセンター",
		frappe.PermissionError,
	)
	assert "確認" in message
	act(world.users["scsa"], "Support Plan", world.plans["a"], "Confirm")
	assert frappe.db.get_value("Support Plan", world.plans["a"], "status") == "Active"


def test_need_cannot_jump_states_or_be_moved_by_the_wrong_role(world):
	need = world.needs["a"]
	act(world.users["l3a"], "Need", need, "Start Support")
	act(world.users["l3a"], "Need", need, "Resolve")

	def reopen_to_supporting():
		doc = frappe.get_doc("Need", need)
		doc.status = "Supporting"
		doc.save()

	refused(world.users["l3a"], reopen_to_supporting, "から")
	refused(world.users["l2a"], lambda: act(world.users["l2a"], "Need", need, "Reopen"), "ワークフロー")

	def l2_resolves():
		doc = frappe.get_doc("Need", world.needs["a"])
		doc.status = "Under Review"
		doc.save()

	act(world.users["l3a"], "Need", need, "Reopen")
	frappe.set_user(world.users["l2a"])
	doc = frappe.get_doc("Need", need)
	doc.status = "Resolved"
	with pytest.raises(frappe.PermissionError) as info:
		doc.save()
	frappe.set_user("Administrator")
	assert "第3層" in str(info.value)


def test_need_lifted_needs_an_issue(world):
	def lift_by_hand():
		doc = frappe.get_doc("Need", world.needs["a"])
		doc.status = "Lifted to Community Issue"
		doc.save()

	refused(world.users["l3a"], lift_by_hand, "地域課題")


def test_lifting_needs_of_different_districts_is_refused(world):
	other = make_need(make_resident("別 地区", world.a2, world.coordinators["l3a"], kana="ベツ チク"))
	refused(
		world.users["l2a"],
		lambda: lift_needs([world.needs["a"], other], title="混在"),
		"同じ地区",
	)
	refused(
		world.users["l2a"],
		lambda: lift_needs([world.needs["a"], world.needs["b"]], title="越境"),
		"",
		frappe.PermissionError,
	)
	refused(world.users["l2a"], lambda: lift_needs([world.needs["a"]]), "タイトル")


def test_lifting_joins_an_existing_issue_and_hides_small_counts(world):
	u = world.users
	needs = [
		make_need(
			make_resident(f"住民{i}", world.a1, world.coordinators["l3a"], kana="ジュウミン"), category="配食"
		)
		for i in range(3)
	]
	issue = as_user(u["l2a"], lambda: lift_needs(needs[:1], title="配食の不足"))
	as_user(u["l2a"], lambda: lift_needs(needs[1:], community_issue=issue))
	doc = frappe.get_doc("Community Issue", issue)
	assert doc.need_count == 3 and doc.need_summary == "配食: 3"
	refused(u["l2a"], lambda: lift_needs(needs[:1], community_issue=world.issues["a"]), "すでに")


def test_issue_goes_into_discussion_only_with_a_council(world):
	def discuss():
		doc = frappe.get_doc(
			{"doctype": "Community Issue", "title": "協議体なし", "district": world.area_a}
		).insert()
		doc.status = "In Discussion"
		doc.save()

	refused(world.users["l2a"], discuss, "協議体")


def test_resource_suggestions_follow_categories_and_neighbours(world):
	far = frappe.get_doc(
		{
			"doctype": "Community Resource",
			"resource_name": "遠くの配食",
			"resource_type": "Meal Delivery",
			"domain": "Life Support",
			"district": world.b1,
			"need_categories": [{"need_category": "配食"}],
		}
	).insert()
	frappe.set_user(world.users["l3a"])
	filters = {"support_plan": world.plans["a"], "district": world.a1}
	rows = resource_query("Community Resource", "", "name", 0, 20, filters)
	searched = resource_query("Community Resource", "遠くの", "name", 0, 20, filters)
	frappe.set_user("Administrator")
	assert rows[0][0] == world.resources["a"], "the 買い物 resource of the plan's own district comes first"
	assert [r[0] for r in searched] == [far.name]


def test_overdue_follow_up_is_carried_to_the_next_meeting(world):
	council = make_council("T-校区A2会議", "Layer 2", world.a2)
	first = frappe.get_doc(
		{
			"doctype": "Council Meeting",
			"title": "前回",
			"council": council,
			"meeting_date": add_days(today(), -30),
			"follow_ups": [{"description": "集会所の確保", "due_date": add_days(today(), -20)}],
		}
	).insert()
	second = frappe.get_doc(
		{
			"doctype": "Council Meeting",
			"title": "今回",
			"council": council,
			"meeting_date": today(),
		}
	).insert()
	assert [(r.description, r.carried_from) for r in second.follow_ups] == [("集会所の確保", first.name)]
