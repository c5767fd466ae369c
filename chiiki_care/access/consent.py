"""A resident's identity reaches another person only with recorded consent or a legal basis,
and every such disclosure is logged: who, to whom, when, on what basis."""

import frappe
from frappe import _
from frappe.utils import now_datetime

from chiiki_care import inputs
from chiiki_care.utils import bold

IDENTITY_DOCTYPES = ("Resident", "Need", "Support Plan")

# Consent scopes from narrowest to widest; a referral outside the support team needs a wider one.
CONSENT_SCOPES = ("Support Team", "Care and Medical Providers", "Community Supporters")
LEGAL_BASES = (
	"Support Council (Social Welfare Act Art. 106-6)",
	"Community Care Meeting (Long-Term Care Insurance Act Art. 115-48)",
	"Protection of Life, Body or Property (APPI Art. 27-1-2)",
	"Other Provision of Law (APPI Art. 27-1-1)",
)
FLAG = "chiiki_care_disclosure"


def resident_of(doctype: str, name: str) -> str | None:
	if doctype == "Resident":
		return name
	return frappe.db.get_value(doctype, name, "resident")


def consent_allows(resident: str, needed_scope: str = "Support Team") -> bool:
	given, scope = frappe.db.get_value("Resident", resident, ["consent_given", "consent_scope"])
	if not given or scope not in CONSENT_SCOPES:
		return False
	return CONSENT_SCOPES.index(scope) >= CONSENT_SCOPES.index(needed_scope)


def check_share(share, method=None):
	"""DocShare `before_insert`: sharing (or assigning) a case needs consent or a stated legal basis."""
	if share.share_doctype not in IDENTITY_DOCTYPES:
		return
	if share.everyone:
		frappe.throw(_("Personal data cannot be shared with everyone."), frappe.PermissionError)
	resident = resident_of(share.share_doctype, share.share_name)
	if not resident:
		return
	disclosure = frappe.flags.get(FLAG)
	if disclosure and disclosure.get("basis") == "Legal Basis":
		return
	if not consent_allows(resident):
		frappe.throw(
			_(
				"The resident has not consented to sharing their information. Record consent on the resident, or share with a legal basis."
			),
			frappe.PermissionError,
			title=_("Consent needed"),
		)


def log_share(share, method=None):
	"""DocShare `after_insert`: log the disclosure."""
	if share.share_doctype not in IDENTITY_DOCTYPES:
		return
	resident = resident_of(share.share_doctype, share.share_name)
	if not resident:
		return
	disclosure = frappe.flags.get(FLAG) or {}
	log_disclosure(
		share.share_doctype,
		share.share_name,
		resident,
		method=disclosure.get("method") or "Share",
		disclosed_to=share.user,
		basis=disclosure.get("basis") or "Consent",
		legal_basis=disclosure.get("legal_basis"),
		note=disclosure.get("note"),
	)


def log_disclosure(
	doctype, name, resident, method, basis, disclosed_to=None, organisation=None, legal_basis=None, note=None
):
	frappe.get_doc(
		{
			"doctype": "Disclosure Log",
			"resident": resident,
			"reference_doctype": doctype,
			"reference_name": name,
			"method": method,
			"disclosed_to": disclosed_to,
			"organisation": organisation,
			"disclosed_by": frappe.session.user,
			"disclosed_on": now_datetime(),
			"basis": basis,
			"legal_basis": legal_basis,
			"note": note,
		}
	).insert(ignore_permissions=True)


