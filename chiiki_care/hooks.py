app_name = "chiiki_care"
app_title = "Chiiki Care"
app_publisher = "chiiki_care developers"
app_description = "Community-based integrated care (地域包括ケア) for life-support coordinators and councils"
app_email = "dev@chiiki-care.example"
app_license = "mit"

export_python_type_annotations = True

# Roles, categories and other app-owned records
# ---------------------------------------------

fixtures = [
	{
		"dt": "Role",
		"filters": [
			[
				"name",
				"in",
				[
					"Chiiki Care Manager",
					"Layer 1 Coordinator",
					"Layer 2 Coordinator",
					"Layer 3 Coordinator",
					"Support Center Staff",
					"Council Member",
				],
			]
		],
	},
	"Need Category",
]

# Installation
# ------------

after_install = "chiiki_care.setup.install.after_install"
after_sync = "chiiki_care.setup.install.after_sync"
after_migrate = "chiiki_care.setup.install.after_migrate"
before_uninstall = "chiiki_care.setup.install.before_uninstall"

# Permissions: one rule set (chiiki_care.access.scope) on every path
# -------------------------------------------------------------

_RESTRICTED_DOCTYPES = (
	"Resident",
	"Need",
	"Support Plan",
	"Community Issue",
	"Council",
	"Council Meeting",
	"Coordinator",
	"Community Resource",
)

permission_query_conditions = {
	doctype: "chiiki_care.access.permissions.get_permission_query_conditions"
	for doctype in _RESTRICTED_DOCTYPES
}

# Child tables of the DocTypes above, when queried on their own, follow their parent's rule.
_RESTRICTED_CHILD_DOCTYPES = (
	"District Item",
	"Coordinator Training",
	"Council Membership",
	"Council Meeting Attendee",
	"Council Meeting Issue",
	"Council Meeting Follow Up",
	"Need Category Item",
	"Support Plan Need",
	"Support Plan Action",
	"Support Plan Monitoring",
	"Community Issue Need",
)

permission_query_conditions.update(
	{
		doctype: "chiiki_care.access.permissions.get_child_permission_query_conditions"
		for doctype in _RESTRICTED_CHILD_DOCTYPES
	}
)

has_permission = {
	doctype: "chiiki_care.access.permissions.has_permission" for doctype in _RESTRICTED_DOCTYPES
}

override_whitelisted_methods = {
	"frappe.desk.search.search_link": "chiiki_care.access.permissions.search_link",
	"frappe.desk.search.search_widget": "chiiki_care.access.permissions.search_widget",
	# the map view's locations, read through frappe.get_list (Frappe's own reads without row rules)
	"frappe.geo.utils.get_coords": "chiiki_care.reporting.map.get_coords",
	# Frappe methods that read rows without row rules or answer forbidden rows unlike missing ones
	# (chiiki_care.access.privacy; README: Threat model)
	"frappe.client.get_count": "chiiki_care.access.privacy.get_count",
	"frappe.client.get": "chiiki_care.access.privacy.get",
	"frappe.client.validate_link": "chiiki_care.access.privacy.validate_link",
	"frappe.desk.search.get_link_title": "chiiki_care.access.privacy.get_link_title",
	"frappe.desk.form.load.getdoc": "chiiki_care.access.privacy.getdoc",
	"frappe.desk.form.linked_with.get": "chiiki_care.access.privacy.get_linked_docs",
	"frappe.desk.listview.get_group_by_count": "chiiki_care.access.privacy.get_group_by_count",
	"frappe.desk.reportview.get_count": "chiiki_care.access.privacy.get_list_count",
	"frappe.desk.doctype.number_card.number_card.get_result": "chiiki_care.access.privacy.get_number_card_result",
	"frappe.desk.form.document_follow.follow_document": "chiiki_care.access.privacy.follow_document",
}

# Every query, reply and error reply of a request passes the privacy rule (chiiki_care.access.frappe_fixes)
before_request = ["chiiki_care.access.frappe_fixes.install", "chiiki_care.inputs.check_write_request"]
before_job = ["chiiki_care.access.frappe_fixes.install"]

