"""The casework workflows, on the platform's Workflow, keyed on each DocType's `status` field.

They are created once per site (after install and after each migrate, only when missing), so a
site that edits its workflows keeps its edits. The domain conditions of a transition (a plan
needs an action to start, a final monitoring entry to complete, ...) are checked by the
controllers, with Japanese messages; the workflow decides who may move a document where.
"""

import frappe
from frappe import _lt

from chiiki_care.access.scope import LAYER_1, LAYER_2, LAYER_3, MANAGER, SUPPORT_CENTER_STAFF

CASEWORKERS = (LAYER_3, SUPPORT_CENTER_STAFF, MANAGER)

# doctype: (workflow name, states, transitions (state, action, next state, roles))
WORKFLOWS = {
	"Need": (
		"Need Workflow",
		["New", "Under Review", "Supporting", "Resolved", "Lifted to Community Issue", "Withdrawn"],
		[
			("New", "Start Review", "Under Review", (*CASEWORKERS, LAYER_2)),
			("Under Review", "Start Support", "Supporting", CASEWORKERS),
			("New", "Start Support", "Supporting", CASEWORKERS),
			("Supporting", "Resolve", "Resolved", CASEWORKERS),
			("Under Review", "Resolve", "Resolved", CASEWORKERS),
			("New", "Lift to Community Issue", "Lifted to Community Issue", (*CASEWORKERS, LAYER_2)),
			("Under Review", "Lift to Community Issue", "Lifted to Community Issue", (*CASEWORKERS, LAYER_2)),
			("Supporting", "Lift to Community Issue", "Lifted to Community Issue", (*CASEWORKERS, LAYER_2)),
			("New", "Withdraw", "Withdrawn", CASEWORKERS),
			("Under Review", "Withdraw", "Withdrawn", CASEWORKERS),
			("Supporting", "Withdraw", "Withdrawn", CASEWORKERS),
			("Resolved", "Reopen", "Under Review", CASEWORKERS),
			("Withdrawn", "Reopen", "Under Review", CASEWORKERS),
		],
	),
	"Support Plan": (
		"Support Plan Workflow",
		["Draft", "Pending Confirmation", "Active", "Completed", "Cancelled"],
		[
			("Draft", "Request Confirmation", "Pending Confirmation", (*CASEWORKERS, LAYER_2)),
			("Pending Confirmation", "Confirm", "Active", (LAYER_2, SUPPORT_CENTER_STAFF, LAYER_1, MANAGER)),
			("Pending Confirmation", "Send Back", "Draft", (LAYER_2, SUPPORT_CENTER_STAFF, LAYER_1, MANAGER)),
			("Active", "Complete", "Completed", (*CASEWORKERS, LAYER_2)),
			("Draft", "Cancel Plan", "Cancelled", (*CASEWORKERS, LAYER_2)),
			("Pending Confirmation", "Cancel Plan", "Cancelled", (*CASEWORKERS, LAYER_2)),
			("Active", "Cancel Plan", "Cancelled", (*CASEWORKERS, LAYER_2)),
		],
	),
	"Community Issue": (
		"Community Issue Workflow",
		["Raised", "In Discussion", "In Progress", "Resolved", "On Hold"],
		[
			("Raised", "Discuss", "In Discussion", (LAYER_2, LAYER_1, SUPPORT_CENTER_STAFF, MANAGER)),
			(
				"In Discussion",
				"Take Action",
				"In Progress",
				(LAYER_2, LAYER_1, SUPPORT_CENTER_STAFF, MANAGER),
			),
			("In Progress", "Resolve", "Resolved", (LAYER_2, LAYER_1, SUPPORT_CENTER_STAFF, MANAGER)),
			("In Discussion", "Resolve", "Resolved", (LAYER_2, LAYER_1, SUPPORT_CENTER_STAFF, MANAGER)),
			("In Discussion", "Put on Hold", "On Hold", (LAYER_2, LAYER_1, SUPPORT_CENTER_STAFF, MANAGER)),
			("In Progress", "Put on Hold", "On Hold", (LAYER_2, LAYER_1, SUPPORT_CENTER_STAFF, MANAGER)),
			("On Hold", "Discuss", "In Discussion", (LAYER_2, LAYER_1, SUPPORT_CENTER_STAFF, MANAGER)),
		],
	),
}

# Workflow and action names, for translation (workflow records are data, not extracted from code).
LABELS = [
	_lt("Need Workflow"),
	_lt("Support Plan Workflow"),
	_lt("Community Issue Workflow"),
	_lt("Start Review"),
	_lt("Start Support"),
	_lt("Resolve"),
	_lt("Lift to Community Issue"),
	_lt("Withdraw"),
	_lt("Reopen"),
	_lt("Request Confirmation"),
	_lt("Confirm"),
	_lt("Send Back"),
	_lt("Complete"),
	_lt("Cancel Plan"),
	_lt("Discuss"),
	_lt("Take Action"),
	_lt("Put on Hold"),
]

STATE_STYLE = {
	"New": "Primary",
	"Under Review": "Info",
	"Supporting": "Warning",
	"Resolved": "Success",
	"Lifted to Community Issue": "Info",
	"Withdrawn": "Inverse",
	"Draft": "",
	"Pending Confirmation": "Warning",
	"Active": "Primary",
	"Completed": "Success",
	"Cancelled": "Inverse",
	"Raised": "Primary",
	"In Discussion": "Info",
	"In Progress": "Warning",
	"On Hold": "Inverse",
}

# Transitions that confirm someone else's work: the confirmer must not be the plan's author.
NEEDS_ANOTHER_PERSON = {("Pending Confirmation", "Confirm")}


def install_workflows():
	"""Create the app's workflows, their states and actions where they are missing."""
	for doctype, (name, states, transitions) in WORKFLOWS.items():
		for state in states:
			if not frappe.db.exists("Workflow State", state):
				frappe.get_doc(
					{
						"doctype": "Workflow State",
						"workflow_state_name": state,
						"style": STATE_STYLE.get(state, ""),
					}
				).insert(ignore_permissions=True)
		for _state, action, _next, _roles in transitions:
			if not frappe.db.exists("Workflow Action Master", action):
				frappe.get_doc({"doctype": "Workflow Action Master", "workflow_action_name": action}).insert(
					ignore_permissions=True
				)
		if frappe.db.exists("Workflow", name):
			continue
		workflow = frappe.get_doc(
			{
				"doctype": "Workflow",
				"workflow_name": name,
				"document_type": doctype,
				"workflow_state_field": "status",
				"is_active": 1,
				"send_email_alert": 0,
				"override_status": 1,
			}
		)
		for state in states:
			for role in _roles_editing(transitions, state):
				workflow.append("states", {"state": state, "doc_status": "0", "allow_edit": role})
		for state, action, next_state, roles in transitions:
			for role in roles:
				workflow.append(
					"transitions",
					{
						"state": state,
						"action": action,
						"next_state": next_state,
						"allowed": role,
						"allow_self_approval": 0 if (state, action) in NEEDS_ANOTHER_PERSON else 1,
					},
				)
		workflow.insert(ignore_permissions=True)


def _roles_editing(transitions, state) -> list[str]:
	roles = [MANAGER]
	for _state, _action, _next, allowed in transitions:
		for role in allowed:
			if role not in roles:
				roles.append(role)
	return roles
