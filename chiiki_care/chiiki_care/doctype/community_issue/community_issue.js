// Copyright (c) 2026, chiiki_care developers and contributors
// For license information, please see license.txt

frappe.ui.form.on("Community Issue", {
	refresh(frm) {
		if (!frm.is_new() && !["Resolved", "On Hold"].includes(frm.doc.status)) {
			frm.add_custom_button(__("Community Support Plan"), () =>
				frappe.model.open_mapped_doc({
					method: "chiiki_care.chiiki_care.doctype.community_issue.community_issue.make_community_plan",
					frm,
				}),
				__("Create")
			);
		}
	},
});
