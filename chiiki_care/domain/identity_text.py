"""Does a free text carry who a resident is? Plain Python (no Frappe), so it is easy to test.

Free text that Layer 1/2 coordinators and council members read (permission level 0) must not
carry a resident's identity: the full name, the name in kana, the address or the phone number
(DESIGN.md §4). `find_identity` tells which of these occurs in a text; the checks on save are in
`chiiki_care.access.identity_text_checks`.

Both the text and the stored values are folded before comparing: HTML tags and entities removed
(Text Editor fields and comments hold HTML), NFKC (full-width letters and digits to half-width,
half-width katakana to full-width), lower case, hiragana to katakana, every kind of dash to "-",
and all whitespace (ASCII and full-width) and invisible format characters removed. So
「山田　太郎さん」, "<p>山田&nbsp;太郎</p>" and 「やまだたろう」 all carry 山田 太郎 / ヤマダ タロウ.
Phone numbers are compared on their digits only (hyphens, parentheses, spaces ignored).
"""

import html
import re
import unicodedata
from collections.abc import Iterable, Mapping

NAME = "name"
KANA = "kana"
ADDRESS = "address"
PHONE = "phone"
# in the order they are looked for (the first found is reported)
KINDS = (NAME, KANA, ADDRESS, PHONE)

# which Resident field holds each kind
RESIDENT_FIELDS = {NAME: "full_name", KANA: "full_name_kana", ADDRESS: "address", PHONE: "phone"}

MIN_NAME_LENGTH = 2  # a one-character value would match almost any text
MIN_ADDRESS_LENGTH = 6  # "枚方市" alone is not an address
MIN_PHONE_DIGITS = 8

HIRAGANA_START, HIRAGANA_END, KATAKANA_OFFSET = 0x3041, 0x3096, 0x60
DASHES = "-‐‑‒–—―−－ー─━ｰ"
TAG = re.compile(r"<[^>]*>")
# a run of digits with what people put between them in a phone number
PHONE_RUN = re.compile(r"[0-9+][0-9\s\-().+]*")
POSTAL_CODE = re.compile(r"^〒?[0-9]{3}-?[0-9]{4}")
PREFECTURE = re.compile(r"^(東京都|北海道|(?:京都|大阪)府|.{2,3}?県)")
# 2丁目1番20号, 2丁目1番地20 and 2-1-20 alike
BLOCK_NUMBER = re.compile(r"([0-9])(?:丁目|番地|番)-?(?=[0-9])")
HOUSE_NUMBER_END = re.compile(r"([0-9])(?:号|番地|番)")


def strip_html(text: str | None) -> str:
	"""The text of an HTML fragment: tags removed, entities (&nbsp;, &#x5c71;) decoded."""
	if not text:
		return ""
	return html.unescape(TAG.sub("", str(text)))


def _width_folded(text: str) -> str:
	"""NFKC, lower case, one kind of dash (spaces kept)."""
	folded = unicodedata.normalize("NFKC", text).casefold()
	return "".join("-" if ch in DASHES else ch for ch in folded)


def readings(text: str | None) -> list[str]:
	"""The text as HTML (tags removed, entities decoded) and, when that differs, as it is written
	(entities decoded): a plain-text field may hold "<山田 太郎>", which is not a tag to its readers."""
	if not text:
		return []
	as_html, as_written = strip_html(text), html.unescape(str(text))
	return [as_html] if as_html == as_written else [as_html, as_written]


def fold(text: str | None) -> str:
	"""Fold a text or a stored value for comparison (see the module's docstring)."""
	return _fold_plain(strip_html(text))


def _fold_plain(text: str) -> str:
	chars = []
	for ch in _width_folded(text):
		code = ord(ch)
		if HIRAGANA_START <= code <= HIRAGANA_END:
			ch = chr(code + KATAKANA_OFFSET)
		if ch.isspace() or unicodedata.category(ch) == "Cf":
			continue
		chars.append(ch)
	return "".join(chars)


def digits(text: str | None) -> str:
	return "".join(ch for ch in _width_folded(text or "") if "0" <= ch <= "9")


def phone_runs(text: str | None) -> list[str]:
	"""The digits of each number written in the text, separators (hyphens, brackets, spaces) ignored."""
	runs = (digits(run) for reading in readings(text) for run in PHONE_RUN.findall(_width_folded(reading)))
	return [run for run in runs if run]


