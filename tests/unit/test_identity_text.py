"""Free text that higher layers read carries no identity: the matching (no Frappe needed).

Run: python3 -m pytest -q tests/unit/test_identity_text.py
"""

import json
import subprocess
import sys
from pathlib import Path

import pytest

from chiiki_care.domain.identity_text import (
	FREE_TEXT_FIELDS,
	NOT_CHECKED,
	RESIDENT_FIELDS,
	IdentityMatcher,
	find_identity,
	fold,
	phone_runs,
	readings,
	strip_html,
)

YAMADA = {
	"full_name": "山田 太郎",
	"full_name_kana": "ヤマダ タロウ",
	"address": "大阪府枚方市大垣内町2丁目1-20",
	"phone": "072-841-1221",
}
SUZUKI = {"full_name": "鈴木　花", "full_name_kana": "すずき はな", "address": None, "phone": "090 1234 5678"}


def test_module_needs_no_frappe():
	# importing it with Frappe made unimportable still works
	code = "import sys; sys.modules['frappe'] = None; import chiiki_care.domain.identity_text"
	subprocess.run([sys.executable, "-c", code], cwd=Path(__file__).resolve().parents[2], check=True)


@pytest.mark.parametrize(
	"text",
	[
		"山田太郎さんは週1回サロンに通う",
		"山田 太郎さん",
		"山田　太郎さん",  # full-width space
		"山田\u3000\u3000太郎",
		"山田\n太郎",
		"ｻﾛﾝで山田太郎さんと話した",
		"<p>山田&nbsp;太郎さん</p>",
		"<p>山田<b>太郎</b></p>",
		"山田\u200b太郎",  # zero-width space
		"太郎 山田",  # given name first
		"<山田 太郎>",  # plain text that looks like a tag
		"&lt;山田太郎&gt;",
	],
)
def test_full_name(text):
	assert find_identity(text, [YAMADA]) == "name"


@pytest.mark.parametrize(
	"text",
	[
		"やまだたろうさん",  # hiragana, stored in katakana
		"ヤマダ タロウ",
		"ﾔﾏﾀﾞ ﾀﾛｳ",  # half-width katakana
		"やまだ　たろう",
	],
)
def test_kana_across_hiragana_katakana_and_width(text):
	assert find_identity(text, [YAMADA]) == "kana"


def test_kana_stored_in_hiragana_found_in_katakana():
	assert find_identity("スズキハナさん宅を訪問", [SUZUKI]) == "kana"


def test_name_with_full_width_space_in_the_store():
	assert find_identity("鈴木花さん", [SUZUKI]) == "name"
	assert find_identity("鈴木 花さん", [SUZUKI]) == "name"


@pytest.mark.parametrize(
	"text",
	[
		"連絡先 072-841-1221",
		"0728411221",
		"(072)841-1221",
		"（０７２）８４１－１２２１",  # full-width
		"072 841 1221",
		"072ー841ー1221",
		"+81 72 841 1221",
	],
)
def test_phone_on_digits(text):
	assert find_identity(text, [YAMADA]) == "phone"


def test_phone_stored_in_international_form():
	identity = {"full_name": "佐藤 一", "phone": "+81-90-1234-5678"}
	assert find_identity("携帯 090-1234-5678 に連絡", [identity]) == "phone"


def test_phone_needs_eight_digits():
	short = {"full_name": "佐藤 一", "phone": "841-12"}
	assert find_identity("番号 84112 の件", [short]) is None
	assert IdentityMatcher([short]).patterns["phone"] == set()


def test_phone_not_across_unrelated_numbers():
	# the digits are there, but in numbers far apart in the text
	assert find_identity("072年に841人、1221件", [YAMADA]) is None


@pytest.mark.parametrize(
	"text",
	[
		"大阪府枚方市大垣内町2丁目1-20に住む",
		"大阪府 枚方市 大垣内町 2丁目 1－20",
		"枚方市大垣内町２丁目１ー２０",  # without the prefecture, full-width digits
		"枚方市大垣内町2-1-20",  # 丁目 as a hyphen
		"枚方市大垣内町2丁目1番20号",
		"枚方市大垣内町2丁目1番地20",
	],
)
def test_address(text):
	assert find_identity(text, [YAMADA]) == "address"


def test_address_with_postal_code_in_the_store():
	identity = {"full_name": "佐藤 一", "address": "〒573-0027 大阪府枚方市大垣内町2-1-20"}
	assert find_identity("枚方市大垣内町2-1-20", [identity]) == "address"


