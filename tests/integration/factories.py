"""Factories for the integration tests: one small world with two areas, every role and a case in each."""

from types import SimpleNamespace

import frappe
from frappe.utils import add_days, getdate, today

from chiiki_care.access.scope import MANAGER
from chiiki_care.reporting import tallies

PASSWORD = "Test#chiiki2026"


def make_user(key: str, roles: tuple = (), first_name: str | None = None) -> str:
	email = f"{key}@test.chiiki-care.example"
	if not frappe.db.exists("User", email):
		user = frappe.get_doc(
			{
				"doctype": "User",
				"email": email,
				"first_name": first_name or key,
				"send_welcome_email": 0,
				"new_password": PASSWORD,
				"roles": [{"role": role} for role in roles],
			}
		)
		user.insert(ignore_permissions=True)
	return email


def make_district(name: str, district_type: str, parent: str | None = None, **kwargs) -> str:
	if not frappe.db.exists("District", name):
		frappe.get_doc(
			{
				"doctype": "District",
				"district_name": name,
				"district_type": district_type,
				"parent_district": parent,
				**kwargs,
			}
		).insert()
	return name


def make_coordinator(name: str, layer: str, user: str | None, districts: list[str]) -> str:
	doc = frappe.get_doc(
		{
			"doctype": "Coordinator",
			"coordinator_name": name,
			"layer": layer,
			"user": user,
			"organisation": "テスト事業所",
			"districts": [{"district": d} for d in districts],
		}
	).insert()
	return doc.name


def make_resident(name: str, district: str, coordinator: str | None = None, **kwargs) -> str:
	doc = frappe.get_doc(
		{
			"doctype": "Resident",
			"full_name": name,
			"full_name_kana": kwargs.pop("kana", "テスト タロウ"),
			"birth_date": kwargs.pop("birth_date", "1940-04-01"),
			"district": district,
			"primary_coordinator": coordinator,
			"household": "Living Alone",
			"care_level": "Support Level 1",
			**kwargs,
		}
	).insert()
	return doc.name


def make_need(resident: str, recorded_by: str | None = None, category: str = "買い物", **kwargs) -> str:
	doc = frappe.get_doc(
		{
			"doctype": "Need",
			"resident": resident,
			"recorded_by": recorded_by,
			"categories": [{"need_category": category}],
			"unmet_troubles": kwargs.pop("unmet_troubles", "買い物袋を持って帰れない"),
			"urgency": kwargs.pop("urgency", "Normal"),
			**kwargs,
		}
	).insert()
	return doc.name


def make_plan(resident: str, coordinator: str | None, needs: tuple = (), **kwargs) -> str:
	doc = frappe.get_doc(
		{
			"doctype": "Support Plan",
			"scope": "Individual",
			"title": kwargs.pop("title", "買い物支援"),
			"resident": resident,
			"coordinator": coordinator,
			"start_date": kwargs.pop("start_date", add_days(today(), -30)),
			"review_interval_weeks": kwargs.pop("review_interval_weeks", 4),
			"personal_goal": "自宅で暮らし続けたい",
			"needs": [{"need": n} for n in needs],
			"actions": [
				{
					"description": "買い物支援ボランティアの紹介",
					"support_kind": "Self-pay or Informal Service",
				},
				{"description": "近所の方の朝の声かけ", "support_kind": "Watching Over"},
			],
			**kwargs,
		}
	).insert()
	return doc.name


def make_issue(title: str, district: str, council: str | None = None, needs: tuple = ()) -> str:
	doc = frappe.get_doc(
		{
			"doctype": "Community Issue",
			"title": title,
			"district": district,
			"need_category": "買い物",
			"council": council,
			"needs": [{"need": n} for n in needs],
		}
	).insert()
	return doc.name


