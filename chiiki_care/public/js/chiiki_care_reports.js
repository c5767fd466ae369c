// Filters and cell formatting shared by chiiki_care's reports (loaded on desk pages: app_include_js).
frappe.provide("chiiki_care.reports");

Object.assign(chiiki_care.reports, {
	district_filter() {
		return {
			fieldname: "district",
			label: __("District"),
			fieldtype: "Link",
			options: "District",
			description: __("This district and the districts below it"),
		};
	},

	category_filter() {
		return { fieldname: "need_category", label: __("Need Category"), fieldtype: "Link", options: "Need Category" };
	},

	// "Period From" (with its default or description) and "Period To" (today).
	period_filters(from = {}) {
		return [
			{ fieldname: "from_date", label: __("Period From"), fieldtype: "Date", ...from },
			{
				fieldname: "to_date",
				label: __("Period To"),
				fieldtype: "Date",
				default: frappe.datetime.get_today(),
				reqd: from.reqd,
			},
		];
	},

	// The day after the same date `months` months ago: a period of whole months up to today.
	months_ago(months) {
		return frappe.datetime.add_days(frappe.datetime.add_months(frappe.datetime.get_today(), -months), 1);
	},

	level_filter(levels) {
		return {
			fieldname: "level",
			label: __("Summarise By"),
			fieldtype: "Select",
			options: levels.map((value) => ({ value, label: __(value) })),
			default: levels[0],
		};
	},

	select_filter(fieldname, label, values) {
		return {
			fieldname,
			label,
			fieldtype: "Select",
			options: [{ value: "", label: "" }, ...values.map((value) => ({ value, label: __(value) }))],
		};
	},

	// The Japanese fiscal year (starting in April) that today falls in, and its first day.
	fiscal_year() {
		const today = frappe.datetime.str_to_obj(frappe.datetime.get_today());
		return today.getMonth() >= 3 ? today.getFullYear() : today.getFullYear() - 1;
	},

	fiscal_year_start() {
		return `${chiiki_care.reports.fiscal_year()}-04-01`;
	},

	// Counts below 3 arrive as "<3"; the total row is bold and not a link. Text from the database
	// (names, titles) is escaped first: Frappe's Data and Text formatters write their value as HTML.
	format_cell(value, row, column, data, default_formatter) {
		if (typeof value === "string" && value.startsWith("<")) {
			return `<div style="text-align: right">${frappe.utils.escape_html(value)}</div>`;
		}
		if (data && data.is_total && column.fieldtype === "Link") {
			return `<b>${frappe.utils.escape_html(value || "")}</b>`;
		}
		const text_fieldtypes = ["Data", "Small Text", "Text", "Long Text"];
		if (typeof value === "string" && text_fieldtypes.includes(column.fieldtype || "Data")) {
			value = frappe.utils.escape_html(value);
		}
		const formatted = default_formatter(value, row, column, data);
		return data && data.is_total ? `<b>${formatted}</b>` : formatted;
	},
});
