// Copyright (c) 2026, chiiki_care developers and contributors
// For license information, please see license.txt

frappe.ui.form.on("Community Resource", {
	refresh(frm) {
		const due = frm.doc.verification_due_on;
		if (!frm.is_new() && frm.doc.status === "Active" && due && due < frappe.datetime.get_today()) {
			frm.dashboard.set_headline(
				__("The details of this resource were due for an information check on {0}.", [
					frappe.datetime.str_to_user(due),
				]),
				"orange"
			);
		}
	},
});
