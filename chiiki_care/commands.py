"""Bench commands of chiiki_care (Frappe finds them in the module-level `commands` list).

	bench --site SITE chiiki-care-demo [--size small|medium|large] [--residents N] [--needs N] [--seed 42]
	                                   [--districts-csv PATH] [--as-of YYYY-MM-DD] [--reset] [--remove]
	bench --site SITE chiiki-care-load-districts PATH.csv [--dry-run]
	bench --site SITE chiiki-care-load-boundaries PATH.geojson [--name-property NAME] [--dry-run]
	bench --site SITE chiiki-care-rebuild-tallies [--check]
	bench --site SITE chiiki-care-report-benchmark [--residents N] [--needs N] [--repeat 3] (chiiki_care/reporting/benchmark.py)
	bench --site SITE chiiki-care-portal-load [--users 50] [--duration 600] [--port 8799] (chiiki_care/portal/benchmark.py)

Click help texts stay in English: they are read before any site (and its language) is known.
"""

import sys
import time

import click
import frappe
from frappe import _
from frappe.commands import get_site, pass_context
from frappe.utils import getdate

from chiiki_care.portal.benchmark import chiiki_care_portal_load


def _connect(site: str):
	frappe.init(site=site)
	frappe.connect()
	frappe.set_user("Administrator")
	# Messages in the site's language (Japanese on a chiiki_care site).
	frappe.local.lang = frappe.db.get_single_value("System Settings", "language") or "en"


def _fail(message: str):
	click.secho(message, fg="red", err=True)
	sys.exit(1)


@click.command("chiiki-care-demo")
@click.option(
	"--size",
	type=click.Choice(["small", "medium", "large"]),
	default="small",
	show_default=True,
	help="small: 300 residents, medium: 5,000, large: 30,000.",
)
@click.option("--residents", type=int, help="Number of residents; overrides --size.")
@click.option("--seed", type=int, default=42, show_default=True, help="Same seed, same data.")
@click.option(
	"--districts-csv",
	type=click.Path(exists=True, dir_okay=False),
	help="Load the municipality's own districts from this CSV (see chiiki-care-load-districts) "
	"instead of the illustrative Hirakata tree.",
)
@click.option("--as-of", help="Reference date YYYY-MM-DD for all generated dates (default: today).")
@click.option(
	"--mode",
	type=click.Choice(["auto", "doc", "bulk"]),
	default="auto",
	show_default=True,
	help="doc: every record through its controller; bulk: batched inserts for residents, needs, plans; "
	"auto: doc up to 100 residents.",
)
@click.option(
	"--needs",
	type=int,
	help="At least this many needs (default: the demo's proportion, about 1.6 per resident).",
)
@click.option("--reset", is_flag=True, help="Remove existing demo data first, then load.")
@click.option("--remove", is_flag=True, help="Only remove the demo data (records owned by demo users).")
@pass_context
def chiiki_care_demo(context, size, residents, seed, districts_csv, as_of, mode, needs, reset, remove):
	"""Load a realistic, deterministic demo (Hirakata, 13 illustrative areas) into a site.

	Running it again without --reset leaves the existing demo alone and says so.
	"""
	from chiiki_care.demo import plan as demo_plan
	from chiiki_care.demo import writer as demo
	from chiiki_care.setup.districts import DistrictLoadError

	site = get_site(context)
	try:
		_connect(site)
		if reset or remove:
			started = time.monotonic()
			demo.remove_demo()
			frappe.db.commit()  # nosemgrep: demo data is committed in steps the command reports
			click.echo(_("Demo data removed in {0} s.").format(f"{time.monotonic() - started:.1f}"))
			if remove:
				return
		elif demo.demo_exists():
			manifest = demo.demo_manifest()
			click.echo(
				_(
					"Demo data already exists (seed {0}, {1} residents, loaded {2}); nothing was changed. "
					"Use --reset to replace it or --remove to remove it."
				).format(
					manifest.get("seed", "?"), manifest.get("residents", "?"), manifest.get("loaded_at", "?")
				)
			)
			return
		try:
			reference = getdate(as_of) if as_of else None
		except Exception:
			_fail(_("--as-of must be a date written as YYYY-MM-DD, not {0}.").format(as_of))
		result = demo.make_demo(
			size=size,
			residents=residents,
			seed=seed,
			districts_csv=districts_csv,
			as_of=reference,
			mode=mode,
			needs=needs,
		)
		demo.complete_setup()
		frappe.db.commit()  # nosemgrep: the whole demo is one transaction, committed here
		click.echo(_("Rows per table:"))
		for table, count in demo.table_counts().items():
			click.echo(f"  {_(table)}: {count}")
		click.echo(_("Demo loaded in {0} s.").format(result["timings"]["total"]))
		click.echo(
			_("{0} demo users (…@{1}), for example {2}; password {3}").format(
				frappe.db.count("User", demo.demo_user_filter()),
				demo_plan.DEMO_DOMAIN,
				demo_plan.MANAGER_EMAIL,
				demo_plan.DEMO_PASSWORD,
			)
		)
	except (demo.DemoError, DistrictLoadError) as error:
		frappe.db.rollback()
		messages = getattr(error, "messages", None) or [str(error)]
		_fail("\n".join(messages))
	except Exception:
		frappe.db.rollback()
		raise
	finally:
		frappe.destroy()


