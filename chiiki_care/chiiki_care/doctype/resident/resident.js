// Copyright (c) 2026, chiiki_care developers and contributors
// For license information, please see license.txt

frappe.ui.form.on("Resident", {
	birth_date_wareki(frm) {
		if (!frm.doc.birth_date_wareki) return;
		frappe
			.call("chiiki_care.chiiki_care.doctype.resident.resident.convert_wareki", { text: frm.doc.birth_date_wareki })
			.then((r) => frm.set_value("birth_date", r.message));
	},

	async validate(frm) {
		if (!frm.is_new() || frm.__duplicates_checked) return;
		const r = await frappe.call("chiiki_care.chiiki_care.doctype.resident.resident.find_similar_residents", {
			full_name: frm.doc.full_name,
			full_name_kana: frm.doc.full_name_kana,
			birth_date: frm.doc.birth_date,
			birth_date_wareki: frm.doc.birth_date_wareki,
			address: frm.doc.address,
		});
		const { matches, others } = r.message || {};
		if (!matches.length && !others) return;
		frappe.validated = false;
		const links = matches
			.map((m) => `<li><a href="/app/resident/${m.name}">${frappe.utils.escape_html(m.full_name)}</a> (${m.birth_date}, ${frappe.utils.escape_html(m.district)})</li>`)
			.join("");
		let message = __("This person may already be recorded.");
		if (links) message += `<ul>${links}</ul>`;
		if (others) message += `<p>${__("{0} similar record(s) are held by other coordinators.", [others])}</p>`;
		frappe.confirm(
			message + `<p>${__("Save as a new resident anyway?")}</p>`,
			() => {
				frm.__duplicates_checked = true;
				frm.save();
			}
		);
	},

	refresh(frm) {
		if (frm.is_new()) return;
		frm.add_custom_button(__("Share with Basis"), () => chiiki_care.share_case(frm), __("Actions"));
	},
});
