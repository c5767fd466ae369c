"""The portal: phone pages for Layer 3 coordinators (/coordinator/...) and council members
(/council/...), and the public resource directory (/resources).

How it is built (see README, "Portal"):
- Jinja pages under `chiiki_care/www/` (`no_cache = 1`; guests are sent to the login page and
  back). Pages read rows only through `frappe.get_list` and `get_portal_doc` (`frappe.get_doc` +
  `has_permission`), so the row rules of `chiiki_care.access.permissions` decide what a page shows, as
  on the desk; each document is shown after `apply_fieldlevel_read_permissions`.
- Small POST endpoints for every write, one module per resource (`needs`, `plans`, `workflow`),
  each behind `forms.coordinator_action` (POST only, Layer 3 coordinators only). They save as the session user, never with
  `ignore_permissions`, so DocPerm, row rules, workflows and the controllers' validations apply.
  Bad input is answered with Japanese messages and the names of the fields to fix.
- No Web Forms: `frappe.website.doctype.web_form.web_form.accept` inserts with
  `ignore_permissions=True` and its link options read with `frappe.get_all` (every resident's
  name, or only rows the user created), neither of which the row rules can see; and the four
  lenses, the duplicate check and the monitoring log need their own layout on a phone.
"""
