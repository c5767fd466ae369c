// Copyright (c) 2026, chiiki_care developers and contributors
// For license information, please see license.txt

frappe.query_reports["Monitoring Due"] = {
	filters: [
		chiiki_care.reports.district_filter(),
		{
			fieldname: "as_of",
			label: __("As Of"),
			fieldtype: "Date",
			default: frappe.datetime.get_today(),
			reqd: 1,
		},
		{ fieldname: "days", label: __("Due within (Days)"), fieldtype: "Int", default: 14 },
		chiiki_care.reports.category_filter(),
		chiiki_care.reports.select_filter("plan_scope", __("Scope"), ["Individual", "Community"]),
	],
	formatter: chiiki_care.reports.format_cell,
};
