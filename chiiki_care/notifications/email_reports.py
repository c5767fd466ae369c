"""Scheduled email reports, each computed as its recipient.

Three reports go out on the scheduler (hooks.py, cron in the site's time zone):

- a weekly digest to each coordinator (Monday 07:00): what is due in its own scope;
- a monthly district summary to the secretariat of each council (1st, 07:00): the council's district;
- a monthly city summary to each Chiiki Care Manager (1st, 07:00).

Each mail is computed with `frappe.set_user(recipient)` and the same functions as the desk
reports (`chiiki_care/chiiki_care/report/*`), so the recipient's row rules apply to every row read;
nothing is computed as Administrator and mailed on. Only a Layer 3 coordinator's digest names
residents, and only the residents of its own cases (plans and needs it is the coordinator of); every
other mail carries districts, categories and counts, with counts below 3 masked.

Frappe's Auto Email Report is not used: it runs a report as the scheduler's user (Administrator)
and filters the result only by User Permissions on link columns, not by this app's row rules
(FRAPPE_CONVENTIONS.md §5.1), so it cannot honour a recipient's scope.

Who receives what is an `Email Report Subscription` (one per person and report). A coordinator's
weekly digest subscription is created with its Coordinator record; the others are created when
the report is first due. A person switches a report off by unchecking Enabled on it or with the
link at the foot of each mail; a switched-off subscription is never recreated.
"""

import datetime
from contextlib import contextmanager
from urllib.parse import quote

import frappe
from frappe import _
from frappe.translate import get_user_lang
from frappe.utils import add_days, format_date, get_url, getdate, now_datetime, today
from frappe.utils.verified_command import verify_request

from chiiki_care import inputs
from chiiki_care.access.permissions import clear_scope_cache, get_scope
from chiiki_care.access.scope import MANAGER
from chiiki_care.domain import statuses
from chiiki_care.reporting import figures as logic
from chiiki_care.reporting import queries as data

SUBSCRIPTION = "Email Report Subscription"
WEEKLY_DIGEST = "Weekly Digest"
DISTRICT_SUMMARY = "District Summary"
CITY_SUMMARY = "City Summary"
DIGEST_DAYS = 7
GAP_ROWS_IN_MAIL = 30
TEMPLATE = "chiiki_care/templates/emails/chiiki_care_report.html"
UNSUBSCRIBE_METHOD = "/api/method/chiiki_care.notifications.email_reports.unsubscribe"


# ---------------------------------------------------------------------------------------------
# Scheduled jobs
# ---------------------------------------------------------------------------------------------


def send_weekly_digests():
	"""Monday: each coordinator's digest of what is due in its own scope."""
	send_all(WEEKLY_DIGEST)


def send_district_summaries():
	"""First of the month: each council's district summary to its secretariat."""
	send_all(DISTRICT_SUMMARY)


def send_city_summaries():
	"""First of the month: the city summary to each Chiiki Care Manager."""
	send_all(CITY_SUMMARY)


def send_all(kind: str) -> list[str]:
	"""Send one report kind to every enabled subscription; returns the subscriptions mailed.

	A failure for one recipient is logged and does not stop the others.
	"""
	sync_subscriptions(kind)
	sent = []
	for name in frappe.get_all(
		SUBSCRIPTION, filters={"report_kind": kind, "enabled": 1}, order_by="name asc", pluck="name"
	):
		savepoint = "chiiki_care_email_report"
		frappe.db.savepoint(savepoint)
		try:
			if send_subscription(frappe.get_doc(SUBSCRIPTION, name)):
				sent.append(name)
		except Exception:
			frappe.db.rollback(save_point=savepoint)
			frappe.log_error(title=_("Email report {0} could not be sent").format(name))
	return sent


