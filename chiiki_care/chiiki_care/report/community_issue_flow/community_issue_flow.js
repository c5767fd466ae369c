// Copyright (c) 2026, chiiki_care developers and contributors
// For license information, please see license.txt

frappe.query_reports["Community Issue Flow"] = {
	filters: [
		chiiki_care.reports.district_filter(),
		...chiiki_care.reports.period_filters({ default: chiiki_care.reports.months_ago(12), reqd: 1 }),
		chiiki_care.reports.category_filter(),
		chiiki_care.reports.level_filter(["Daily-life Area", "School District", "City"]),
	],
	formatter: chiiki_care.reports.format_cell,
};