# Scopes are computed once per request; forget them when what they are computed from changes.
doc_events = {
	doctype: {
		"on_update": "chiiki_care.access.permissions.clear_scope_cache",
		"on_trash": "chiiki_care.access.permissions.clear_scope_cache",
	}
	for doctype in ("Coordinator", "District", "Council", "Support Center", "User")
}

# The kept counts follow a renamed (or merged) district, category or coordinator (reporting.tallies).
doc_events["District"]["after_rename"] = "chiiki_care.reporting.tallies.renamed"
doc_events["Coordinator"]["after_rename"] = "chiiki_care.reporting.tallies.renamed"
doc_events["Need Category"] = {"after_rename": "chiiki_care.reporting.tallies.renamed"}

# Auto Email Report would run the app's reports as Administrator, without the row rules.
doc_events["Auto Email Report"] = {
	"validate": "chiiki_care.notifications.email_reports.refuse_unscoped_auto_email_report"
}

# Consent: sharing or assigning a case needs consent or a legal basis, and is logged.
doc_events["DocShare"] = {
	"before_insert": "chiiki_care.access.consent.check_share",
	"after_insert": "chiiki_care.access.consent.log_share",
}
# Comments on the app's needs, plans, issues and meetings carry no identity (README: Free text and identity).
doc_events["Comment"] = {"validate": "chiiki_care.access.identity_text_checks.refuse_identity_in_comment"}

# Attachments of the app's documents are private and listed only with rows the user may read;
# the app's documents are not followed by email (the digest carries their history).
doc_events["File"] = {"validate": "chiiki_care.access.privacy.refuse_public_attachment"}
doc_events["Document Follow"] = {"after_insert": "chiiki_care.access.privacy.forget_document_follow"}
permission_query_conditions["File"] = "chiiki_care.access.privacy.file_query_conditions"

scheduler_events = {
	# review reminders and overdue reviews raised to layer 2
	"daily": ["chiiki_care.notifications.reviews.review_plans"],
	# scheduled email reports (cron in the site's time zone), each computed as its recipient
	"cron": {
		"0 7 * * 1": ["chiiki_care.notifications.email_reports.send_weekly_digests"],
		"0 7 1 * *": [
			"chiiki_care.notifications.email_reports.send_district_summaries",
			"chiiki_care.notifications.email_reports.send_city_summaries",
			# resources whose details are due to be checked, to each district's layer 2 coordinator
			"chiiki_care.notifications.resource_checks.remind_stale_resources",
		],
	},
}

# Each person reads and switches off only its own email report subscriptions.
permission_query_conditions["Email Report Subscription"] = (
	"chiiki_care.notifications.email_reports.subscription_query_conditions"
)
has_permission["Email Report Subscription"] = (
	"chiiki_care.notifications.email_reports.subscription_has_permission"
)
# A user, coordinator or council can be deleted although subscriptions point at it; the subscriptions go
# with it (Coordinator.on_trash, email_reports.remove_dangling_subscriptions).
ignore_links_on_delete = ["Email Report Subscription"]

# Filters and cell formatting shared by the app's reports
app_include_js = ["/assets/chiiki_care/js/chiiki_care_reports.js"]

# Form and list scripts shared by several DocTypes (no build step needed)
doctype_js = {
	"Need": ["public/js/lift_needs.js", "public/js/share_case.js"],
	"Resident": "public/js/share_case.js",
	"Support Plan": "public/js/share_case.js",
}
doctype_list_js = {"Need": "public/js/lift_needs.js"}

# Portal (chiiki_care.portal): Layer 3 coordinators and council members work there, on a phone
role_home_page = {"Layer 3 Coordinator": "coordinator", "Council Member": "council"}
standard_portal_menu_items = [
	{"title": "Coordinator Portal", "route": "/coordinator", "role": "Layer 3 Coordinator"},
	{"title": "Council Portal", "route": "/council", "role": "Council Member"},
	{"title": "Community Resources", "route": "/resources"},
]
# user-specific pages and answers are never stored by browsers or proxies
after_request = ["chiiki_care.portal.pages.after_request"]
