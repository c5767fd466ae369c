// Lift needs into a community issue (seed, 活動内容③): used by the Need form and list.
function chiiki_care_lift_needs(needs, done) {
	const dialog = new frappe.ui.Dialog({
		title: __("Lift to Community Issue"),
		fields: [
			{
				fieldname: "community_issue",
				fieldtype: "Link",
				options: "Community Issue",
				label: __("Existing Community Issue"),
			},
			{
				fieldname: "title",
				fieldtype: "Data",
				label: __("Title"),
				depends_on: "eval:!doc.community_issue",
			},
		],
		primary_action_label: __("Lift"),
		primary_action(values) {
			frappe
				.call("chiiki_care.chiiki_care.doctype.need.need.lift_needs", { needs, ...values })
				.then((r) => {
					dialog.hide();
					frappe.show_alert({ message: __("Lifted to {0}", [r.message]), indicator: "green" });
					done && done(r.message);
				});
		},
	});
	dialog.show();
}