@frappe.whitelist(methods=["POST"])
@inputs.checked(
	doctype="text",
	name="id",
	basis="text",
	user="id",
	organisation="text",
	legal_basis="text",
	note="text",
	write="int",
)
def share_case(
	doctype: str,
	name: str,
	basis: str,
	user: str | None = None,
	organisation: str | None = None,
	legal_basis: str | None = None,
	note: str | None = None,
	write: int = 0,
) -> None:
	"""Share a case with another user, or refer it to an organisation, on consent or a legal basis."""
	if doctype not in IDENTITY_DOCTYPES:
		frappe.throw(_("Only residents, needs and support plans are shared this way."))
	doc = frappe.get_doc(doctype, name)
	doc.check_permission("share")
	resident = resident_of(doctype, name)
	if not user and not (organisation or "").strip():
		frappe.throw(_("Choose the user or the organisation the case goes to."))
	if basis == "Legal Basis":
		if legal_basis not in LEGAL_BASES:
			frappe.throw(
				_("Choose the legal basis for providing the information."), title=_("Legal basis needed")
			)
	elif basis == "Consent":
		needed = "Support Team" if user else "Care and Medical Providers"
		if not consent_allows(resident, needed):
			frappe.throw(
				_("The resident's consent does not cover this: it must include {0}.").format(_(needed)),
				frappe.PermissionError,
				title=_("Consent needed"),
			)
	else:
		frappe.throw(_("Choose consent or a legal basis."))
	disclosure = {"basis": basis, "legal_basis": legal_basis, "note": note}
	if user:
		frappe.flags[FLAG] = {**disclosure, "method": "Share"}
		try:
			frappe.share.add_docshare(
				doctype, name, user, read=1, write=int(write), flags={"ignore_share_permission": True}
			)
		finally:
			frappe.flags.pop(FLAG, None)
	else:
		log_disclosure(doctype, name, resident, "Referral", organisation=organisation.strip(), **disclosure)


# Handover: who a case belongs to decides who reads its identity
# ----------------------------------------------------------------

HANDOVER_FIELDS = {"Resident": "primary_coordinator", "Need": "recorded_by", "Support Plan": "coordinator"}


def check_handover(doc) -> None:
	"""`validate` of residents, needs and plans: giving a case to a coordinator who could not read the
	resident's identity discloses it, so it needs the resident's consent, and it is logged on save.

	Administrator (installation, demo, scheduled jobs) hands nothing over in person and is not asked.
	"""
	fieldname = HANDOVER_FIELDS[doc.doctype]
	coordinator = doc.get(fieldname)
	before = doc.get_doc_before_save()
	if not coordinator or frappe.session.user == "Administrator":
		return
	if before is not None and before.get(fieldname) == coordinator:
		return
	user = frappe.db.get_value("Coordinator", coordinator, "user")
	if not user or user == frappe.session.user or not gains_identity(doc, before, user):
		return
	if doc.doctype == "Resident":
		consented = doc.consent_given and doc.consent_scope in CONSENT_SCOPES
	else:
		consented = bool(doc.get("resident")) and consent_allows(doc.resident)
	if not consented:
		frappe.throw(
			_(
				"{0} cannot see this resident's personal information yet. Handing the case over discloses it: record the resident's consent to sharing within the support team first."
			).format(
				bold(frappe.db.get_value("Coordinator", coordinator, "coordinator_name") or coordinator)
			),
			frappe.PermissionError,
			title=_("Consent needed"),
		)
	doc.flags.handover_to = user


def log_handover(doc) -> None:
	"""`on_update` of residents, needs and plans: the disclosure checked by `check_handover`."""
	user = doc.flags.pop("handover_to", None)
	if user:
		resident = doc.name if doc.doctype == "Resident" else doc.get("resident")
		log_disclosure(doc.doctype, doc.name, resident, "Handover", basis="Consent", disclosed_to=user)


def gains_identity(doc, before, user: str) -> bool:
	"""Whether `user` reads the resident's identity on `doc` as changed, and could not before."""
	from chiiki_care.access.permissions import get_scope
	from chiiki_care.access.scope import rule_for

	scope = get_scope(user)
	if scope.unrestricted:
		return False
	if doc.doctype == "Resident":
		if not frappe.has_permission("Resident", "read", user=user):
			return False
	elif 1 not in doc.meta.get_permlevel_access("read", user=user):
		return False
	if doc.name and doc.name in frappe.share.get_shared(doc.doctype, user):
		return False
	rule = rule_for(doc.doctype, scope)
	if before is not None and rule.allows(before.as_dict()):
		return False
	if doc.doctype != "Resident" and doc.get("resident"):
		resident = frappe.db.get_value(
			"Resident", doc.resident, ["name", "owner", "district", "primary_coordinator"], as_dict=True
		)
		if (
			resident
			and frappe.has_permission("Resident", "read", user=user)
			and rule_for("Resident", scope).allows(resident)
		):
			return False
	return rule.allows(doc.as_dict())
