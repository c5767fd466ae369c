// Copyright (c) 2026, chiiki_care developers and contributors
// For license information, please see license.txt

// Needs and Resources Map: per district, open needs against the community resources serving it,
// as the viewer may see them (chiiki_care.reporting.map.get_district_map, the Resource Gap computation).
frappe.pages["needs-resource-map"].on_page_load = function (wrapper) {
	const page = frappe.ui.make_app_page({
		parent: wrapper,
		title: __("Needs and Resources Map"),
		single_column: true,
	});
	wrapper.needs_resource_map = new NeedsResourceMap(page);
};

frappe.pages["needs-resource-map"].on_page_show = function (wrapper) {
	if (wrapper.needs_resource_map && wrapper.needs_resource_map.map) {
		wrapper.needs_resource_map.map.invalidateSize();
	}
};

// five steps from the lowest to the highest rate of open needs per 1,000 aged 65+
const SHADES = ["#fef3c7", "#fcd34d", "#f59e0b", "#ea580c", "#b91c1c"];

class NeedsResourceMap {
	constructor(page) {
		this.page = page;
		this.make_filters();
		this.page.set_secondary_action(__("Resource Gap"), () =>
			frappe.set_route("query-report", "Resource Gap", this.filter_values())
		);
		this.page.set_primary_action(__("Refresh"), () => this.refresh(), "refresh");
		this.$body = $(`
			<div class="needs-resource-map">
				<div class="text-muted small nrm-note" style="margin-bottom: 8px"></div>
				<div class="row">
					<div class="col-md-7">
						<div class="nrm-map" style="height: 620px; border-radius: 8px; border: 1px solid var(--border-color)"></div>
						<div class="nrm-legend small text-muted" style="margin-top: 6px"></div>
					</div>
					<div class="col-md-5">
						<div class="nrm-table" style="max-height: 650px; overflow-y: auto"></div>
					</div>
				</div>
			</div>`).appendTo(this.page.main);
		frappe
			.require([
				"assets/frappe/js/lib/leaflet/leaflet.css",
				"assets/frappe/js/lib/leaflet/leaflet.js",
			])
			.then(() => {
				this.make_map();
				this.refresh();
			});
	}

	make_filters() {
		this.page.add_field({
			fieldname: "level",
			label: __("Summarise By"),
			fieldtype: "Select",
			options: [
				{ value: "Daily-life Area", label: __("Daily-life Area") },
				{ value: "School District", label: __("School District") },
			],
			default: "Daily-life Area",
			change: () => this.refresh(),
		});
		this.page.add_field({
			fieldname: "district",
			label: __("District"),
			fieldtype: "Link",
			options: "District",
			change: () => this.refresh(),
		});
		this.page.add_field({
			fieldname: "need_category",
			label: __("Need Category"),
			fieldtype: "Link",
			options: "Need Category",
			change: () => this.refresh(),
		});
	}

	filter_values() {
		const values = {};
		for (const name of ["level", "district", "need_category"]) {
			const value = this.page.fields_dict[name].get_value();
			if (value) values[name] = value;
		}
		return values;
	}

	make_map() {
		L.Icon.Default.imagePath = frappe.utils.map_defaults.image_path;
		this.map = L.map(this.$body.find(".nrm-map")[0]).setView(frappe.utils.map_defaults.center, 13);
		L.tileLayer(frappe.utils.map_defaults.tiles, frappe.utils.map_defaults.options).addTo(
			this.map
		);
		L.control.scale().addTo(this.map);
		this.layer = L.layerGroup().addTo(this.map);
	}

	refresh() {
		if (!this.map) return;
		frappe
			.xcall("chiiki_care.reporting.map.get_district_map", this.filter_values())
			.then((data) => this.render(data));
	}

