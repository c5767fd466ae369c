// Copyright (c) 2026, chiiki_care developers and contributors
// For license information, please see license.txt

frappe.query_reports["Council Activity"] = {
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
			default: chiiki_care_fiscal_year_start(),
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
			fieldname: "layer",
			label: __("Layer"),
			fieldtype: "Select",
			options: [
				{ value: "", label: "" },
				{ value: "Layer 1", label: __("Layer 1") },
				{ value: "Layer 2", label: __("Layer 2") },
			],
		},
	],
	// Counts below 3 arrive as "<3"; the total row is bold and not a link.
	formatter(value, row, column, data, default_formatter) {
		if (typeof value === "string" && value.startsWith("<")) {
			return `<div style="text-align: right">${frappe.utils.escape_html(value)}</div>`;
		}
		if (data && data.is_total && column.fieldtype === "Link") {
			return `<b>${frappe.utils.escape_html(value || "")}</b>`;
		}
		const formatted = default_formatter(value, row, column, data);
		return data && data.is_total ? `<b>${formatted}</b>` : formatted;
	},
};

// The first day of the Japanese fiscal year (April) that today falls in.
function chiiki_care_fiscal_year_start() {
	const today = frappe.datetime.str_to_obj(frappe.datetime.get_today());
	const year = today.getMonth() >= 3 ? today.getFullYear() : today.getFullYear() - 1;
	return `${year}-04-01`;
}
