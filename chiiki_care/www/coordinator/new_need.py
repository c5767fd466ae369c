import frappe
from frappe import _

from chiiki_care import inputs
from chiiki_care.access.consent import CONSENT_SCOPES
from chiiki_care.access.scope import LAYER_3
from chiiki_care.portal import pages
from chiiki_care.utils import select_options

no_cache = 1


def get_context(context):
	pages.guard(context, LAYER_3)
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
	context.categories = pages.need_categories()
	context.districts = pages.coordinator_districts()
	context.households = select_options("Resident", "household")
	context.care_levels = select_options("Resident", "care_level")
	context.consent_scopes = CONSENT_SCOPES