def send_subscription(subscription, on: datetime.date | None = None) -> bool:
	"""Compute the report as its recipient and queue the mail. False when there is nothing to send."""
	if not subscription.enabled:
		return False
	user = frappe.db.get_value("User", subscription.user, ["name", "email", "enabled"], as_dict=True)
	if not user or not user.enabled or not user.email:
		return False
	on = getdate(on or today())
	builder = {
		WEEKLY_DIGEST: weekly_digest,
		DISTRICT_SUMMARY: district_summary,
		CITY_SUMMARY: city_summary,
	}[subscription.report_kind]
	with as_user(user.name):
		content = builder(subscription, on)
		if not content:
			return False
		message = frappe.render_template(TEMPLATE, content)
		subject = content["subject"]
		unsubscribe_message = _("Stop receiving this report")
	frappe.sendmail(
		recipients=[user.email],
		subject=subject,
		message=message,
		reference_doctype=SUBSCRIPTION,
		reference_name=subscription.name,
		unsubscribe_method=UNSUBSCRIBE_METHOD,
		unsubscribe_message=unsubscribe_message,
	)
	subscription.db_set("last_sent_on", now_datetime(), update_modified=False)
	return True


@contextmanager
def as_user(user: str):
	"""Run as `user` (its permissions and language), then return to the previous user."""
	previous_user = frappe.session.user
	previous_lang = frappe.local.lang
	frappe.set_user(user)
	frappe.local.lang = get_user_lang(user)
	clear_scope_cache()
	try:
		yield
	finally:
		frappe.set_user(previous_user)
		frappe.local.lang = previous_lang
		clear_scope_cache()


# ---------------------------------------------------------------------------------------------
# Subscriptions
# ---------------------------------------------------------------------------------------------


def find_subscription(user: str, kind: str, council: str | None = None, coordinator: str | None = None):
	filters = {"report_kind": kind}
	if coordinator:
		filters["coordinator"] = coordinator
	else:
		filters["user"] = user
		filters["council"] = council or ("is", "not set")
	return frappe.db.get_value(SUBSCRIPTION, filters, "name")


def ensure_subscription(
	user: str, kind: str, council: str | None = None, coordinator: str | None = None
) -> str:
	"""The subscription of `user` to `kind`, created (enabled) when there is none; an existing one,
	switched off or not, is left as it is."""
	name = find_subscription(user, kind, council, coordinator)
	if name:
		return name
	doc = frappe.get_doc(
		{
			"doctype": SUBSCRIPTION,
			"user": user,
			"report_kind": kind,
			"council": council,
			"coordinator": coordinator,
			"enabled": 1,
		}
	)
	doc.insert(ignore_permissions=True)
	doc.db_set("owner", user, update_modified=False)  # the person's own record
	return doc.name


def ensure_coordinator_subscription(coordinator) -> str | None:
	"""Called when a Coordinator is saved: its user gets the weekly digest (created once; a new user
	on the record takes the subscription over, switched off or not)."""
	if not coordinator.user or not frappe.db.table_exists(SUBSCRIPTION):
		return None  # (the DocType is not installed yet while the app is being installed or migrated)
	name = find_subscription(coordinator.user, WEEKLY_DIGEST, coordinator=coordinator.name)
	if name:
		if frappe.db.get_value(SUBSCRIPTION, name, "user") != coordinator.user:
			frappe.db.set_value(SUBSCRIPTION, name, "user", coordinator.user)
		return name
	return ensure_subscription(coordinator.user, WEEKLY_DIGEST, coordinator=coordinator.name)


def remove_coordinator_subscriptions(coordinator):
	"""Called when a Coordinator is deleted: its weekly digest goes with it."""
	if frappe.db.table_exists(SUBSCRIPTION):
		frappe.db.delete(SUBSCRIPTION, {"coordinator": coordinator.name})


def remove_dangling_subscriptions():
	"""Subscriptions whose user, coordinator or council no longer exists (deleting those is not
	blocked by subscriptions: hooks.py `ignore_links_on_delete`)."""
	Subscription = frappe.qb.DocType(SUBSCRIPTION)
	for doctype, fieldname in (("User", "user"), ("Coordinator", "coordinator"), ("Council", "council")):
		Target = frappe.qb.DocType(doctype)
		missing = (
			frappe.qb.from_(Subscription)
			.left_join(Target)
			.on(Target.name == Subscription[fieldname])
			.select(Subscription.name)
			.where(
				Subscription[fieldname].isnotnull() & (Subscription[fieldname] != "") & Target.name.isnull()
			)
			.run(pluck=True)
		)
		if missing:
			frappe.db.delete(SUBSCRIPTION, {"name": ("in", missing)})


