// Copyright (c) 2026, chiiki_care developers and contributors
// For license information, please see license.txt

frappe.provide("frappe.dashboards.chart_sources");

// Computed as the viewer on every request (see chiiki_care/reporting/dashboards.py).
frappe.dashboards.chart_sources["Resources by Domain"] = {
	method: "chiiki_care.reporting.dashboards.resources_by_domain",
	filters: [],
};