def make_council(name: str, layer: str, district: str | None, members: tuple = ()) -> str:
	if not frappe.db.exists("Council", name):
		frappe.get_doc(
			{
				"doctype": "Council",
				"council_name": name,
				"layer": layer,
				"district": district,
				"local_name": "元気づくり・地域づくり会議" if layer == "Layer 2" else None,
				"members": [{"member_name": user.split("@")[0], "user": user} for user in members],
			}
		).insert()
	return name


def make_resource(name: str, district: str, published: int = 0) -> str:
	doc = frappe.get_doc(
		{
			"doctype": "Community Resource",
			"resource_name": name,
			"resource_type": "Shopping Support",
			"domain": "Life Support",
			"district": district,
			"published": published,
			"need_categories": [{"need_category": "買い物"}],
		}
	).insert()
	return doc.name


def build_world() -> SimpleNamespace:
	"""Two daily-life areas (A, B) of one city, each with a school district, a case and every role."""
	frappe.set_user("Administrator")
	city = frappe.db.get_value("District", {"district_type": "City"}) or make_district("テスト市", "City")
	center_a = "T-サポートセンターA"
	area_a = make_district("T-圏域A", "Daily-life Area", city)
	area_b = make_district("T-圏域B", "Daily-life Area", city)
	a1 = make_district(
		"T-小学校区A1", "School District", area_a, population_65_plus=1200, population_total=5000
	)
	a2 = make_district(
		"T-小学校区A2", "School District", area_a, population_65_plus=900, population_total=4000
	)
	b1 = make_district(
		"T-小学校区B1", "School District", area_b, population_65_plus=1000, population_total=4500
	)

	users = {
		"manager": make_user("manager", (MANAGER,)),
		"l1": make_user("l1"),
		"l2a": make_user("l2a"),
		"l2b": make_user("l2b"),
		"l3a": make_user("l3a"),
		"l3b": make_user("l3b"),
		"scsa": make_user("scsa"),
		"cma": make_user("cma"),
		"cmb": make_user("cmb"),
		"outsider": make_user("outsider", ("Blogger",)),
	}
	frappe.get_doc(
		{"doctype": "Support Center", "center_name": center_a, "staff": [{"user": users["scsa"]}]}
	).insert()
	frappe.db.set_value("District", area_a, "support_center", center_a)

	coordinators = {
		"l1": make_coordinator("第1層 花子", "Layer 1", users["l1"], [city]),
		"l2a": make_coordinator("第2層A 一郎", "Layer 2", users["l2a"], [area_a]),
		"l2b": make_coordinator("第2層B 次郎", "Layer 2", users["l2b"], [area_b]),
		"l3a": make_coordinator("第3層A 三子", "Layer 3", users["l3a"], [a1]),
		"l3b": make_coordinator("第3層B 四郎", "Layer 3", users["l3b"], [b1]),
	}
	council_city = make_council("T-第1層協議体", "Layer 1", city)
	council_a = make_council("T-会議A", "Layer 2", area_a, members=(users["cma"],))
	council_b = make_council("T-会議B", "Layer 2", area_b, members=(users["cmb"],))

	resident_a = make_resident("山田 太郎", a1, coordinators["l3a"], kana="ヤマダ タロウ")
	resident_b = make_resident("鈴木 花", b1, coordinators["l3b"], kana="スズキ ハナ")
	need_a = make_need(resident_a, coordinators["l3a"])
	need_b = make_need(resident_b, coordinators["l3b"])
	plan_a = make_plan(resident_a, coordinators["l3a"], needs=(need_a,))
	plan_b = make_plan(resident_b, coordinators["l3b"], needs=(need_b,))
	issue_a = make_issue("A地区の買い物困難", area_a, council_a, needs=(need_a,))
	issue_b = make_issue("B地区の買い物困難", area_b, council_b, needs=(need_b,))
	community_plan_a = frappe.get_doc(
		{
			"doctype": "Support Plan",
			"scope": "Community",
			"title": "商店街の配達日",
			"community_issue": issue_a,
			"coordinator": coordinators["l2a"],
			"start_date": today(),
			"goal": "商店街に配達日をつくる",
			"actions": [{"description": "商店街へ相談", "support_kind": "Social Participation"}],
		}
	).insert()
	meetings = {}
	for key, council in (("a", council_a), ("b", council_b)):
		meetings[key] = (
			frappe.get_doc(
				{
					"doctype": "Council Meeting",
					"title": f"第1回 {council}",
					"council": council,
					"meeting_date": today(),
					"issues_discussed": [{"community_issue": issue_a if key == "a" else issue_b}],
				}
			)
			.insert()
			.name
		)

	return SimpleNamespace(
		city=city,
		area_a=area_a,
		area_b=area_b,
		a1=a1,
		a2=a2,
		b1=b1,
		center_a=center_a,
		users=users,
		coordinators=coordinators,
		councils={"city": council_city, "a": council_a, "b": council_b},
		residents={"a": resident_a, "b": resident_b},
		needs={"a": need_a, "b": need_b},
		plans={"a": plan_a, "b": plan_b, "community_a": community_plan_a.name},
		issues={"a": issue_a, "b": issue_b},
		meetings=meetings,
		resources={
			"a": make_resource("A地区 買い物ボランティア", a1),
			"b": make_resource("B地区 移動販売", b1),
		},
	)