@click.command("chiiki-care-load-districts")
@click.argument("path", type=click.Path(exists=True, dir_okay=False))
@click.option("--dry-run", is_flag=True, help="Check the file and report, without saving anything.")
@pass_context
def chiiki_care_load_districts(context, path, dry_run):
	"""Load the municipality's own districts (市全域 → 日常生活圏域 → 小学校区) from a CSV file.

	Columns: district_name, district_type (City / Daily-life Area / School District, or 市全域 /
	日常生活圏域 / 小学校区), parent_district, support_center, population_total, population_65_plus,
	population_as_of, is_illustrative, description (Japanese headers such as 地区名, 種別 and 上位地区
	work too). UTF-8 or Shift_JIS. Parents are loaded before children; existing districts of the same
	name are updated. All or nothing: any error rolls the whole file back.
	"""
	from chiiki_care.setup import districts

	_load_file(
		context,
		lambda: districts.load_districts_file(path),
		dry_run,
		lambda: _("The districts were not loaded:"),
	)


def _load_file(context, load, dry_run: bool, not_loaded):
	"""Run `load` (a file loaded all or nothing) on the site, then commit it, or roll it back for a
	dry run; a DistrictLoadError is printed under the heading `not_loaded()` gives (called once
	connected, when the site's language is known) and exits 1."""
	from chiiki_care.setup.districts import DistrictLoadError

	site = get_site(context)
	try:
		_connect(site)
		load()
		if dry_run:
			frappe.db.rollback()
			click.echo(_("Dry run: the file is valid; nothing was saved."))
		else:
			frappe.db.commit()  # nosemgrep: the whole file is one transaction, committed here
	except DistrictLoadError as error:
		frappe.db.rollback()
		_fail("\n".join([not_loaded(), *error.messages]))
	except Exception:
		frappe.db.rollback()
		raise
	finally:
		frappe.destroy()


@click.command("chiiki-care-load-boundaries")
@click.argument("path", type=click.Path(exists=True, dir_okay=False))
@click.option(
	"--name-property",
	help="The feature property holding the district name (default: the first of district_name, name, "
	"地区名, 名称, 学校区名, A27_004 that a feature has).",
)
@click.option("--dry-run", is_flag=True, help="Check the file and report, without saving anything.")
@pass_context
def chiiki_care_load_boundaries(context, path, name_property, dry_run):
	"""Load district boundaries from one GeoJSON FeatureCollection (UTF-8): each feature a Polygon or
	MultiPolygon named after a district. All or nothing: an unmatched name or an invalid shape
	refuses the whole file."""
	from chiiki_care.setup import boundaries

	_load_file(
		context,
		lambda: boundaries.load_boundaries_file(path, name_property=name_property),
		dry_run,
		lambda: _("The boundaries were not loaded:"),
	)


@click.command("chiiki-care-rebuild-tallies")
@click.option("--check", is_flag=True, help="Only compare the kept counts with the rows and report.")
@pass_context
def chiiki_care_rebuild_tallies(context, check):
	"""Recount the needs and plans the reports read from the kept counts
	(chiiki_care/reporting/tallies.py).

	They are kept exact as needs and plans are saved; rebuild after changing them outside the app
	(SQL, a restore of one table). --check prints the differences and exits 1 if there are any."""
	from chiiki_care.reporting import tallies

	site = get_site(context)
	try:
		_connect(site)
		if not check:
			started = time.monotonic()
			tallies.rebuild()
			frappe.db.commit()  # nosemgrep: one transaction for the whole recount
			click.echo(_("Counts rebuilt in {0} s.").format(round(time.monotonic() - started, 1)))
		differences = tallies.differences()
		for difference in differences[:20]:
			click.echo(" ".join(str(value) for value in difference))
		if differences:
			_fail(_("{0} kept counts differ from the rows.").format(len(differences)))
		click.echo(_("The kept counts equal the rows."))
	finally:
		frappe.destroy()


@click.command("chiiki-care-report-benchmark")
@click.option(
	"--residents", type=int, help="First load a demo of this many residents, if the site has fewer."
)
@click.option("--needs", type=int, help="With --residents: at least this many needs.")
@click.option("--repeat", type=int, default=3, show_default=True, help="Runs per item (the median is shown).")
@click.option("--role", "roles", multiple=True, help="Only these roles (manager, Layer 1, ...).")
@pass_context
def chiiki_care_report_benchmark(context, residents, needs, repeat, roles):
	"""Time every report, workspace card and chart and list page as each desk role, beside
	hand-written SQL for the same figures (chiiki_care/reporting/benchmark.py). Prints a table."""
	from chiiki_care.demo import writer as demo
	from chiiki_care.reporting import benchmark

	site = get_site(context)
	try:
		_connect(site)
		if residents and frappe.db.count("Resident") < residents:
			started = time.monotonic()
			if demo.demo_exists():
				demo.remove_demo()
			demo.make_demo(residents=residents, needs=needs)
			demo.complete_setup()
			frappe.db.commit()  # nosemgrep: the demo is one transaction, committed here
			click.echo(_("Demo loaded in {0} s.").format(round(time.monotonic() - started, 1)))
		benchmark.run(repeat=repeat, roles=list(roles) or None)
	finally:
		frappe.destroy()


commands = [
	chiiki_care_demo,
	chiiki_care_load_districts,
	chiiki_care_load_boundaries,
	chiiki_care_portal_load,
	chiiki_care_rebuild_tallies,
	chiiki_care_report_benchmark,
]
