"""Checks for what callers send: the arguments of the app's whitelisted methods, the query of its
pages, and the values of its documents. Bad input is answered with a Japanese message naming the
field (417, `frappe.ValidationError`), never with a server error.

Two parts:
- Pure checks (no Frappe; tested in tests/unit/test_inputs.py): `json_value`, `text_value`,
  `int_value`, `date_value`, `text_list`, `geojson_problems`, `geojson_points`. They return the
  clean value or raise `BadValue(reason, ...)`.
- Frappe-facing checks, which turn a `BadValue` into a translated message naming the field:
  `parse_json_arg`, `check_id`, `check_text`, `check_int`, `check_date`, `check_text_list`,
  `check_choice`, `check_doctype`, `query_text` (a page's query parameter), `check_geolocation`
  and `validate_doc_values` (called first in every controller's `validate`).

The caller passes the field's label already translated: `check_id(plan, _("Support Plan"))`.
"""

import datetime
import json
import math
import re
import unicodedata

from chiiki_care.domain import rules

MAX_ID_LENGTH = 140  # Frappe's names and Data fields
MAX_TEXT_LENGTH = 2000
MAX_JSON_LENGTH = 100_000
MAX_LIST_LENGTH = 500
MAX_DATE_LENGTH = 40
MIN_YEAR, MAX_YEAR = 1000, 9999  # what MariaDB's DATE holds
INT_RANGE = (-(2**31), 2**31 - 1)  # MariaDB's INT
SHOWN_VALUE_LENGTH = 40  # how much of a bad value a message repeats

_ISO_DATE = re.compile(
	r"(\d{4})[-/.年](\d{1,2})[-/.月](\d{1,2})日?(?:[ T]\d{1,2}:\d{1,2}(?::\d{1,2}(?:\.\d{1,6})?)?)?"
)


class BadValue(ValueError):
	"""A value that fails a pure check. `reason` names the rule; `details` fill its message."""

	def __init__(self, reason: str, **details):
		super().__init__(reason)
		self.reason = reason
		self.details = details


# Pure checks
# -----------


def json_value(value, expected: type | tuple[type, ...] = (list, dict), max_length: int = MAX_JSON_LENGTH):
	"""A JSON argument: a JSON string (or an already decoded value) of the expected shape."""
	if isinstance(value, str):
		if len(value) > max_length:
			raise BadValue("too_long", max_length=max_length)
		try:
			value = json.loads(value)
		except (ValueError, RecursionError):
			raise BadValue("not_json") from None
	if not isinstance(value, expected) or (isinstance(value, bool) and bool not in _types(expected)):
		raise BadValue("wrong_shape", expected=_types(expected))
	return value


def _types(expected) -> tuple:
	return expected if isinstance(expected, tuple) else (expected,)


def text_value(value, max_length: int = MAX_TEXT_LENGTH, required: bool = False, strip: bool = True):
	"""A string of at most `max_length` characters; None or "" when not given (unless required)."""
	if value is None or value == "":
		if required:
			raise BadValue("required")
		return None
	if isinstance(value, int | float) and not isinstance(value, bool):
		value = str(value)
	if not isinstance(value, str):
		raise BadValue("not_text")
	if len(value) > max_length:
		raise BadValue("too_long", max_length=max_length)
	value = value.strip() if strip else value
	if required and not value:
		raise BadValue("required")
	return value


def int_value(value, minimum: int = INT_RANGE[0], maximum: int = INT_RANGE[1], default: int | None = None):
	"""A whole number between `minimum` and `maximum` (a string of digits is one); `default` when
	not given."""
	if value is None or value == "":
		if default is None:
			raise BadValue("required")
		return default
	if isinstance(value, bool):
		value = int(value)
	elif isinstance(value, float):
		if not math.isfinite(value) or value != int(value):
			raise BadValue("not_int")
		value = int(value)
	elif isinstance(value, str):
		text = unicodedata.normalize("NFKC", value).strip()
		if not re.fullmatch(r"[-+]?\d{1,18}", text):
			if re.fullmatch(r"[-+]?\d+", text):
				raise BadValue("out_of_range", minimum=minimum, maximum=maximum)
			raise BadValue("not_int")
		value = int(text)
	elif not isinstance(value, int):
		raise BadValue("not_int")
	if not minimum <= value <= maximum:
		raise BadValue("out_of_range", minimum=minimum, maximum=maximum)
	return value


