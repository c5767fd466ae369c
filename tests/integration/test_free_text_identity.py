"""Free text readable above layer 3 carries no identity (README: Free text and identity).

A free-text field at permission level 0 (read by Layer 1/2 coordinators and council members), or a
comment on a need, plan, issue or meeting, that names a resident the document concerns is refused
on save with a Japanese message naming the field and the kind of identity, never the value.
"""

import frappe
import pytest
from frappe.utils import add_days, today

from chiiki_care.access.identity_text_checks import IdentityInFreeTextError, find_existing
from tests.integration.factories import make_need, make_plan, make_resident
from tests.integration.helpers import JAPANESE

PHONE = "072-841-1221"
ADDRESS = "大阪府枚方市大垣内町2丁目1-20"


pytestmark = pytest.mark.usefixtures("japanese")  # messages in the site's language


def refused(save, *fragments: str, secret: str | None = None) -> str:
	with pytest.raises(IdentityInFreeTextError) as info:
		save()
	message = str(info.value)
	assert JAPANESE.search(message), f"message is not Japanese: {message}"
	for fragment in fragments:
		assert fragment in message, message
	if secret:
		assert secret not in message, "the message must not echo the identity"
	return message


def monitoring(plan, observation):
	plan.append(
		"monitoring",
		{"monitoring_date": add_days(today(), -1), "observation": observation, "outcome": "Continue"},
	)
	return plan


@pytest.fixture
def case(world):
	"""A resident of school district A1 with kana, phone and address, a need and a plan."""
	resident = make_resident(
		"大垣 正子", world.a1, world.coordinators["l3a"], kana="オオガキ マサコ", phone=PHONE, address=ADDRESS
	)
	need = make_need(resident, world.coordinators["l3a"])
	plan = make_plan(resident, world.coordinators["l3a"], needs=(need,))
	return frappe._dict(resident=resident, need=need, plan=plan)


def test_monitoring_observation_with_the_name_in_full_width_spaces(world):
	plan = monitoring(frappe.get_doc("Support Plan", world.plans["a"]), "山田　太郎さんはサロンに参加した")
	refused(
		plan.save,
		"「モニタリング記録 1行目の確認した状況」に対象者の氏名を含めることはできません",
		secret="山田",
	)
	assert not frappe.db.exists("Support Plan Monitoring", {"parent": world.plans["a"]})


def test_refused_for_a_layer_3_coordinator_saving_its_own_plan(world):
	frappe.set_user(world.users["l3a"])
	plan = monitoring(frappe.get_doc("Support Plan", world.plans["a"]), "山田 太郎 さん 変わりなし")
	refused(plan.save, "氏名")


def test_kana_in_hiragana_against_stored_katakana(world):
	plan = frappe.get_doc("Support Plan", world.plans["a"])
	plan.append("actions", {"description": "やまだ たろう様の買い物に同行", "support_kind": "Watching Over"})
	refused(plan.save, "取組 3行目の取組内容", "氏名（ふりがな）", secret="やまだ")


def test_phone_with_different_hyphenation(case):
	plan = frappe.get_doc("Support Plan", case.plan)
	plan.goal = "緊急時は（072）８４１-1221 へ連絡する"
	refused(plan.save, "「目標」", "電話番号", secret="841")


def test_address_in_the_plan_title(case):
	plan = frappe.get_doc("Support Plan", case.plan)
	plan.title = "枚方市大垣内町2丁目1番20号 の見守り"
	refused(plan.save, "「タイトル」", "住所")


def test_community_issue_description_names_a_resident_of_a_linked_need(world):
	issue = frappe.get_doc("Community Issue", world.issues["a"])
	issue.description = "<p>山田&nbsp;太郎さんから、買い物に困っていると相談があった。</p>"
	refused(issue.save, "「概要」", "氏名", secret="山田")


def test_new_community_issue_title_names_a_resident_of_its_need(world, case):
	issue = frappe.get_doc(
		{
			"doctype": "Community Issue",
			"title": "オオガキマサコさんの買い物",
			"district": world.area_a,
			"need_category": "買い物",
			"needs": [{"need": case.need}],
		}
	)
	refused(issue.insert, "「タイトル」", "氏名（ふりがな）")
	assert not frappe.db.exists("Community Issue", {"title": "オオガキマサコさんの買い物"})


