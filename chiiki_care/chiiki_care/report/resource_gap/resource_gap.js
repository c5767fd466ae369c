// Copyright (c) 2026, chiiki_care developers and contributors
// For license information, please see license.txt

frappe.query_reports["Resource Gap"] = {
	filters: [
		chiiki_care.reports.district_filter(),
		...chiiki_care.reports.period_filters({ default: chiiki_care.reports.months_ago(12), reqd: 1 }),
		chiiki_care.reports.category_filter(),
		chiiki_care.reports.level_filter(["School District", "Daily-life Area", "City"]),
		{ fieldname: "gaps_only", label: __("Gaps Only"), fieldtype: "Check" },
	],
	// A district and category with needs and no resource stands out.
	formatter(value, row, column, data, default_formatter) {
		const formatted = chiiki_care.reports.format_cell(value, row, column, data, default_formatter);
		if (data && data.gap) {
			if (column.fieldname === "gap_label") {
				return `<span class="indicator-pill red">${frappe.utils.escape_html(value)}</span>`;
			}
			return `<span style="color: var(--red-600); font-weight: 600">${formatted}</span>`;
		}
		return formatted;
	},
};
