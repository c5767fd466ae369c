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

after_install = "chiiki_care.install.after_install"
after_sync = "chiiki_care.install.after_sync"
after_migrate = "chiiki_care.install.after_migrate"

# Permissions: one rule set (chiiki_care.scope) on every path
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
	doctype: "chiiki_care.permissions.get_permission_query_conditions" for doctype in _RESTRICTED_DOCTYPES
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
		doctype: "chiiki_care.permissions.get_child_permission_query_conditions"
		for doctype in _RESTRICTED_CHILD_DOCTYPES
	}
)

has_permission = {doctype: "chiiki_care.permissions.has_permission" for doctype in _RESTRICTED_DOCTYPES}

override_whitelisted_methods = {
	"frappe.desk.search.search_link": "chiiki_care.permissions.search_link",
	"frappe.desk.search.search_widget": "chiiki_care.permissions.search_widget",
}

# Scopes are computed once per request; forget them when what they are computed from changes.
doc_events = {
	doctype: {
		"on_update": "chiiki_care.permissions.clear_scope_cache",
		"on_trash": "chiiki_care.permissions.clear_scope_cache",
	}
	for doctype in ("Coordinator", "District", "Council", "Support Center", "User")
}

# Consent: sharing or assigning a case needs consent or a legal basis, and is logged.
doc_events["DocShare"] = {
	"before_insert": "chiiki_care.consent.check_share",
	"after_insert": "chiiki_care.consent.log_share",
}

scheduler_events = {
	"daily": ["chiiki_care.tasks.review_plans"],
}

# Form and list scripts shared by several DocTypes (no build step needed)
doctype_js = {
	"Need": ["public/js/lift_needs.js", "public/js/share_case.js"],
	"Resident": "public/js/share_case.js",
	"Support Plan": "public/js/share_case.js",
}
doctype_list_js = {"Need": "public/js/lift_needs.js"}
