// Share a case on consent or a legal basis (logged as a disclosure).
frappe.provide("chiiki_care");

chiiki_care.share_case = function (frm) {
	const dialog = new frappe.ui.Dialog({
		title: __("Share with Basis"),
		fields: [
			{ fieldname: "user", fieldtype: "Link", options: "User", label: __("User") },
			{ fieldname: "organisation", fieldtype: "Data", label: __("Organisation") },
			{
				fieldname: "basis",
				fieldtype: "Select",
				label: __("Basis"),
				options: [
					{ value: "Consent", label: __("Consent") },
					{ value: "Legal Basis", label: __("Legal Basis") },
				],
				reqd: 1,
			},
			{
				fieldname: "legal_basis",
				fieldtype: "Select",
				label: __("Legal Basis"),
				depends_on: "eval:doc.basis=='Legal Basis'",
				options: [
					"",
					"Support Council (Social Welfare Act Art. 106-6)",
					"Community Care Meeting (Long-Term Care Insurance Act Art. 115-48)",
					"Protection of Life, Body or Property (APPI Art. 27-1-2)",
					"Other Provision of Law (APPI Art. 27-1-1)",
				].map((value) => ({ value, label: value ? __(value) : "" })),
			},
			{ fieldname: "note", fieldtype: "Small Text", label: __("Note") },
		],
		primary_action_label: __("Share"),
		primary_action(values) {
			frappe
				.call("chiiki_care.access.consent.share_case", {
					doctype: frm.doctype,
					name: frm.docname,
					...values,
				})
				.then(() => {
					dialog.hide();
					frm.reload_doc();
				});
		},
	});
	dialog.show();
};
