// Copyright (c) 2026, chiiki_care developers and contributors
// For license information, please see license.txt

frappe.query_reports["Coordinator Caseload"] = {
	filters: [
		chiiki_care.reports.district_filter(),
		...chiiki_care.reports.period_filters({
			description: __("Needs recorded from this date (empty: all open needs)"),
		}),
		chiiki_care.reports.category_filter(),
		chiiki_care.reports.select_filter("layer", __("Layer"), ["Layer 1", "Layer 2", "Layer 3"]),
	],
	formatter: chiiki_care.reports.format_cell,
};
