// Copyright (c) 2026, chiiki_care developers and contributors
// For license information, please see license.txt

frappe.ui.form.on("Training Session", {
	setup(frm) {
		// attendees: active coordinators of the layer the session trains
		frm.set_query("coordinator", "attendees", () => ({
			filters: { layer: frm.doc.layer_trained, is_active: 1 },
		}));
	},
});
