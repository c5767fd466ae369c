import frappe
from frappe import _

from chiiki_care.access.scope import LAYER_3
from chiiki_care.portal import pages

no_cache = 1


def get_context(context):
	pages.guard(context, LAYER_3)
	context.title = _("My Cases")
	context.nav = "home"
	context.coordinator_name = frappe.db.get_value(
		"Coordinator", {"user": frappe.session.user, "is_active": 1}, "coordinator_name"
	)
	context.update(pages.coordinator_home())
