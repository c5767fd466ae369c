"""Committed test data for the portal tests: the web server under test runs in another process and
sees only committed rows. Every name carries a random token; `destroy` removes all of it, and
whatever the tests created in its districts or as its users."""

import random
from types import SimpleNamespace

import frappe
from frappe.utils import add_days, today

from tests.integration.factories import PASSWORD, make_coordinator, make_district, make_user

LOCATION = '{{"type": "FeatureCollection", "features": [{{"type": "Feature", "properties": {{}}, "geometry": {{"type": "Point", "coordinates": [{lng}, {lat}]}}}}]}}'

# Residents with names that appear nowhere else, so a leak is found by searching a page for them.
RESIDENT_A = {"full_name": "蓮見 徳次郎", "kana": "ハスミ トクジロウ", "birth_date": "1941-05-06"}
RESIDENT_B = {"full_name": "楠木 ふさ", "kana": "クスノキ フサ", "birth_date": "1938-11-20"}


def build() -> SimpleNamespace:
	frappe.set_user("Administrator")
	token = f"{random.randint(0, 9999):04d}"
	created = []

	city = frappe.db.get_value("District", {"district_type": "City"})
	if not city:
		city = make_district(f"試験{token}市", "City")
		created.append(city)
	area = make_district(f"試験{token}圏域", "Daily-life Area", city)
	east = make_district(f"試験{token}東小学校区", "School District", area, population_65_plus=1000)
	west = make_district(f"試験{token}西小学校区", "School District", area, population_65_plus=800)
	districts = [east, west, area, *created]

	users = {
		key: make_user(f"portal{token}-{key}", first_name=name)
		for key, name in (("l3a", "東 さくら"), ("l3b", "西 まもる"), ("cm", "委員 はじめ"))
	}
	coordinators = {
		"l3a": make_coordinator("東 さくら", "Layer 3", users["l3a"], [east]),
		"l3b": make_coordinator("西 まもる", "Layer 3", users["l3b"], [west]),
	}
	council = f"試験{token} 元気づくり・地域づくり会議"
	frappe.get_doc(
		{
			"doctype": "Council",
			"council_name": council,
			"layer": "Layer 2",
			"district": area,
			"local_name": "元気づくり・地域づくり会議",
			"members": [{"member_name": "委員 はじめ", "organisation": "自治会", "user": users["cm"]}],
		}
	).insert()

	def resident(data, district, coordinator):
		return (
			frappe.get_doc(
				{
					"doctype": "Resident",
					"full_name": data["full_name"],
					"full_name_kana": data["kana"],
					"birth_date": data["birth_date"],
					"district": district,
					"primary_coordinator": coordinator,
					"household": "Living Alone",
					"care_level": "Support Level 1",
					"address": f"試験市{token}町1-2-3",
				}
			)
			.insert()
			.name
		)

	def need(resident_name, coordinator, **kwargs):
		return (
			frappe.get_doc(
				{
					"doctype": "Need",
					"resident": resident_name,
					"recorded_by": coordinator,
					"categories": [{"need_category": "買い物"}],
					"unmet_troubles": "買い物袋を持って帰れない",
					"urgency": "Normal",
					**kwargs,
				}
			)
			.insert()
			.name
		)

	def plan(resident_name, coordinator, needs, title):
		return (
			frappe.get_doc(
				{
					"doctype": "Support Plan",
					"scope": "Individual",
					"title": title,
					"resident": resident_name,
					"coordinator": coordinator,
					"start_date": add_days(today(), -30),
					"review_interval_weeks": 4,
					"personal_goal": "自宅で暮らし続けたい",
					"needs": [{"need": n} for n in needs],
					"actions": [
						{
							"description": "買い物支援ボランティアの紹介",
							"support_kind": "Self-pay or Informal Service",
						},
						{
							"description": "近所の方の朝の声かけ",
							"support_kind": "Watching Over",
							"due_date": add_days(today(), 3),
						},
					],
				}
			)
			.insert()
			.name
		)

	residents = {
		"a": resident(RESIDENT_A, east, coordinators["l3a"]),
		"b": resident(RESIDENT_B, west, coordinators["l3b"]),
	}
	needs = {
		"a": need(
			residents["a"],
			coordinators["l3a"],
			urgency="Immediate",
			urgent_needs="今日は冷蔵庫が空",
			connection_and_purpose="碁会所に通えなくなった",
			desired_life="自宅で暮らし続けたい",
		),
		"a_lift": need(residents["a"], coordinators["l3a"], categories=[{"need_category": "外出・移動"}]),
		"a_browser": need(
			residents["a"],
			coordinators["l3a"],
			categories=[{"need_category": "居場所・交流"}],
			unmet_troubles=None,
			connection_and_purpose="囲碁の仲間に会いたい",
		),
		"b": need(residents["b"], coordinators["l3b"]),
	}
	plans = {
		"a": plan(residents["a"], coordinators["l3a"], [needs["a"]], "買い物と見守りの支援"),
		"b": plan(residents["b"], coordinators["l3b"], [needs["b"]], "西地区の買い物支援"),
	}
	issue = (
		frappe.get_doc(
			{
				"doctype": "Community Issue",
				"title": f"試験{token} 買い物の困りごと",
				"district": area,
				"need_category": "買い物",
				"council": council,
				"needs": [{"need": needs["b"]}],
			}
		)
		.insert()
		.name
	)
	community_plan = (
		frappe.get_doc(
			{
				"doctype": "Support Plan",
				"scope": "Community",
				"title": f"試験{token} 商店街の配達日",
				"community_issue": issue,
				"start_date": today(),
				"goal": "商店街に週1回の配達日をつくる",
				"actions": [{"description": "商店街振興組合へ相談", "support_kind": "Social Participation"}],
			}
		)
		.insert()
		.name
	)
	meeting = (
		frappe.get_doc(
			{
				"doctype": "Council Meeting",
				"title": f"試験{token} 第1回会議",
				"council": council,
				"meeting_date": today(),
				"venue": "地域福祉センター",
				"agenda": "<p>1. 買い物の困りごとについて</p>",
				"minutes": "<p>買い物に困る方が増えていることを共有した。</p>",
				"decisions": "<p>商店街に配達日を相談する。</p>",
				"attendees": [{"attendee_name": "委員 はじめ", "organisation": "自治会", "attended": 1}],
				"issues_discussed": [{"community_issue": issue, "decision": "商店街へ相談する"}],
			}
		)
		.insert()
		.name
	)

	def resource(name, district, published, status="Active", **kwargs):
		return (
			frappe.get_doc(
				{
					"doctype": "Community Resource",
					"resource_name": name,
					"resource_type": kwargs.pop("resource_type", "Gathering Place or Salon"),
					"domain": kwargs.pop("domain", "Gathering and Exchange"),
					"district": district,
					"published": published,
					"status": status,
					"schedule": "毎週水曜 10:00〜12:00",
					"cost": "100円",
					"contact_phone": "072-000-0000",
					"need_categories": [{"need_category": kwargs.pop("category", "居場所・交流")}],
					**kwargs,
				}
			)
			.insert()
			.name
		)

	resources = {
		"salon": resource(
			f"ふれあいサロン 試験{token}",
			east,
			1,
			location=LOCATION.format(lng=135.6509, lat=34.8146),
			address="試験市東町1-1",
		),
		"shopping": resource(
			f"買い物支え合い隊 試験{token}",
			west,
			1,
			resource_type="Shopping Support",
			domain="Life Support",
			category="買い物",
			location=LOCATION.format(lng=135.6610, lat=34.8201),
		),
		"unpublished": resource(f"非公開の資源 試験{token}", east, 0),
		"inactive": resource(f"休止中の資源 試験{token}", east, 1, status="Inactive"),
	}

	web_form = frappe.get_doc(
		{
			"doctype": "Web Form",
			"title": f"試験{token} ニーズ",
			"route": f"test-need-{token}",
			"doc_type": "Need",
			"module": "Chiiki Care",
			"is_standard": 0,
			"published": 1,
			"login_required": 1,
			"allow_edit": 1,
			"allow_multiple": 1,
			"show_list": 1,
			"apply_document_permissions": 1,
			"web_form_fields": [
				{"fieldname": "resident", "fieldtype": "Link", "options": "Resident", "label": "Resident"},
				{"fieldname": "unmet_troubles", "fieldtype": "Small Text", "label": "Troubles"},
			],
		}
	).insert()
	frappe.db.commit()  # nosemgrep: the web server under test reads only committed rows

	return SimpleNamespace(
		token=token,
		password=PASSWORD,
		city=city,
		area=area,
		east=east,
		west=west,
		districts=districts,
		users=users,
		coordinators=coordinators,
		council=council,
		residents=residents,
		resident_data={"a": RESIDENT_A, "b": RESIDENT_B},
		needs=needs,
		plans={**plans, "community": community_plan},
		issue=issue,
		meeting=meeting,
		resources=resources,
		web_form=web_form.name,
		web_form_route=web_form.route,
	)


