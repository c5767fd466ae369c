# Copyright (c) 2026, chiiki_care developers and contributors
# For license information, please see license.txt

"""生活支援体制整備事業 実績: the yearly figures a municipality reports for its life-support programme.

One fiscal year (April to March): coordinators in post per layer and those trained, councils and
their meetings, community resources found or created, needs handled, community issues and plans.
Needs and plans are counted as the viewer from the kept counts where they can answer (`queries`);
every other table is read with `frappe.get_list` as the viewer (child rows follow their parent's
rule), within the viewer's districts; need and plan counts below 3 are masked.
"""

import frappe
from frappe import _
from frappe.utils import getdate, today

from chiiki_care.domain import statuses
from chiiki_care.reporting import columns
from chiiki_care.reporting import figures as logic
from chiiki_care.reporting import queries as data
from chiiki_care.utils import select_options


def execute(filters=None):
	filters = frappe._dict(filters or {})
	fiscal_year = data.int_filter(filters.fiscal_year, logic.fiscal_year_of(getdate(today())), 2000, 2100)
	start, end = logic.fiscal_year_bounds(fiscal_year)
	p = data.parse_filters({**filters, "from_date": start, "to_date": end})
	rows = [
		{**row, "value": logic.mask(row["value"]) if row.get("masked") else row["value"]}
		for row in get_results(p)
	]
	message = " ".join(
		[
			_("Fiscal year {0}: {1} to {2}.").format(
				fiscal_year, frappe.format(start, "Date"), frappe.format(end, "Date")
			),
			data.masking_note(),
		]
	)
	return get_columns(), rows, message, None, None


def get_results(p) -> list[dict]:
	"""The figures as rows of (section, item, value); `masked` marks counts about residents."""
	rows = []

	def add(section, item, value, masked=False, note=""):
		rows.append({"section": section, "item": item, "value": value, "masked": masked, "note": note})

	# 生活支援コーディネーター
	section = _("Life-support Coordinators")
	people = coordinators_in_post(p)
	for layer in logic.LAYERS:
		add(
			section,
			_("{0} coordinators in post").format(_(layer)),
			sum(1 for c in people if c.layer == layer),
		)
	add(
		section, _("Coordinators who completed a training"), trained_coordinators(p, [c.name for c in people])
	)

	# 協議体
	section = _("Councils")
	councils = frappe.get_list(
		"Council",
		fields=["name", "layer", "status"],
		filters=data.district_conditions(p),
		order_by="name asc",
		limit_page_length=0,
	)
	for layer in ("Layer 1", "Layer 2"):
		add(
			section,
			_("{0} councils").format(_(layer)),
			sum(1 for c in councils if c.layer == layer and c.status == "Active"),
		)
	meetings = frappe.get_list(
		"Council Meeting",
		fields=["name", "council"],
		filters=[
			["council", "in", data.in_filter(c.name for c in councils)],
			["meeting_date", ">=", p.from_date],
			["meeting_date", "<=", p.to_date],
		],
		order_by="name asc",
		limit_page_length=0,
	)
	layer_of = {c.name: c.layer for c in councils}
	for layer in ("Layer 1", "Layer 2"):
		add(
			section,
			_("{0} council meetings held").format(_(layer)),
			sum(1 for m in meetings if layer_of.get(m.council) == layer),
		)
	attendance = frappe.get_list(
		"Council Meeting Attendee",
		parent_doctype="Council Meeting",
		fields=["count(*) as count"],
		filters={
			"parenttype": "Council Meeting",
			"parent": ["in", data.in_filter(m.name for m in meetings)],
			"attended": 1,
		},
		order_by="count asc",
		limit_page_length=0,
	)
	add(section, _("Total attendance at council meetings"), attendance[0].count if attendance else 0)

	# 地域資源
	section = _("Community Resources")
	resources = frappe.get_list(
		"Community Resource",
		fields=["name", "district", "domain", "status", "creation"],
		filters=data.district_conditions(p),
		order_by="name asc",
		limit_page_length=0,
	)
	new = [r for r in resources if p.from_date <= getdate(r.creation) <= p.to_date]
	add(section, _("Resources found or created in the year"), len(new))
	for domain in select_options("Community Resource", "domain"):
		count = sum(1 for r in new if r.domain == domain)
		if count:
			add(section, _("of which: {0}").format(_(domain)), count)
	add(
		section,
		_("Active resources at the end of the year"),
		sum(1 for r in resources if r.status == "Active" and getdate(r.creation) <= p.to_date),
	)

	# 生活支援ニーズ
	section = _("Number of Needs")
	by_status = data.count_needs(p, p.from_date, p.to_date, by=("status",))
	recorded = sum(by_status.values())
	add(section, _("Needs recorded in the year"), recorded, masked=True)
	add(section, _("of which: {0}").format(_("Resolved")), by_status.get(("Resolved",), 0), masked=True)
	add(
		section,
		_("of which: still open"),
		sum(by_status.get((s,), 0) for s in statuses.UNMET_NEED_STATUSES),
		masked=True,
	)
	lifted = data.count_needs(p, p.from_date, p.to_date, by=("district",), lifted_only=True)
	add(section, _("of which: lifted to community issues"), sum(lifted.values()), masked=True)
	plan_counts = data.plans_started(p)
	add(section, _("Individual support plans started"), plan_counts.get("Individual", 0), masked=True)

	# 地域課題
	section = _("Community Issues")
	issues = frappe.get_list(
		"Community Issue",
		fields=["name", "status"],
		filters=data.district_conditions(p)
		+ data.category_conditions(p, "need_category")
		+ [["raised_on", ">=", p.from_date], ["raised_on", "<=", p.to_date]],
		order_by="name asc",
		limit_page_length=0,
	)
	add(section, _("Community issues raised"), len(issues))
	discussed = frappe.get_list(
		"Council Meeting Issue",
		parent_doctype="Council Meeting",
		fields=["community_issue"],
		filters={"parenttype": "Council Meeting", "parent": ["in", data.in_filter(m.name for m in meetings)]},
		group_by="community_issue",
		order_by="community_issue asc",
		limit_page_length=0,
		pluck="community_issue",
	)
	add(section, _("Community issues discussed in council meetings"), len(discussed))
	add(section, _("Community plans started"), plan_counts.get("Community", 0))
	add(
		section,
		_("Community issues resolved (raised in the year)"),
		sum(1 for i in issues if i.status == "Resolved"),
	)
	return rows