	render(data) {
		const esc = frappe.utils.escape_html;
		this.layer.clearLayers();
		this.$body
			.find(".nrm-note")
			.text(`${__("Open needs recorded in the last 12 months")}: ${data.period}. ${data.note}`);
		const bounds = [];
		const max_needs = Math.max(1, ...data.districts.map((d) => d.open_needs_value));
		const rates = data.districts.map((d) => d.rate_per_1000).filter((r) => r !== null);
		const scale = { low: Math.min(...rates), high: Math.max(...rates) };
		// with many districts, labels show on hover only, so that they do not cover each other
		const permanent = data.districts.length <= 16;
		for (const d of data.districts) {
			const label = `<b>${esc(d.district)}</b><br>${__("Per 1,000 Aged 65+")}: ${
				d.rate_per_1000 === null ? "-" : esc(String(d.rate_per_1000))
			}<br>${__("Open Needs")}: ${esc(String(d.open_needs))} / ${__("Community Resources")}: ${
				d.resources
			}`;
			if (d.shapes.length) {
				const shape = L.geoJSON(
					{
						type: "FeatureCollection",
						features: d.shapes.map((geometry) => ({ type: "Feature", geometry })),
					},
					{ style: this.shade(d, scale) }
				).addTo(this.layer);
				shape.bindTooltip(label, { sticky: true, opacity: 0.9 });
				shape.bindPopup(this.popup(d));
				const area = shape.getBounds();
				bounds.push(area.getSouthWest(), area.getNorthEast());
				if (permanent) {
					L.tooltip({ permanent: true, direction: "center", opacity: 0.8 })
						.setLatLng(area.getCenter())
						.setContent(esc(d.district))
						.addTo(this.layer);
				}
				continue;
			}
			if (d.lat === null || d.lng === null) continue;
			const gap = d.gaps.length > 0;
			const radius = 12 + 28 * Math.sqrt(d.open_needs_value / max_needs);
			const color = gap ? "#e03636" : d.open_needs_value ? "#f59e0b" : "#16a34a";
			const marker = L.circleMarker([d.lat, d.lng], {
				radius: radius,
				color: color,
				weight: 2,
				fillColor: color,
				fillOpacity: 0.35,
			}).addTo(this.layer);
			marker.bindTooltip(label, { permanent: permanent, direction: "center", opacity: 0.85 });
			marker.bindPopup(this.popup(d));
			bounds.push([d.lat, d.lng]);
		}
		for (const r of data.resources) {
			L.circleMarker([r.lat, r.lng], {
				radius: 4,
				color: "#1d4ed8",
				weight: 1,
				fillColor: "#3b82f6",
				fillOpacity: 0.9,
			})
				.bindPopup(`<a href="${esc(r.url)}"><b>${esc(r.name)}</b></a><br>${esc(r.type)} / ${esc(r.district || "")}`)
				.addTo(this.layer);
		}
		if (bounds.length) this.map.fitBounds(bounds, { padding: [40, 40], maxZoom: 15 });
		const steps = rates.length
			? SHADES.map(
					(color, i) =>
						`<span style="display:inline-block;width:14px;height:10px;background:${color};opacity:0.8"></span> ${(
							scale.low +
							((scale.high - scale.low) * i) / SHADES.length
						).toFixed(2)}–`
			  ).join(" ")
			: "";
		this.$body.find(".nrm-legend").html(`
			<div>${__("Shaded by open needs per 1,000 aged 65+")}: ${steps}
			&nbsp; <span style="display:inline-block;width:14px;height:10px;background:#d1d5db"></span> ${__(
				"Fewer than 3, not shown"
			)}</div>
			<div>${__("Districts without a boundary")}: <span style="color:#e03636">●</span> ${__(
				"Open needs with no resource in some category"
			)}
			&nbsp; <span style="color:#f59e0b">●</span> ${__("Open needs, every category has a resource")}
			&nbsp; <span style="color:#16a34a">●</span> ${__("No open needs")}
			&nbsp; <span style="color:#3b82f6">●</span> ${__("Community Resource")}</div>
			${
				data.illustrative_boundaries
					? `<div>${__("The boundaries of illustrative districts are simple drawn shapes, not official ones.")}</div>`
					: ""
			}`);
		this.render_table(data.districts);
	}

	shade(d, scale) {
		// masked (fewer than 3) or no population: grey; else one of five equal steps from the lowest
		// rate shown to the highest
		let step = null;
		if (d.rate_per_1000 !== null) {
			const span = scale.high - scale.low;
			step = span
				? Math.min(SHADES.length - 1, Math.floor(((d.rate_per_1000 - scale.low) / span) * SHADES.length))
				: SHADES.length - 1;
		}
		return {
			color: "#ffffff",
			weight: 1.5,
			dashArray: step === null ? "4 3" : null,
			fillColor: step === null ? "#d1d5db" : SHADES[step],
			fillOpacity: 0.7,
		};
	}

	popup(d) {
		const esc = frappe.utils.escape_html;
		const gaps = d.gaps.length
			? `<br><b>${__("No resource")}</b>: ${d.gaps.map(esc).join("、")}`
			: "";
		return `<b>${esc(d.district)}</b><br>${__("Open Needs")}: ${esc(String(d.open_needs))}<br>${__(
			"Community Resources"
		)}: ${d.resources}${gaps}`;
	}

	render_table(districts) {
		const esc = frappe.utils.escape_html;
		const sorted = [...districts].sort(
			(a, b) => b.gaps.length - a.gaps.length || b.open_needs_value - a.open_needs_value
		);
		const rows = sorted
			.map((d) => {
				const gap = d.gaps.length > 0;
				return `<tr${gap ? ' style="background: var(--red-50)"' : ""}>
					<td><a href="/app/district/${encodeURIComponent(d.district)}">${esc(d.district)}</a></td>
					<td class="text-right">${esc(String(d.open_needs))}</td>
					<td class="text-right">${d.rate_per_1000 === null ? "-" : d.rate_per_1000}</td>
					<td class="text-right">${d.resources}</td>
					<td>${gap ? `<span class="indicator-pill red">${d.gaps.map(esc).join("、")}</span>` : ""}</td>
				</tr>`;
			})
			.join("");
		this.$body.find(".nrm-table").html(`
			<table class="table table-bordered table-sm" style="font-size: 12px">
				<thead><tr>
					<th>${__("District")}</th>
					<th class="text-right">${__("Open Needs")}</th>
					<th class="text-right">${__("Per 1,000 Aged 65+")}</th>
					<th class="text-right">${__("Community Resources")}</th>
					<th>${__("No resource")}</th>
				</tr></thead>
				<tbody>${rows}</tbody>
			</table>`);
	}
}