def date_value(value) -> datetime.date | None:
	"""A date: 2025-04-01 (with or without a time), 2025/4/1, full-width digits, or the Japanese era
	calendar (令和7年4月1日); None when not given. Nothing is guessed: "-1" or "2026-02-30" is no date."""
	if value is None or value == "":
		return None
	if isinstance(value, datetime.datetime):
		return value.date()
	if isinstance(value, datetime.date):
		return value
	if not isinstance(value, str) or len(value) > MAX_DATE_LENGTH:
		raise BadValue("not_date")
	folded = unicodedata.normalize("NFKC", value).strip()
	match = _ISO_DATE.fullmatch(folded)
	if match:
		try:
			parsed = datetime.date(*(int(part) for part in match.groups()))
		except (ValueError, OverflowError):
			raise BadValue("not_date") from None
	else:
		parsed = rules.parse_wareki(folded)
	if not parsed or not MIN_YEAR <= parsed.year <= MAX_YEAR:
		raise BadValue("not_date")
	return parsed


def text_list(
	value, max_items: int = MAX_LIST_LENGTH, max_length: int = MAX_ID_LENGTH, allow_single: bool = False
) -> list[str]:
	"""A list of non-empty strings (a JSON list, or a list). With `allow_single`, one plain string
	that is not JSON is a list of one."""
	if value is None or value == "":
		return []
	if isinstance(value, str):
		try:
			value = json_value(value, list)
		except BadValue:
			if not allow_single or value.lstrip().startswith(("[", "{")):
				raise
			value = [value]
	if not isinstance(value, list | tuple):
		raise BadValue("wrong_shape", expected=(list,))
	if len(value) > max_items:
		raise BadValue("too_many", max_items=max_items)
	out = []
	for item in value:
		if not isinstance(item, str) or not item.strip():
			raise BadValue("not_text_list")
		if len(item) > max_length:
			raise BadValue("too_long", max_length=max_length)
		out.append(item.strip())
	return out


# GeoJSON (Frappe's Geolocation field stores a FeatureCollection)
# ---------------------------------------------------------------


def _position_problem(position) -> str | None:
	if not isinstance(position, list | tuple) or len(position) not in (2, 3):
		return "position_shape"
	if not all(isinstance(n, int | float) and not isinstance(n, bool) for n in position):
		return "position_not_number"
	if not all(math.isfinite(n) for n in position):
		return "position_not_number"
	lng, lat = position[0], position[1]
	if not (-180 <= lng <= 180 and -90 <= lat <= 90):
		return "position_out_of_range"
	return None


def _positions_problem(positions, depth: int, minimum: int) -> str | None:
	"""`depth` 1: a list of positions (LineString, MultiPoint); 2: a list of those (Polygon ...)."""
	if not isinstance(positions, list | tuple) or len(positions) < (minimum if depth == 1 else 1):
		return "coordinates_shape"
	if len(positions) > 100_000:
		return "coordinates_shape"
	for item in positions:
		problem = _position_problem(item) if depth == 1 else _positions_problem(item, depth - 1, minimum)
		if problem:
			return problem
	return None


# geometry type → (nesting depth of its coordinates, least positions per innermost list)
_GEOMETRY_SHAPES = {
	"Point": (0, 1),
	"MultiPoint": (1, 1),
	"LineString": (1, 2),
	"MultiLineString": (2, 2),
	"Polygon": (2, 4),
	"MultiPolygon": (3, 4),
}


def geometry_problem(geometry) -> str | None:
	"""Why a GeoJSON geometry is not usable, or None."""
	if not isinstance(geometry, dict):
		return "geometry_missing"
	kind = geometry.get("type")
	if kind == "GeometryCollection":
		parts = geometry.get("geometries")
		if not isinstance(parts, list) or not parts:
			return "coordinates_shape"
		return next((p for p in (geometry_problem(g) for g in parts) if p), None)
	if kind not in _GEOMETRY_SHAPES:
		return "geometry_type"
	depth, minimum = _GEOMETRY_SHAPES[kind]
	coordinates = geometry.get("coordinates")
	if depth == 0:
		return _position_problem(coordinates)
	return _positions_problem(coordinates, depth, minimum)


