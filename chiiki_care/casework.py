"""Casework rules that span documents: status changes, lifting needs into community issues,
community plans from issues, meeting follow-ups, and telling coordinators what happened."""

from collections import Counter

import frappe
from frappe import _
from frappe.model.mapper import get_mapped_doc
from frappe.model.workflow import get_workflow_name
from frappe.utils import getdate, today

from chiiki_care import inputs, rules
from chiiki_care.scope import LAYER_1, LAYER_2, MANAGER, SUPPORT_CENTER_STAFF, SYSTEM_MANAGER
from chiiki_care.utils import bold

FINAL_OUTCOMES = ("Goal Achieved", "End Support")
CONFIRMER_ROLES = {"Layer 2 Coordinator": LAYER_2, "Support Center": SUPPORT_CENTER_STAFF}


# Status changes
# --------------


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


def validate_plan_status(plan):
	"""A plan starts with at least one action, completes with a final monitoring entry,
	and is confirmed by whoever the district names."""
	old, new = previous_status(plan), plan.status
	if old == new:
		return
	if new in ("Pending Confirmation", "Active") and not plan.actions:
		frappe.throw(
			_("Add at least one support action before the plan can go ahead."), title=_("No actions")
		)
	if new == "Completed":
		latest = max(plan.monitoring, key=lambda m: getdate(m.monitoring_date), default=None)
		if not latest or latest.outcome not in FINAL_OUTCOMES:
			frappe.throw(
				_(
					"Record a final monitoring entry (goal achieved or end of support) before completing the plan."
				),
				title=_("Final monitoring missing"),
			)
	if new == "Active" and old == "Pending Confirmation" and not is_privileged():
		confirmer = plan_confirmer_role(plan)
		if confirmer not in frappe.get_roles():
			frappe.throw(
				_("Plans of this district are confirmed by: {0}.").format(_(confirmer)),
				frappe.PermissionError,
				title=_("Status change not allowed"),
			)


def plan_confirmer_role(plan) -> str:
	"""Who confirms the plan: for community plans layer 1; for individual plans the district's setting,
	inherited from the nearest district above that has one (default: the layer 2 coordinator)."""
	if plan.scope == "Community":
		return LAYER_1
	lft, rgt = frappe.db.get_value("District", plan.district, ["lft", "rgt"])
	settings = frappe.get_all(
		"District",
		filters={"lft": ("<=", lft), "rgt": (">=", rgt), "plan_confirmer": ("is", "set")},
		fields=["plan_confirmer"],
		order_by="lft desc",
		limit=1,
	)
	return CONFIRMER_ROLES[settings[0].plan_confirmer if settings else "Layer 2 Coordinator"]


def validate_need_status(need):
	if need.status == "Lifted to Community Issue" and not need.community_issue:
		frappe.throw(_("Choose the community issue the need is lifted to."), title=_("No community issue"))


def validate_issue_status(issue):
	if issue.status in ("In Discussion", "In Progress") and not issue.council:
		frappe.throw(_("Raise the issue to a council before it is discussed."), title=_("No council"))


# Lifting needs into a community issue (seed, 活動内容③)
# ------------------------------------------------------


@frappe.whitelist(methods=["POST"])
def lift_needs(
	needs: list | str | None = None, community_issue: str | None = None, title: str | None = None
) -> str:
	"""Create a community issue from needs of one district, or add them to an existing issue.

	Runs as the caller: needs must be readable by it, and each need's status change must be
	one the caller may make.
	"""
	needs = list(dict.fromkeys(inputs.check_text_list(needs, _("Needs"))))
	community_issue = inputs.check_id(community_issue, _("Community Issue"), required=False)
	title = inputs.check_text(title, _("Title"), max_length=140)
	if not needs:
		frappe.throw(_("Choose at least one need to lift."))
	readable = frappe.get_list(
		"Need",
		filters={"name": ("in", needs)},
		fields=["name", "district", "primary_category", "community_issue"],
	)
	if len(readable) != len(needs):
		frappe.throw(_("Some of these needs are outside what you may see."), frappe.PermissionError)
	already = [n.name for n in readable if n.community_issue and n.community_issue != community_issue]
	if already:
		frappe.throw(_("Need {0} is already part of a community issue.").format(bold(already[0])))
	if community_issue:
		inputs.check_id(community_issue, _("Community Issue"), "Community Issue")
		issue = frappe.get_doc("Community Issue", community_issue)
		issue.check_permission("write")
	else:
		districts = {n.district for n in readable}
		if len(districts) != 1:
			frappe.throw(_("Only needs of the same district can be lifted into one new community issue."))
		if not title:
			frappe.throw(_("Give the community issue a title."))
		district = districts.pop()
		issue = frappe.get_doc(
			{
				"doctype": "Community Issue",
				"title": title,
				"district": district,
				"need_category": Counter(n.primary_category for n in readable).most_common(1)[0][0],
				"council": council_for(district),
			}
		)
	existing = {row.need for row in issue.needs}
	for need in needs:
		if need not in existing:
			issue.append("needs", {"need": need})
	issue.save()
	for name in needs:
		need = frappe.get_doc("Need", name)
		need.community_issue = issue.name
		need.status = "Lifted to Community Issue"
		need.save()
	return issue.name


