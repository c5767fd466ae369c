// Copyright (c) 2026, chiiki_care developers and contributors
// For license information, please see license.txt

frappe.query_reports["Needs Summary"] = {
	filters: [
		chiiki_care.reports.district_filter(),
		...chiiki_care.reports.period_filters({ default: chiiki_care.reports.months_ago(3), reqd: 1 }),
		chiiki_care.reports.category_filter(),
		chiiki_care.reports.level_filter(["School District", "Daily-life Area", "City"]),
		{
			fieldname: "group_by",
			label: __("Rows"),
			fieldtype: "Select",
			options: [
				{ value: "District and Category", label: __("District and Category") },
				{ value: "District", label: __("District") },
				{ value: "Category", label: __("Need Category") },
			],
			default: "District and Category",
		},
	],
	formatter: chiiki_care.reports.format_cell,
};