def geojson_problems(value) -> str | None:
	"""Why a Geolocation value (a GeoJSON FeatureCollection, as a string or decoded) is not valid,
	or None when it is valid or empty."""
	if value is None or value == "":
		return None
	if isinstance(value, str):
		if len(value) > 1_000_000:
			return "too_big"
		try:
			value = json.loads(value)
		except (ValueError, RecursionError):
			return "not_json"
	if not isinstance(value, dict) or value.get("type") != "FeatureCollection":
		return "not_feature_collection"
	features = value.get("features")
	if not isinstance(features, list):
		return "not_feature_collection"
	for feature in features:
		if not isinstance(feature, dict) or feature.get("type") != "Feature":
			return "not_feature"
		problem = geometry_problem(feature.get("geometry"))
		if problem:
			return problem
	return None


def geojson_features(value) -> list[dict]:
	"""The usable features of a stored Geolocation value; broken values and features are skipped."""
	if not value:
		return []
	try:
		parsed = json.loads(value) if isinstance(value, str) else value
	except (TypeError, ValueError, RecursionError):
		return []
	features = parsed.get("features") if isinstance(parsed, dict) else None
	if not isinstance(features, list):
		return []
	return [f for f in features if isinstance(f, dict) and not geometry_problem(f.get("geometry"))]


def geojson_points(value) -> list[tuple[float, float]]:
	"""(lat, lng) of each Point of a stored Geolocation value; anything broken is skipped."""
	points = []
	for feature in geojson_features(value):
		geometry = feature["geometry"]
		if geometry.get("type") == "Point":
			lng, lat = geometry["coordinates"][:2]
			points.append((float(lat), float(lng)))
	return points


def shown(value) -> str:
	"""A bad value as a message repeats it: short, on one line."""
	text = value if isinstance(value, str) else json.dumps(value, ensure_ascii=False, default=str)
	text = " ".join(text.split())
	return text if len(text) <= SHOWN_VALUE_LENGTH else text[:SHOWN_VALUE_LENGTH] + "…"


# Frappe-facing checks
# --------------------


def _throw(error: BadValue, label: str, value=None):
	import frappe
	from frappe import _

	details = error.details
	reason = error.reason
	if reason == "required":
		message = _("Enter {0}.").format(label)
	elif reason == "too_long":
		message = _("{0} is too long: at most {1} characters.").format(label, details["max_length"])
	elif reason == "not_json":
		message = _("{0}: the value could not be read (it is not valid JSON).").format(label)
	elif reason == "wrong_shape":
		expected = details.get("expected") or ()
		if list in expected and dict in expected:
			message = _("{0}: a list or a set of fields was expected.").format(label)
		elif list in expected:
			message = _("{0}: a list was expected.").format(label)
		else:
			message = _("{0}: a set of fields was expected.").format(label)
	elif reason == "not_text":
		message = _("{0} must be text.").format(label)
	elif reason == "not_int":
		message = _("{0} must be a whole number.").format(label)
	elif reason == "not_number":
		message = _("{0} must be a number.").format(label)
	elif reason == "out_of_range":
		message = _("{0} must be between {1} and {2}.").format(label, details["minimum"], details["maximum"])
	elif reason == "not_date":
		message = _("{0}: {1} is not a date. Write it like 2025-04-01 or 令和7年4月1日.").format(
			label, shown(value)
		)
	elif reason == "too_many":
		message = _("{0}: at most {1} entries.").format(label, details["max_items"])
	elif reason == "not_text_list":
		message = _("{0}: a list of names was expected.").format(label)
	elif reason == "not_found":
		frappe.throw(
			_("{0}: this record does not exist or you may not see it.").format(label),
			frappe.DoesNotExistError,
			title=_("Please check what you entered"),
		)
	elif reason == "bad_filters":
		message = _("{0}: each filter must name a field, an operator and a value.").format(label)
	elif reason == "choice":
		message = _("Choose {0}.").format(label)
	else:
		message = _("{0} is not valid.").format(label)
	frappe.throw(message, frappe.ValidationError, title=_("Please check what you entered"))


