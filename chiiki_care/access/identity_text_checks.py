"""Free text readable above layer 3 carries no identity (DESIGN.md §4; README: Free text and identity).

Called from the validate of Need, Support Plan, Community Issue and Council Meeting, and for
Comments on them (doc_events in hooks.py). The matching is plain Python in
`chiiki_care.domain.identity_text`; which fields are checked is `identity_text.FREE_TEXT_FIELDS`.
"""

import frappe
from frappe import _

from chiiki_care.domain.identity_text import (
	ADDRESS,
	FREE_TEXT_FIELDS,
	KANA,
	NAME,
	PHONE,
	RESIDENT_FIELDS,
	IdentityMatcher,
)


class IdentityInFreeTextError(frappe.ValidationError):
	pass


def _kind_label(kind: str) -> str:
	# the labels of the Resident's own fields
	return {
		NAME: _("Full Name"),
		KANA: _("Full Name (Kana)"),
		ADDRESS: _("Address"),
		PHONE: _("Phone"),
	}[kind]


# Residents a document concerns (as Administrator would read them: the user saving may not read
# who they are, and nothing of them leaves this module but the kind of identity found).


def _residents_of_needs(needs) -> set:
	needs = sorted({n for n in needs if n})
	if not needs:
		return set()
	return set(frappe.get_all("Need", filters={"name": ("in", needs)}, pluck="resident"))


def _residents_of_issues(issues, needs_in_hand=()) -> set:
	"""Residents of the needs of `issues`: listed in their Needs table or lifted to them."""
	issues = sorted({i for i in issues if i})
	needs = set(needs_in_hand)
	if issues:
		needs |= set(
			frappe.get_all(
				"Community Issue Need",
				filters={"parenttype": "Community Issue", "parent": ("in", issues)},
				pluck="need",
			)
		)
		needs |= set(frappe.get_all("Need", filters={"community_issue": ("in", issues)}, pluck="name"))
	return _residents_of_needs(needs)


def _need_residents(doc) -> set:
	return {doc.get("resident")}


def _plan_residents(doc) -> set:
	residents = {doc.get("resident")} | _residents_of_needs(row.need for row in doc.get("needs") or [])
	if doc.get("community_issue"):
		residents |= _residents_of_issues([doc.community_issue])
	return residents


def _issue_residents(doc) -> set:
	listed = [row.need for row in doc.get("needs") or []]
	return _residents_of_issues([] if doc.is_new() else [doc.name], needs_in_hand=listed)


def _meeting_residents(doc) -> set:
	return _residents_of_issues(row.community_issue for row in doc.get("issues_discussed") or [])


RESIDENTS_OF = {
	"Need": _need_residents,
	"Support Plan": _plan_residents,
	"Community Issue": _issue_residents,
	"Council Meeting": _meeting_residents,
}


def identity_matcher(doc) -> IdentityMatcher:
	"""The identities of the residents `doc` concerns."""
	residents = sorted({r for r in RESIDENTS_OF[doc.doctype](doc) if r})
	if not residents:
		return IdentityMatcher([])
	return IdentityMatcher(
		frappe.get_all("Resident", filters={"name": ("in", residents)}, fields=list(RESIDENT_FIELDS.values()))
	)


def _texts(doc):
	"""(label, text) of each free-text field of `doc` listed in FREE_TEXT_FIELDS, child rows too."""
	meta = doc.meta
	for path in FREE_TEXT_FIELDS.get(doc.doctype, ()):
		if "." not in path:
			yield _(meta.get_label(path)), doc.get(path)
			continue
		table, fieldname = path.split(".", 1)
		table_label = _(meta.get_label(table))
		child_meta = frappe.get_meta(meta.get_field(table).options)
		field_label = _(child_meta.get_label(fieldname))
		for row in doc.get(table) or []:
			yield (
				_("{0} in row {1} of {2}").format(field_label, row.idx, table_label),
				row.get(fieldname),
			)


def _refuse(label: str, kind: str):
	frappe.throw(
		_("{0} must not contain the resident's {1}. Write it without personal details.").format(
			label, _kind_label(kind)
		),
		IdentityInFreeTextError,
		title=_("Personal details in free text"),
	)


def _skipped() -> bool:
	# an upgrade must not stop on text saved before this check existed (see find_existing)
	return bool(frappe.flags.in_patch or frappe.flags.in_migrate)


def refuse_identity_in_free_text(doc):
	"""Refuse to save `doc` when a free-text field other layers read names one of its residents."""
	texts = [(label, text) for label, text in _texts(doc) if text]
	if not texts or _skipped():
		return
	matcher = identity_matcher(doc)
	if not matcher:
		return
	for label, text in texts:
		kind = matcher.find(text)
		if kind:
			_refuse(label, kind)


def refuse_identity_in_comment(doc, method=None):
	"""Comment validate (hooks.py): a comment on a need, plan, issue or meeting is read by whoever
	reads the document, Layer 1/2 and council members included. Comments on a Resident are read
	only by those who read the resident, and are not checked."""
	if doc.comment_type != "Comment" or doc.reference_doctype not in RESIDENTS_OF or not doc.content:
		return
	if _skipped() or not frappe.db.exists(doc.reference_doctype, doc.reference_name):
		return
	reference = frappe.get_doc(doc.reference_doctype, doc.reference_name)
	kind = identity_matcher(reference).find(doc.content)
	if kind:
		_refuse(_("Comment"), kind)


def find_existing(limit: int = 1000) -> list[dict]:
	"""Documents and comments saved with identity in their free text (before this check, or by
	patches and direct writes). For a manager to clean up, as Administrator:
	`bench --site SITE execute chiiki_care.access.identity_text_checks.find_existing`.
	Gives the document, the field and the kind of identity, never the text."""
	found = []
	for doctype in FREE_TEXT_FIELDS:
		for name in frappe.get_all(doctype, pluck="name", order_by="name asc"):
			doc = frappe.get_doc(doctype, name)
			texts = [(label, text) for label, text in _texts(doc) if text]
			comments = frappe.get_all(
				"Comment",
				filters={"reference_doctype": doctype, "reference_name": name, "comment_type": "Comment"},
				fields=["name", "content"],
				order_by="creation asc",
			)
			if not texts and not comments:
				continue
			matcher = identity_matcher(doc)
			if not matcher:
				continue
			for label, text in texts:
				kind = matcher.find(text)
				if kind:
					found.append({"doctype": doctype, "name": name, "field": label, "kind": kind})
			for comment in comments:
				kind = matcher.find(comment.content)
				if kind:
					found.append({"doctype": "Comment", "name": comment.name, "field": doctype, "kind": kind})
			if len(found) >= limit:
				return found
	return found
