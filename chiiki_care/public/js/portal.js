// chiiki_care portal: forms that save through the portal's POST endpoints, drafts kept on the
// device until saved (so an expired session loses nothing), the duplicate-resident warning and
// the map of the public resource directory. Plain browser JavaScript, no build step.
(function () {
	"use strict";

	var DRAFT_PREFIX = "cc-draft|";
	var DRAFT_MAX_AGE_MS = 24 * 60 * 60 * 1000;

	// The page carries the Japanese of this script's strings (frappe._messages, portal.js_messages):
	// no Frappe script is loaded on the portal.
	function __(text, args) {
		var messages = (window.frappe && window.frappe._messages) || {};
		var out = messages[text] || text;
		if (args) {
			out = out.replace(/\{(\d+)\}/g, function (match, index) {
				return args[index] === undefined ? match : String(args[index]);
			});
		}
		return out;
	}

	function root() {
		return document.querySelector(".cc-portal");
	}

	function currentUser() {
		var main = root();
		return (main && main.getAttribute("data-user")) || "";
	}

	function toText(html) {
		var doc = new DOMParser().parseFromString(String(html || ""), "text/html");
		return (doc.body.textContent || "").trim();
	}

	// Messages -----------------------------------------------------------------

	function messageBox(form) {
		var box = form.querySelector(".cc-messages");
		if (!box) {
			box = document.createElement("div");
			box.className = "cc-messages";
			box.setAttribute("role", "alert");
			form.insertBefore(box, form.firstChild);
		}
		return box;
	}

	function showMessages(form, kind, title, lines) {
		var box = messageBox(form);
		box.className = "cc-messages " + kind;
		box.textContent = "";
		if (title) {
			var strong = document.createElement("strong");
			strong.textContent = title;
			box.appendChild(strong);
		}
		if (lines && lines.length) {
			var list = document.createElement("ul");
			lines.forEach(function (line) {
				var item = document.createElement("li");
				item.textContent = line;
				list.appendChild(item);
			});
			box.appendChild(list);
		}
		box.scrollIntoView({ block: "center" });
	}

	function clearMessages(form) {
		var box = form.querySelector(".cc-messages");
		if (box) {
			box.textContent = "";
			box.className = "cc-messages";
		}
		form.querySelectorAll(".is-invalid").forEach(function (el) {
			el.classList.remove("is-invalid");
		});
		form.querySelectorAll(".cc-field-error").forEach(function (el) {
			el.remove();
		});
	}

	function serverMessages(data) {
		var lines = [];
		try {
			JSON.parse(data._server_messages || "[]").forEach(function (raw) {
				var message = JSON.parse(raw);
				toText(message.message || message)
					.split("\n")
					.forEach(function (line) {
						if (line.trim()) lines.push(line.trim());
					});
			});
		} catch (e) {
			// not a Frappe error answer
		}
		return lines;
	}

	function markInvalid(form, fields) {
		(fields || []).forEach(function (name) {
			var el =
				form.querySelector('[name="' + name + '"]') ||
				form.querySelector('[data-cc-field="' + name + '"]');
			if (!el) return;
			var target = el.closest("fieldset[data-cc-field]") || el;
			if (el.type === "checkbox" || el.type === "radio") {
				target = el.closest("fieldset") || el;
			}
			target.classList.add("is-invalid");
		});
	}

	// Versions: a form that edits a document carries the version it was loaded from ---------

	function baseInputs(form) {
		return {
			version: form.querySelector('input[type=hidden][name="base_version"]'),
			values: form.querySelector('input[type=hidden][name="base_values"]'),
		};
	}

	function readBase(form) {
		var inputs = baseInputs(form);
		if (!inputs.version) return null;
		return { base_version: inputs.version.value, base_values: inputs.values ? inputs.values.value : "" };
	}

	function setBase(form, base) {
		var inputs = baseInputs(form);
		if (!inputs.version) return;
		inputs.version.value = (base && base.base_version) || "";
		if (inputs.values) inputs.values.value = (base && base.base_values) || "";
	}

	// Drafts: kept in this browser until the form is saved -----------------------

	function draftKey(form) {
		return (
			DRAFT_PREFIX +
			currentUser() +
			"|" +
			window.location.pathname +
			"|" +
			form.getAttribute("data-cc-draft")
		);
	}

	function readFields(form) {
		var values = [];
		Array.prototype.forEach.call(form.elements, function (el) {
			if (!el.name || el.type === "hidden" || el.type === "submit" || el.type === "button") return;
			if (el.type === "checkbox" || el.type === "radio") {
				values.push([el.name, el.value, el.checked]);
			} else {
				values.push([el.name, null, el.value]);
			}
		});
		return values;
	}

	function hasContent(values) {
		return values.some(function (entry) {
			return entry[1] === null && String(entry[2] || "").trim() !== "";
		});
	}

	function saveDraft(form) {
		if (!form.hasAttribute("data-cc-draft")) return;
		var values = readFields(form);
		try {
			if (hasContent(values)) {
				// a draft keeps the version it was written on: restored later, it is judged by it
				localStorage.setItem(
					draftKey(form),
					JSON.stringify({ saved_at: Date.now(), values: values, base: readBase(form) })
				);
			}
		} catch (e) {
			// storage full or disabled: nothing more can be done
		}
	}

	function dropDraft(form) {
		try {
			localStorage.removeItem(draftKey(form));
		} catch (e) {
			// ignore
		}
	}

	function restoreDraft(form) {
		var raw;
		try {
			raw = localStorage.getItem(draftKey(form));
		} catch (e) {
			return;
		}
		if (!raw) return;
		var draft;
		try {
			draft = JSON.parse(raw);
		} catch (e) {
			dropDraft(form);
			return;
		}
		if (!draft || Date.now() - draft.saved_at > DRAFT_MAX_AGE_MS) {
			dropDraft(form);
			return;
		}
		draft.values.forEach(function (entry) {
			var name = entry[0];
			var candidates = form.querySelectorAll('[name="' + name + '"]');
			candidates.forEach(function (el) {
				if (el.type === "checkbox" || el.type === "radio") {
					if (el.value === entry[1]) el.checked = !!entry[2];
				} else if (entry[1] === null) {
					el.value = entry[2];
				}
			});
		});
		var loaded = readBase(form);
		var older = false;
		if (loaded) {
			// a draft without a version (or of another version) must not overwrite a newer edit
			older = !draft.base || draft.base.base_version !== loaded.base_version;
			setBase(form, draft.base || { base_version: "", base_values: "" });
		}
		form.dispatchEvent(new CustomEvent("cc:restored"));
		var box = messageBox(form);
		box.className = "cc-messages notice";
		box.textContent = __("The unsaved entries of this form were restored from this device. Check them and save.");
		if (older) {
			box.appendChild(document.createElement("br"));
			box.appendChild(
				document.createTextNode(
					__("The record has changed since this draft was written. If you save, you will be shown what changed first.")
				)
			);
		}
		var discard = document.createElement("button");
		discard.type = "button";
		discard.className = "cc-btn cc-btn-secondary cc-btn-small";
		discard.textContent = __("Discard the draft");
		discard.addEventListener("click", function () {
			dropDraft(form);
			window.location.reload();
		});
		box.appendChild(document.createElement("br"));
		box.appendChild(discard);
	}

	// Sending ------------------------------------------------------------------------

	function collect(form) {
		var data = {};
		var lists = {};
		var groups = {};
		Array.prototype.forEach.call(form.elements, function (el) {
			// :disabled also covers the controls of a disabled fieldset (a hidden part of the form)
			if (!el.name || el.matches(":disabled") || el.type === "submit" || el.type === "button") return;
			var group = el.closest("fieldset[data-cc-group]");
			var target = data;
			if (group) {
				var groupName = group.getAttribute("data-cc-group");
				target = groups[groupName] = groups[groupName] || {};
			}
			if (el.type === "checkbox" && el.hasAttribute("data-cc-list")) {
				lists[el.name] = lists[el.name] || [];
				if (el.checked) lists[el.name].push(el.value);
				return;
			}
			if (el.type === "checkbox") {
				target[el.name] = el.checked ? 1 : 0;
				return;
			}
			if (el.type === "radio") {
				if (el.checked) target[el.name] = el.value;
				return;
			}
			target[el.name] = el.value;
		});
		Object.keys(lists).forEach(function (name) {
			data[name] = JSON.stringify(lists[name]);
		});
		Object.keys(groups).forEach(function (name) {
			data[name] = JSON.stringify(groups[name]);
		});
		return data;
	}

	function post(method, data) {
		var body = new URLSearchParams();
		Object.keys(data).forEach(function (key) {
			if (data[key] !== undefined && data[key] !== null) body.append(key, data[key]);
		});
		return fetch("/api/method/" + method, {
			method: "POST",
			credentials: "same-origin",
			headers: {
				Accept: "application/json",
				"Content-Type": "application/x-www-form-urlencoded; charset=UTF-8",
				"X-Frappe-CSRF-Token": (window.frappe && window.frappe.csrf_token) || "",
				"X-Requested-With": "XMLHttpRequest",
			},
			body: body,
		}).then(function (response) {
			return response
				.json()
				.catch(function () {
					return {};
				})
				.then(function (json) {
					return { status: response.status, data: json };
				});
		});
	}

	function isLoggedIn() {
		return fetch("/api/method/frappe.auth.get_logged_user", {
			credentials: "same-origin",
			headers: { Accept: "application/json" },
		})
			.then(function (response) {
				if (!response.ok) return false;
				return response.json().then(function (json) {
					return !!json.message && json.message !== "Guest";
				});
			})
			.catch(function () {
				return true;
			});
	}

	function goToLogin() {
		var target = window.location.pathname + window.location.search;
		window.location.href = "/login?redirect-to=" + encodeURIComponent(target);
	}

	function sessionExpired(form) {
		saveDraft(form);
		showMessages(form, "error", __("Your login has expired."), [
			__("What you entered is kept on this device. Log in again and you will come back to this form with it."),
		]);
		window.setTimeout(goToLogin, 2500);
	}

	function editConflict(form, data) {
		// Someone else changed what this form writes since it was loaded: the entries stay, the
		// form now refers to the current version, and saving again replaces it knowingly.
		var conflict = data.conflict;
		setBase(form, { base_version: conflict.base_version, base_values: conflict.base_values });
		saveDraft(form);
		markInvalid(form, conflict.fields);
		var lines = serverMessages(data);
		showMessages(
			form,
			"error",
			__("Someone else changed this after you opened it"),
			lines.length ? lines : [__("Reload the page to see the current version.")]
		);
	}

	function checkRequired(form) {
		var missing = [];
		form.querySelectorAll("[data-cc-required]").forEach(function (el) {
			if (el.disabled || el.closest("fieldset[disabled]")) return;
			var empty;
			if (el.tagName === "FIELDSET") {
				empty = !el.querySelector("input:checked");
			} else {
				empty = !String(el.value || "").trim();
			}
			if (empty) {
				el.classList.add("is-invalid");
				missing.push(__("Enter {0}.", [el.getAttribute("data-cc-label") || el.name]));
			}
		});
		return missing;
	}

	function submit(form, extra) {
		clearMessages(form);
		var missing = checkRequired(form);
		if (missing.length) {
			showMessages(form, "error", __("Please check what you entered"), missing);
			return;
		}
		var question = form.getAttribute("data-cc-confirm");
		if (question && !window.confirm(question)) return;
		var data = collect(form);
		Object.keys(extra || {}).forEach(function (key) {
			data[key] = extra[key];
		});
		saveDraft(form);
		var buttons = form.querySelectorAll("button[type=submit]");
		buttons.forEach(function (b) {
			b.disabled = true;
		});
		post(form.getAttribute("data-cc-method"), data)
			.then(function (result) {
				buttons.forEach(function (b) {
					b.disabled = false;
				});
				var message = result.data && result.data.message;
				if (result.status === 200) {
					if (message && message.duplicates) {
						form.dispatchEvent(new CustomEvent("cc:duplicates", { detail: message.duplicates }));
						return;
					}
					dropDraft(form);
					var next = form.getAttribute("data-cc-next") || (message && message.url);
					if (next) {
						window.location.href = next;
					} else {
						window.location.reload();
					}
					return;
				}
				if (result.status === 401 || result.status === 403) {
					return isLoggedIn().then(function (loggedIn) {
						if (!loggedIn) {
							sessionExpired(form);
						} else {
							showMessages(
								form,
								"error",
								__("You may not do this."),
								serverMessages(result.data)
							);
						}
					});
				}
				if (result.status === 409 && result.data && result.data.conflict) {
					editConflict(form, result.data);
					return;
				}
				if (result.data && result.data.exc_type === "CSRFTokenError") {
					saveDraft(form);
					window.location.reload();
					return;
				}
				markInvalid(form, result.data && result.data.invalid_fields);
				var lines = serverMessages(result.data);
				showMessages(
					form,
					"error",
					__("Please check what you entered"),
					lines.length ? lines : [__("The server could not save this. Try again in a moment.")]
				);
			})
			.catch(function () {
				buttons.forEach(function (b) {
					b.disabled = false;
				});
				saveDraft(form);
				showMessages(form, "error", __("Could not reach the server."), [
					__("What you entered is kept on this device. Try again where the connection is better."),
				]);
			});
	}

	function setUpForm(form) {
		restoreDraft(form);
		var timer = null;
		form.addEventListener("input", function () {
			window.clearTimeout(timer);
			timer = window.setTimeout(function () {
				saveDraft(form);
			}, 300);
		});
		form.addEventListener("change", function () {
			saveDraft(form);
		});
		form.addEventListener("submit", function (event) {
			event.preventDefault();
			submit(form);
		});
	}

	// Recording a need: the resident, new or on record, and the duplicate warning ------

	function birthDateParams(value) {
		var text = String(value || "").trim();
		var iso = text.replace(/[０-９]/g, function (c) {
			return String.fromCharCode(c.charCodeAt(0) - 0xfee0);
		});
		var match = iso.match(/^(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})$/);
		if (match) {
			return { birth_date: match[1] + "-" + ("0" + match[2]).slice(-2) + "-" + ("0" + match[3]).slice(-2) };
		}
		return text ? { birth_date_wareki: text } : {};
	}

	function setUpNeedForm(form) {
		var modeInputs = form.querySelectorAll('input[name="resident_mode"]');
		var existing = form.querySelector("[data-cc-existing]");
		var fresh = form.querySelector("fieldset[data-cc-group=new_resident]");
		var warning = form.querySelector("#cc-duplicates");
		if (!fresh || !existing) return;

		function mode() {
			var checked = form.querySelector('input[name="resident_mode"]:checked');
			return checked ? checked.value : "existing";
		}
		function applyMode() {
			var isNew = mode() === "new";
			fresh.disabled = !isNew;
			fresh.classList.toggle("cc-hidden", !isNew);
			existing.classList.toggle("cc-hidden", isNew);
			existing.querySelector("select").disabled = isNew;
			if (!isNew) warning.classList.add("cc-hidden");
		}
		modeInputs.forEach(function (input) {
			input.addEventListener("change", applyMode);
		});
		form.addEventListener("cc:restored", applyMode);
		applyMode();

		function useResident(name, label) {
			var select = existing.querySelector("select");
			if (!select.querySelector('option[value="' + CSS.escape(name) + '"]')) {
				var option = document.createElement("option");
				option.value = name;
				option.textContent = label;
				select.appendChild(option);
			}
			select.value = name;
			form.querySelector('input[name="resident_mode"][value="existing"]').checked = true;
			applyMode();
			saveDraft(form);
			select.scrollIntoView({ block: "center" });
		}

		function showDuplicates(result, confirmable) {
			var list = warning.querySelector("ul");
			list.textContent = "";
			(result.matches || []).forEach(function (match) {
				var item = document.createElement("li");
				var label = match.full_name + "（" + (match.birth_date || "") + "・" + (match.district || "") + "）";
				item.appendChild(document.createTextNode(label + " "));
				var button = document.createElement("button");
				button.type = "button";
				button.className = "cc-btn cc-btn-small";
				button.textContent = __("Record the need for this person");
				button.addEventListener("click", function () {
					useResident(match.name, label);
				});
				item.appendChild(button);
				list.appendChild(item);
			});
			var others = warning.querySelector("[data-cc-others]");
			others.textContent = result.others
				? __(
						"{0} similar records are looked after by others. Check with the support centre before registering the person again.",
						[result.others]
				  )
				: "";
			warning.querySelector("[data-cc-confirm-new]").classList.toggle("cc-hidden", !confirmable);
			var empty = !(result.matches || []).length && !result.others;
			warning.classList.toggle("cc-hidden", empty);
			if (!empty && confirmable) warning.scrollIntoView({ block: "center" });
		}

		form.addEventListener("cc:duplicates", function (event) {
			showDuplicates(event.detail, true);
		});
		warning.querySelector("[data-cc-confirm-new]").addEventListener("click", function () {
			submit(form, { confirm_new_resident: 1 });
		});

		var timer = null;
		function check() {
			if (mode() !== "new") return;
			var params = Object.assign(
				{
					full_name: fresh.querySelector('[name="full_name"]').value,
					full_name_kana: fresh.querySelector('[name="full_name_kana"]').value,
					address: fresh.querySelector('[name="address"]').value,
				},
				birthDateParams(fresh.querySelector('[name="birth_date"]').value)
			);
			var query = new URLSearchParams(params).toString();
			fetch("/api/method/chiiki_care.chiiki_care.doctype.resident.resident.find_similar_residents?" + query, {
				credentials: "same-origin",
				headers: { Accept: "application/json" },
			})
				.then(function (response) {
					return response.ok ? response.json() : null;
				})
				.then(function (json) {
					if (json && json.message) showDuplicates(json.message, false);
				})
				.catch(function () {
					// the check runs again when the form is saved
				});
		}
		fresh.addEventListener("input", function () {
			window.clearTimeout(timer);
			timer = window.setTimeout(check, 600);
		});
		fresh.addEventListener("change", check);
	}

	// The public directory's map ---------------------------------------------------------

	function setUpMap() {
		var element = document.getElementById("cc-map");
		var source = document.getElementById("cc-map-data");
		if (!element || !source || !window.L) return;
		var points = JSON.parse(source.textContent || "[]");
		var centre = JSON.parse(element.getAttribute("data-centre") || "[34.8146, 135.6509]");
		var map = window.L.map(element, { scrollWheelZoom: false }).setView(centre, 13);
		var tiles = element.getAttribute("data-tiles");
		if (tiles) {
			window.L.tileLayer(tiles, {
				maxZoom: 18,
				attribution: element.getAttribute("data-attribution") || "",
			}).addTo(map);
		}
		var bounds = [];
		points.forEach(function (point) {
			var marker = window.L.circleMarker(point.point, {
				radius: 9,
				color: "#0b6e4f",
				weight: 2,
				fillColor: "#2fb380",
				fillOpacity: 0.85,
			}).addTo(map);
			var popup = document.createElement("div");
			var title = document.createElement("a");
			title.href = "#" + point.anchor;
			title.textContent = point.title;
			popup.appendChild(title);
			if (point.detail) {
				var detail = document.createElement("div");
				detail.textContent = point.detail;
				popup.appendChild(detail);
			}
			marker.bindPopup(popup);
			bounds.push(point.point);
		});
		if (bounds.length > 1) map.fitBounds(bounds, { padding: [24, 24] });
		else if (bounds.length === 1) map.setView(bounds[0], 15);
	}

	function start() {
		document.querySelectorAll("form[data-cc-method]").forEach(setUpForm);
		document.querySelectorAll("form[data-cc-need-form]").forEach(setUpNeedForm);
		document.querySelectorAll("select[data-cc-autosubmit]").forEach(function (select) {
			select.addEventListener("change", function () {
				select.form.requestSubmit();
			});
		});
		setUpMap();
	}

	if (document.readyState === "loading") {
		document.addEventListener("DOMContentLoaded", start);
	} else {
		start();
	}
})();