def council_for(district: str) -> str | None:
	"""The active layer 2 council of the district, or of the nearest district above it."""
	lft, rgt = frappe.db.get_value("District", district, ["lft", "rgt"])
	District = frappe.qb.DocType("District")
	Council = frappe.qb.DocType("Council")
	row = (
		frappe.qb.from_(Council)
		.join(District)
		.on(Council.district == District.name)
		.select(Council.name)
		.where((Council.layer == "Layer 2") & (Council.status == "Active"))
		.where((District.lft <= lft) & (District.rgt >= rgt))
		.orderby(District.lft, order=frappe.qb.desc)
		.limit(1)
		.run()
	)
	return row[0][0] if row else None


def summarise_needs(categories: list[str]) -> str:
	"""How many needs of which category, never who; counts below 3 are shown as <3."""
	counts = Counter(c or _("Uncategorised") for c in categories)
	return " / ".join(f"{cat}: {rules.mask_small_count(n)}" for cat, n in sorted(counts.items()))


@frappe.whitelist()
def make_community_plan(source_name: str | None = None, target_doc: str | dict | None = None):
	"""A community support plan from a community issue (mapped, not saved: the form opens it)."""
	source_name = inputs.check_id(source_name, _("Community Issue"), "Community Issue")
	target_doc = inputs.parse_json_arg(target_doc, _("Support Plan"), dict)
	if target_doc is not None:
		# the form being filled in (its plain fields), as Frappe's mapper takes it
		if target_doc.get("doctype", "Support Plan") != "Support Plan":
			frappe.throw(_("{0}: a set of fields was expected.").format(_("Support Plan")))
		meta = frappe.get_meta("Support Plan")
		target_doc = frappe.get_doc(
			{
				"doctype": "Support Plan",
				**{
					key: value
					for key, value in target_doc.items()
					if meta.has_field(key)
					and meta.get_field(key).fieldtype not in frappe.model.table_fields
					and isinstance(value, str | int | float)
				},
			}
		)

	def set_missing(source, target):
		target.scope = "Community"
		target.title = source.title
		target.district = source.district
		target.status = "Draft"

	return get_mapped_doc(
		"Community Issue",
		source_name,
		{"Community Issue": {"doctype": "Support Plan", "field_map": {"name": "community_issue"}}},
		target_doc,
		set_missing,
	)


def notify_issue_resolved(issue):
	"""Tell the coordinators of the needs behind an issue that it is resolved (no identity in the message)."""
	coordinators = {
		frappe.db.get_value("Need", row.need, "recorded_by") for row in issue.needs if row.need
	} - {None}
	users = {frappe.db.get_value("Coordinator", c, "user") for c in coordinators} - {None}
	for user in sorted(users):
		frappe.get_doc(
			{
				"doctype": "Notification Log",
				"for_user": user,
				"type": "Alert",
				"document_type": "Community Issue",
				"document_name": issue.name,
				"subject": _("Community issue {0} was resolved.").format(issue.title),
			}
		).insert(ignore_permissions=True)


# Council meetings
# ----------------


def carry_open_follow_ups(meeting):
	"""A new meeting takes over the open follow-ups of the council's previous meeting."""
	previous = frappe.get_all(
		"Council Meeting",
		filters={"council": meeting.council, "meeting_date": ("<=", meeting.meeting_date)},
		order_by="meeting_date desc, creation desc",
		limit=1,
		pluck="name",
	)
	if not previous:
		return
	for row in frappe.get_doc("Council Meeting", previous[0]).follow_ups:
		if row.status == "Open":
			meeting.append(
				"follow_ups",
				{
					"description": row.description,
					"assigned_to": row.assigned_to,
					"due_date": row.due_date,
					"todo": row.todo,
					"carried_from": previous[0],
				},
			)


