"""A municipality's district table as CSV, read and checked in plain Python (no Frappe).

The pure half of `bench chiiki-care-load-districts` (`chiiki_care.setup.districts` writes the rows
with Frappe): `parse_district_csv` reads the table (English or Japanese headers and type names,
UTF-8 or Shift_JIS via `decode_csv_bytes`), `check_district_rows` finds every problem per row
against the districts already on the site, `order_district_rows` puts parents before children,
and `district_rows_to_csv` writes the loader's own format (the inverse of `parse_district_csv`).
Each problem is a `RowProblem` code; `chiiki_care.setup.districts.problem_message` words it.
"""

import csv
import datetime
import io
import unicodedata
from dataclasses import dataclass

from chiiki_care.domain import rules

D = datetime.date

CITY = rules.CITY
AREA = rules.DAILY_LIFE_AREA
SCHOOL = rules.SCHOOL_DISTRICT

DISTRICT_COLUMNS = (
	"district_name",
	"district_type",
	"parent_district",
	"support_center",
	"population_total",
	"population_65_plus",
	"population_as_of",
	"is_illustrative",
	"description",
)
REQUIRED_COLUMNS = ("district_name", "district_type")

# Column headers a municipality may use instead of the field names.
COLUMN_ALIASES = {
	"地区名": "district_name",
	"名称": "district_name",
	"種別": "district_type",
	"地区種別": "district_type",
	"上位地区": "parent_district",
	"親地区": "parent_district",
	"高齢者サポートセンター": "support_center",
	"地域包括支援センター": "support_center",
	"担当センター": "support_center",
	"総人口": "population_total",
	"人口": "population_total",
	"65歳以上人口": "population_65_plus",
	"高齢者人口": "population_65_plus",
	"基準日": "population_as_of",
	"人口基準日": "population_as_of",
	"例示": "is_illustrative",
	"説明": "description",
	"備考": "description",
}

DISTRICT_TYPE_ALIASES = {
	"city": CITY,
	"市全域": CITY,
	"市": CITY,
	"daily-life area": AREA,
	"daily life area": AREA,
	"日常生活圏域": AREA,
	"圏域": AREA,
	"school district": SCHOOL,
	"小学校区": SCHOOL,
	"校区": SCHOOL,
}
TYPE_DEPTH = {CITY: 0, AREA: 1, SCHOOL: 2}
TRUE_WORDS = {"1", "yes", "true", "y", "はい", "○", "〇"}
FALSE_WORDS = {"", "0", "no", "false", "n", "いいえ"}


@dataclass
class DistrictRow:
	line: int
	district_name: str
	district_type: str
	parent_district: str = ""
	support_center: str = ""
	population_total: int | None = None
	population_65_plus: int | None = None
	population_as_of: D | None = None
	is_illustrative: int = 0
	description: str = ""


@dataclass(frozen=True)
class RowProblem:
	"""One problem found in a district CSV. `line` is the file's line number (0: the file as a whole)."""

	line: int
	code: str
	args: tuple = ()


def _clean(value) -> str:
	return unicodedata.normalize("NFKC", value or "").strip()


def normalize_district_type(value: str) -> str | None:
	text = _clean(value)
	if text in (CITY, AREA, SCHOOL):
		return text
	return DISTRICT_TYPE_ALIASES.get(text.lower())


def parse_int(value: str) -> int | None:
	"""'12,345', '１２３４５' or '12345人' as an int; '' as None; ValueError otherwise."""
	text = _clean(value).replace(",", "").replace("人", "").strip()
	if not text:
		return None
	return int(text)


def parse_date(value: str) -> D | None:
	"""ISO, slashes or 2024年3月31日; '' as None; ValueError otherwise."""
	text = _clean(value)
	if not text:
		return None
	for separator in ("-", "/", "."):
		if separator in text:
			year, month, day = text.split(separator)
			return D(int(year), int(month), int(day))
	if text.endswith("日") and "年" in text and "月" in text:
		year, rest = text[:-1].split("年")
		month, day = rest.split("月")
		return D(int(year), int(month), int(day))
	raise ValueError(text)


