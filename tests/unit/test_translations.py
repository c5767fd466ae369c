"""The Japanese translation file covers every user-facing string of the app (no Frappe needed).

Run: python3 -m pytest -q tests/unit/test_translations.py
To list what is missing: python3 tests/unit/strings.py
"""

import itertools
import sys
from collections import Counter
from pathlib import Path

import pytest

REPO_ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(Path(__file__).resolve().parent))

import strings  # the extractor next to this file

# Sources whose translation may be written without Japanese characters (proper nouns,
# identifiers, units). Keep it short: a label shown to users should read as Japanese.
ALLOWED_NON_JAPANESE = frozenset()


def _show(messages):
	return "\n".join(f"  {message!r}" for message in messages)


@pytest.fixture(scope="module")
def rows():
	assert strings.JA_CSV == REPO_ROOT / "chiiki_care" / "translations" / "ja.csv"
	assert strings.JA_CSV.exists(), f"missing translation file {strings.JA_CSV}"
	return strings.read_translation_rows()


@pytest.fixture(scope="module")
def translations(rows):
	return {row[0]: row[1] if len(row) > 1 else "" for row in rows}


@pytest.fixture(scope="module")
def sources():
	return strings.all_strings()


def test_extractor_finds_the_app_strings(sources):
	# Guard against the extractor silently finding nothing (a moved folder, a changed format).
	for expected in (
		"Chiiki Care",
		"Layer 1 Coordinator",
		"Support Plan",
		"Support Plan Monitoring",
		"Next Review Date",
		"Lifted to Community Issue",
		"Troubles Formal Services Cannot Handle",
		"A need is listed more than once.",
	):
		assert expected in sources, f"extractor did not find {expected!r}"
	kinds = {
		"DocType JSON": strings.doctype_strings(),
		"role fixtures": strings.role_strings(),
		"Python _() messages": strings.python_strings(),
	}
	for kind, found in kinds.items():
		assert found, f"no strings found in {kind}"


def test_rows_are_well_formed(rows):
	bad = [row for row in rows if len(row) not in (2, 3)]
	assert not bad, "rows must be source,translation[,context]:\n" + _show(bad)
	padded = [row[0] for row in rows if row[0] != row[0].strip() or row[1] != row[1].strip()]
	assert not padded, "sources and translations must not start or end with spaces:\n" + _show(padded)


def test_no_duplicate_sources(rows):
	counts = Counter((row[0], row[2] if len(row) > 2 else "") for row in rows)
	duplicates = sorted(source for (source, _), count in counts.items() if count > 1)
	assert not duplicates, "sources listed more than once in ja.csv:\n" + _show(duplicates)


def test_rows_are_sorted_by_source(rows):
	keys = [(row[0], row[2] if len(row) > 2 else "") for row in rows]
	out_of_order = [key[0] for key, following in itertools.pairwise(keys) if key > following]
	assert not out_of_order, "ja.csv must be sorted by source; out of order after:\n" + _show(out_of_order)


def test_every_user_facing_string_is_translated(sources, translations):
	missing = sorted(message for message in sources if not translations.get(message, "").strip())
	details = [f"{message!r}  ({sources[message]})" for message in missing]
	assert not missing, f"{len(missing)} strings have no Japanese translation in ja.csv:\n  " + "\n  ".join(
		details
	)


def test_placeholders_are_kept(translations):
	problems = []
	for source, translation in sorted(translations.items()):
		try:
			expected = strings.placeholders(source)
		except ValueError as error:
			problems.append(f"{source!r}: source has broken braces ({error})")
			continue
		try:
			actual = strings.placeholders(translation)
		except ValueError as error:
			problems.append(f"{source!r}: translation has broken braces ({error})")
			continue
		if expected != actual:
			problems.append(
				f"{source!r}: expected {sorted(expected)}, got {sorted(actual)} in {translation!r}"
			)
	assert not problems, "placeholders differ between source and translation:\n  " + "\n  ".join(problems)


def test_translations_are_japanese(translations):
	not_japanese = sorted(
		source
		for source, translation in translations.items()
		if source not in ALLOWED_NON_JAPANESE and not strings.has_japanese(translation)
	)
	assert not not_japanese, "translations without any kana or kanji:\n" + _show(not_japanese)


def test_no_message_is_built_before_translation():
	built = strings.python_built_messages()
	assert not built, (
		"_() gets a message built at run time (f-string, + or .format inside), which no "
		"translation row can match; pass the literal and format the result instead:\n  " + "\n  ".join(built)
	)


def test_key_terms_follow_the_design(translations):
	"""The DESIGN.md §7 terms, so a later edit of a row cannot drift from them unnoticed."""
	expected = {
		"Chiiki Care": "地域包括ケア",
		"District": "地区",
		"City": "市全域",
		"Daily-life Area": "日常生活圏域",
		"School District": "小学校区",
		"Council": "協議体",
		"Council Meeting": "会議記録",
		"Council Member": "協議体メンバー",
		"Coordinator": "生活支援コーディネーター",
		"Layer 1 Coordinator": "第1層生活支援コーディネーター",
		"Layer 2 Coordinator": "第2層生活支援コーディネーター",
		"Layer 3 Coordinator": "第3層生活支援コーディネーター",
		"Chiiki Care Manager": "地域包括ケア推進課 担当者",
		"Support Center": "高齢者サポートセンター",
		"Support Center Staff": "高齢者サポートセンター職員",
		"Resident": "対象者",
		"Need": "生活支援ニーズ",
		"Need Category": "ニーズ分類",
		"Support Plan": "支援プラン",
		"Community Issue": "地域課題",
		"Community Resource": "地域資源",
		"Monitoring Log": "モニタリング記録",
		"Next Review Date": "次回見直し日",
		"Consent to Share Information": "情報共有の同意",
		"Troubles Formal Services Cannot Handle": "制度で対応できない困りごと",
		"Temporary or Urgent Needs": "一時的・即時対応が必要なニーズ",
		"Connection, Enjoyment and Purpose": "人とのつながり・楽しみ・生きがい",
		"How the Person Wants to Live": "本人の望む暮らし",
		"Formal Service": "制度的なサービス",
		"Self-pay or Informal Service": "自費・インフォーマルサービス",
		"Social Participation": "つながり・社会参加",
		"Watching Over": "見守り",
	}
	wrong = [
		f"{source!r}: expected {japanese!r}, got {translations.get(source)!r}"
		for source, japanese in expected.items()
		if translations.get(source) != japanese
	]
	assert not wrong, "key terms differ from DESIGN.md §7:\n  " + "\n  ".join(wrong)
