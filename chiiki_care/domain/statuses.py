"""The statuses of needs, plans, actions and community issues, one named set per meaning.

Plain Python (no Frappe). The values are the Select options of the DocTypes; the sets say what
each status means to the app, so that "open" never means two things under one name.
"""

# A need is unmet until it is resolved or withdrawn; one lifted to a community issue is still unmet
# (the reports, the workspace and the emails count these).
UNMET_NEED_STATUSES = ("New", "Under Review", "Supporting", "Lifted to Community Issue")
# Needs still in their coordinator's hands: not yet lifted to a community issue, not closed
# (the portal's lists and the steps it offers on a need).
CASEWORK_NEED_STATUSES = ("New", "Under Review", "Supporting")
CLOSED_NEED_STATUSES = ("Resolved", "Withdrawn")
NEED_STATUSES = UNMET_NEED_STATUSES + CLOSED_NEED_STATUSES

# A plan is open until it is completed or cancelled; only an active plan has reviews due.
OPEN_PLAN_STATUSES = ("Draft", "Pending Confirmation", "Active")
FINISHED_PLAN_STATUSES = ("Completed", "Cancelled")
ACTIVE_PLAN_STATUS = "Active"
# The monitoring outcomes that let a plan be completed.
FINAL_OUTCOMES = ("Goal Achieved", "End Support")

OPEN_ACTION_STATUSES = ("Planned", "In Progress")

ISSUE_STATUSES = ("Raised", "In Discussion", "In Progress", "Resolved", "On Hold")
OPEN_ISSUE_STATUSES = ("Raised", "In Discussion", "In Progress")
