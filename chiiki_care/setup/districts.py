"""The district CSV loader on a Frappe site (`bench chiiki-care-load-districts`, and the demo).

`load_districts_file` / `load_district_rows` create or update a municipality's own District tree,
all or nothing; the rows are read and checked in plain Python by `chiiki_care.setup.district_csv`.
"""

import frappe
from frappe import _
from frappe.utils import getdate, today

from chiiki_care.setup import district_csv


def print_line(message: str = ""):
	"""Progress for a bench command (flushed: a long load shows as it goes)."""
	print(message, flush=True)


class DistrictLoadError(frappe.ValidationError):
	"""A district file with problems; `messages` lists every one of them."""

	def __init__(self, messages: list[str]):
		super().__init__("\n".join(messages))
		self.messages = messages


def _district_label(fieldname: str) -> str:
	return _(frappe.get_meta("District").get_label(fieldname))


def problem_message(problem: district_csv.RowProblem) -> str:
	"""A translated message for one problem found by `demo_district_csv.parse_district_csv` / `check_district_rows`."""
	a = problem.args
	line = problem.line
	code = problem.code
	if code == "empty_file":
		return _("The file is empty.")
	if code == "no_rows":
		return _("The file has a header but no district rows.")
	if code == "unknown_column":
		return _("Line {0}: unknown column {1}. Allowed columns: {2}.").format(
			line, a[0], ", ".join(district_csv.DISTRICT_COLUMNS)
		)
	if code == "missing_column":
		return _("Line {0}: the required column {1} is missing.").format(line, a[0])
	if code == "duplicate_column":
		return _("Line {0}: the column {1} appears more than once.").format(line, a[0])
	if code == "too_many_values":
		return _("Line {0}: {1} values but only {2} columns.").format(line, a[0], a[1])
	if code == "missing_name":
		return _("Line {0}: the district name is empty.").format(line)
	if code == "missing_type":
		return _("Line {0}: district {1} has no district type.").format(line, a[0])
	if code == "unknown_type":
		return _(
			"Line {0}: district {1} has an unknown district type {2}; use City, Daily-life Area or School District (or 市全域, 日常生活圏域 or 小学校区)."
		).format(line, a[0], a[1])
	if code == "not_a_number":
		return _("Line {0}: district {1}: {2} must be a whole number, not {3}.").format(
			line, a[0], _district_label(a[1]), a[2]
		)
	if code == "not_a_date":
		return _("Line {0}: district {1}: {2} is not a date (write it as YYYY-MM-DD).").format(
			line, a[0], a[1]
		)
	if code == "not_a_flag":
		return _("Line {0}: district {1}: is_illustrative must be 1 or 0, not {2}.").format(line, a[0], a[1])
	if code == "duplicate_name":
		return _("Line {0}: district {1} already appears on line {2}.").format(line, a[0], a[1])
	if code == "second_city_in_file":
		return _("Line {0}: {1} would be a second city; there is exactly one city district.").format(
			line, a[0]
		)
	if code == "city_exists":
		return _("Line {0}: the site already has the city district {1}; {2} would be a second city.").format(
			line, a[1], a[0]
		)
	if code == "type_change":
		return _("Line {0}: district {1} exists as a {2}; its type cannot change to {3}.").format(
			line, a[0], _(a[1]), _(a[2])
		)
	if code == "city_with_parent":
		return _("Line {0}: the city {1} is the top of the tree and has no parent district.").format(
			line, a[0]
		)
	if code == "missing_parent":
		return _("Line {0}: {1} is a {2} and needs a parent district of type {3}.").format(
			line, a[0], _(a[1]), _(a[2])
		)
	if code == "own_parent":
		return _("Line {0}: district {1} cannot be its own parent.").format(line, a[0])
	if code == "unknown_parent":
		return _("Line {0}: the parent district {1} of {2} is neither in the file nor on the site.").format(
			line, a[1], a[0]
		)
	if code == "wrong_parent_type":
		return _("Line {0}: {1} is a {2} and must sit under a {3}, but {4} is not one.").format(
			line, a[0], _(a[1]), _(a[2]), a[3]
		)
	if code == "negative":
		return _("Line {0}: district {1}: {2} cannot be negative.").format(line, a[0], _district_label(a[1]))
	if code == "aged_exceeds_total":
		return _("Line {0}: district {1}: the population aged 65+ exceeds the total population.").format(
			line, a[0]
		)
	if code == "future_date":
		return _("Line {0}: district {1}: the population date {2} is in the future.").format(line, a[0], a[1])
	return _("Line {0}: {1}").format(line, code)