def coordinators_in_post(p) -> list[frappe._dict]:
	"""Coordinators in post during the year, covering a district in view (or all, without a restriction)."""
	people = frappe.get_list(
		"Coordinator",
		fields=["name", "layer", "is_active", "appointed_from", "appointed_to"],
		order_by="name asc",
		limit_page_length=0,
	)
	people = [
		c
		for c in people
		if logic.coordinator_serves_in(
			getdate(c.appointed_from) if c.appointed_from else None,
			getdate(c.appointed_to) if c.appointed_to else None,
			c.is_active,
			p.from_date,
			p.to_date,
		)
	]
	if p.districts is None:
		return people
	covering = set(
		frappe.get_list(
			"District Item",
			parent_doctype="Coordinator",
			fields=["parent"],
			filters={"parenttype": "Coordinator", "district": ["in", data.in_filter(p.districts)]},
			group_by="parent",
			order_by="parent asc",
			limit_page_length=0,
			pluck="parent",
		)
	)
	return [c for c in people if c.name in covering]


def trained_coordinators(p, names: list[str]) -> int:
	trained = frappe.get_list(
		"Coordinator Training",
		parent_doctype="Coordinator",
		fields=["parent"],
		filters={
			"parenttype": "Coordinator",
			"parent": ["in", data.in_filter(names)],
			"completed": 1,
			"training_date": ["between", [p.from_date, p.to_date]],
		},
		group_by="parent",
		order_by="parent asc",
		limit_page_length=0,
		pluck="parent",
	)
	return len(trained)


def get_columns() -> list[dict]:
	return [
		columns.text("section", _("Program Area"), 200),
		columns.text("item", _("Item"), 360),
		columns.count("value", _("Result")),
	]
