"""Domain rules of community-based care, in plain Python (no Frappe), so they are easy to test.

Controllers call these and turn a broken rule into a Japanese message.
"""

import datetime
import re
import unicodedata

from chiiki_care.domain.statuses import FINISHED_PLAN_STATUSES

CITY = "City"
DAILY_LIFE_AREA = "Daily-life Area"
SCHOOL_DISTRICT = "School District"

# District tree: 市全域 → 日常生活圏域 → 小学校区
PARENT_TYPE = {CITY: None, DAILY_LIFE_AREA: CITY, SCHOOL_DISTRICT: DAILY_LIFE_AREA}

OLDEST_PLAUSIBLE_BIRTH_YEAR = 1900
REVIEW_INTERVAL_WEEKS = (1, 52)  # the shortest and longest interval between a plan's reviews
SMALL_COUNT_THRESHOLD = 3


def is_future(value: datetime.date | None, today: datetime.date) -> bool:
	return bool(value) and value > today


def is_implausibly_old(birth_date: datetime.date | None) -> bool:
	return bool(birth_date) and birth_date.year < OLDEST_PLAUSIBLE_BIRTH_YEAR


def age_on(birth_date: datetime.date, today: datetime.date) -> int:
	before_birthday = (today.month, today.day) < (birth_date.month, birth_date.day)
	return today.year - birth_date.year - before_birthday


def expected_parent_type(district_type: str) -> str | None:
	return PARENT_TYPE[district_type]


def is_group_type(district_type: str) -> bool:
	return district_type != SCHOOL_DISTRICT


def coordinator_district_problem(layer: str, district_types: list[str]) -> str | None:
	"""What is wrong with the districts a coordinator of `layer` covers, or None.

	Layer 1 works city-wide: it covers the city. Layers 2 and 3 work in areas or school districts:
	they cover at least one, and never the whole city.
	"""
	if layer == "Layer 1":
		if district_types and set(district_types) != {CITY}:
			return "layer_1_not_city"
		return None
	if not district_types:
		return "no_districts"
	if CITY in district_types:
		return "city_below_layer_1"
	return None


def council_district_problem(layer: str, district_type: str | None) -> str | None:
	"""A layer-1 council serves the city; a layer-2 council (元気づくり・地域づくり会議) one area or school district."""
	if layer == "Layer 2":
		if not district_type:
			return "layer_2_without_district"
		if district_type == CITY:
			return "layer_2_city"
	if layer == "Layer 1" and district_type and district_type != CITY:
		return "layer_1_not_city"
	return None


def is_review_interval(weeks) -> bool:
	low, high = REVIEW_INTERVAL_WEEKS
	return isinstance(weeks, int) and low <= weeks <= high


def next_review_date(
	start_date: datetime.date,
	interval_weeks: int,
	monitoring: list[tuple[datetime.date, datetime.date | None]],
) -> datetime.date:
	"""Next review: the one the latest monitoring entry set, else its date plus the interval, else start plus interval.

	`monitoring` holds (monitoring_date, next_review_date or None) pairs in any order.
	"""
	interval = datetime.timedelta(weeks=interval_weeks)
	if not monitoring:
		return start_date + interval
	last_date, last_next = max(monitoring, key=lambda entry: entry[0])
	return last_next or last_date + interval


def plan_next_review_date(
	status: str,
	start_date: datetime.date,
	interval_weeks: int,
	monitoring: list[tuple[datetime.date, datetime.date | None]],
) -> datetime.date | None:
	"""A plan's next review: none once the plan is finished, else `next_review_date`."""
	if status in FINISHED_PLAN_STATUSES:
		return None
	return next_review_date(start_date, interval_weeks, monitoring)


def is_overdue(review_date: datetime.date | None, today: datetime.date) -> bool:
	return bool(review_date) and review_date < today


HIRAGANA_START, HIRAGANA_END = 0x3041, 0x3096
# How often a community resource's details are to be checked again, in months
VERIFICATION_INTERVAL_MONTHS = (1, 60)
DEFAULT_VERIFICATION_INTERVAL_MONTHS = 12


def is_verification_interval(months) -> bool:
	low, high = VERIFICATION_INTERVAL_MONTHS
	return isinstance(months, int) and low <= months <= high


