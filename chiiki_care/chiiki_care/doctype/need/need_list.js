frappe.listview_settings["Need"] = {
	onload(listview) {
		listview.page.add_actions_menu_item(__("Lift to Community Issue"), () => {
			const needs = listview.get_checked_items(true);
			if (needs.length) chiiki_care_lift_needs(needs, () => listview.refresh());
		});
	},
};
