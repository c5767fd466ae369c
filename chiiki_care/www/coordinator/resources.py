import frappe
from frappe import _

from chiiki_care import inputs
from chiiki_care.access.scope import LAYER_3
from chiiki_care.portal import directory, pages
from chiiki_care.utils import select_options

no_cache = 1


def get_context(context):
	pages.guard(context, LAYER_3)
	context.title = _("Find a Resource")
	context.nav = "resources"
	context.plan = None
	if frappe.form_dict.plan:
		plan = pages.get_portal_doc("Support Plan", frappe.form_dict.plan)
		context.plan = plan if plan.has_permission("write") else None
	context.q = inputs.query_text("q")
	context.district = (
		inputs.query_text("district")
		if inputs.query_has("district")
		else (context.plan.district if context.plan else "")
	)
	context.category = inputs.query_text("category")
	context.domain = inputs.query_text("domain")
	context.searched = any(inputs.query_has(k) for k in ("q", "district", "category", "domain")) or bool(
		context.plan
	)
	context.resources = (
		pages.search_resources(
			q=context.q,
			district=context.district,
			category=context.category,
			domain=context.domain,
			plan=context.plan.name if context.plan else None,
		)
		if context.searched
		else []
	)
	context.districts = [d for d in directory.public_districts() if d.district_type != "City"]
	context.categories = pages.need_categories()
	context.domains = select_options("Community Resource", "domain")