def test_address_stored_with_ban_and_go():
	identity = {"full_name": "佐藤 一", "address": "枚方市大垣内町2丁目1番20号"}
	assert find_identity("枚方市大垣内町2-1-20の前", [identity]) == "address"
	assert find_identity("枚方市大垣内町2-1-2の前", [identity]) is None


def test_short_address_is_ignored():
	identity = {"full_name": "佐藤 一", "address": "枚方市"}
	assert find_identity("枚方市の買い物支援", [identity]) is None


def test_part_of_an_address_is_not_an_address():
	assert find_identity("枚方市大垣内町のサロン", [YAMADA]) is None


def test_one_character_values_are_ignored():
	identity = {"full_name": "東", "full_name_kana": "ア", "address": "", "phone": ""}
	assert find_identity("東の公民館でアンケート", [identity]) is None
	assert not IdentityMatcher([identity])


@pytest.mark.parametrize(
	"text",
	[
		"",
		None,
		"週1回のサロンに参加。表情が明るくなった。",
		"山田さんの畑で野菜づくり",  # a family name alone is not the full name
		"太郎さん",
		"<p>買い物支援ボランティアの紹介</p>",
		"2025-04-01 に 072 番の電話",
	],
)
def test_clean_text(text):
	assert find_identity(text, [YAMADA, SUZUKI]) is None


def test_no_identities():
	assert find_identity("山田太郎", []) is None
	assert find_identity("山田太郎", [{}]) is None


def test_first_kind_is_reported_and_any_resident_counts():
	assert find_identity("鈴木花さんと山田太郎さん", [YAMADA, SUZUKI]) == "name"
	assert find_identity("090-1234-5678", [YAMADA, SUZUKI]) == "phone"


def test_latin_name_case_and_width():
	identity = {"full_name": "Maria Silva"}
	assert find_identity("visited ＭＡＲＩＡ　ＳＩＬＶＡ today", [identity]) == "name"
	assert find_identity("silva maria", [identity]) == "name"


def test_helpers():
	assert strip_html("<p>a&amp;b</p>") == "a&b"
	assert fold("やまだ　タロウ") == "ヤマダタロウ"
	assert fold("ﾀﾞ－") == "ダ-"
	assert phone_runs("tel: (072) 841-1221, fax 072-841-1222") == ["0728411221", "0728411222"]
	assert readings("<p>a</p>") == ["a", "<p>a</p>"]
	assert readings("a") == ["a"]


def test_phone_in_what_looks_like_a_tag():
	assert find_identity("電話<072-841-1221>", [YAMADA]) == "phone"


# The field mapping against the DocTypes' JSON
# --------------------------------------------

DOCTYPE_DIR = Path(__file__).resolve().parents[2] / "chiiki_care" / "chiiki_care" / "doctype"
TEXT_TYPES = {"Data", "Small Text", "Text", "Long Text", "Text Editor", "HTML Editor", "Markdown Editor"}


def _doctype(name):
	folder = name.lower().replace(" ", "_")
	return json.loads((DOCTYPE_DIR / folder / f"{folder}.json").read_text())


def _level_0_text_fields(name):
	"""Text fields at permission level 0, as "field" or "table.field" (tables at level 0 only)."""
	found = set()
	for df in _doctype(name)["fields"]:
		if df.get("permlevel", 0):
			continue
		if df["fieldtype"] in TEXT_TYPES and not df.get("options"):
			found.add(df["fieldname"])
		elif df["fieldtype"] == "Table":
			for child in _doctype(df["options"])["fields"]:
				if (
					child["fieldtype"] in TEXT_TYPES
					and not child.get("options")
					and not child.get("permlevel", 0)
				):
					found.add(f"{df['fieldname']}.{child['fieldname']}")
	return found


@pytest.mark.parametrize("doctype", sorted(FREE_TEXT_FIELDS))
def test_every_level_0_text_field_is_checked_or_explained(doctype):
	listed = set(FREE_TEXT_FIELDS[doctype])
	explained = set(NOT_CHECKED.get(doctype, {}))
	assert not listed & explained
	assert listed | explained == _level_0_text_fields(doctype)


def test_identity_level_fields_stay_identity_level():
	levels = {df["fieldname"]: df.get("permlevel", 0) for df in _doctype("Support Plan")["fields"]}
	assert levels["personal_goal"] == 1
	need = {df["fieldname"]: df.get("permlevel", 0) for df in _doctype("Need")["fields"]}
	assert all(
		need[f] == 1
		for f in (
			"resident",
			"resident_name",
			"unmet_troubles",
			"urgent_needs",
			"connection_and_purpose",
			"desired_life",
		)
	)


def test_resident_fields_exist():
	fields = {df["fieldname"] for df in _doctype("Resident")["fields"]}
	assert set(RESIDENT_FIELDS.values()) <= fields