def sync_subscriptions(kind: str):
	"""Create the subscriptions a report kind is due to (never re-enabling a switched-off one)."""
	remove_dangling_subscriptions()
	if kind == WEEKLY_DIGEST:
		for c in frappe.get_all(
			"Coordinator",
			filters={"is_active": 1, "user": ("is", "set")},
			fields=["name", "user"],
			order_by="name asc",
		):
			if frappe.db.exists("User", {"name": c.user, "enabled": 1}):
				ensure_subscription(c.user, WEEKLY_DIGEST, coordinator=c.name)
	elif kind == DISTRICT_SUMMARY:
		for council in frappe.get_all(
			"Council",
			filters={"status": "Active", "secretariat": ("is", "set")},
			fields=["name", "secretariat"],
			order_by="name asc",
		):
			user = frappe.db.get_value("Coordinator", {"name": council.secretariat, "is_active": 1}, "user")
			if user and frappe.db.exists("User", {"name": user, "enabled": 1}):
				ensure_subscription(user, DISTRICT_SUMMARY, council=council.name)
	elif kind == CITY_SUMMARY:
		for user in manager_users():
			ensure_subscription(user, CITY_SUMMARY)


def manager_users() -> list[str]:
	HasRole = frappe.qb.DocType("Has Role")
	User = frappe.qb.DocType("User")
	return (
		frappe.qb.from_(HasRole)
		.join(User)
		.on(User.name == HasRole.parent)
		.select(User.name)
		.distinct()
		.where(
			(HasRole.role == MANAGER)
			& (HasRole.parenttype == "User")
			& (User.enabled == 1)
			& (User.name.notin(["Administrator", "Guest"]))
		)
		.orderby(User.name)
		.run(pluck=True)
	)


@frappe.whitelist(allow_guest=True)
def unsubscribe(doctype: str | None = None, name: str | None = None, email: str | None = None):
	"""The link at the foot of each mail (signed by Frappe): switch that subscription off."""
	if not frappe.flags.in_test and not verify_request():
		return
	doctype = inputs.check_text(doctype, _("Document Type"), max_length=inputs.MAX_ID_LENGTH)
	name = inputs.check_text(name, _("Name"), max_length=inputs.MAX_ID_LENGTH)
	email = inputs.check_text(email, _("Email"), max_length=inputs.MAX_ID_LENGTH)
	user = frappe.db.get_value(SUBSCRIPTION, name, "user") if doctype == SUBSCRIPTION else None
	if not user or frappe.db.get_value("User", user, "email") != email:
		frappe.respond_as_web_page(
			_("Not Found"), _("This email report could not be found."), indicator_color="red"
		)
		return
	frappe.db.set_value(SUBSCRIPTION, name, "enabled", 0)
	if not frappe.flags.in_test:
		frappe.db.commit()  # nosemgrep: a guest link; Frappe's own unsubscribe commits the same way
	frappe.respond_as_web_page(
		_("Email report stopped"),
		_(
			"You will no longer receive this email report. You can switch it on again in Email Report Subscription."
		),
		indicator_color="green",
	)


def subscription_query_conditions(user: str | None = None, doctype: str | None = None) -> str:
	"""Hooked as `permission_query_conditions`: each person lists only its own subscriptions."""
	user = user or frappe.session.user
	if get_scope(user).unrestricted:
		return ""
	return f"`tab{SUBSCRIPTION}`.`user` = {frappe.db.escape(user)}"


def subscription_has_permission(doc, ptype: str = "read", user: str | None = None, debug: bool = False):
	"""Hooked as `has_permission`: a person reads and switches only its own subscriptions."""
	user = user or frappe.session.user
	if get_scope(user).unrestricted:
		return None
	if doc.user != user:
		return False
	if ptype != "read" and not doc.is_new() and frappe.db.get_value(SUBSCRIPTION, doc.name, "user") != user:
		return False
	return None


# ---------------------------------------------------------------------------------------------
# Content, computed as the recipient
# ---------------------------------------------------------------------------------------------


def cell(value) -> str:
	if value is None or value == "":
		return "-"
	if isinstance(value, float):
		return f"{value:,.2f}"
	if isinstance(value, int):
		return f"{value:,}"
	return str(value)


def percent(value) -> str:
	return "-" if value is None else f"{value:+.1f}%"


def section(title: str, columns: list[str], rows: list[list], intro: str = "", empty: str = "", marks=None):
	return {
		"title": title,
		"intro": intro,
		"columns": columns,
		"rows": [[cell(v) for v in row] for row in rows],
		"marks": marks or [False] * len(rows),
		"empty": empty or _("Nothing to report."),
	}