def _name_variants(value: str | None) -> set[str]:
	"""A name with its spaces removed and, when it has a space, also given name before family name."""
	if not value:
		return set()
	variants = {fold(value)}
	parts = [fold(part) for part in _width_folded(value).split()]
	parts = [part for part in parts if part]
	if len(parts) >= 2:
		variants.add("".join(parts[1:] + parts[:1]))
	return {variant for variant in variants if len(variant) >= MIN_NAME_LENGTH}


def fold_address(text: str | None) -> str:
	"""`fold`, with 丁目/番/番地/号 after a number written as hyphens (2丁目1番20号 as 2-1-20)."""
	return _house_numbers(fold(text))


def _house_numbers(folded: str) -> str:
	return HOUSE_NUMBER_END.sub(r"\1", BLOCK_NUMBER.sub(r"\1-", folded))


def _address_variants(value: str | None) -> set[str]:
	"""The address with spaces removed; also without a leading postal code and prefecture."""
	whole = fold_address(value)
	variants = {whole}
	rest = POSTAL_CODE.sub("", whole)
	variants.add(rest)
	variants.add(PREFECTURE.sub("", rest))
	return {variant for variant in variants if len(variant) >= MIN_ADDRESS_LENGTH}


def _phone_variants(value: str | None) -> set[str]:
	"""The phone's digits; a national number (0…) also in international form (81…) and back."""
	number = digits(value)
	variants = {number}
	if number.startswith("0"):
		variants.add("81" + number[1:])
	elif number.startswith("81"):
		variants.add("0" + number[2:])
	return {variant for variant in variants if len(variant) >= MIN_PHONE_DIGITS}


class IdentityMatcher:
	"""The identities of some residents, folded once, to look for in many texts."""

	def __init__(self, identities: Iterable[Mapping]):
		self.patterns = {kind: set() for kind in KINDS}
		for identity in identities:
			get = identity.get
			self.patterns[NAME] |= _name_variants(get(RESIDENT_FIELDS[NAME]))
			self.patterns[KANA] |= _name_variants(get(RESIDENT_FIELDS[KANA]))
			self.patterns[ADDRESS] |= _address_variants(get(RESIDENT_FIELDS[ADDRESS]))
			self.patterns[PHONE] |= _phone_variants(get(RESIDENT_FIELDS[PHONE]))

	def __bool__(self) -> bool:
		return any(self.patterns.values())

	def find(self, text: str | None) -> str | None:
		"""The first kind of identity (KINDS) that occurs in `text`, or None."""
		if not text or not self:
			return None
		folded = [_fold_plain(reading) for reading in readings(text)]
		for kind in (NAME, KANA):
			if any(pattern in f for f in folded for pattern in self.patterns[kind]):
				return kind
		if self.patterns[ADDRESS]:
			for f in folded:
				address_folded = _house_numbers(f)
				if any(pattern in address_folded for pattern in self.patterns[ADDRESS]):
					return ADDRESS
		if self.patterns[PHONE]:
			for run in phone_runs(text):
				if any(pattern in run for pattern in self.patterns[PHONE]):
					return PHONE
		return None


def find_identity(text: str | None, identities: Iterable[Mapping]) -> str | None:
	"""Which kind of identity ("name", "kana", "address", "phone") of `identities` occurs in `text`.

	`identities` are mappings with the Resident's fieldnames: full_name, full_name_kana, address,
	phone (missing or empty values are skipped). Returns None when the text carries none of them.
	"""
	return IdentityMatcher(identities).find(text)


# Free text at permission level 0 of the DocTypes that concern residents, which Layer 1/2
# coordinators and council members read: refused on save when it carries the identity of a resident
# the document concerns (chiiki_care.access.identity_text_checks). "table.field" is a field of a child table.
# Comments (Comment.content) on these DocTypes are checked too. README: "Free text and identity".
FREE_TEXT_FIELDS = {
	# the four lenses and the resident's name are at permission level 1 (identity level)
	"Need": [],
	"Support Plan": [
		"title",
		"goal",
		"actions.description",
		"actions.responsible",
		"monitoring.observation",
	],
	"Community Issue": ["title", "description"],
	"Council Meeting": [
		"title",
		"venue",
		"agenda",
		"minutes",
		"decisions",
		"plan_reports",
		"issues_discussed.discussion",
		"issues_discussed.decision",
		"follow_ups.description",
	],
}

# Text fields at permission level 0 of those DocTypes that are not checked, and why.
NOT_CHECKED = {
	"Community Issue": {"need_summary": "written by the app: counts of needs by category"},
	"Council Meeting": {
		"attendees.attendee_name": "the council's own attendees, whom its members know",
		"attendees.organisation": "the attendees' organisations",
	},
}
