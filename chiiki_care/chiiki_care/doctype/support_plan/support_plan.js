// Copyright (c) 2026, chiiki_care developers and contributors
// For license information, please see license.txt

frappe.ui.form.on("Support Plan", {
	setup(frm) {
		// Suggest resources of the plan's need categories in its district and the neighbouring ones.
		frm.set_query("community_resource", "actions", () => ({
			query: "chiiki_care.chiiki_care.doctype.community_resource.community_resource.resource_query",
			filters: { support_plan: frm.doc.name || "", district: frm.doc.district || "" },
		}));
	},
	refresh(frm) {
		if (!frm.is_new() && frm.doc.scope === "Individual") {
			frm.add_custom_button(__("Share with Basis"), () => chiiki_care.share_case(frm), __("Actions"));
		}
	},
});
