// Copyright (c) 2026, chiiki_care developers and contributors
// For license information, please see license.txt

frappe.query_reports["Life Support Program Results"] = {
	filters: [
		{
			fieldname: "fiscal_year",
			label: __("Fiscal Year"),
			fieldtype: "Int",
			default: chiiki_care.reports.fiscal_year(),
			reqd: 1,
			description: __("The year starting in April"),
		},
		chiiki_care.reports.district_filter(),
		chiiki_care.reports.category_filter(),
	],
	formatter: chiiki_care.reports.format_cell,
};
