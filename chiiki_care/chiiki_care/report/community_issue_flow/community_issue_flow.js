// Copyright (c) 2026, chiiki_care developers and contributors
// For license information, please see license.txt

frappe.query_reports["Community Issue Flow"] = {
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
				{ value: "Daily-life Area", label: __("Daily-life Area") },
				{ value: "School District", label: __("School District") },
				{ value: "City", label: __("City") },
			],
			default: "Daily-life Area",
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
