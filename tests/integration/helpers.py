"""Ways a row can leave the site, each called as a given user, in the test's own transaction."""

import json
import re

import frappe
import frappe.api
from frappe.handler import execute_cmd
from frappe.utils import set_request

JAPANESE = re.compile(r"[\u3040-\u30ff\u3400-\u9fff]")


def as_user(user: str):
	frappe.set_user(user)


def call_as(user: str, fn, *args, **kwargs):
	"""`fn(*args, **kwargs)` called as `user`, then back to Administrator."""
	frappe.set_user(user)
	try:
		return fn(*args, **kwargs)
	finally:
		frappe.set_user("Administrator")


def list_names(doctype: str, user: str) -> set | None:
	"""Names `frappe.get_list` returns for `user`, or None when the user may not list the DocType at all."""
	as_user(user)
	try:
		return set(frappe.get_list(doctype, pluck="name", limit_page_length=0))
	except frappe.PermissionError:
		return None
	finally:
		as_user("Administrator")


def can(user: str, ptype: str, doctype: str, name: str) -> bool:
	return frappe.has_permission(doctype, ptype, doc=frappe.get_doc(doctype, name), user=user)


def link_search(doctype: str, user: str, txt: str = "") -> set | None:
	"""Names the desk's link search offers `user`, asking it to ignore user permissions."""
	as_user(user)
	set_request(method="POST", path="/api/method/frappe.desk.search.search_link")
	frappe.local.form_dict = frappe._dict(
		doctype=doctype, txt=txt, page_length=100, ignore_user_permissions=1
	)
	try:
		return {row["value"] for row in execute_cmd("frappe.desk.search.search_link")}
	except frappe.PermissionError:
		return None
	finally:
		frappe.local.form_dict = frappe._dict()
		frappe.local.request = None
		as_user("Administrator")


def rest(method: str, path: str, user: str, **query) -> dict:
	"""Call the REST API (`/api/resource/...`) in-process as `user`; permission errors propagate."""
	as_user(user)
	query = {k: json.dumps(v) if isinstance(v, list | dict) else v for k, v in query.items()}
	set_request(method=method, path=path, query_string=query)
	frappe.local.form_dict = frappe._dict(query)
	frappe.local.response = frappe._dict(docs=[])
	try:
		response = frappe.api.handle(frappe.local.request)
		return json.loads(response.get_data())
	finally:
		frappe.local.form_dict = frappe._dict()
		frappe.local.request = None
		as_user("Administrator")


def rest_names(doctype: str, user: str) -> set | None:
	try:
		data = rest("GET", f"/api/resource/{doctype}", user, limit_page_length=0)
	except frappe.PermissionError:
		return None
	return {row["name"] for row in data["data"]}


def rest_can_read(doctype: str, name: str, user: str) -> bool:
	try:
		rest("GET", f"/api/resource/{doctype}/{name}", user)
	except frappe.PermissionError:
		return False
	return True