def add_months(day: datetime.date, months: int) -> datetime.date:
	"""The same day `months` later, or the month's last day when it has no such day."""
	month_index = day.year * 12 + day.month - 1 + months
	year, month = divmod(month_index, 12)
	month += 1
	following = datetime.date(year + (month == 12), month % 12 + 1, 1)
	return datetime.date(year, month, min(day.day, (following - datetime.timedelta(days=1)).day))


def verification_due_on(
	last_verified_on: datetime.date | None, recorded_on: datetime.date, interval_months: int
) -> datetime.date:
	"""When a resource's details are next to be checked: `interval_months` after they were last
	checked, or after the resource was recorded if they never were."""
	return add_months(last_verified_on or recorded_on, interval_months)


def is_verification_overdue(due_on: datetime.date | None, today: datetime.date) -> bool:
	return bool(due_on) and due_on < today


KATAKANA_OFFSET = 0x60


def normalize_kana(text: str) -> str:
	"""Fold a kana name for comparison: NFKC (half-width to full-width), hiragana to katakana, no spaces."""
	folded = unicodedata.normalize("NFKC", text or "")
	chars = []
	for ch in folded:
		code = ord(ch)
		if HIRAGANA_START <= code <= HIRAGANA_END:
			ch = chr(code + KATAKANA_OFFSET)
		if not ch.isspace():
			chars.append(ch)
	return "".join(chars)


def is_kana(text: str) -> bool:
	"""True when `text` is written in kana only (hiragana, katakana, long vowel mark, spaces)."""
	folded = normalize_kana(text)
	return bool(folded) and all("\u30a1" <= ch <= "\u30fa" or ch in "ーヽヾ・" for ch in folded)


def mask_small_count(count: int, threshold: int = SMALL_COUNT_THRESHOLD) -> int | str:
	"""Counts below the threshold could point at a person: show them as '<3'."""
	if 0 < count < threshold:
		return f"<{threshold}"
	return count


# Japanese era dates (和暦)
ERAS = {
	"明治": ("M", datetime.date(1868, 1, 25), datetime.date(1912, 7, 29)),
	"大正": ("T", datetime.date(1912, 7, 30), datetime.date(1926, 12, 24)),
	"昭和": ("S", datetime.date(1926, 12, 25), datetime.date(1989, 1, 7)),
	"平成": ("H", datetime.date(1989, 1, 8), datetime.date(2019, 4, 30)),
	"令和": ("R", datetime.date(2019, 5, 1), None),
}
ERA_BY_LETTER = {letter: name for name, (letter, _start, _end) in ERAS.items()}
WAREKI_PATTERN = re.compile(
	r"^(明治|大正|昭和|平成|令和|[MTSHR])\s*(元|\d{1,2})\s*[年.\-/]\s*(\d{1,2})\s*[月.\-/]\s*(\d{1,2})\s*日?$"
)


def parse_wareki(text: str | None) -> datetime.date | None:
	"""A date written in the Japanese era calendar (昭和15年4月1日, S15.4.1, 平成元年1月8日), or None.

	Full-width digits and letters are accepted; a date outside its era is not."""
	folded = unicodedata.normalize("NFKC", text or "").strip().upper()
	match = WAREKI_PATTERN.match(folded)
	if not match:
		return None
	era, year, month, day = match.groups()
	era = ERA_BY_LETTER.get(era, era)
	_letter, start, end = ERAS[era]
	try:
		value = datetime.date(start.year - 1 + (1 if year == "元" else int(year)), int(month), int(day))
	except ValueError:
		return None
	if value < start or (end and value > end):
		return None
	return value


def format_wareki(value: datetime.date) -> str:
	"""昭和15年4月1日 for 1940-04-01 (元年 for an era's first year)."""
	for era, (_letter, start, end) in ERAS.items():
		if value >= start and (end is None or value <= end):
			year = value.year - start.year + 1
			return f"{era}{'元' if year == 1 else year}年{value.month}月{value.day}日"
	return value.isoformat()


def normalize_name(text: str | None) -> str:
	"""Fold a name or address for comparison: NFKC, no spaces, one kind of hyphen."""
	folded = unicodedata.normalize("NFKC", text or "")
	for dash in "－ー―‐−–—":
		folded = folded.replace(dash, "-")
	return "".join(ch for ch in folded if not ch.isspace())