def parse_json_arg(value, fieldlabel: str, expected=(list, dict), required: bool = False, default=None):
	"""A JSON argument (string or decoded) of the expected shape: `list`, `dict` or both.
	Not given: `default` (or "Enter …" when required)."""
	if value is None or value == "":
		if required:
			_throw(BadValue("required"), fieldlabel)
		return default
	try:
		return json_value(value, expected)
	except BadValue as error:
		_throw(error, fieldlabel, value)


def check_filters(value, fieldlabel: str, default=None):
	"""List filters (a JSON string or decoded, see `filters_value`); `default` when not given."""
	value = parse_json_arg(value, fieldlabel, (list, dict), default=default)
	if value is default:
		return value
	try:
		return filters_value(value)
	except BadValue as error:
		_throw(error, fieldlabel, value)


def check_text(
	value, fieldlabel: str, max_length: int = MAX_TEXT_LENGTH, required: bool = False, strip: bool = True
) -> str | None:
	"""A bounded string (numbers sent as JSON become their text)."""
	try:
		return text_value(value, max_length, required, strip)
	except BadValue as error:
		_throw(error, fieldlabel, value)


def check_id(
	value,
	fieldlabel: str,
	doctype: str | None = None,
	required: bool = True,
	max_length: int = MAX_ID_LENGTH,
) -> str | None:
	"""A document name: a string of at most `max_length` characters. With `doctype`, the row must
	exist and be readable by the session user (one answer for both, so nothing is told about rows
	the user may not see)."""
	import frappe

	name = check_text(value, fieldlabel, max_length, required)
	if name and doctype:
		if not frappe.db.exists(doctype, name) or not frappe.has_permission(doctype, "read", name):
			_throw(BadValue("not_found"), fieldlabel)
	return name


def check_int(
	value,
	fieldlabel: str,
	minimum: int = INT_RANGE[0],
	maximum: int = INT_RANGE[1],
	default: int | None = None,
) -> int:
	try:
		return int_value(value, minimum, maximum, default)
	except BadValue as error:
		_throw(error, fieldlabel, value)


def check_date(value, fieldlabel: str, required: bool = False) -> datetime.date | None:
	"""A date (see `date_value`), read by `frappe.utils.getdate`; None when not given."""
	from frappe.utils import getdate

	try:
		parsed = date_value(value)
	except BadValue as error:
		_throw(error, fieldlabel, value)
	if parsed is None:
		if required:
			_throw(BadValue("required"), fieldlabel)
		return None
	return getdate(parsed)


def check_text_list(
	value,
	fieldlabel: str,
	max_items: int = MAX_LIST_LENGTH,
	max_length: int = MAX_ID_LENGTH,
	allow_single: bool = False,
	required: bool = False,
) -> list[str]:
	"""A list of strings (a JSON list or a list), each at most `max_length` characters."""
	try:
		values = text_list(value, max_items, max_length, allow_single)
	except BadValue as error:
		_throw(error, fieldlabel, value)
	if required and not values:
		_throw(BadValue("required"), fieldlabel)
	return values


def check_choice(value, fieldlabel: str, options, required: bool = False) -> str | None:
	"""One of `options` (e.g. a Select field's); None when not given and not required."""
	value = check_text(value, fieldlabel, MAX_ID_LENGTH, required)
	if value and value not in options:
		_throw(BadValue("choice"), fieldlabel)
	return value or None


def check_doctype(value, fieldlabel: str | None = None) -> str:
	"""The name of an existing DocType."""
	import frappe
	from frappe import _

	fieldlabel = fieldlabel or _("DocType")
	name = check_text(value, fieldlabel, MAX_ID_LENGTH, required=True)
	if not frappe.db.exists("DocType", name):
		_throw(BadValue("not_found"), fieldlabel)
	return name


