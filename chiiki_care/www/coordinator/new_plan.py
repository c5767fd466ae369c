import frappe
from frappe import _

from chiiki_care.access.scope import LAYER_3
from chiiki_care.portal import pages

no_cache = 1


def get_context(context):
	pages.guard(context, LAYER_3)
	context.title = _("Draft a Support Plan")
	context.nav = "home"
	need = frappe.form_dict.need
	if need:
		need = pages.get_portal_doc("Need", need)
		resident = pages.get_portal_doc("Resident", need.resident)
	else:
		resident = pages.get_portal_doc("Resident", frappe.form_dict.resident)
	context.need = need
	context.resident = resident
	context.suggested_goal = need.desired_life if need else ""
