// Copyright (c) 2026, chiiki_care developers and contributors
// For license information, please see license.txt

frappe.ui.form.on("Email Report Subscription", {
	refresh(frm) {
		frm.set_intro(
			__(
				"The report is computed as its recipient: it shows only what the recipient may see. Uncheck Enabled to stop it."
			)
		);
	},
});
