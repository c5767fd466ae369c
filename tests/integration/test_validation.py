"""Bad input is refused whole, with a clear Japanese message, and nothing is half-saved."""

import frappe
import pytest
from frappe.utils import add_days, today

from tests.integration.factories import make_need, make_plan, make_resident
from tests.integration.helpers import JAPANESE


pytestmark = pytest.mark.usefixtures("japanese")  # messages in the site's language


def refused(doc_or_callable, expected_fragment: str, exc=frappe.ValidationError) -> str:
	with pytest.raises(exc) as info:
		if callable(doc_or_callable):
			doc_or_callable()
		else:
			doc_or_callable.insert()
	message = str(info.value)
	assert JAPANESE.search(message), f"message is not Japanese: {message}"
	assert expected_fragment in message
	return message


def resident(world, **values):
	return frappe.get_doc(
		{
			"doctype": "Resident",
			"full_name": "田中 一",
			"full_name_kana": "タナカ ハジメ",
			"birth_date": "1945-05-05",
			"district": world.a1,
			**values,
		}
	)


def test_resident_birth_date_in_future(world):
	refused(resident(world, birth_date=add_days(today(), 1)), "生年月日に未来の日付は指定できません")
	assert not frappe.db.exists("Resident", {"full_name": "田中 一"})


def test_resident_birth_date_implausibly_old(world):
	refused(resident(world, birth_date="1890-01-01"), "生年月日")


def test_resident_kana_must_be_kana(world):
	refused(resident(world, full_name_kana="田中 一"), "ひらがなまたはカタカナ")


def test_resident_kana_accepts_hiragana_and_half_width(world):
	assert resident(world, full_name_kana="たなか はじめ").insert().name
	assert resident(world, full_name="田中 二", full_name_kana="ﾀﾅｶ ﾂｷﾞ").insert().name


def test_resident_cannot_live_in_the_whole_city(world):
	refused(resident(world, district=world.city), "市全域ではなく")


def test_resident_consent_needs_its_date(world):
	refused(resident(world, consent_given=1), "同意を得た日")
	refused(resident(world, consent_given=1, consent_date=add_days(today(), 3)), "同意日に未来の日付")


def test_council_layer_2_needs_a_district(world):
	council = frappe.get_doc({"doctype": "Council", "council_name": "T-地区なし会議", "layer": "Layer 2"})
	refused(council, "対象とする地区を指定してください")
	assert not frappe.db.exists("Council", "T-地区なし会議")


def test_council_layer_2_cannot_serve_the_city(world):
	council = frappe.get_doc(
		{"doctype": "Council", "council_name": "T-市会議", "layer": "Layer 2", "district": world.city}
	)
	refused(council, "市全域は指定できません")


def test_council_layer_1_serves_the_city(world):
	council = frappe.get_doc(
		{"doctype": "Council", "council_name": "T-誤第1層", "layer": "Layer 1", "district": world.a1}
	)
	refused(council, "第1層協議体は市全域を対象とします")
	council = frappe.get_doc({"doctype": "Council", "council_name": "T-第1層2", "layer": "Layer 1"}).insert()
	assert council.district == world.city


def test_need_district_must_match_residents(world):
	need = frappe.get_doc(
		{
			"doctype": "Need",
			"resident": world.residents["a"],
			"district": world.b1,
			"categories": [{"need_category": "配食"}],
			"unmet_troubles": "食事",
		}
	)
	refused(need, "対象者の地区と異なります")
	assert not frappe.db.exists("Need", {"district": world.b1, "resident": world.residents["a"]})


def test_need_takes_district_from_resident(world):
	need = frappe.get_doc(make_need_doc(world))
	need.insert()
	assert need.district == world.a1


def make_need_doc(world, **values):
	return {
		"doctype": "Need",
		"resident": world.residents["a"],
		"categories": [{"need_category": "配食"}],
		"unmet_troubles": "食事の用意ができない",
		**values,
	}


def test_need_needs_one_of_the_four_lenses(world):
	refused(frappe.get_doc(make_need_doc(world, unmet_troubles="  ")), "4つの視点のうち")


def test_need_needs_a_category(world):
	with pytest.raises(frappe.MandatoryError):
		frappe.get_doc(make_need_doc(world, categories=[])).insert()


def test_need_recorded_date_not_in_future(world):
	refused(frappe.get_doc(make_need_doc(world, recorded_on=add_days(today(), 2))), "記録日に未来の日付")


def test_failed_update_leaves_the_stored_need_untouched(world):
	need = frappe.get_doc("Need", world.needs["a"])
	before = need.unmet_troubles
	need.unmet_troubles = ""
	need.urgent_needs = ""
	need.connection_and_purpose = ""
	need.desired_life = ""
	refused(need.save, "4つの視点のうち")
	assert frappe.db.get_value("Need", world.needs["a"], "unmet_troubles") == before


def plan_doc(world, **values):
	return {
		"doctype": "Support Plan",
		"scope": "Individual",
		"title": "見守り",
		"resident": world.residents["a"],
		"start_date": add_days(today(), -10),
		"review_interval_weeks": 4,
		"actions": [{"description": "朝の声かけ", "support_kind": "Watching Over"}],
		**values,
	}


