// Copyright (c) 2026, chiiki_care developers and contributors
// For license information, please see license.txt

frappe.query_reports["Council Activity"] = {
	filters: [
		chiiki_care.reports.district_filter(),
		...chiiki_care.reports.period_filters({ default: chiiki_care.reports.fiscal_year_start(), reqd: 1 }),
		chiiki_care.reports.category_filter(),
		chiiki_care.reports.select_filter("layer", __("Layer"), ["Layer 1", "Layer 2"]),
	],
	formatter: chiiki_care.reports.format_cell,
};