def filters_value(value):
	"""Filters as Frappe's lists take them: {field: value or [operator, value]} or a list of
	[field, operator, value] / [doctype, field, operator, value]; names and operators are strings,
	values are not objects."""
	if isinstance(value, dict):
		items = list(value.items())
		if len(items) > 100:
			raise BadValue("too_many", max_items=100)
		for key, condition in items:
			if not isinstance(key, str) or not key or len(key) > MAX_ID_LENGTH:
				raise BadValue("bad_filters")
			if isinstance(condition, list | tuple) and (
				not condition or not isinstance(condition[0], str) or len(condition) > 2
			):
				raise BadValue("bad_filters")
			if isinstance(condition, dict):
				raise BadValue("bad_filters")
		return value
	if not isinstance(value, list):
		raise BadValue("wrong_shape", expected=(list, dict))
	if len(value) > 100:
		raise BadValue("too_many", max_items=100)
	for item in value:
		# [field, operator, value], [doctype, field, operator, value] (+ the desk's "hidden" flag)
		if not isinstance(item, list | tuple) or len(item) not in (3, 4, 5):
			raise BadValue("bad_filters")
		names = item[:2] if len(item) == 3 else item[:3]
		if not all(isinstance(n, str) and n and len(n) <= MAX_ID_LENGTH for n in names):
			raise BadValue("bad_filters")
		if isinstance(item[len(names)], dict):
			raise BadValue("bad_filters")
	return value


def query_text(key: str, max_length: int = MAX_ID_LENGTH, default: str = "") -> str:
	"""A page's query parameter as a string: anything else (a list or an object sent as JSON, a
	value longer than `max_length`) counts as not given."""
	import frappe

	value = frappe.form_dict.get(key)
	if isinstance(value, int | float) and not isinstance(value, bool):
		value = str(value)
	if not isinstance(value, str) or len(value) > max_length:
		return default
	return value.strip()


def query_has(key: str) -> bool:
	"""Whether a page was asked with this query parameter (even empty)."""
	import frappe

	return frappe.form_dict.get(key) is not None


# Arguments of whitelisted functions, by decorator
# ------------------------------------------------


def _lt(message: str) -> str:
	"""Marks a label for translation (found by Frappe's extractor); translated where it is shown."""
	return message


_ARG_LABELS = {
	"doctype": _lt("Document Type"),
	"name": _lt("Name"),
	"docname": _lt("Name"),
	"doc_name": _lt("Name"),
	"filters": _lt("Filters"),
	"current_filters": _lt("Filters"),
	"fields": _lt("Fields"),
	"field": _lt("Field"),
	"fieldname": _lt("Field"),
	"user": _lt("User"),
	"parent": _lt("Document Type"),
	"doc": _lt("Document"),
	"to_date": _lt("To Date"),
	"basis": _lt("Basis"),
	"note": _lt("Note"),
}


def checked(**kinds):
	"""Decorator (below `@frappe.whitelist()`): the named arguments are checked before the function
	runs, and a missing required argument is asked for, in Japanese (417), instead of the server
	error Frappe gives for it. Only checks: the values reach the function as they were sent.

	Kinds: "doctype" (an existing DocType), "id" (a name, at most 140 characters), "text" (at most
	2000), "filters" (list filters, JSON or decoded), "filter_list" (the same, as a list only),
	"names" (a list of strings), "json_dict", "date", "int", "field" (a field of the DocType given
	as the argument `doctype`, a standard field, or "assigned_to"), "number_card" (a Number Card's
	values: document_type, function, aggregate_function_based_on).

	    @frappe.whitelist()
	    @inputs.checked(doctype="doctype", name="id", filters="filters")
	    def get(doctype: str, name: str | None = None, filters=None): ...
	"""
	import functools
	import inspect

	def decorate(function):
		signature = inspect.signature(function)

		@functools.wraps(function)
		def wrapper(*args, **kwargs):
			from frappe import _

			bound = signature.bind_partial(*args, **kwargs).arguments
			for name, parameter in signature.parameters.items():
				if parameter.kind in (parameter.VAR_POSITIONAL, parameter.VAR_KEYWORD):
					continue
				label = _(_ARG_LABELS.get(name, name))
				if name not in bound:
					if parameter.default is parameter.empty:
						_throw(BadValue("required"), label)
					continue
				_check_arg(kinds.get(name), bound[name], label, parameter.default is parameter.empty, bound)
			return function(*args, **kwargs)

		return wrapper

	return decorate