# Report data (tests of the reports and of the scheduled email reports)
# ----------------------------------------------------------------------


def _set_values(doctype, name, **values):
	"""Set values without the controller, moving the kept counts as the controller would."""
	tallies.set_values(doctype, name, values)


def add_report_need(world, district, category, recorded_on, status="New", coordinator_key=None):
	key = coordinator_key or ("l3b" if district == world.b1 else "l3a")
	resident = make_resident(
		f"集計 {district}{category}{recorded_on}{status}",
		district,
		world.coordinators[key],
		kana="シュウケイ タロウ",
		birth_date="1941-05-05",
	)
	need = frappe.get_doc(
		{
			"doctype": "Need",
			"resident": resident,
			"recorded_by": world.coordinators[key],
			"categories": [{"need_category": category}],
			"unmet_troubles": "困りごと",
			"recorded_on": recorded_on,
		}
	).insert()
	_set_values("Need", need.name, status=status)
	return need.name


def add_report_plan(world, key, district, next_review, status="Active", needs=()):
	resident = frappe.db.get_value("Need", needs[0], "resident") if needs else None
	if not resident:
		resident = make_resident(
			f"計画 {district}{next_review}", district, world.coordinators[key], kana="ケイカク ハナコ"
		)
	plan = frappe.get_doc(
		{
			"doctype": "Support Plan",
			"scope": "Individual",
			"title": "見守り",
			"resident": resident,
			"coordinator": world.coordinators[key],
			"start_date": add_days(today(), -60),
			"needs": [{"need": n} for n in needs],
			"actions": [{"description": "声かけ", "support_kind": "Watching Over"}],
		}
	).insert()
	_set_values("Support Plan", plan.name, status=status, next_review_date=next_review)
	return plan.name


