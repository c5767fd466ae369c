// Copyright (c) 2026, chiiki_care developers and contributors
// For license information, please see license.txt

frappe.query_reports["Resource Gap"] = {
	filters: [
		{
			fieldname: "district",
			label: __("District"),
			fieldtype: "Link",
			options: "District",
			description: __("This district and the districts below it"),
		},
		{
			fieldname: "from_date",
			label: __("Period From"),
			fieldtype: "Date",
			default: frappe.datetime.add_days(frappe.datetime.add_months(frappe.datetime.get_today(), -12), 1),
			reqd: 1,
		},
		{
			fieldname: "to_date",
			label: __("Period To"),
			fieldtype: "Date",
			default: frappe.datetime.get_today(),
			reqd: 1,
		},
		{
			fieldname: "need_category",
			label: __("Need Category"),
			fieldtype: "Link",
			options: "Need Category",
		},
		{
			fieldname: "level",
			label: __("Summarise By"),
			fieldtype: "Select",
			options: [
				{ value: "School District", label: __("School District") },
				{ value: "Daily-life Area", label: __("Daily-life Area") },
				{ value: "City", label: __("City") },
			],
			default: "School District",
		},
		{
			fieldname: "gaps_only",
			label: __("Gaps Only"),
			fieldtype: "Check",
		},
	],
	// Counts below 3 arrive as "<3"; a district and category with needs and no resource stands out.
	formatter(value, row, column, data, default_formatter) {
		let formatted;
		if (typeof value === "string" && value.startsWith("<")) {
			formatted = `<div style="text-align: right">${frappe.utils.escape_html(value)}</div>`;
		} else {
			formatted = default_formatter(value, row, column, data);
		}
		if (data && data.gap) {
			if (column.fieldname === "gap_label") {
				return `<span class="indicator-pill red">${frappe.utils.escape_html(value)}</span>`;
			}
			return `<span style="color: var(--red-600); font-weight: 600">${formatted}</span>`;
		}
		return formatted;
	},
};
