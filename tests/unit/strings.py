"""The user-facing strings of chiiki_care and its Japanese translation file, read without Frappe.

Frappe shows these strings through its translation layer: DocType names, field labels,
descriptions and Select options (from the DocType JSON), role names (from the fixtures),
messages wrapped in ``_()`` / ``_lt()`` in Python, ``__()`` in JavaScript and ``_()`` in Jinja
templates, and the module name and app title. This module collects them from the repository
files the way Frappe's own extractor does, so a plain test can check that
``chiiki_care/translations/ja.csv`` translates every one of them.

Run it as a script to list the strings that have no Japanese translation yet::

	python3 tests/unit/strings.py
"""

import ast
import csv
import json
import re
import string
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[2]
APP_DIR = REPO_ROOT / "chiiki_care"
MODULE_DIR = APP_DIR / "chiiki_care"
JA_CSV = APP_DIR / "translations" / "ja.csv"

# Python functions whose first argument is a translatable message.
PY_TRANSLATE_FUNCTIONS = frozenset({"_", "_lt"})

# `__("…")`, `__('…')` or __(`…`) in JavaScript; a backtick string only without ${…}.
JS_TRANSLATE_PATTERN = re.compile(
	r"""(?<![\w$.])__\(\s*(?:"((?:[^"\\\n]|\\.)*)"|'((?:[^'\\\n]|\\.)*)'|`((?:[^`\\$]|\\.)*)`)\s*[,)]"""
)
# `_("…")` or `_('…')` in a Jinja template.
JINJA_TRANSLATE_PATTERN = re.compile(
	r"""(?<![\w.])_\(\s*(?:"((?:[^"\\]|\\.)*)"|'((?:[^'\\]|\\.)*)')\s*[,)]"""
)

# DocType-like JSON documents of the module whose labels Frappe shows translated.
_MODULE_JSON_LABELS = {
	"report": ("report_name",),
	"page": ("title",),
	"workspace": ("label", "title"),
	"number_card": ("label",),
	"dashboard_chart": ("chart_name",),
	"web_form": ("title",),
}


def _add(found, message, where):
	"""Record one message and the first place it was seen (for readable failure messages)."""
	if isinstance(message, str):
		message = message.strip()
		if message and message not in found:
			found[message] = where


def _relative(path):
	return path.relative_to(REPO_ROOT).as_posix()


def _select_options(options):
	"""The values of a Select field, as Frappe lists them for translation."""
	values = [value.strip() for value in (options or "").split("\n")]
	if values and "icon" in values[0]:
		return []
	return [value for value in values if value]


def doctype_files():
	return sorted(MODULE_DIR.glob("doctype/*/*.json"))


def doctype_strings():
	"""DocType names, descriptions, field labels/descriptions, Select options, connections, actions."""
	found = {}
	for path in doctype_files():
		doc = json.loads(path.read_text(encoding="utf-8"))
		if doc.get("doctype") != "DocType":
			continue
		where = _relative(path)
		_add(found, doc.get("name"), where)
		_add(found, doc.get("description"), where)
		for field in doc.get("fields") or []:
			field_where = f"{where} ({field.get('fieldname')})"
			_add(found, field.get("label"), field_where)
			_add(found, field.get("description"), field_where)
			if field.get("fieldtype") == "Select":
				for option in _select_options(field.get("options")):
					_add(found, option, field_where)
		for link in doc.get("links") or []:
			_add(found, link.get("group"), f"{where} (links)")
		for action in doc.get("actions") or []:
			_add(found, action.get("label"), f"{where} (actions)")
	return found


def module_json_strings():
	"""Names and labels of reports, pages, workspaces, cards, charts and web forms, if any."""
	found = {}
	for folder, keys in _MODULE_JSON_LABELS.items():
		for path in sorted(MODULE_DIR.glob(f"{folder}/*/*.json")):
			doc = json.loads(path.read_text(encoding="utf-8"))
			where = _relative(path)
			for key in keys:
				_add(found, doc.get(key), where)
			for child_table in ("shortcuts", "links", "fields"):
				for row in doc.get(child_table) or []:
					if isinstance(row, dict):
						_add(found, row.get("label"), f"{where} ({child_table})")
	return found


def role_strings():
	"""The names of the roles the app ships as fixtures."""
	found = {}
	path = APP_DIR / "fixtures" / "role.json"
	if path.exists():
		for role in json.loads(path.read_text(encoding="utf-8")):
			_add(found, role.get("role_name") or role.get("name"), _relative(path))
	return found