def _check_arg(kind, value, label, required, bound):
	import frappe

	if kind is None:
		return
	if value == "" and kind in ("filters", "filter_list", "names", "json_dict", "number_card"):
		if required or kind == "names":
			# Frappe reads "" as JSON, and fails on it
			_throw(BadValue("not_json"), label, value)
		return
	if kind == "doctype":
		if required or value not in (None, ""):
			check_doctype(value, label)
	elif kind == "id":
		check_id(value, label, required=required)
	elif kind == "text":
		check_text(value, label, required=required)
	elif kind == "filters":
		check_filters(value, label)
	elif kind == "filter_list":
		check_filters(parse_json_arg(value, label, list), label)
	elif kind == "field":
		from frappe.model import default_fields

		field = check_text(value, label, MAX_ID_LENGTH, required=True)
		doctype = bound.get("doctype")
		if isinstance(doctype, str) and frappe.db.exists("DocType", doctype):
			known = frappe.get_meta(doctype).has_field(field) or field in default_fields
			if not known and field != "assigned_to":
				_throw(BadValue("invalid"), label)
	elif kind == "number_card":
		card = parse_json_arg(value, label, dict, required=required) or {}
		functions = ("Count", "Sum", "Average", "Minimum", "Maximum")
		doctype = card.get("document_type")
		if card and (
			card.get("function") not in functions
			or not isinstance(doctype, str)
			or not frappe.db.exists("DocType", doctype)
			or not isinstance(card.get("parent_document_type") or "", str)
			or (
				card.get("function") != "Count"
				and not (
					isinstance(card.get("aggregate_function_based_on"), str)
					and frappe.get_meta(doctype).has_field(card["aggregate_function_based_on"])
				)
			)
		):
			_throw(BadValue("invalid"), label)
	elif kind == "names":
		check_text_list(value, label, required=required)
	elif kind == "json_dict":
		parse_json_arg(value, label, dict, required=required)
	elif kind == "date":
		check_date(value, label, required=required)
	elif kind == "int":
		check_int(value, label, default=None if required else 0)
	else:
		raise ValueError(f"unknown kind of argument: {kind}")


# Documents
# ---------


def check_geolocation(value, fieldlabel: str):
	"""A Geolocation value must be a GeoJSON FeatureCollection of features with valid geometries."""
	import frappe
	from frappe import _

	problem = geojson_problems(value)
	if not problem:
		return
	detail = {
		"too_big": _("it is too large"),
		"not_json": _("it is not valid JSON"),
		"not_feature_collection": _("it must be a GeoJSON FeatureCollection"),
		"not_feature": _("each entry must be a GeoJSON Feature"),
		"geometry_missing": _("each feature needs a geometry"),
		"geometry_type": _("the geometry must be a point, line or polygon"),
		"position_shape": _("a point needs its longitude and latitude"),
		"position_not_number": _("longitude and latitude must be numbers"),
		"position_out_of_range": _("longitude must be between -180 and 180 and latitude between -90 and 90"),
		"coordinates_shape": _("a line or polygon needs a list of points"),
	}[problem]
	frappe.throw(
		_("{0}: the map location is not valid GeoJSON ({1}).").format(fieldlabel, detail),
		frappe.ValidationError,
		title=_("Please check what you entered"),
	)


def stored_geojson_features(value, doctype: str, name: str) -> list[dict]:
	"""The usable features of a stored Geolocation value. A broken value (saved before it was
	validated, or written around the controller) is skipped and logged once a day, by DocType and
	name only: no field values, so no personal data."""
	features = geojson_features(value)
	problem = geojson_problems(value)
	if problem:
		import frappe

		key = f"chiiki_care:bad_location:{doctype}:{name}:{problem}"
		if not frappe.cache.get_value(key):
			frappe.cache.set_value(key, 1, expires_in_sec=24 * 60 * 60)
			frappe.log_error(
				title="chiiki_care: stored location skipped",
				message=f"{doctype} {name}: the Geolocation value is not valid GeoJSON ({problem}); it is skipped.",
				reference_doctype=doctype,
				reference_name=name,
				defer_insert=True,  # pages that read it are GET requests, which commit nothing
			)
	return features


