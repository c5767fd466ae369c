// Copyright (c) 2026, chiiki_care developers and contributors
// For license information, please see license.txt

frappe.query_reports["Monitoring Due"] = {
	filters: [
		{
			fieldname: "district",
			label: __("District"),
			fieldtype: "Link",
			options: "District",
			description: __("This district and the districts below it"),
		},
		{
			fieldname: "as_of",
			label: __("As Of"),
			fieldtype: "Date",
			default: frappe.datetime.get_today(),
			reqd: 1,
		},
		{
			fieldname: "days",
			label: __("Due within (Days)"),
			fieldtype: "Int",
			default: 14,
		},
		{
			fieldname: "need_category",
			label: __("Need Category"),
			fieldtype: "Link",
			options: "Need Category",
		},
		{
			fieldname: "plan_scope",
			label: __("Scope"),
			fieldtype: "Select",
			options: [
				{ value: "", label: "" },
				{ value: "Individual", label: __("Individual") },
				{ value: "Community", label: __("Community") },
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
