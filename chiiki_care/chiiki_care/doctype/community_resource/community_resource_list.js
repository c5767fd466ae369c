frappe.listview_settings["Community Resource"] = {
	add_fields: ["status", "verification_due_on"],
	get_indicator(doc) {
		const today = frappe.datetime.get_today();
		if (doc.status === "Active" && doc.verification_due_on && doc.verification_due_on < today) {
			return [__("Check due"), "orange", `status,=,Active|verification_due_on,<,${today}`];
		}
		return doc.status === "Active"
			? [__("Active"), "green", "status,=,Active"]
			: [__("Inactive"), "gray", "status,=,Inactive"];
	},
};
