// Copyright (c) 2026, chiiki_care developers and contributors
// For license information, please see license.txt

frappe.query_reports["Coordinator Caseload"] = {
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
			description: __("Needs recorded from this date (empty: all open needs)"),
		},
		{
			fieldname: "to_date",
			label: __("Period To"),
			fieldtype: "Date",
			default: frappe.datetime.get_today(),
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
				{ value: "Layer 3", label: __("Layer 3") },
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