def stored_geojson_points(value, doctype: str, name: str) -> list[tuple[float, float]]:
	"""(lat, lng) of each Point of a stored Geolocation value; broken values skipped and logged."""
	points = []
	for feature in stored_geojson_features(value, doctype, name):
		geometry = feature["geometry"]
		if geometry.get("type") == "Point":
			lng, lat = geometry["coordinates"][:2]
			points.append((float(lat), float(lng)))
	return points


_DATE_TYPES = ("Date", "Datetime")
_NUMBER_TYPES = ("Int", "Check", "Float", "Currency", "Percent")
_DECIMAL_LIMIT = 10**12  # decimal(21,9): Float, Currency, Percent
# the most characters of a text column (MariaDB TEXT holds 65,535 bytes; 4 bytes a character at
# most), and of a long text column (within what a request carries)
TEXT_COLUMN_CHARS = 16_000
LONGTEXT_COLUMN_CHARS = 1_000_000
_TEXT_TYPES = {
	"Data": None,
	"Link": None,
	"Dynamic Link": None,
	"Select": None,
	"Read Only": None,
	"Phone": None,
	"Autocomplete": None,
	"Small Text": TEXT_COLUMN_CHARS,
	"Text": TEXT_COLUMN_CHARS,
	"Long Text": LONGTEXT_COLUMN_CHARS,
	"Text Editor": LONGTEXT_COLUMN_CHARS,
	"HTML Editor": LONGTEXT_COLUMN_CHARS,
	"Markdown Editor": LONGTEXT_COLUMN_CHARS,
	"Code": LONGTEXT_COLUMN_CHARS,
}


def validate_doc_values(doc):
	"""First step of every controller's `validate`: each field holds a value of its type, so the
	controller's own checks (which read dates and numbers) and the database never meet junk.
	Dates must be dates (not "2026-13-45"), numbers numbers in range, text text (not a list) that
	fits its column, a Select one of its options, a Geolocation valid GeoJSON; child rows the same.
	Frappe checks the rest after `validate`: the length of Data and Link fields, links (all 417)."""
	for d in [doc, *doc.get_all_children()]:
		for df in d.meta.fields:
			value = d.get(df.fieldname)
			if value is None or value == "":
				continue
			checked = check_field_value(df, value)
			if checked is not value:
				d.set(df.fieldname, checked)


def check_field_value(df, value):
	"""A value for a field of a DocType, checked for the field's type (see `validate_doc_values`):
	the value as it is to be stored, or a Japanese message naming the field (417)."""
	from frappe import _

	if value is None or value == "":
		return value
	label = _(df.label or df.fieldname)
	if df.fieldtype in _DATE_TYPES:
		if isinstance(value, datetime.date):
			return value
		if df.fieldtype == "Date":
			return check_date(value, label)
		_check_datetime(value, label)
		return value
	if df.fieldtype in _NUMBER_TYPES:
		return _check_number(df, value, label)
	if df.fieldtype in _TEXT_TYPES:
		if isinstance(value, bool) or not isinstance(value, str | int | float):
			check_text(value, label)  # throws: not text
		if not isinstance(value, str):
			value = str(value)  # a number sent for a text field is its text
		if _TEXT_TYPES[df.fieldtype]:
			check_text(value, label, _TEXT_TYPES[df.fieldtype], strip=False)
		if df.fieldtype == "Select":
			options = [o for o in (df.options or "").split("\n") if o]
			if options and value not in options:
				_throw(BadValue("choice"), label)
		return value
	if df.fieldtype == "Geolocation":
		check_geolocation(value, label)
		return value if isinstance(value, str) else json.dumps(value)  # stored as text, as the desk sends it
	return value


def _check_datetime(value, label):
	from frappe.utils import get_datetime

	if not isinstance(value, str) or len(value) > MAX_DATE_LENGTH:
		_throw(BadValue("not_date"), label, value)
	try:
		date_value(value.split(" ")[0].split("T")[0])
		get_datetime(value)
	except Exception:
		_throw(BadValue("not_date"), label, value)


