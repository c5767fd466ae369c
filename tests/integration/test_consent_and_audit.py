"""Identity is shared only with consent or a legal basis, every disclosure is logged, reading
identity is logged, and the same person is not recorded twice unnoticed."""

import frappe
import pytest
from chiiki_care.chiiki_care.doctype.resident.resident import find_similar_residents
from frappe.desk.form.assign_to import add as assign

from chiiki_care.access.consent import share_case
from tests.integration.factories import make_resident
from tests.integration.helpers import JAPANESE, list_names

SUPPORT_COUNCIL = "Support Council (Social Welfare Act Art. 106-6)"


pytestmark = pytest.mark.usefixtures("japanese")  # messages in the site's language


def give_consent(world, scope="Support Team"):
	frappe.db.set_value(
		"Resident",
		world.residents["a"],
		{"consent_given": 1, "consent_date": "2026-04-01", "consent_scope": scope},
	)


def refused_as(user, fn, fragment):
	frappe.set_user(user)
	try:
		with pytest.raises((frappe.ValidationError, frappe.PermissionError)) as info:
			fn()
	finally:
		frappe.set_user("Administrator")
	message = str(info.value)
	assert JAPANESE.search(message) and fragment in message, message


def logs(world):
	return frappe.get_all(
		"Disclosure Log",
		filters={"resident": world.residents["a"]},
		fields=[
			"method",
			"disclosed_to",
			"organisation",
			"disclosed_by",
			"basis",
			"legal_basis",
			"disclosed_on",
		],
	)


def test_share_without_consent_or_basis_is_refused(world):
	refused_as(
		world.users["l3a"],
		lambda: share_case("Need", world.needs["a"], "Consent", user=world.users["l2b"]),
		"同意",
	)
	refused_as(
		world.users["l3a"],
		lambda: frappe.share.add_docshare("Need", world.needs["a"], world.users["l2b"], read=1),
		"同意",
	)
	assert not logs(world)
	assert world.needs["a"] not in list_names("Need", world.users["l2b"])


def test_assignment_without_consent_is_refused(world):
	def assign_to_l2b():
		assign({"doctype": "Need", "name": world.needs["a"], "assign_to": [world.users["l2b"]]})

	refused_as(world.users["l3a"], assign_to_l2b, "同意")


def test_share_with_consent_is_logged(world):
	give_consent(world)
	frappe.set_user(world.users["l3a"])
	share_case("Need", world.needs["a"], "Consent", user=world.users["l2b"])
	frappe.set_user("Administrator")
	assert world.needs["a"] in list_names("Need", world.users["l2b"])
	[entry] = logs(world)
	assert (entry.method, entry.disclosed_to, entry.disclosed_by, entry.basis) == (
		"Share",
		world.users["l2b"],
		world.users["l3a"],
		"Consent",
	)
	assert entry.disclosed_on


def test_share_on_a_legal_basis_without_consent(world):
	refused_as(
		world.users["l3a"],
		lambda: share_case("Resident", world.residents["a"], "Legal Basis", user=world.users["l3b"]),
		"法的根拠",
	)
	frappe.set_user(world.users["l3a"])
	share_case(
		"Resident",
		world.residents["a"],
		"Legal Basis",
		user=world.users["l3b"],
		legal_basis=SUPPORT_COUNCIL,
		note="支援会議で共有",
	)
	frappe.set_user("Administrator")
	assert world.residents["a"] in list_names("Resident", world.users["l3b"])
	[entry] = logs(world)
	assert entry.basis == "Legal Basis" and entry.legal_basis == SUPPORT_COUNCIL


def test_referral_to_an_organisation_needs_wide_enough_consent(world):
	give_consent(world, "Support Team")
	refused_as(
		world.users["l3a"],
		lambda: share_case("Resident", world.residents["a"], "Consent", organisation="○○訪問介護事業所"),
		"介護・医療関係者",
	)
	give_consent(world, "Care and Medical Providers")
	frappe.set_user(world.users["l3a"])
	share_case("Resident", world.residents["a"], "Consent", organisation="○○訪問介護事業所")
	frappe.set_user("Administrator")
	[entry] = logs(world)
	assert entry.method == "Referral" and entry.organisation == "○○訪問介護事業所"


