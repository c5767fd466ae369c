"""The portal's workflow steps on one's needs and plans."""

import frappe
from frappe import _
from frappe.model.workflow import apply_workflow

from chiiki_care.portal import edit_conflicts
from chiiki_care.portal.forms import coordinator_action, url_for, writable_doc
from chiiki_care.portal.pages import (
	workflow_actions,
)


@coordinator_action
def apply_action(
	doctype: str | None = None,
	name: str | None = None,
	action: str | None = None,
	base_version: str | None = None,
	base_values: str | None = None,
) -> dict:
	"""Take a workflow action on one's need or plan (the site's workflow decides who may).

	The page's buttons send the version they were shown on: a status changed since is answered
	409 with who changed it (a call without `base_version` acts on the current status)."""
	if doctype not in ("Need", "Support Plan"):
		frappe.throw(_("This record does not exist or you may not see it."), frappe.PermissionError)
	doc = writable_doc(doctype, name)
	if base_version is not None:
		edit_conflicts.refuse_if_stale(doc, base_version, base_values, [status_edit(doc)])
	if action not in workflow_actions(doc, exclude=("Lift to Community Issue",)):
		frappe.throw(_("This step is not available now; reload the page."))
	doc = apply_workflow(doc.as_dict(), action)
	route = "coordinator/need" if doctype == "Need" else "coordinator/plan"
	return {"status": doc.status, "url": url_for(route, name)}


def status_edit(doc):
	"""A workflow step on `doc`: any change of its status since the page was loaded conflicts."""
	return edit_conflicts.Edit("status", _("Status"), doc.status, path=("status",), translate=True)