def build_report_data(world) -> frappe._dict:
	"""Needs, plans, resources, an issue and a meeting in areas A and B, on top of the world, for the
	tests of the reports and of the scheduled email reports (call it inside a savepoint)."""
	frappe.set_user("Administrator")
	now = getdate(today())
	before = add_days(now, -100)  # in the 60 days before a 60-day period ending today
	w = world
	d = frappe._dict(needs={}, plans={})
	# A1: 買い物 5 now (3 open) and 3 before; 配食 2 now. A2: 見守り 1 now, 外出・移動 4 now. B1: 買い物 3 now.
	for i, status in enumerate(("New", "New", "Supporting", "Resolved", "Withdrawn")):
		d.needs[f"a1_shop_{i}"] = add_report_need(w, w.a1, "買い物", add_days(now, -i * 5), status)
	for i in range(3):
		d.needs[f"a1_shop_before_{i}"] = add_report_need(w, w.a1, "買い物", add_days(before, -i), "Resolved")
	for i in range(2):
		d.needs[f"a1_meal_{i}"] = add_report_need(w, w.a1, "配食", add_days(now, -10 - i), "Supporting")
	d.needs["a2_watch"] = add_report_need(w, w.a2, "見守り・安否確認", add_days(now, -3), "New", "l3a")
	for i in range(4):
		d.needs[f"a2_move_{i}"] = add_report_need(
			w, w.a2, "外出・移動", add_days(now, -7 - i), "Under Review", "l3a"
		)
	for i in range(3):
		d.needs[f"b1_shop_{i}"] = add_report_need(w, w.b1, "買い物", add_days(now, -i), "New")

	# Plans: l3a (A1) long overdue, overdue (for the 配食 need), due in 5 days, due in 30 days, and a
	# draft that is overdue; l3b (B1) overdue, due in 2 and 10 days.
	for key, district, offsets in (("l3a", w.a1, (-20, -3, 5, 30)), ("l3b", w.b1, (-1, 2, 10))):
		for offset in offsets:
			needs = (d.needs["a1_meal_0"],) if (key, offset) == ("l3a", -3) else ()
			d.plans[f"{key}_{offset}"] = add_report_plan(w, key, district, add_days(now, offset), needs=needs)
	d.plans["l3a_draft"] = add_report_plan(w, "l3a", w.a1, add_days(now, -5), status="Draft")

	# A meal resource for the whole of area A (serves A1 and A2); A2's 外出・移動 and 見守り have none.
	d.resource = (
		frappe.get_doc(
			{
				"doctype": "Community Resource",
				"resource_name": "圏域A 配食サービス",
				"resource_type": "Meal Delivery",
				"domain": "Life Support",
				"district": w.area_a,
				"need_categories": [{"need_category": "配食"}],
				"location": '{"type":"FeatureCollection","features":[{"type":"Feature","properties":{},'
				'"geometry":{"type":"Point","coordinates":[135.65,34.81]}}]}',
			}
		)
		.insert()
		.name
	)
	frappe.db.set_value(
		"Community Resource",
		w.resources["a"],
		"location",
		'{"type":"FeatureCollection","features":[{"type":"Feature","properties":{},'
		'"geometry":{"type":"Point","coordinates":[135.66,34.82]}}]}',
	)

	# Two A1 shopping needs lifted to the world's issue A; a resolved issue in A2 with no meeting.
	for key in ("a1_shop_0", "a1_shop_1"):
		_set_values("Need", d.needs[key], community_issue=w.issues["a"], status="Lifted to Community Issue")
	d.issue_a2 = (
		frappe.get_doc(
			{
				"doctype": "Community Issue",
				"title": "A2の外出支援",
				"district": w.a2,
				"need_category": "外出・移動",
				"council": w.councils["a"],
			}
		)
		.insert()
		.name
	)
	_set_values("Community Issue", d.issue_a2, status="Resolved", raised_on=add_days(now, -20))

	# A second meeting of council A: 4 attendees (3 present), one issue with a decision, two follow-ups.
	d.meeting = (
		frappe.get_doc(
			{
				"doctype": "Council Meeting",
				"title": "第2回 T-会議A",
				"council": w.councils["a"],
				"meeting_date": add_days(now, -10),
				"attendees": [{"attendee_name": f"委員{i}", "attended": int(i < 3)} for i in range(4)],
				"issues_discussed": [{"community_issue": w.issues["a"], "decision": "商店会に相談する"}],
				"follow_ups": [
					{
						"description": "商店会に配達日を打診",
						"assigned_to": w.users["l2a"],
						"due_date": add_days(now, 3),
					},
					{"description": "チラシ作成", "status": "Done"},
				],
			}
		)
		.insert()
		.name
	)
	_set_values("Council", w.councils["a"], secretariat=w.coordinators["l2a"])
	_set_values("Council", w.councils["b"], secretariat=w.coordinators["l2b"])
	return d