def own_coordinator() -> frappe._dict | None:
	rows = frappe.get_list(
		"Coordinator",
		filters={"user": frappe.session.user, "is_active": 1},
		fields=["name", "coordinator_name", "layer"],
		order_by="name asc",
		limit_page_length=1,
	)
	return rows[0] if rows else None


def weekly_digest(subscription, on: datetime.date) -> dict | None:
	coordinator = own_coordinator()
	if not coordinator or (subscription.coordinator and subscription.coordinator != coordinator.name):
		return None
	until = on + datetime.timedelta(days=DIGEST_DAYS)
	if coordinator.layer == "Layer 3":
		sections = own_cases_sections(coordinator, on, until)
	else:
		sections = scope_sections(on)
	sections.append(follow_up_section(on, until))
	return {
		"subject": _("Weekly digest: what is due from {0}").format(format_date(on)),
		"heading": _("Weekly digest for {0}").format(coordinator.coordinator_name),
		"intro": _("What is due in your districts and cases from {0} to {1}.").format(
			format_date(on), format_date(until)
		),
		"sections": sections,
		"footer": footer(),
	}


def own_cases_sections(coordinator, on: datetime.date, until: datetime.date) -> list[dict]:
	"""A Layer 3 coordinator's own cases, by name: it is the person's own coordinator."""
	plans = frappe.get_list(
		"Support Plan",
		filters={
			"coordinator": coordinator.name,
			"status": "Active",
			"next_review_date": ("<=", until),
		},
		fields=["name", "title", "resident_name", "next_review_date"],
		order_by="next_review_date asc, name asc",
		limit_page_length=0,
	)
	plan_rows, marks = [], []
	for plan in plans:
		late = (on - getdate(plan.next_review_date)).days
		plan_rows.append(
			[
				plan.name,
				plan.resident_name,
				plan.title,
				format_date(plan.next_review_date),
				_("{0} days overdue").format(late) if late > 0 else _("Due"),
			]
		)
		marks.append(late > 0)
	needs = frappe.get_list(
		"Need",
		filters={"recorded_by": coordinator.name, "status": "New"},
		fields=["name", "resident_name", "primary_category", "recorded_on"],
		order_by="recorded_on asc, name asc",
		limit_page_length=0,
	)
	return [
		section(
			_("Support plans to review"),
			[_("Support Plan"), _("Resident"), _("Title"), _("Next Review Date"), _("Status")],
			plan_rows,
			marks=marks,
		),
		section(
			_("New needs waiting for a response"),
			[_("Need"), _("Resident"), _("Need Category"), _("Recorded On")],
			[[n.name, n.resident_name, n.primary_category, format_date(n.recorded_on)] for n in needs],
		),
	]


def scope_sections(on: datetime.date) -> list[dict]:
	"""Layer 1 and 2: counts over the coordinator's districts, no identity."""
	from chiiki_care.chiiki_care.report.monitoring_due.monitoring_due import get_due
	from chiiki_care.chiiki_care.report.needs_summary.needs_summary import get_summary

	p = data.parse_filters({"to_date": on, "from_date": on - datetime.timedelta(days=DIGEST_DAYS - 1)})
	due_rows, due_total = get_due(p, on, DIGEST_DAYS)
	reviews = section(
		_("Support plan reviews by coordinator"),
		[_("Coordinator"), _("Layer"), _("Overdue"), _("Due within {0} Days").format(DIGEST_DAYS)],
		[
			[row["coordinator_name"], row["layer"], logic.mask(row["overdue"]), logic.mask(row["due"])]
			for row in due_rows
		]
		+ [[_("Total"), "", logic.mask(due_total["overdue"]), logic.mask(due_total["due"])]],
		intro=data.masking_note(),
	)
	rows, total = get_summary(p, logic.GROUP_BY_DISTRICT_AND_CATEGORY)
	needs = section(
		_("Needs recorded in the last {0} days").format(DIGEST_DAYS),
		[_("District"), _("Need Category"), _("Number of Needs")],
		[
			[row["district"], data.category_label(row["category"]), logic.mask(row["needs"])]
			for row in rows
			if row["needs"]
		]
		+ [[_("Total"), "", logic.mask(total["needs"])]],
	)
	issues = frappe.get_list(
		"Community Issue",
		fields=["status", "count(*) as count"],
		filters=[*data.district_conditions(p), ["status", "in", list(statuses.OPEN_ISSUE_STATUSES)]],
		group_by="status",
		order_by="status asc",
		limit_page_length=0,
	)
	issue_section = section(
		_("Open community issues"),
		[_("Status"), _("Number of Issues")],
		[[_(row.status), row.count] for row in issues],
	)
	return [reviews, needs, issue_section]


