"""Who may move a Need, Support Plan or Community Issue from one status to another: the site's workflow decides, checked on every save."""

import frappe
from frappe import _
from frappe.model.workflow import get_workflow_name

from chiiki_care.access.scope import MANAGER, SYSTEM_MANAGER


def previous_status(doc) -> str | None:
	before = doc.get_doc_before_save()
	return before.status if before else None


def validate_status_change(doc):
	"""Refuse, in Japanese, a status change the site's workflow does not give this user."""
	old, new = previous_status(doc), doc.status
	if doc.flags.ignore_permissions or old is None or old == new:
		return
	workflow_name = get_workflow_name(doc.doctype)
	if not workflow_name:
		return
	workflow = frappe.get_cached_doc("Workflow", workflow_name)
	moves = [t for t in workflow.transitions if t.state == old and t.next_state == new]
	if not moves:
		frappe.throw(
			_("A {0} cannot go from {1} to {2}.").format(_(doc.doctype), _(old), _(new)),
			title=_("Status change not allowed"),
		)
	roles = set(frappe.get_roles())
	if not any(t.allowed in roles for t in moves):
		frappe.throw(
			_("You cannot move this {0} from {1} to {2}; it is done by: {3}.").format(
				_(doc.doctype), _(old), _(new), "、".join(sorted({_(t.allowed) for t in moves}))
			),
			frappe.PermissionError,
			title=_("Status change not allowed"),
		)


def is_privileged() -> bool:
	return frappe.session.user == "Administrator" or bool({MANAGER, SYSTEM_MANAGER} & set(frappe.get_roles()))