def destroy(world: SimpleNamespace):
	"""Remove the world and everything made in its districts or by its users, and commit."""
	frappe.db.rollback()
	frappe.set_user("Administrator")
	users = list(world.users.values())
	districts = world.districts

	def remove(doctype, names):
		for name in names:
			frappe.delete_doc(
				doctype,
				name,
				force=True,
				ignore_permissions=True,
				delete_permanently=True,
				# a new site's only System Manager is Administrator, which User.on_trash counts out
				ignore_on_trash=doctype == "User",
			)
			frappe.db.delete("Version", {"ref_doctype": doctype, "docname": name})
			frappe.db.delete("Comment", {"reference_doctype": doctype, "reference_name": name})

	remove("Web Form", [world.web_form])
	remove("Council Meeting", frappe.get_all("Council Meeting", {"council": world.council}, pluck="name"))
	remove("Support Plan", frappe.get_all("Support Plan", {"district": ("in", districts)}, pluck="name"))
	remove(
		"Community Issue", frappe.get_all("Community Issue", {"district": ("in", districts)}, pluck="name")
	)
	needs = frappe.get_all("Need", {"district": ("in", districts)}, pluck="name")
	frappe.db.delete("Community Issue Need", {"need": ("in", needs or [""])})
	remove("Need", needs)
	residents = frappe.get_all("Resident", {"district": ("in", districts)}, pluck="name")
	for doctype in ("Identity Access Log", "Disclosure Log"):
		frappe.db.delete(doctype, {"resident": ("in", residents or [""])})
	remove("Resident", residents)
	remove("Council", [world.council])
	remove("Coordinator", list(world.coordinators.values()))
	remove(
		"Community Resource",
		frappe.get_all("Community Resource", {"district": ("in", districts)}, pluck="name"),
	)
	frappe.db.delete("Identity Access Log", {"user": ("in", users)})
	frappe.db.delete("Notification Log", {"for_user": ("in", users)})
	frappe.db.delete("ToDo", {"allocated_to": ("in", users)})
	for doctype in ("Activity Log", "Access Log", "Route History"):
		frappe.db.delete(doctype, {"user": ("in", users)})
	frappe.db.delete("Sessions", {"user": ("in", users)})
	remove("User", users)
	for user in users:
		frappe.clear_cache(user=user)
	remove("District", districts)
	frappe.db.commit()  # nosemgrep: the world was committed; so is its removal