def test_plan_review_date_before_start_is_refused(world):
	plan = frappe.get_doc(
		plan_doc(
			world,
			monitoring=[
				{
					"monitoring_date": add_days(today(), -20),
					"observation": "様子を確認",
					"outcome": "Continue",
				}
			],
		)
	)
	refused(plan, "開始日より前")


def test_plan_next_review_must_follow_monitoring(world):
	plan = frappe.get_doc(
		plan_doc(
			world,
			monitoring=[
				{
					"monitoring_date": add_days(today(), -2),
					"observation": "様子を確認",
					"outcome": "Continue",
					"next_review_date": add_days(today(), -3),
				}
			],
		)
	)
	refused(plan, "次回見直し日はモニタリング実施日より後")


def test_plan_end_before_start_and_interval_bounds(world):
	refused(frappe.get_doc(plan_doc(world, end_date=add_days(today(), -11))), "終了日")
	refused(frappe.get_doc(plan_doc(world, review_interval_weeks=0)), "52")


def test_individual_plan_needs_resident_and_community_plan_needs_issue(world):
	refused(frappe.get_doc(plan_doc(world, resident=None)), "対象者")
	refused(frappe.get_doc(plan_doc(world, scope="Community", resident=None)), "地域課題")


def test_plan_needs_must_be_the_residents(world):
	plan = frappe.get_doc(plan_doc(world, needs=[{"need": world.needs["b"]}]))
	refused(plan, world.needs["b"])


def test_plan_next_review_date_follows_interval_and_monitoring(world):
	plan = frappe.get_doc(
		plan_doc(world, start_date=add_days(today(), -28), review_interval_weeks=2)
	).insert()
	assert str(plan.next_review_date) == add_days(today(), -14)
	plan.append(
		"monitoring", {"monitoring_date": add_days(today(), -1), "observation": "元気", "outcome": "Continue"}
	)
	plan.save()
	assert str(plan.next_review_date) == add_days(today(), 13)


def test_coordinator_layer_and_districts_must_agree(world):
	def coordinator(layer, districts):
		return frappe.get_doc(
			{
				"doctype": "Coordinator",
				"coordinator_name": "検証 太郎",
				"layer": layer,
				"districts": [{"district": d} for d in districts],
			}
		)

	refused(coordinator("Layer 2", [world.city]), "市全域を担当するのは第1層")
	refused(coordinator("Layer 1", [world.a1]), "担当地区は市全域")
	refused(coordinator("Layer 3", []), "担当地区を1つ以上")
	assert coordinator("Layer 1", []).insert().districts[0].district == world.city


def test_coordinator_appointment_dates(world):
	doc = frappe.get_doc(
		{
			"doctype": "Coordinator",
			"coordinator_name": "検証 次郎",
			"layer": "Layer 3",
			"districts": [{"district": world.a1}],
			"appointed_from": "2026-04-01",
			"appointed_to": "2026-03-31",
		}
	)
	refused(doc, "配置終了日")


def test_district_tree_shape_is_enforced(world):
	school = frappe.get_doc(
		{
			"doctype": "District",
			"district_name": "T-直下校区",
			"district_type": "School District",
			"parent_district": world.city,
		}
	)
	refused(school, "日常生活圏域")
	refused(
		frappe.get_doc({"doctype": "District", "district_name": "T-第二の市", "district_type": "City"}),
		"市全域",
	)
	area = frappe.get_doc(
		{"doctype": "District", "district_name": "T-親なし圏域", "district_type": "Daily-life Area"}
	)
	refused(area, "上位地区")


def test_district_population_figures(world):
	district = frappe.get_doc(
		{
			"doctype": "District",
			"district_name": "T-人口校区",
			"district_type": "School District",
			"parent_district": world.area_a,
			"population_total": 100,
			"population_65_plus": 200,
		}
	)
	refused(district, "65歳以上")


def test_community_issue_needs_from_its_district_only(world):
	issue = frappe.get_doc(
		{
			"doctype": "Community Issue",
			"title": "混在",
			"district": world.area_a,
			"needs": [{"need": world.needs["b"]}],
		}
	)
	refused(issue, world.needs["b"])


def test_community_issue_council_must_serve_its_district(world):
	issue = frappe.get_doc(
		{
			"doctype": "Community Issue",
			"title": "別会議",
			"district": world.area_a,
			"council": world.councils["b"],
		}
	)
	refused(issue, world.councils["b"])


def test_meeting_follow_up_not_due_before_meeting(world):
	meeting = frappe.get_doc(
		{
			"doctype": "Council Meeting",
			"title": "検証会議",
			"council": world.councils["a"],
			"meeting_date": today(),
			"follow_ups": [{"description": "確認", "due_date": add_days(today(), -1)}],
		}
	)
	refused(meeting, "開催日より前")


def test_resident_with_cases_cannot_be_deleted(world):
	with pytest.raises(frappe.LinkExistsError):
		frappe.delete_doc("Resident", world.residents["a"])
	assert frappe.db.exists("Resident", world.residents["a"])


def test_factories_make_valid_cases(world):
	res = make_resident("佐藤 三郎", world.a2, world.coordinators["l3a"], kana="サトウ サブロウ")
	need = make_need(res, world.coordinators["l3a"], category="外出・移動")
	plan = make_plan(res, world.coordinators["l3a"], needs=(need,))
	assert frappe.db.get_value("Support Plan", plan, "district") == world.a2