def sync_follow_up_todos(meeting):
	"""Each follow-up with an assignee is a ToDo; done follow-ups close theirs."""
	for row in meeting.follow_ups:
		if row.status == "Open" and row.assigned_to and not row.todo:
			todo = frappe.get_doc(
				{
					"doctype": "ToDo",
					"allocated_to": row.assigned_to,
					"description": row.description,
					"date": row.due_date,
					"reference_type": "Council Meeting",
					"reference_name": meeting.name,
					"assigned_by": frappe.session.user,
				}
			).insert(ignore_permissions=True)
			row.db_set("todo", todo.name)
		elif row.status == "Done" and row.todo and frappe.db.get_value("ToDo", row.todo, "status") == "Open":
			frappe.db.set_value("ToDo", row.todo, "status", "Closed")


def mark_issues_discussed(meeting):
	"""Issues on a meeting's agenda are in discussion at their council, with a note on their timeline."""
	for row in meeting.issues_discussed:
		issue = frappe.get_doc("Community Issue", row.community_issue)
		changed = False
		if not issue.council:
			issue.council, changed = meeting.council, True
		if issue.status in ("Raised", "On Hold"):
			issue.status, changed = "In Discussion", True
		if changed:
			issue.save()
		issue.add_comment(
			"Info", _("Discussed at council meeting {0} on {1}.").format(meeting.name, meeting.meeting_date)
		)


def is_overdue(plan) -> bool:
	return plan.status == "Active" and rules.is_overdue(getdate(plan.next_review_date), getdate(today()))


# Support methods (seed, 活動内容②): resources for a plan's actions
# -----------------------------------------------------------------


@frappe.whitelist()
def resource_query(doctype=None, txt=None, searchfield=None, start=0, page_len=20, filters=None):
	"""Active resources for a plan action: those serving the plan's need categories in its district
	and the neighbouring districts (same parent, and the parent) come first.

	A link field's search query (frappe.desk.search.search_widget calls it with these six
	arguments). Its arguments are checked here rather than by `frappe.validate_and_sanitize_search_inputs`,
	which fails with a server error on a missing or malformed one; `doctype` and `searchfield` are
	not used (the query is about Community Resource names)."""
	inputs.check_text(doctype, _("Document Type"), max_length=140)
	inputs.check_text(searchfield, _("Search"), max_length=140)
	txt = inputs.check_text(txt, _("Search"), max_length=140) or ""
	start = inputs.check_int(start, _("Start"), 0, 100_000, default=0)
	page_len = inputs.check_int(page_len, _("Page Length"), 1, 500, default=20)
	filters = inputs.parse_json_arg(filters, _("Filters"), dict, default={})
	district = inputs.check_id(filters.get("district"), _("District"), required=False)
	plan = inputs.check_id(filters.get("support_plan"), _("Support Plan"), required=False)
	categories = set(plan_need_categories(plan)) if plan and frappe.db.exists("Support Plan", plan) else set()
	neighbours = set(neighbouring_districts(district)) if district else set()
	resources = frappe.get_list(
		"Community Resource",
		filters={"status": "Active", "resource_name": ("like", f"%{txt}%")},
		fields=["name", "resource_name", "district"],
		order_by="resource_name asc",
		limit_page_length=500,
	)
	served = {}
	for row in frappe.get_all(
		"Need Category Item",
		filters={"parenttype": "Community Resource", "parent": ("in", [r.name for r in resources] or [""])},
		fields=["parent", "need_category"],
	):
		served.setdefault(row.parent, set()).add(row.need_category)

	def rank(resource):
		return (not (served.get(resource.name, set()) & categories), resource.district not in neighbours)

	ranked = sorted(resources, key=rank)
	return [(r.name, r.resource_name, r.district) for r in ranked[start : start + page_len]]


def plan_need_categories(plan: str) -> list[str]:
	needs = frappe.get_all(
		"Support Plan Need", filters={"parent": plan, "parenttype": "Support Plan"}, pluck="need"
	)
	return frappe.get_all(
		"Need Category Item",
		filters={"parenttype": "Need", "parent": ("in", needs or [""])},
		pluck="need_category",
	)


def neighbouring_districts(district: str) -> list[str]:
	"""The district, its parent and the parent's other children."""
	parent = frappe.db.get_value("District", district, "parent_district")
	if not parent:
		return [district]
	return [parent, *frappe.get_all("District", filters={"parent_district": parent}, pluck="name")]
