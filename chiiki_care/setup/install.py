import frappe

from chiiki_care.reporting import tallies
from chiiki_care.setup.workflows import WORKFLOWS, install_workflows


def after_install():
	set_japanese_defaults()
	tallies.create_tables()


def after_sync():
	install_workflows()


def after_migrate():
	install_workflows()
	tallies.create_tables()


def before_uninstall():
	"""Remove the app's workflows (they belong to DocTypes that uninstalling removes) and its tables of
	kept counts."""
	for name, _states, _transitions in WORKFLOWS.values():
		frappe.delete_doc("Workflow", name, ignore_missing=True, force=True)
	tallies.drop_tables()


def set_japanese_defaults():
	"""Staff work in Japanese: make it the site's language and Tokyo its time zone."""
	settings = frappe.get_single("System Settings")
	settings.language = "ja"
	settings.time_zone = settings.time_zone or "Asia/Tokyo"
	settings.flags.ignore_mandatory = True
	settings.save(ignore_permissions=True)
