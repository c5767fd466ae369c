// Copyright (c) 2026, chiiki_care developers and contributors
// For license information, please see license.txt

frappe.ui.form.on("Need", {
	refresh(frm) {
		if (frm.is_new()) return;
		if (frm.doc.resident) {
			frm.add_custom_button(__("Share with Basis"), () => chiiki_care.share_case(frm), __("Actions"));
		}
		if (frm.doc.community_issue) return;
		if (["New", "Under Review", "Supporting"].includes(frm.doc.status)) {
			frm.add_custom_button(__("Lift to Community Issue"), () =>
				chiiki_care_lift_needs([frm.docname], () => frm.reload_doc())
			);
		}
	},
});