def read_district_file(path: str) -> tuple[list[district_csv.DistrictRow], list[district_csv.RowProblem]]:
	"""Rows of a district CSV file (UTF-8 or Shift_JIS) and the values that could not be read."""
	with open(path, "rb") as f:
		text = district_csv.decode_csv_bytes(f.read())
	return district_csv.parse_district_csv(text)


def load_districts_file(path: str, owner: str | None = None, echo=print_line) -> dict:
	rows, problems = read_district_file(path)
	return load_district_rows(rows, owner=owner, echo=echo, problems=problems)


def load_district_rows(
	rows: list[district_csv.DistrictRow],
	owner: str | None = None,
	echo=print_line,
	problems: list | tuple = (),
) -> dict:
	"""Create or update the districts of `rows`, parents first, all or nothing (a savepoint).

	An existing district of the same name is updated with the values the row gives (an empty cell
	keeps the stored value). A support centre named in a row and missing on the site is created.
	`owner` marks the records as someone's (the demo marks its own); without it they are the site's.
	Raises DistrictLoadError, after rolling back, if any row is wrong or cannot be saved.
	"""
	existing = dict(frappe.get_all("District", fields=["name", "district_type"], as_list=True))
	problems = sorted(
		[*problems, *district_csv.check_district_rows(rows, existing, today=getdate(today()))],
		key=lambda p: (p.line, p.code),
	)
	if problems:
		raise DistrictLoadError([problem_message(p) for p in problems])
	result = {"created": 0, "updated": 0, "unchanged": 0, "centers_created": 0}
	savepoint = "chiiki_care_load_districts"
	frappe.db.savepoint(savepoint)
	row = None
	try:
		for row in district_csv.order_district_rows(rows):
			if row.support_center and not frappe.db.exists("Support Center", row.support_center):
				center = frappe.get_doc({"doctype": "Support Center", "center_name": row.support_center})
				center.insert(ignore_permissions=True)
				_set_owner("Support Center", center.name, owner)
				result["centers_created"] += 1
			values = {
				"district_type": row.district_type,
				"parent_district": row.parent_district or None,
				"support_center": row.support_center or None,
				"population_total": row.population_total,
				"population_65_plus": row.population_65_plus,
				"population_as_of": row.population_as_of,
				"is_illustrative": row.is_illustrative,
				"description": row.description or None,
			}
			if row.district_name in existing:
				doc = frappe.get_doc("District", row.district_name)
				changed = False
				for fieldname, value in values.items():
					if value in (None, "") and fieldname != "is_illustrative":
						continue
					if fieldname == "population_as_of":
						same = getdate(doc.get(fieldname)) == value if doc.get(fieldname) else False
					else:
						same = doc.get(fieldname) == value
					if not same:
						doc.set(fieldname, value)
						changed = True
				if changed:
					doc.save(ignore_permissions=True)
					result["updated"] += 1
				else:
					result["unchanged"] += 1
			else:
				doc = frappe.get_doc({"doctype": "District", "district_name": row.district_name, **values})
				doc.insert(ignore_permissions=True)
				_set_owner("District", doc.name, owner)
				existing[doc.name] = row.district_type
				result["created"] += 1
	except Exception as error:
		frappe.db.rollback(save_point=savepoint)
		message = _("Line {0}: district {1} could not be saved: {2}").format(
			row.line if row else 0, row.district_name if row else "", error_text(error)
		)
		raise DistrictLoadError([message]) from error
	frappe.clear_messages()
	echo(
		_("Districts: {0} created, {1} updated, {2} unchanged; {3} support centres created.").format(
			result["created"], result["updated"], result["unchanged"], result["centers_created"]
		)
	)
	return result


def error_text(error: Exception) -> str:
	text = str(error).strip()
	if not text and frappe.local.message_log:
		text = (
			frappe.local.message_log[-1].get("message", "")
			if isinstance(frappe.local.message_log[-1], dict)
			else ""
		)
	return frappe.utils.strip_html(text) or error.__class__.__name__


def _set_owner(doctype: str, name: str, owner: str | None):
	if owner:
		table = frappe.qb.DocType(doctype)
		frappe.qb.update(table).set(table.owner, owner).where(table.name == name).run()
