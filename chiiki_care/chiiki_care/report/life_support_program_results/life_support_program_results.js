// Copyright (c) 2026, chiiki_care developers and contributors
// For license information, please see license.txt

frappe.query_reports["Life Support Program Results"] = {
	filters: [
		{
			fieldname: "fiscal_year",
			label: __("Fiscal Year"),
			fieldtype: "Int",
			default: chiiki_care_current_fiscal_year(),
			reqd: 1,
			description: __("The year starting in April"),
		},
		{
			fieldname: "district",
			label: __("District"),
			fieldtype: "Link",
			options: "District",
			description: __("This district and the districts below it"),
		},
		{
			fieldname: "need_category",
			label: __("Need Category"),
			fieldtype: "Link",
			options: "Need Category",
		},
	],
	// Counts below 3 arrive as "<3".
	formatter(value, row, column, data, default_formatter) {
		if (typeof value === "string" && value.startsWith("<")) {
			return `<div style="text-align: right">${frappe.utils.escape_html(value)}</div>`;
		}
		return default_formatter(value, row, column, data);
	},
};

// The Japanese fiscal year (starting in April) that today falls in.
function chiiki_care_current_fiscal_year() {
	const today = frappe.datetime.str_to_obj(frappe.datetime.get_today());
	return today.getMonth() >= 3 ? today.getFullYear() : today.getFullYear() - 1;
}