def test_nobody_shares_identity_with_everyone(world):
	give_consent(world)
	refused_as(
		world.users["l3a"],
		lambda: frappe.share.add_docshare("Resident", world.residents["a"], everyone=1, read=1),
		"全員",
	)


def test_only_those_who_may_share_can_share(world):
	frappe.set_user(world.users["l2b"])
	with pytest.raises(frappe.PermissionError):
		share_case(
			"Need", world.needs["a"], "Legal Basis", user=world.users["l2b"], legal_basis=SUPPORT_COUNCIL
		)
	frappe.set_user("Administrator")


def test_disclosure_and_access_logs_are_for_the_manager_only(world):
	for key in ("manager",):
		assert list_names("Disclosure Log", world.users[key]) is not None
		assert list_names("Identity Access Log", world.users[key]) is not None
	for key in ("l1", "l2a", "l3a", "scsa", "cma"):
		assert list_names("Disclosure Log", world.users[key]) is None, key
		assert list_names("Identity Access Log", world.users[key]) is None, key


def test_opening_identity_is_logged_but_not_without_it(world):
	from frappe.desk.form.load import getdoc

	def open_as(user, doctype, name):
		frappe.set_user(user)
		getdoc(doctype, name)
		frappe.set_user("Administrator")

	open_as(world.users["l3a"], "Resident", world.residents["a"])
	open_as(world.users["scsa"], "Need", world.needs["a"])
	open_as(world.users["l2a"], "Need", world.needs["a"])
	entries = frappe.get_all(
		"Identity Access Log",
		filters={"resident": world.residents["a"]},
		fields=["user", "reference_doctype"],
	)
	assert {(e.user, e.reference_doctype) for e in entries} == {
		(world.users["l3a"], "Resident"),
		(world.users["scsa"], "Need"),
	}


def test_duplicate_resident_is_found_across_scripts_width_and_era(world):
	frappe.set_user(world.users["l3a"])
	found = find_similar_residents(full_name_kana="やまだ　たろう", birth_date_wareki="昭和15年4月1日")
	assert [m.name for m in found["matches"]] == [world.residents["a"]]
	found = find_similar_residents(full_name_kana="ﾔﾏﾀﾞ ﾀﾛｳ", birth_date="1940-04-01")
	assert [m.name for m in found["matches"]] == [world.residents["a"]]
	assert not find_similar_residents(full_name_kana="ヤマダ タロウ", birth_date="1941-04-01")["matches"]
	frappe.set_user("Administrator")


def test_duplicate_by_name_and_address(world):
	frappe.db.set_value("Resident", world.residents["a"], "address", "枚方市大垣内町2-1-20")
	frappe.get_doc("Resident", world.residents["a"]).save()
	frappe.set_user(world.users["l3a"])
	found = find_similar_residents(full_name="山田　太郎", address="枚方市 大垣内町２－１－２０")
	frappe.set_user("Administrator")
	assert [m.name for m in found["matches"]] == [world.residents["a"]]


def test_duplicate_outside_scope_is_only_counted(world):
	frappe.set_user(world.users["l3b"])
	found = find_similar_residents(full_name_kana="ヤマダ タロウ", birth_date="1940-04-01")
	frappe.set_user("Administrator")
	assert found == {"matches": [], "others": 1}


def test_birth_date_typed_in_the_japanese_era(world):
	resident = make_resident(
		"和暦 花子", world.a1, kana="ワレキ ハナコ", birth_date=None, birth_date_wareki="S10.3.3"
	)
	doc = frappe.get_doc("Resident", resident)
	assert str(doc.birth_date) == "1935-03-03" and doc.birth_date_wareki == "昭和10年3月3日"
	with pytest.raises(frappe.ValidationError) as info:
		make_resident(
			"和暦 次郎", world.a1, kana="ワレキ ジロウ", birth_date=None, birth_date_wareki="昭和99年1月1日"
		)
	assert "和暦" in str(info.value)
