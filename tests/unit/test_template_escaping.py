"""The portal and email templates escape what they write, read without Frappe.

Frappe's Jinja environment does not autoescape, so a value is safe only where a template writes
it `|e`. These checks keep it so: every `{{ … }}` of the portal pages, their frame and the email
report is escaped or encoded, or is one of a few forms that hold no stored text (a literal
translation, a date, a count, a CSS class from a fixed table, a choice between two literals), or
is rich text already cleaned by `chiiki_care.portal.pages.sanitized`, which the templates name `*_html`.
No template uses the filters that unescape or mark text safe (`striptags` unescapes entities:
Frappe's own `{{ title | striptags }}` turned `&lt;/title&gt;` in a title into live markup).
"""

import re
from pathlib import Path

import pytest

REPO_ROOT = Path(__file__).resolve().parents[2]
APP_DIR = REPO_ROOT / "chiiki_care"
TEMPLATES = sorted(
	[
		*(APP_DIR / "www").rglob("*.html"),
		*(APP_DIR / "templates" / "portal").rglob("*.html"),
		*(APP_DIR / "templates" / "emails").rglob("*.html"),
	]
)

OUTPUT = re.compile(r"\{\{-?(.*?)-?\}\}", re.S)
ESCAPED = re.compile(r"\|\s*(e|escape|urlencode|tojson)\s*$")
LITERAL = r"""(?:"[^"<>&]*"|'[^'<>&]*')"""
HARMLESS = [
	re.compile(rf"_\(\s*{LITERAL}\s*\)"),  # a translation of a literal without markup characters
	re.compile(r"fmt_date\([\w.]+\)"),  # digits and slashes
	re.compile(r"[\w.]+\s*\|\s*length"),
	re.compile(r"status_class\.get\([\w.]+,\s*'[\w-]+'\)"),  # a CSS class from a fixed table
	re.compile(rf"{LITERAL}\s+if\s+[^{{}}]+\s+else\s+{LITERAL}"),
	re.compile(r"[a-z_]*_html"),  # rich text cleaned by portal.sanitized
]
# A call of a shared macro writes the macro's body, which is checked here like any template.
MACROS = APP_DIR / "templates" / "portal" / "macros.html"
MACRO_NAMES = re.findall(r"\{%-?\s*macro\s+(\w+)\(", MACROS.read_text(encoding="utf-8"))
HARMLESS.append(re.compile(rf"(?:{'|'.join(MACRO_NAMES)})\([^{{}}|]*\)"))
FORBIDDEN = re.compile(r"\|\s*(safe|striptags)\b|\bMarkup\b|\bunescape\b|autoescape\s+false", re.I)


def outputs(path: Path):
	text = path.read_text(encoding="utf-8")
	text = re.sub(r"\{#.*?#\}", "", text, flags=re.S)  # comments
	for match in OUTPUT.finditer(text):
		line = text.count("\n", 0, match.start()) + 1
		yield line, match.group(1).strip()


def test_there_are_templates_to_check():
	assert len(TEMPLATES) > 10
	assert MACROS in TEMPLATES and len(MACRO_NAMES) >= 3


@pytest.mark.parametrize("path", TEMPLATES, ids=lambda p: str(p.relative_to(APP_DIR)))
def test_every_output_is_escaped(path):
	unescaped = [
		f"{path.name}:{line}: {{{{ {expr} }}}}"
		for line, expr in outputs(path)
		if not ESCAPED.search(expr) and not any(p.fullmatch(expr) for p in HARMLESS)
	]
	assert not unescaped, "written without |e:\n" + "\n".join(unescaped)


@pytest.mark.parametrize("path", TEMPLATES, ids=lambda p: str(p.relative_to(APP_DIR)))
def test_no_filter_unescapes_or_marks_safe(path):
	text = re.sub(r"\{#.*?#\}", "", path.read_text(encoding="utf-8"), flags=re.S)
	assert not FORBIDDEN.search(text), FORBIDDEN.search(text).group(0)


def test_the_portal_frame_writes_the_title_escaped():
	"""Frappe's base template writes `{{ title | striptags }}`; the portal's frame replaces the block."""
	base = (APP_DIR / "templates" / "portal" / "base.html").read_text(encoding="utf-8")
	assert re.search(r"\{%\s*block title\s*%\}\{\{\s*\(title or \"\"\)\|e\s*\}\}\{%\s*endblock\s*%\}", base)
	assert re.search(r"\{%\s*block meta_block\s*%\}", base)


def test_the_portal_code_marks_nothing_safe():
	served = [path for path in (APP_DIR / "portal").rglob("*.py") if path.name != "benchmark.py"]  # a client
	for path in [*served, *(APP_DIR / "www").rglob("*.py")]:
		text = path.read_text(encoding="utf-8")
		assert not re.search(r"\bMarkup\b|html\.unescape|\bunescape\(", text), path
