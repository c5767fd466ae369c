"""Integration tests run on a real Frappe site (see tests/run.sh).

The whole session works in one database transaction: a small world of districts, users,
coordinators and cases is built once, every test runs inside a savepoint that is rolled back
after it, and the session ends with a rollback, so nothing is left behind on the site.
"""

import os
from pathlib import Path

import pytest


def pytest_addoption(parser):
	parser.addoption("--site", default=os.environ.get("CHIIKI_CARE_TEST_SITE"), help="Frappe site to test on")
	parser.addoption(
		"--sites-path", default=os.environ.get("FRAPPE_SITES_PATH", "."), help="the bench's sites folder"
	)
	parser.addoption("--app-dir", default=None, help="checkout whose chiiki_care must be the one imported")


def pytest_configure(config):
	import frappe

	site = config.getoption("--site")
	if not site:
		raise pytest.UsageError("integration tests need --site (or CHIIKI_CARE_TEST_SITE)")
	frappe.init(site=site, sites_path=config.getoption("--sites-path"))
	frappe.connect()
	# what hooks.before_request and before_job do for the site's requests and jobs
	from chiiki_care.access import frappe_fixes

	frappe_fixes.install()
	frappe.flags.in_test = True
	# the demo loaded just before the tests (tests/run.sh) creates many users within the hour, which
	# Frappe's user-creation throttle would hold against the test users
	frappe.local.conf["throttle_user_limit"] = 1_000_000
	frappe.set_user("Administrator")

	app_dir = config.getoption("--app-dir")
	if app_dir:
		import chiiki_care

		imported = Path(chiiki_care.__file__).resolve()
		if Path(app_dir).resolve() not in imported.parents:
			raise pytest.UsageError(f"chiiki_care imported from {imported}, not from {app_dir}")


PORTAL_TESTS = Path(__file__).resolve().parent / "portal"


def pytest_collection_modifyitems(session, config, items):
	"""The portal tests (tests/integration/portal) run first: they commit data for a web server in
	another process, which must happen before the shared world below is built in this session's open
	transaction (its row locks, e.g. on naming series, would block the server's writes)."""
	items.sort(key=lambda item: PORTAL_TESTS not in Path(str(item.path)).resolve().parents)


def pytest_unconfigure(config):
	import frappe

	if getattr(frappe.local, "db", None):
		frappe.db.rollback()
		frappe.destroy()


@pytest.fixture(scope="session")
def world():
	"""The shared test world (built once per session, inside the session's transaction)."""
	from tests.integration.factories import build_world

	return build_world()


@pytest.fixture
def japanese():
	"""Messages in the site's language (ja), as its requests and scheduled jobs give them."""
	import frappe

	previous = frappe.local.lang
	frappe.local.lang = "ja"
	yield
	frappe.local.lang = previous


@pytest.fixture(autouse=True)
def isolated(world):
	"""Each test sees the world as built and leaves no trace: its changes are rolled back."""
	import frappe

	from chiiki_care.access.permissions import clear_scope_cache

	frappe.set_user("Administrator")
	frappe.db.savepoint("chiiki_care_test")
	yield
	frappe.db.rollback(save_point="chiiki_care_test")
	frappe.set_user("Administrator")
	frappe.local.form_dict = frappe._dict()
	clear_scope_cache()
	for user in world.users.values():
		frappe.clear_cache(user=user)