def decode_csv_bytes(data: bytes) -> str:
	"""UTF-8 (with or without BOM) or, as Excel on Japanese Windows saves it, Shift_JIS (cp932)."""
	try:
		return data.decode("utf-8-sig")
	except UnicodeDecodeError:
		return data.decode("cp932")


def parse_district_csv(text: str) -> tuple[list[DistrictRow], list[RowProblem]]:
	"""Rows of a district CSV and the problems that make values unreadable.

	Every data row is returned, unreadable values as None, so that `check_district_rows` can report
	the problems of the file as a whole in the same pass. Load nothing while any problem remains.
	"""
	reader = csv.reader(io.StringIO(text))
	try:
		header = next(reader)
	except StopIteration:
		return [], [RowProblem(0, "empty_file")]
	columns = []
	problems = []
	for raw in header:
		name = _clean(raw)
		name = COLUMN_ALIASES.get(name, name.lower())
		if name not in DISTRICT_COLUMNS:
			problems.append(RowProblem(1, "unknown_column", (_clean(raw),)))
		columns.append(name)
	for required in REQUIRED_COLUMNS:
		if required not in columns:
			problems.append(RowProblem(1, "missing_column", (required,)))
	duplicated = sorted({c for c in columns if columns.count(c) > 1})
	for name in duplicated:
		problems.append(RowProblem(1, "duplicate_column", (name,)))
	if problems:
		return [], problems

	rows = []
	for line, values in enumerate(reader, start=2):
		if not any(_clean(v) for v in values):
			continue
		if len(values) > len(columns):
			problems.append(RowProblem(line, "too_many_values", (len(values), len(columns))))
			continue
		record = dict(zip(columns, values + [""] * (len(columns) - len(values)), strict=True))
		row, row_problems = _read_row(line, record)
		problems.extend(row_problems)
		rows.append(row)
	if not rows and not problems:
		problems.append(RowProblem(0, "no_rows"))
	return rows, problems


def _read_row(line: int, record: dict) -> tuple[DistrictRow, list[RowProblem]]:
	"""The row as far as it could be read (unreadable values as None) and what could not be read."""
	problems = []
	name = _clean(record.get("district_name"))
	if not name:
		problems.append(RowProblem(line, "missing_name"))
	raw_type = _clean(record.get("district_type"))
	district_type = normalize_district_type(raw_type)
	if not raw_type:
		problems.append(RowProblem(line, "missing_type", (name,)))
	elif not district_type:
		problems.append(RowProblem(line, "unknown_type", (name, raw_type)))
	numbers = {}
	for fieldname in ("population_total", "population_65_plus"):
		try:
			numbers[fieldname] = parse_int(record.get(fieldname, ""))
		except ValueError:
			problems.append(
				RowProblem(line, "not_a_number", (name, fieldname, _clean(record.get(fieldname))))
			)
			numbers[fieldname] = None
	try:
		as_of = parse_date(record.get("population_as_of", ""))
	except ValueError:
		problems.append(RowProblem(line, "not_a_date", (name, _clean(record.get("population_as_of")))))
		as_of = None
	flag = _clean(record.get("is_illustrative")).lower()
	if flag not in TRUE_WORDS | FALSE_WORDS:
		problems.append(RowProblem(line, "not_a_flag", (name, flag)))
	return (
		DistrictRow(
			line=line,
			district_name=name,
			district_type=district_type,
			parent_district=_clean(record.get("parent_district")),
			support_center=_clean(record.get("support_center")),
			population_total=numbers["population_total"],
			population_65_plus=numbers["population_65_plus"],
			population_as_of=as_of,
			is_illustrative=int(flag in TRUE_WORDS),
			description=(record.get("description") or "").strip(),
		),
		problems,
	)


