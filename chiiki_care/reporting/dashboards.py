"""Data of the workspace charts (Dashboard Chart Sources of type Custom) and of its number cards of
needs and plans (Number Cards of type Custom), computed as the viewer.

Frappe's own Count and Group By charts cache their result per chart for every user
(`frappe.utils.dashboard.cache_source`: the key is the chart name alone), so one user's figures
could be served to another; their labels are also raw field values, not translated. These sources
compute each request as the user who asks, through the same functions as the reports, with
translated labels and small counts of needs drawn as 0 (masked, as in the reports).

The number cards of needs and plans read the kept counts (`queries.count_needs`,
`queries.plan_reviews`) instead of counting millions of rows; they show what the list they open
would count, masked as a Document Type card is.
"""

import datetime

import frappe
from frappe import _
from frappe.utils import add_months, getdate, today

from chiiki_care.access.privacy import masked_count
from chiiki_care.domain import statuses
from chiiki_care.reporting import figures as logic
from chiiki_care.reporting import queries as data
from chiiki_care.utils import select_options


def _chart(labels: list, datasets: list[tuple[str, list]]) -> dict:
	return {
		"labels": labels,
		"datasets": [
			{"name": name, "values": [logic.chart_value(v) for v in values]} for name, values in datasets
		],
	}


@frappe.whitelist()
def open_needs_by_category(**kwargs) -> dict:
	"""Open needs in the viewer's districts, per need category."""
	p = data.parse_filters({}, default_months=None)
	counts = data.count_needs(p, statuses=statuses.UNMET_NEED_STATUSES, by=("primary_category",))
	categories = [c for c in p.categories.sorted(p.categories.nodes) if counts.get((c,))]
	return _chart(
		[data.category_label(c) for c in categories],
		[(_("Open Needs"), [logic.mask(counts[(c,)]) for c in categories])],
	)


@frappe.whitelist()
def needs_and_resources_by_area(**kwargs) -> dict:
	"""Per daily-life area: open needs (recorded in the last 12 months) and the resources serving it."""
	from chiiki_care.chiiki_care.report.resource_gap.resource_gap import get_gaps

	p = data.parse_filters({"level": logic.DAILY_LIFE_AREA}, default_months=12)
	result = get_gaps(p)
	units = list(result.units)
	return _chart(
		units,
		[
			(_("Open Needs"), [logic.mask(result.per_unit[u]["open_needs"]) for u in units]),
			(_("Community Resources"), [result.per_unit[u]["resources"] for u in units]),
		],
	)


@frappe.whitelist()
def resources_by_domain(**kwargs) -> dict:
	"""Active community resources in the viewer's districts, per activity domain."""
	resources = data.active_resources(data.parse_filters({}))
	counts = {}
	for resource in resources:
		counts[resource.domain] = counts.get(resource.domain, 0) + 1
	known = select_options("Community Resource", "domain")
	domains = [d for d in known if counts.get(d)] + [d for d in counts if d not in known]
	return _chart(
		[_(d) if d else _("Not Set") for d in domains],
		[(_("Community Resources"), [counts[d] for d in domains])],
	)


@frappe.whitelist()
def needs_per_month(**kwargs) -> dict:
	"""Needs recorded per month over the last 12 months, in the viewer's districts."""
	end = getdate(today())
	start = getdate(add_months(end, -11)).replace(day=1)
	p = data.parse_filters({"from_date": start, "to_date": end})
	counts = data.count_needs(p, start, end, by=("recorded_month",))
	months = []
	day = start
	while day <= end:
		months.append((day.year, day.month))
		day = (day.replace(day=28) + datetime.timedelta(days=4)).replace(day=1)
	per_month = dict.fromkeys(months, 0)
	for (month,), count in counts.items():
		if (month.year, month.month) in per_month:
			per_month[(month.year, month.month)] += count
	return _chart(
		[_("Month {0}").format(month) for _year, month in months],
		[(_("Needs Recorded"), [logic.mask(per_month[m]) for m in months])],
	)


@frappe.whitelist()
def issues_by_status(**kwargs) -> dict:
	"""Community issues in the viewer's districts, per status."""
	p = data.parse_filters({})
	rows = frappe.get_list(
		"Community Issue",
		fields=["status", "count(*) as count"],
		filters=data.district_conditions(p),
		group_by="status",
		order_by="status asc",
		limit_page_length=0,
	)
	counts = {row.status: row.count for row in rows}
	shown = [s for s in statuses.ISSUE_STATUSES if counts.get(s)]
	return _chart([_(s) for s in shown], [(_("Community Issue"), [counts[s] for s in shown])])


# Number cards
# ------------


def _card(value: int, doctype: str, route_options: dict) -> dict | str:
	"""A Custom number card's reply: the figure, and the list it opens on a click; masked as the
	Document Type cards are (`privacy.masked_count`: "<3", shown as it is, for a user who may not
	read who the cases are about)."""
	shown = masked_count(doctype, value)
	if isinstance(shown, str):
		return shown
	return {"value": shown, "fieldtype": "Int", "route": ["List", doctype], "route_options": route_options}


@frappe.whitelist()
def open_needs_card(filters=None) -> dict:
	"""Open needs the viewer may read (the card "Open Needs")."""
	p = data.parse_filters({}, default_months=None)
	open_statuses = sorted(statuses.UNMET_NEED_STATUSES)
	counts = data.count_needs(p, statuses=open_statuses, by=())
	return _card(counts.get((), 0), "Need", {"status": ["in", open_statuses]})


@frappe.whitelist()
def new_needs_this_month_card(filters=None) -> dict:
	"""Needs recorded since the first of this month (the card "New Needs This Month")."""
	p = data.parse_filters({}, default_months=None)
	first = getdate(today()).replace(day=1)
	counts = data.count_needs(p, first, getdate(today()), by=())
	return _card(counts.get((), 0), "Need", {"recorded_on": [">=", str(first)]})


@frappe.whitelist()
def overdue_reviews_card(filters=None) -> dict:
	"""Active plans whose next review date has passed (the card "Overdue Reviews")."""
	yesterday = getdate(today()) - datetime.timedelta(days=1)
	return _reviews_card(None, yesterday, {"next_review_date": ["<", today()]})


@frappe.whitelist()
def reviews_due_this_week_card(filters=None) -> dict:
	"""Active plans to review from today to a week from today (the card "Reviews Due This Week")."""
	start = getdate(today())
	end = start + datetime.timedelta(days=7)
	return _reviews_card(start, end, {"next_review_date": ["between", [str(start), str(end)]]})


def _reviews_card(since, until, route_options: dict) -> dict:
	p = data.parse_filters({}, default_months=None)
	total = sum(n for _coordinator, _day, n in data.plan_reviews(p, until, since=since))
	return _card(total, "Support Plan", {"status": "Active", **route_options})
