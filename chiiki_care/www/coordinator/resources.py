import frappe
from frappe import _

from chiiki_care import portal
from chiiki_care.scope import LAYER_3

no_cache = 1


def get_context(context):
	portal.guard(context, LAYER_3)
	args = frappe.form_dict
	context.title = _("Find a Resource")
	context.nav = "resources"
	context.plan = None
	if args.plan:
		plan = portal.get_portal_doc("Support Plan", args.plan)
		context.plan = plan if plan.has_permission("write") else None
	context.q = (args.q or "").strip()
	context.district = (
		args.district if args.district is not None else (context.plan.district if context.plan else "")
	)
	context.category = args.category or ""
	context.domain = args.domain or ""
	context.searched = any(args.get(k) is not None for k in ("q", "district", "category", "domain")) or bool(
		context.plan
	)
	context.resources = (
		portal.search_resources(
			q=context.q,
			district=context.district,
			category=context.category,
			domain=context.domain,
			plan=context.plan.name if context.plan else None,
		)
		if context.searched
		else []
	)
	context.districts = [d for d in portal.public_districts() if d.district_type != "City"]
	context.categories = portal.need_categories()
	context.domains = portal.select_options("Community Resource", "domain")