def check_district_rows(
	rows: list[DistrictRow], existing: dict[str, str] | None = None, today: D | None = None
) -> list[RowProblem]:
	"""Every problem of the rows as a whole, given the districts already on the site (name -> type).

	A row may update an existing district of the same name and type; it may not change a type,
	make a second city, or hang under a parent of the wrong type (City > Daily-life Area > School District).
	"""
	existing = existing or {}
	problems = []
	seen = {}
	for row in rows:
		if not row.district_name:
			continue
		if row.district_name in seen:
			problems.append(
				RowProblem(row.line, "duplicate_name", (row.district_name, seen[row.district_name]))
			)
		else:
			seen[row.district_name] = row.line
	types = dict(existing)
	types.update({row.district_name: row.district_type for row in rows if row.district_name})

	cities_in_file = [row for row in rows if row.district_type == CITY]
	for row in cities_in_file[1:]:
		problems.append(RowProblem(row.line, "second_city_in_file", (row.district_name,)))
	existing_cities = sorted(name for name, kind in existing.items() if kind == CITY)
	for row in cities_in_file[:1]:
		others = [name for name in existing_cities if name != row.district_name]
		if others:
			problems.append(RowProblem(row.line, "city_exists", (row.district_name, others[0])))

	for row in rows:
		name = row.district_name
		if not name or not row.district_type:
			continue  # already reported as unreadable
		if name in existing and existing[name] != row.district_type:
			problems.append(RowProblem(row.line, "type_change", (name, existing[name], row.district_type)))
		expected_parent = rules.expected_parent_type(row.district_type)
		if expected_parent is None:
			if row.parent_district:
				problems.append(RowProblem(row.line, "city_with_parent", (name,)))
		elif not row.parent_district:
			problems.append(
				RowProblem(row.line, "missing_parent", (name, row.district_type, expected_parent))
			)
		elif row.parent_district == name:
			problems.append(RowProblem(row.line, "own_parent", (name,)))
		elif row.parent_district not in types:
			problems.append(RowProblem(row.line, "unknown_parent", (name, row.parent_district)))
		elif types[row.parent_district] and types[row.parent_district] != expected_parent:
			problems.append(
				RowProblem(
					row.line,
					"wrong_parent_type",
					(name, row.district_type, expected_parent, row.parent_district),
				)
			)
		for fieldname in ("population_total", "population_65_plus"):
			value = getattr(row, fieldname)
			if value is not None and value < 0:
				problems.append(RowProblem(row.line, "negative", (name, fieldname)))
		if (
			row.population_total is not None
			and row.population_65_plus is not None
			and row.population_65_plus > row.population_total
		):
			problems.append(RowProblem(row.line, "aged_exceeds_total", (name,)))
		if today and row.population_as_of and row.population_as_of > today:
			problems.append(RowProblem(row.line, "future_date", (name, row.population_as_of.isoformat())))
	return sorted(problems, key=lambda p: (p.line, p.code))


def order_district_rows(rows: list[DistrictRow]) -> list[DistrictRow]:
	"""Parents before children: by level of the tree, and in file order within a level."""
	return sorted(rows, key=lambda row: (TYPE_DEPTH[row.district_type], row.line))


def district_rows_to_csv(rows: list[DistrictRow], japanese_types: bool = True) -> str:
	"""The loader's own format (the inverse of `parse_district_csv`)."""
	type_label = {CITY: "市全域", AREA: "日常生活圏域", SCHOOL: "小学校区"}
	out = io.StringIO()
	writer = csv.writer(out, lineterminator="\n")
	writer.writerow(DISTRICT_COLUMNS)
	for row in rows:
		writer.writerow(
			[
				row.district_name,
				type_label[row.district_type] if japanese_types else row.district_type,
				row.parent_district,
				row.support_center,
				"" if row.population_total is None else row.population_total,
				"" if row.population_65_plus is None else row.population_65_plus,
				row.population_as_of.isoformat() if row.population_as_of else "",
				row.is_illustrative,
				row.description,
			]
		)
	return out.getvalue()