def app_strings():
	"""The module names (modules.txt) and the app title (hooks.py)."""
	found = {}
	modules = APP_DIR / "modules.txt"
	if modules.exists():
		for line in modules.read_text(encoding="utf-8").splitlines():
			_add(found, line, _relative(modules))
	hooks = APP_DIR / "hooks.py"
	for node in ast.parse(hooks.read_text(encoding="utf-8")).body:
		if isinstance(node, ast.Assign) and isinstance(node.value, ast.Constant):
			if any(isinstance(target, ast.Name) and target.id == "app_title" for target in node.targets):
				_add(found, node.value.value, _relative(hooks))
	return found


def python_files():
	return sorted(path for path in APP_DIR.rglob("*.py") if "__pycache__" not in path.parts)


def _translate_calls(tree):
	"""Every call of `_` / `_lt` (also as `frappe._`) in a parsed module."""
	for node in ast.walk(tree):
		if not isinstance(node, ast.Call) or not node.args:
			continue
		func = node.func
		name = (
			func.id if isinstance(func, ast.Name) else func.attr if isinstance(func, ast.Attribute) else None
		)
		if name in PY_TRANSLATE_FUNCTIONS:
			yield node


def python_strings():
	"""String literals passed as the message to `_()` / `_lt()` in the app's Python code."""
	found = {}
	for path in python_files():
		tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
		for call in _translate_calls(tree):
			message = call.args[0]
			if isinstance(message, ast.Constant) and isinstance(message.value, str):
				_add(found, message.value, f"{_relative(path)}:{call.lineno}")
	return found


def python_built_messages():
	"""`_()` calls whose message is built at run time (f-string, `+`, `%`, `.format` inside).

	Such a message can never match a row of the translation file. Passing a variable
	(`_(self.status)`) is fine: the value is a Select option translated on its own.
	"""
	problems = []
	for path in python_files():
		tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
		for call in _translate_calls(tree):
			message = call.args[0]
			built = isinstance(message, ast.JoinedStr | ast.BinOp) or (
				isinstance(message, ast.Call)
				and isinstance(message.func, ast.Attribute)
				and message.func.attr == "format"
				and isinstance(message.func.value, ast.Constant)
			)
			if built:
				problems.append(f"{_relative(path)}:{call.lineno}")
	return problems


def _unescape(text):
	return re.sub(r"\\(.)", lambda m: {"n": "\n", "t": "\t"}.get(m.group(1), m.group(1)), text)


def js_strings():
	"""String literals passed to `__()` in the app's JavaScript."""
	found = {}
	for path in sorted(APP_DIR.rglob("*.js")):
		if "node_modules" in path.parts or path.name.endswith(".bundle.min.js"):
			continue
		text = path.read_text(encoding="utf-8")
		for match in JS_TRANSLATE_PATTERN.finditer(text):
			message = next(group for group in match.groups() if group is not None)
			line = text.count("\n", 0, match.start()) + 1
			_add(found, _unescape(message), f"{_relative(path)}:{line}")
	return found


def template_strings():
	"""String literals passed to `_()` in the app's Jinja templates (.html)."""
	found = {}
	for path in sorted(APP_DIR.rglob("*.html")):
		text = path.read_text(encoding="utf-8")
		for match in JINJA_TRANSLATE_PATTERN.finditer(text):
			message = next(group for group in match.groups() if group is not None)
			line = text.count("\n", 0, match.start()) + 1
			_add(found, _unescape(message), f"{_relative(path)}:{line}")
	return found


def all_strings():
	"""Every user-facing source string of the app, mapped to where it was first found."""
	found = {}
	for collect in (
		app_strings,
		role_strings,
		doctype_strings,
		module_json_strings,
		python_strings,
		js_strings,
		template_strings,
	):
		for message, where in collect().items():
			found.setdefault(message, where)
	return found


def read_translation_rows(path=JA_CSV):
	"""The rows of a Frappe translation CSV: [source, translation] or [source, translation, context]."""
	with open(path, newline="", encoding="utf-8") as handle:
		return [row for row in csv.reader(handle) if row]


def placeholders(text):
	"""The `{0}` / `{name}` replacement fields of a message (a ValueError if its braces are broken)."""
	return {field for _, field, _, _ in string.Formatter().parse(text) if field is not None}


# Hiragana, katakana (and the prolonged sound mark), CJK ideographs, the ideographic iteration mark.
JAPANESE_PATTERN = re.compile(r"[\u3040-\u309f\u30a0-\u30ff\u3005\u4e00-\u9fff\uf900-\ufaff]")


def has_japanese(text):
	return bool(JAPANESE_PATTERN.search(text))


if __name__ == "__main__":
	translated = {row[0] for row in read_translation_rows() if len(row) > 1 and row[1].strip()}
	missing = {message: where for message, where in all_strings().items() if message not in translated}
	for message in sorted(missing):
		print(f"{message}\t{missing[message]}")
	print(f"{len(missing)} untranslated")
