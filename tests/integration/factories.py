"""Factories for the integration tests: one small world with two areas, every role and a case in each."""

from types import SimpleNamespace

import frappe
from frappe.utils import add_days, today

from chiiki_care.scope import MANAGER

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