def test_community_issue_of_a_lifted_need(world, case):
	# a need lifted to the issue (Need.community_issue) counts as the issue's need
	frappe.db.set_value("Need", case.need, "community_issue", world.issues["a"])
	issue = frappe.get_doc("Community Issue", world.issues["a"])
	issue.description = "電話 0728411221 の方から"
	refused(issue.save, "電話番号")


def test_issue_checks_only_residents_of_its_needs(world):
	# resident b's need is in issue B, not in issue A: issue A is not about resident b
	issue = frappe.get_doc("Community Issue", world.issues["a"])
	issue.description = "<p>鈴木花さんの地区とは別の課題</p>"
	issue.save()


def test_council_meeting_follow_up_as_layer_2(world, case):
	frappe.db.set_value("Need", case.need, "community_issue", world.issues["a"])
	frappe.set_user(world.users["l2a"])  # may not read the resident; the check reads it anyway
	meeting = frappe.get_doc("Council Meeting", world.meetings["a"])
	meeting.append("follow_ups", {"description": "大垣正子さん宅を訪問する"})
	refused(meeting.save, "「フォローアップ事項 1行目のフォローアップ事項」", "氏名")


def test_council_meeting_minutes(world):
	meeting = frappe.get_doc("Council Meeting", world.meetings["a"])
	meeting.minutes = "<p>山田</p><p>太郎さんの事例を共有</p>"
	refused(meeting.save, "「議事録」", "氏名")


def comment(doctype, name, content, comment_type="Comment"):
	return frappe.get_doc(
		{
			"doctype": "Comment",
			"comment_type": comment_type,
			"reference_doctype": doctype,
			"reference_name": name,
			"content": content,
		}
	)


def test_comment_on_a_need(world, case):
	refused(
		comment("Need", case.need, "<div>大垣 正子さん、娘さんと同居予定</div>").insert,
		"「コメント」に対象者の氏名を含めることはできません",
		secret="大垣",
	)
	assert not frappe.db.exists("Comment", {"reference_name": case.need, "comment_type": "Comment"})


def test_comment_through_the_desk(world, case):
	from frappe.desk.form.utils import add_comment

	frappe.set_user(world.users["l3a"])
	with pytest.raises(IdentityInFreeTextError):
		add_comment("Need", case.need, f"<p>{ADDRESS}</p>", world.users["l3a"], "l3a")


def test_comment_edited_to_carry_identity(world):
	doc = comment("Support Plan", world.plans["a"], "声かけを継続").insert(ignore_permissions=True)
	doc.content = "ﾔﾏﾀﾞ ﾀﾛｳ さんに声かけを継続"
	refused(doc.save, "氏名（ふりがな）")


def test_comments_not_checked(world):
	# other kinds of comment, and comments on the resident itself (read at identity level only)
	comment("Need", world.needs["a"], "山田太郎", comment_type="Info").insert(ignore_permissions=True)
	comment("Resident", world.residents["a"], "山田太郎さん本人と面談").insert(ignore_permissions=True)


def test_clean_text_passes(world, case):
	plan = monitoring(frappe.get_doc("Support Plan", case.plan), "週1回のサロンに参加し、表情が明るくなった")
	plan.goal = "自宅での暮らしを続ける（緊急連絡は担当者へ）"
	plan.append("actions", {"description": "近所の方の朝の声かけ", "support_kind": "Watching Over"})
	plan.save()
	issue = frappe.get_doc("Community Issue", world.issues["a"])
	issue.description = "<p>A1で買い物に困る方が増えている（2025年度 12件）。</p>"
	issue.save()
	meeting = frappe.get_doc("Council Meeting", world.meetings["a"])
	meeting.minutes = "<p>商店街の配達日について協議した。大垣内町の公民館で次回開催。</p>"
	meeting.append("follow_ups", {"description": "商店会に配達日を打診"})
	meeting.save()
	comment("Need", case.need, "<p>来週、訪問予定</p>").insert(ignore_permissions=True)


def test_find_existing_lists_text_saved_around_the_check(world):
	frappe.db.set_value("Community Issue", world.issues["a"], "title", "山田太郎さんの件")
	found = find_existing()
	assert {
		"doctype": "Community Issue",
		"name": world.issues["a"],
		"field": "タイトル",
		"kind": "name",
	} in found
	assert all("山田" not in str(row) for row in found)
