import frappe
from frappe import _

from chiiki_care.access.scope import COUNCIL_MEMBER
from chiiki_care.portal import pages
from chiiki_care.reporting import profile

no_cache = 1


def get_context(context):
	"""The 地域カルテ of a council member's district (`?district=`, default its first council's)."""
	pages.guard(context, COUNCIL_MEMBER)
	context.title = _("District Profile")
	context.nav = "profile"
	context.districts = profile.council_districts()
	district = frappe.form_dict.get("district") or (context.districts[0] if context.districts else None)
	context.district = district
	context.profile_html = (
		profile.render_profile(profile.get_district_profile(district)) if district else None
	)