def follow_up_section(on: datetime.date, until: datetime.date) -> dict:
	rows = frappe.get_list(
		"Council Meeting Follow Up",
		parent_doctype="Council Meeting",
		filters={
			"parenttype": "Council Meeting",
			"assigned_to": frappe.session.user,
			"status": ("!=", "Done"),
			"due_date": ("<=", until),
		},
		fields=["parent", "description", "due_date"],
		order_by="due_date asc",
		limit_page_length=0,
	)
	return section(
		_("Council follow-ups assigned to you"),
		[_("Council Meeting"), _("Follow-up"), _("Due Date")],
		[[r.parent, r.description, format_date(r.due_date) if r.due_date else ""] for r in rows],
		marks=[bool(r.due_date and getdate(r.due_date) < on) for r in rows],
	)


def profile_url(district: str) -> str:
	"""The 地域カルテ of a district for the session user: the desk page for staff, the council
	portal's page for a council member."""
	if frappe.db.get_value("User", frappe.session.user, "user_type") == "System User":
		return get_url(f"/app/district-profile/{quote(district)}")
	return get_url(f"/council/profile?district={quote(district)}")


def district_summary(subscription, on: datetime.date) -> dict | None:
	from chiiki_care.chiiki_care.report.needs_summary.needs_summary import get_summary

	councils = frappe.get_list(
		"Council",
		filters={"name": subscription.council},
		fields=["name", "local_name", "district"],
		limit_page_length=1,
	)
	if not councils or not councils[0].district:
		return None
	council = councils[0]
	start, end = logic.month_before(on)
	p = data.parse_filters({"district": council.district, "from_date": start, "to_date": end})
	if p.districts is not None and not p.districts:
		return None  # the recipient may not see this district at all
	rows, total = get_summary(p, logic.GROUP_BY_DISTRICT)
	needs_by_district = section(
		_("Needs recorded last month by district"),
		[_("District"), _("Number of Needs"), _("Previous Period"), _("Change (%)"), _("Per 1,000 Aged 65+")],
		[needs_row(row, row["district"]) for row in rows] + [needs_row(total, _("Total"))],
		intro=data.masking_note(),
	)
	rows, _total = get_summary(p, logic.GROUP_BY_CATEGORY)
	needs_by_category = section(
		_("Needs recorded last month by category"),
		[
			_("Need Category"),
			_("Number of Needs"),
			_("Previous Period"),
			_("Change (%)"),
			_("Per 1,000 Aged 65+"),
		],
		[needs_row(row, data.category_label(row["category"])) for row in rows],
	)
	issues = frappe.get_list(
		"Community Issue",
		filters={"council": council.name},
		fields=["status", "count(*) as count"],
		group_by="status",
		order_by="status asc",
		limit_page_length=0,
	)
	meetings = frappe.get_list(
		"Council Meeting",
		filters={"council": council.name, "meeting_date": ("between", [start, end])},
		fields=["name", "title", "meeting_date"],
		order_by="meeting_date asc",
		limit_page_length=0,
	)
	return {
		"subject": _("Monthly district summary: {0} ({1})").format(
			council.local_name or council.name, month_label(start)
		),
		"heading": _("Monthly summary for {0}").format(council.name),
		"intro": _("{0} and the districts below it, {1} to {2}.").format(
			council.district, format_date(start), format_date(end)
		),
		"link": {
			"url": profile_url(council.district),
			"label": _("Open the District Profile of {0}").format(council.district),
		},
		"sections": [
			needs_by_district,
			needs_by_category,
			gap_section(council.district, on),
			section(
				_("Community issues raised to this council"),
				[_("Status"), _("Number of Issues")],
				[[_(row.status), row.count] for row in issues],
			),
			section(
				_("Meetings held last month"),
				[_("Council Meeting"), _("Title"), _("Meeting Date")],
				[[m.name, m.title, format_date(m.meeting_date)] for m in meetings],
			),
		],
		"footer": footer(),
	}


