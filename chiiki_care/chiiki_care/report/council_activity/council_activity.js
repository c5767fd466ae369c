// Copyright (c) 2026, chiiki_care developers and contributors
// For license information, please see license.txt

frappe.query_reports["Council Activity"] = {
	"filters": [

	]
};
