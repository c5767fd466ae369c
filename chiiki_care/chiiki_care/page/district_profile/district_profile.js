// Copyright (c) 2026, chiiki_care developers and contributors
// For license information, please see license.txt

// 地域カルテ: one district's profile as the viewer may read it (chiiki_care.reporting.profile),
// rendered on the server from the same template as its PDF and the council portal page.
// Route: /app/district-profile/<district>
frappe.pages["district-profile"].on_page_load = function (wrapper) {
	const page = frappe.ui.make_app_page({
		parent: wrapper,
		title: __("District Profile"),
		single_column: true,
	});
	wrapper.district_profile = new DistrictProfile(page);
};

frappe.pages["district-profile"].on_page_show = function (wrapper) {
	const district = frappe.get_route()[1];
	const view = wrapper.district_profile;
	if (district && district !== view.district_field.get_value()) {
		view.district_field.set_value(decodeURIComponent(district));
	}
};

class DistrictProfile {
	constructor(page) {
		this.page = page;
		this.district_field = page.add_field({
			fieldname: "district",
			label: __("District"),
			fieldtype: "Link",
			options: "District",
			change: () => this.refresh(),
		});
		this.to_date_field = page.add_field({
			fieldname: "to_date",
			label: __("To Date"),
			fieldtype: "Date",
			default: frappe.datetime.get_today(),
			change: () => this.refresh(),
		});
		page.set_primary_action(__("Print to PDF"), () => this.download_pdf(), "printer");
		page.set_secondary_action(__("Needs and Resources Map"), () =>
			frappe.set_route("needs-resource-map")
		);
		this.$body = $(`<div class="district-profile" style="max-width: 1000px"></div>`).appendTo(
			page.main
		);
		this.$body.html(`<p class="text-muted">${__("Choose a district.")}</p>`);
		frappe.require("/assets/chiiki_care/css/district_profile.css");
	}

	values() {
		return {
			district: this.district_field.get_value(),
			to_date: this.to_date_field.get_value(),
		};
	}

	refresh() {
		const values = this.values();
		if (!values.district) return;
		frappe.router.push_state(
			`/app/district-profile/${encodeURIComponent(values.district)}`
		);
		frappe
			.xcall("chiiki_care.reporting.profile.get_district_profile_html", values)
			.then((html) => this.$body.html(html));
	}

	download_pdf() {
		const values = this.values();
		if (!values.district) {
			frappe.msgprint(__("Choose a district."));
			return;
		}
		const query = new URLSearchParams(values).toString();
		window.open(`/api/method/chiiki_care.reporting.profile.download_district_profile?${query}`);
	}
}