def city_summary(subscription, on: datetime.date) -> dict | None:
	from chiiki_care.chiiki_care.report.community_issue_flow.community_issue_flow import get_flow
	from chiiki_care.chiiki_care.report.council_activity.council_activity import get_activity
	from chiiki_care.chiiki_care.report.needs_summary.needs_summary import get_summary

	start, end = logic.month_before(on)
	p = data.parse_filters(
		{"from_date": start, "to_date": end, "level": logic.DAILY_LIFE_AREA},
		default_level=logic.DAILY_LIFE_AREA,
	)
	rows, total = get_summary(p, logic.GROUP_BY_DISTRICT)
	needs = section(
		_("Needs recorded last month by daily-life area"),
		[_("District"), _("Number of Needs"), _("Previous Period"), _("Change (%)"), _("Per 1,000 Aged 65+")],
		[needs_row(row, row["district"]) for row in rows] + [needs_row(total, _("Total"))],
		intro=data.masking_note(),
	)
	flow_rows, flow_total = get_flow(p)
	flow = section(
		_("From needs to community issues (last month)"),
		[_("District"), _("Lifted to Issues"), _("Issues Raised"), _("Discussed in Councils"), _("Resolved")],
		[
			[
				r["district"],
				logic.mask(r["needs_lifted"]),
				r["issues_raised"],
				r["issues_discussed"],
				r["issues_resolved"],
			]
			for r in [*flow_rows, {**flow_total, "district": _("Total")}]
		],
	)
	activity_total = get_activity(p)[1]
	councils = section(
		_("Council activity last month"),
		[_("Meetings Held"), _("Attendance"), _("Issues Discussed"), _("Decisions")],
		[
			[
				activity_total["meetings"],
				activity_total["attendance"],
				activity_total["issues_discussed"],
				activity_total["decisions"],
			]
		],
	)
	return {
		"subject": _("Monthly city summary ({0})").format(month_label(start)),
		"heading": _("Monthly city summary"),
		"intro": _("Needs and resources per district, {0} to {1}.").format(
			format_date(start), format_date(end)
		),
		"sections": [needs, gap_section(None, on), flow, councils],
		"footer": footer(),
	}


def needs_row(row: dict, label: str) -> list:
	shown = logic.mask_needs_row(row)
	return [
		label,
		shown["needs"],
		shown["previous_needs"],
		percent(shown["change_percent"]),
		shown["rate_per_1000"],
	]


def gap_section(district: str | None, end: datetime.date) -> dict:
	"""Districts and categories with needs open now (recorded in the 12 months to `end`) and no resource."""
	from chiiki_care.chiiki_care.report.resource_gap.resource_gap import get_gaps

	p = data.parse_filters(
		{"district": district, "to_date": end, "from_date": add_days(end, -364)}, default_months=12
	)
	rows = [row for row in get_gaps(p, gaps_only=True).rows]
	rows.sort(key=lambda r: -r["open_needs"])
	shown = [logic.mask_gap_row(row) for row in rows[:GAP_ROWS_IN_MAIL]]
	return section(
		_("Gaps: open needs with no community resource"),
		[_("District"), _("Need Category"), _("Open Needs")],
		[[r["district"], data.category_label(r["category"]), r["open_needs"]] for r in shown],
		intro=_("{0} district and category pairs with open needs and no resource.").format(len(rows)),
		marks=[True] * len(shown),
		empty=_("Every district and category with open needs has a resource."),
	)


def month_label(day: datetime.date) -> str:
	return _("Month {1} of {0}").format(day.year, day.month)


def footer() -> str:
	return _(
		"This report was computed with your own permissions: it shows only what you may see in the desk."
	)


def refuse_unscoped_auto_email_report(doc, method=None):
	"""Auto Email Report `validate`: not for this app's reports, which it would run as Administrator
	without the row rules; the app's own scheduled mails are computed as each recipient."""
	if frappe.db.get_value("Report", doc.report, "module") == "Chiiki Care":
		frappe.throw(
			_(
				"This report cannot be mailed by Auto Email Report: it would ignore who may see which rows. Use the app's own email reports (Email Report Subscription)."
			),
			title=_("Not allowed"),
		)