def _check_number(df, value, label):
	if df.fieldtype == "Check":
		return check_int(value, label, 0, 1)
	if df.fieldtype == "Int":
		return check_int(value, label)
	if isinstance(value, bool) or not isinstance(value, int | float | str):
		_throw(BadValue("not_number"), label, value)
	try:
		number = float(value)
	except (ValueError, OverflowError):
		_throw(BadValue("not_number"), label, value)
	if not math.isfinite(number) or abs(number) >= _DECIMAL_LIMIT:
		_throw(BadValue("out_of_range", minimum=-_DECIMAL_LIMIT, maximum=_DECIMAL_LIMIT), label, value)
	return value


# Writes over HTTP, before Frappe reads them
# ------------------------------------------

# REST (v1 and v2) and the desk's and frappe.client's write methods: where a document's values
# arrive. Frappe reads them before any controller runs (`doc.update`, link checks), and answers a
# list where a link is expected, or a string where child rows are, with a server error.
_REST_PATH = re.compile(r"^/api/(?:resource|v2/document)/([^/]+)(?:/([^/]+))?/?$")
_DOC_METHODS = {
	"frappe.client.insert": "doc",
	"frappe.client.save": "doc",
	"frappe.client.submit": "doc",
	"frappe.desk.form.save.savedocs": "doc",
	"frappe.client.insert_many": "docs",
}


def check_write_request():
	"""Before a request (hook `before_request`): the values of a write of one of the app's
	DocTypes are checked for their fields' types (`check_doc_values`), so a junk value is answered
	417 with a Japanese message instead of a server error. Other requests are left alone."""
	import frappe

	request = getattr(frappe.local, "request", None)
	if request is None or request.method not in ("POST", "PUT", "PATCH"):
		return
	from urllib.parse import unquote

	path = unquote(request.path or "")
	match = _REST_PATH.match(path)
	if match:
		data = _request_json(request)
		if isinstance(data, dict):
			check_doc_values(match.group(1), data)
		return
	if not path.startswith("/api/method/"):
		return
	method = path[len("/api/method/") :]
	form = frappe.local.form_dict or {}
	if method in _DOC_METHODS:
		docs = _loaded(form.get(_DOC_METHODS[method]))
		for doc in docs if isinstance(docs, list) else [docs]:
			if isinstance(doc, dict) and isinstance(doc.get("doctype"), str):
				check_doc_values(doc["doctype"], doc)
	elif method == "frappe.client.set_value" and isinstance(form.get("doctype"), str):
		fieldname = _loaded(form.get("fieldname"))
		values = fieldname if isinstance(fieldname, dict) else {fieldname: form.get("value")}
		if all(isinstance(key, str) for key in values):
			check_doc_values(form["doctype"], values)


def _request_json(request):
	try:
		return json.loads(request.get_data(as_text=True) or "null")
	except (ValueError, RecursionError):
		return None


def _loaded(value):
	if isinstance(value, str):
		try:
			return json.loads(value)
		except (ValueError, RecursionError):
			return value
	return value


def check_doc_values(doctype: str, data: dict, _depth: int = 0):
	"""The values of `data` for a document of `doctype` (one of the app's), as `validate_doc_values`
	checks them, and child rows as lists of rows; other DocTypes are left to Frappe."""
	import frappe
	from frappe import _
	from frappe.model import table_fields

	if not _is_app_doctype(doctype):
		return
	meta = frappe.get_meta(doctype)
	for key, value in data.items():
		df = meta.get_field(key) if isinstance(key, str) else None
		if not df or value is None:
			continue
		if df.fieldtype in table_fields:
			label = _(df.label or df.fieldname)
			if not isinstance(value, list) or not all(isinstance(row, dict) for row in value):
				_throw(BadValue("wrong_shape", expected=(list,)), label, value)
			if len(value) > 10_000:
				_throw(BadValue("too_many", max_items=10_000), label, value)
			if _depth == 0:
				for row in value:
					check_doc_values(df.options, row, _depth + 1)
		else:
			check_field_value(df, value)


def _is_app_doctype(doctype) -> bool:
	import frappe

	if not isinstance(doctype, str) or len(doctype) > MAX_ID_LENGTH:
		return False
	from frappe.modules.utils import get_module_app

	module = frappe.db.get_value("DocType", doctype, "module", cache=True)
	try:
		return bool(module) and get_module_app(module) == "chiiki_care"
	except frappe.DoesNotExistError:
		return False
