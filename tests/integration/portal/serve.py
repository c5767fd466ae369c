"""`frappe serve` for the portal tests, with /assets/chiiki_care/ taken from the checkout under test.

A bench serves /assets/chiiki_care/ from `sites/assets/chiiki_care`, the link `bench get-app` (or
`bench build`) makes to the bench's own copy of the app (apps/chiiki_care/chiiki_care/public). The
tests run another checkout (PYTHONPATH), whose portal style and script may differ from that copy, so
this server answers /assets/chiiki_care/ from the checkout, as the installed app would.

A page that fails is answered with Frappe's error page, which keeps no trace of the exception
outside developer mode; this server prints it to its log, so that a test that meets a 500 can show
why (conftest prints the log's end when a test fails).

Usage (from the bench's sites folder): python -m tests.integration.portal.serve SITE PORT APP_DIR"""

import os
import sys
import traceback


def main(site: str, port: int, app_dir: str):
	import frappe.app
	from werkzeug.middleware.shared_data import SharedDataMiddleware

	public = os.path.join(os.path.abspath(app_dir), "chiiki_care", "public")
	with_statics = frappe.app.application_with_statics

	def with_this_checkouts_assets():
		return SharedDataMiddleware(with_statics(), {"/assets/chiiki_care": public})

	frappe.app.application_with_statics = with_this_checkouts_assets

	from frappe.website.page_renderers.error_page import ErrorPage

	error_page_init = ErrorPage.__init__

	def init_and_log(self, path=None, http_status_code=None, exception=None):
		if exception is not None:
			print(f"page error on {frappe.request.method} {frappe.request.path}:", flush=True)
			traceback.print_exception(exception)
			sys.stdout.flush()
		error_page_init(self, path=path, http_status_code=http_status_code, exception=exception)

	ErrorPage.__init__ = init_and_log
	frappe.app.serve(port=port, site=site, sites_path=".", no_reload=True)


if __name__ == "__main__":
	main(sys.argv[1], int(sys.argv[2]), sys.argv[3])
