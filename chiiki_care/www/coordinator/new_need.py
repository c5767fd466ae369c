import frappe
from frappe import _

from chiiki_care import inputs, portal
from chiiki_care.consent import CONSENT_SCOPES
from chiiki_care.scope import LAYER_3

no_cache = 1


def get_context(context):
	portal.guard(context, LAYER_3)
	context.title = _("Record a Need")
	context.nav = "need"
	context.residents = frappe.get_list(
		"Resident",
		filters={"status": "Active"},
		fields=["name", "full_name", "full_name_kana", "birth_date"],
		order_by="full_name_kana asc",
		limit_page_length=500,
	)
	chosen = inputs.query_text("resident")
	context.chosen = chosen if chosen in {r.name for r in context.residents} else None
	context.categories = portal.need_categories()
	context.districts = portal.coordinator_districts()
	context.households = portal.select_options("Resident", "household")
	context.care_levels = portal.select_options("Resident", "care_level")
	context.consent_scopes = CONSENT_SCOPES
