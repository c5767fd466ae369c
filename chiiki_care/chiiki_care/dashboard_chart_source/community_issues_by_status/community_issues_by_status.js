// Copyright (c) 2026, chiiki_care developers and contributors
// For license information, please see license.txt

frappe.provide("frappe.dashboards.chart_sources");

// Computed as the viewer on every request (see chiiki_care/reporting/dashboards.py).
frappe.dashboards.chart_sources["Community Issues by Status"] = {
	method: "chiiki_care.reporting.dashboards.issues_by_status",
	filters: [],
};
