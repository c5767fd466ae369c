"""Demo data on a Frappe site (the bench command `chiiki-care-demo` calls these).

`make_demo` loads a deterministic demo planned by `chiiki_care.demo.plan`; `remove_demo`
removes it again. Demo records are recognised by their owner: every one of them is owned by a
demo user (`…@demo.chiiki-care.example`), and demo users are recognised by that domain. Records
and districts a municipality loaded itself are never touched.

Users, districts, coordinators, councils, resources, issues and meetings are always written with
normal document inserts. Residents, needs and support plans are too with `--mode doc` (the default
up to 100 residents: every controller validates every record); otherwise they are written with
batched inserts (`frappe.db.bulk_insert`) under names taken from their naming series, whose
counters are then moved past them. Either way a sample of every written DocType is validated
again afterwards, and both ways give the same data for the same seed and reference date.
"""

import datetime
import json
import math
import time
from collections import defaultdict
from contextlib import contextmanager

import frappe
from frappe import _
from frappe.model.naming import NamingSeries
from frappe.utils import cint, flt, getdate, now_datetime, today

from chiiki_care.chiiki_care.doctype.resident.resident import set_match_keys
from chiiki_care.chiiki_care.doctype.support_plan.support_plan import is_overdue
from chiiki_care.demo import plan, scale
from chiiki_care.demo.plan import Record, Ref
from chiiki_care.reporting import tallies
from chiiki_care.setup import boundaries, districts
from chiiki_care.setup.districts import error_text, print_line

MANIFEST_KEY = "chiiki_care_demo"
DOC_MODE_LIMIT = 100  # residents: up to this many, `--mode auto` writes documents one by one
BULK_DOCTYPES = ("Resident", "Need", "Support Plan")
# (doctype, status) -> (the link it needs, the status to write until the link can be set)
STATUS_WAITING_FOR = {("Need", "Lifted to Community Issue"): ("community_issue", "Under Review")}
BULK_CHUNK = 2_000
SAMPLE_SIZE = 25
# Fields a controller sets to the session user (who recorded a check), written as planned
SET_FROM_SESSION = {"Community Resource": ("last_verified_by",)}

# What the demo writes, for counting and removal (parents; children are found from the meta).
DEMO_DOCTYPES = (
	"Council Meeting",
	"Support Plan",
	"Community Issue",
	"Need",
	"Resident",
	"Community Resource",
	"Council",
	"Training Session",
	"Coordinator",
	"Support Center",
	"District",
)
# Rows of other DocTypes that point at a document and go when it goes: (DocType, doctype field, name field).
RELATED_ROWS = (
	("Version", "ref_doctype", "docname"),
	("Comment", "reference_doctype", "reference_name"),
	("Communication", "reference_doctype", "reference_name"),
	("DocShare", "share_doctype", "share_name"),
	("ToDo", "reference_type", "reference_name"),
	("Activity Log", "reference_doctype", "reference_name"),
	("Notification Log", "document_type", "document_name"),
	("Tag Link", "document_type", "document_name"),
	("File", "attached_to_doctype", "attached_to_name"),
	("Identity Access Log", "reference_doctype", "reference_name"),
	("Disclosure Log", "reference_doctype", "reference_name"),
)
# Rows that belong to a user and go with a demo user: (DocType, user field).
USER_ROWS = (
	("User Permission", "user"),
	("DefaultValue", "parent"),
	("Activity Log", "user"),
	("Access Log", "user"),
	("Route History", "user"),
)


class DemoError(frappe.ValidationError):
	"""A demo run that cannot go ahead (the message says why)."""


# ---------------------------------------------------------------------------------------------
# Demo: state, geography and the run
# ---------------------------------------------------------------------------------------------


def demo_user_filter() -> dict:
	return {"name": ("like", f"%@{plan.DEMO_DOMAIN}")}


def demo_exists() -> bool:
	return bool(frappe.db.exists("User", demo_user_filter()) or frappe.db.get_global(MANIFEST_KEY))


def demo_manifest() -> dict:
	raw = frappe.db.get_global(MANIFEST_KEY)
	try:
		return json.loads(raw) if raw else {}
	except ValueError:
		return {}


def non_demo_count(doctype: str) -> int:
	return frappe.db.count(doctype, {"owner": ("not like", f"%@{plan.DEMO_DOMAIN}")})


def load_geography() -> plan.Geography:
	"""The District tree as the demo sees it: the city, its areas and the school districts in each."""
	rows = frappe.get_all(
		"District",
		fields=["name", "district_type", "parent_district", "support_center", "population_65_plus"],
		order_by="lft asc",
	)
	city = next((r.name for r in rows if r.district_type == plan.CITY), None)
	if not city:
		raise DemoError(_("There is no city district."))
	geo = plan.geography_from_districts(rows)
	if not geo.areas:
		raise DemoError(_("The demo needs at least one daily-life area under the city {0}.").format(city))
	return geo


def need_categories() -> list[str]:
	return frappe.get_all("Need Category", filters={"is_group": 0}, pluck="name", order_by="lft asc")


def resolve_size(size: str | None, residents: int | None) -> int:
	if residents is not None:
		if residents < 1:
			raise DemoError(_("--residents must be at least 1."))
		return residents
	return plan.SIZES[size or "small"]


def make_demo(
	size: str = "small",
	residents: int | None = None,
	seed: int = 42,
	districts_csv: str | None = None,
	as_of: datetime.date | None = None,
	mode: str = "auto",
	echo=print_line,
	needs: int | None = None,
) -> dict:
	"""Load the demo into the connected site. The caller commits (or rolls back on an exception).

	Refuses (DemoError) when demo data exists already, or when the site holds residents that are not
	demo data. Above `scale.BASE_LIMIT` residents, a part is planned and the rest copied from it
	(`chiiki_care.demo.scale`); `needs` asks for at least that many needs. Returns counts and timings.
	"""
	started = time.monotonic()
	n_residents = resolve_size(size, residents)
	copies = scale.copies_for(n_residents)
	as_of = as_of or getdate(today())
	if as_of > getdate(today()):
		raise DemoError(_("The reference date {0} is in the future.").format(as_of))
	if demo_exists():
		raise DemoError(_("Demo data already exists on this site. Run with --reset to replace it."))
	if non_demo_count("Resident"):
		raise DemoError(
			_(
				"This site holds residents that are not demo data; the demo is only for development and training sites."
			)
		)
	categories = need_categories()
	if not categories:
		raise DemoError(_("No need categories found: run bench migrate so that the fixtures are loaded."))
	if mode == "auto":
		mode = "doc" if n_residents <= DOC_MODE_LIMIT else "bulk"
	if mode == "doc":
		message = _(
			"Loading the demo: {0} residents, seed {1}, reference date {2}; every record through its controller."
		)
	else:
		message = _(
			"Loading the demo: {0} residents, seed {1}, reference date {2}; residents, needs and plans by batched inserts."
		)
	echo(message.format(n_residents, seed, as_of))
	timings = {}

	def phase(label, count=None):
		return _PhaseTimer(label, timings, echo, count)

	with phase(_("Demo manager user")):
		manager = plan.DemoUser(
			plan.MANAGER_EMAIL, "長寿", "推進", "Chiiki Care Manager", ("Chiiki Care Manager",)
		)
		create_users([manager])

	with phase(_("Districts")):
		if districts_csv:
			districts.load_districts_file(districts_csv, owner=None, echo=echo)
		elif not frappe.db.exists("District", {"district_type": plan.CITY}):
			districts.load_districts_file(
				str(plan.HIRAKATA_DISTRICTS_CSV), owner=plan.MANAGER_EMAIL, echo=echo
			)
			boundaries.load_boundaries_file(str(plan.HIRAKATA_BOUNDARIES), echo=echo)
		else:
			echo(_("Using the districts already on the site."))
		geo = load_geography()

	with phase(_("Planning")):
		dataset = plan.build_demo(geo, categories, math.ceil(n_residents / copies), seed, as_of)
		users_planned = [u for u in dataset.users if u.email != plan.MANAGER_EMAIL]
		roles = _roles_by_user(dataset)
		for user in users_planned:
			user.roles = tuple(roles.get(user.email, ()))

	with phase(_("Users"), len(users_planned)):
		create_users(users_planned)

	writer = _Writer(mode)
	for doctype in plan.WRITE_ORDER:
		writer.assign_names(doctype, dataset.records.get(doctype) or [])
	for doctype in plan.WRITE_ORDER:
		records = dataset.records.get(doctype) or []
		with phase(_(doctype), len(records)):
			writer.write(doctype, records)
			if doctype == "Support Center":
				_attach_centers(dataset)
	with phase(_("Links between needs, plans and issues")):
		writer.flush_deferred()
		writer.update_series()
	if copies > 1 or needs:
		# One transaction per copy, two copies at a time: a single transaction of millions of rows
		# slows every statement in it. What is committed is removed again if the load fails.
		try:
			with phase(_("Copies for a large city")):
				scale.replicate(copies, needs, echo=echo, side_by_side=True)
			checked = _count_and_check(writer, phase, echo)
		except BaseException:
			frappe.db.rollback()
			echo(_("The load failed: removing the demo data committed so far."))
			remove_demo(echo=echo)
			frappe.db.commit()  # nosemgrep: the removal of the partial demo
			raise
	else:
		checked = _count_and_check(writer, phase, echo)
	echo(_("{0} sampled documents pass validation.").format(checked))

	manifest = {
		"seed": seed,
		"residents": frappe.db.count("Resident", {"owner": ("like", f"%@{plan.DEMO_DOMAIN}")}),
		"size": size if residents is None else None,
		"as_of": as_of.isoformat(),
		"mode": mode,
		"loaded_at": now_datetime().isoformat(timespec="seconds"),
		"districts": "demo" if _demo_district_names() else "site",
	}
	frappe.db.set_global(MANIFEST_KEY, json.dumps(manifest))
	frappe.clear_cache()
	timings["total"] = round(time.monotonic() - started, 1)
	return {"manifest": manifest, "timings": timings, "planned": plan.summarize(dataset)}


def _count_and_check(writer, phase, echo) -> int:
	"""Rebuild the kept counts, then check a sample of the written documents against their
	validations (DemoError if any fails). Returns how many were checked."""
	with phase(_("Counts for the reports")):
		tallies.rebuild()  # batched inserts bypass the controllers that keep them
	with phase(_("Checking a sample against the validations")):
		checked, problems = validate_sample(writer)
	for problem in problems[:20]:
		echo(problem)
	if problems:
		raise DemoError(_("{0} of {1} sampled documents fail validation.").format(len(problems), checked))
	return checked


class _PhaseTimer:
	"""Times one step of the load and reports it (with the number of records written, if given)."""

	def __init__(self, label: str, timings: dict, echo, count: int | None = None):
		self.label, self.timings, self.echo, self.count = label, timings, echo, count

	def __enter__(self):
		self.started = time.monotonic()
		return self

	def __exit__(self, exc_type, exc, tb):
		if exc_type is None:
			seconds = time.monotonic() - self.started
			self.timings[self.label] = round(seconds, 1)
			if self.count is None:
				self.echo(_("{0}: {1} s").format(self.label, f"{seconds:.1f}"))
			else:
				self.echo(_("{0}: {1} in {2} s").format(self.label, self.count, f"{seconds:.1f}"))


def _demo_district_names() -> list[str]:
	return frappe.get_all("District", filters={"owner": plan.MANAGER_EMAIL}, pluck="name")


def _roles_by_user(dataset: plan.Dataset) -> dict:
	"""The roles each demo user will hold because of the records that name it.

	Coordinator, Support Center and Council saves add these roles themselves (`add_role` leaves a
	user alone that holds the role already); giving them when the user is created spares a second
	save of every user, which costs about a second each and queues background jobs.
	"""
	roles = defaultdict(list)
	for user in dataset.users:
		roles[user.email].extend(user.roles)
	for record in dataset.records.get("Coordinator", []):
		roles[record.fields["user"]].append(f"{record.fields['layer']} Coordinator")
	for users in dataset.center_staff.values():
		for email in users:
			roles[email].append("Support Center Staff")
	for record in dataset.records.get("Council", []):
		for row in record.children.get("members", []):
			if row.get("user"):
				roles[row["user"]].append("Council Member")
	return roles


@contextmanager
def _quiet_user_creation():
	"""Create users without throttling, welcome mail or queued jobs (contact made at once, no gravatar look-up)."""
	conf = frappe.local.conf
	old_limit = conf.get("throttle_user_limit")
	old_install = frappe.flags.in_install
	conf["throttle_user_limit"] = 1_000_000
	frappe.flags.in_install = "chiiki_care"
	try:
		yield
	finally:
		frappe.flags.in_install = old_install
		if old_limit is None:
			conf.pop("throttle_user_limit", None)
		else:
			conf["throttle_user_limit"] = old_limit


def complete_setup():
	"""A demo site is ready to use: its users go to their desk or portal, not to the setup wizard.

	On a set-up site Frappe keeps a System Manager besides Administrator, and makes the next desk
	user saved one if there is none; so the demo brings its own system administrator first."""
	if frappe.db.get_single_value("System Settings", "setup_complete"):
		return
	create_users(
		[
			plan.DemoUser(
				email=f"sysadmin@{plan.DEMO_DOMAIN}",
				first_name="システム",
				last_name="管理者",
				label="System Manager",
				roles=("System Manager",),
			)
		]
	)
	frappe.db.set_single_value("System Settings", "setup_complete", 1)


def create_users(users: list[plan.DemoUser]):
	"""Demo users with the demo password, in Japanese, with no welcome mail."""
	with _quiet_user_creation():
		for user in users:
			if frappe.db.exists("User", user.email):
				continue
			doc = frappe.get_doc(
				{
					"doctype": "User",
					"email": user.email,
					"first_name": user.first_name,
					"last_name": user.last_name,
					"language": "ja",
					"send_welcome_email": 0,
					"new_password": plan.DEMO_PASSWORD,
					"roles": [{"role": role} for role in dict.fromkeys(user.roles)],
				}
			)
			doc.flags.no_welcome_mail = True
			doc.insert(ignore_permissions=True)


def _attach_centers(dataset: plan.Dataset):
	"""Staff on every area's centre; new centres linked from their area and its school districts."""
	for area, center in dataset.area_centers.items():
		frappe.db.set_value("District", area, "support_center", center, update_modified=False)
		children = frappe.get_all("District", filters={"parent_district": area}, pluck="name")
		for child in children:
			frappe.db.set_value("District", child, "support_center", center, update_modified=False)
	for center, users in dataset.center_staff.items():
		doc = frappe.get_doc("Support Center", center)
		present = {row.user for row in doc.staff}
		for user in users:
			if user not in present:
				doc.append("staff", {"user": user})
		if not doc.operator:
			doc.operator = "社会福祉法人（例示）"
		doc.save(ignore_permissions=True)


# ---------------------------------------------------------------------------------------------
# Writing records: document inserts or batched inserts
# ---------------------------------------------------------------------------------------------


def _value(value):
	if isinstance(value, bool):
		return int(value)
	return value


class _Writer:
	def __init__(self, mode: str):
		self.mode = mode
		self.names: dict[Ref, str] = {}
		self.series: dict[str, tuple[str, int]] = {}  # doctype -> (autoname, last number)
		self.deferred: list[tuple[str, str, dict]] = []
		self.written: dict[str, list[str]] = defaultdict(list)

	# names --------------------------------------------------------------------------------

	def assign_names(self, doctype: str, records: list[Record]):
		meta = frappe.get_meta(doctype)
		autoname = meta.autoname or ""
		if autoname.startswith("field:"):
			fieldname = autoname.split(":", 1)[1]
			for record in records:
				self.names[Ref(doctype, record.key)] = record.fields[fieldname]
			return
		series = NamingSeries(autoname)
		prefix = series.get_prefix()
		digits = autoname.count("#")
		current = cint(frappe.db.get_value("Series", prefix, "current", order_by="name"))
		first = current + 1
		names = [f"{prefix}{str(n).zfill(digits)}" for n in range(first, first + len(records))]
		if names:
			table = frappe.qb.DocType(doctype)
			clash = (
				frappe.qb.from_(table)
				.select(table.name)
				.where((table.name >= names[0]) & (table.name <= names[-1]))
				.limit(1)
				.run()
			)
			if clash:
				raise DemoError(
					_("{0} {1} exists beyond its naming series counter; fix the series {2} first.").format(
						_(doctype), clash[0][0], prefix
					)
				)
		for record, name in zip(records, names, strict=True):
			self.names[Ref(doctype, record.key)] = name
		self.series[doctype] = (autoname, current + len(records))

	def resolve(self, value):
		if isinstance(value, Ref):
			return self.names[value]
		return _value(value)

	def column_value(self, meta, fieldname: str, value):
		"""A value as a document insert would store it (an empty Select is '', not NULL)."""
		value = self.resolve(value)
		if value is None and meta.get_field(fieldname).fieldtype == "Select":
			return ""
		return value

	def update_series(self):
		for autoname, last in self.series.values():
			NamingSeries(autoname).update_counter(last)

	# writing ------------------------------------------------------------------------------

	def write(self, doctype: str, records: list[Record]):
		if self.mode == "bulk" and doctype in BULK_DOCTYPES:
			self.write_bulk(doctype, records)
		else:
			self.write_docs(doctype, records)

	def write_docs(self, doctype: str, records: list[Record]):
		deferred_fields = plan.DEFERRED_FIELDS.get(doctype, ())
		meta = frappe.get_meta(doctype)
		table_fields = {df.fieldname: df.options for df in meta.get_table_fields()}
		for record in records:
			name = self.names[Ref(doctype, record.key)]
			values, later = {}, {}
			for fieldname, value in record.fields.items():
				if fieldname in deferred_fields and isinstance(value, Ref):
					later[fieldname] = value
				else:
					values[fieldname] = self.resolve(value)
			# A status that needs a deferred link is written with the link, after its target exists.
			waiting = STATUS_WAITING_FOR.get((doctype, values.get("status")))
			if waiting and waiting[0] in later:
				later["status"] = values["status"]
				values["status"] = waiting[1]
			doc = frappe.get_doc({"doctype": doctype, **values})
			for fieldname, rows in record.children.items():
				for idx, row in enumerate(rows, start=1):
					doc.append(
						fieldname,
						{
							"name": _child_name(name, fieldname, idx),
							**{k: self.resolve(v) for k, v in row.items()},
						},
					)
			_as_recorded(doc).insert(ignore_permissions=True, set_name=name, set_child_names=False)
			self._stamp(doctype, name, record, table_fields)
			if later:
				self.deferred.append((doctype, name, later))
			self.written[doctype].append(name)

	def _stamp(self, doctype: str, name: str, record: Record, table_fields: dict):
		"""Owner and dates as planned (a document insert sets them to the session and now)."""
		created = record.created or now_datetime()
		modified = record.modified or created
		table = frappe.qb.DocType(doctype)
		update = (
			frappe.qb.update(table)
			.set(table.owner, record.owner)
			.set(table.modified_by, record.owner)
			.set(table.creation, created)
			.set(table.modified, modified)
		)
		for field in SET_FROM_SESSION.get(doctype, ()):
			update = update.set(table[field], record.fields.get(field))
		update.where(table.name == name).run()
		for child_doctype in set(table_fields.values()):
			child = frappe.qb.DocType(child_doctype)
			(
				frappe.qb.update(child)
				.set(child.owner, record.owner)
				.set(child.modified_by, record.owner)
				.set(child.creation, created)
				.set(child.modified, modified)
				.where((child.parent == name) & (child.parenttype == doctype))
			).run()

	def write_bulk(self, doctype: str, records: list[Record]):
		meta = frappe.get_meta(doctype)
		for record in records:
			record.fields.update(_derived(doctype, record.fields))
		fieldnames = [
			f for f in dict.fromkeys(f for record in records for f in record.fields) if meta.get_field(f)
		]
		defaults = _static_defaults(meta, exclude=fieldnames)
		columns = ["name", "owner", "modified_by", "creation", "modified", "docstatus", "idx"]
		columns += fieldnames + list(defaults)
		children = defaultdict(list)  # child doctype -> rows
		child_columns = {}
		table_fields = {df.fieldname: df.options for df in meta.get_table_fields()}

		def parent_rows():
			for record in records:
				name = self.names[Ref(doctype, record.key)]
				created = record.created or now_datetime()
				modified = record.modified or created
				yield (
					name,
					record.owner,
					record.owner,
					created,
					modified,
					0,
					0,
					*(self.column_value(meta, f, record.fields.get(f)) for f in fieldnames),
					*defaults.values(),
				)
				for fieldname, rows in record.children.items():
					child_doctype = table_fields[fieldname]
					for idx, row in enumerate(rows, start=1):
						children[child_doctype].append((name, fieldname, idx, record, row, created, modified))

		frappe.db.bulk_insert(doctype, columns, parent_rows(), chunk_size=BULK_CHUNK)
		for child_doctype, items in children.items():
			child_meta = frappe.get_meta(child_doctype)
			child_fields = [
				f for f in dict.fromkeys(f for item in items for f in item[4]) if child_meta.get_field(f)
			]
			child_defaults = _static_defaults(child_meta, exclude=child_fields)
			child_columns[child_doctype] = [
				"name",
				"parent",
				"parenttype",
				"parentfield",
				"idx",
				"owner",
				"modified_by",
				"creation",
				"modified",
				"docstatus",
				*child_fields,
				*child_defaults,
			]
			values = (
				(
					_child_name(parent, fieldname, idx),
					parent,
					doctype,
					fieldname,
					idx,
					record.owner,
					record.owner,
					created,
					modified,
					0,
					*(self.column_value(child_meta, f, row.get(f)) for f in child_fields),
					*child_defaults.values(),
				)
				for parent, fieldname, idx, record, row, created, modified in items
			)
			frappe.db.bulk_insert(child_doctype, child_columns[child_doctype], values, chunk_size=BULK_CHUNK)
		self.written[doctype].extend(self.names[Ref(doctype, r.key)] for r in records)

	def flush_deferred(self):
		for doctype, name, fields in self.deferred:
			frappe.db.set_value(
				doctype, name, {k: self.resolve(v) for k, v in fields.items()}, update_modified=False
			)
		self.deferred = []


def _derived(doctype: str, fields: dict) -> dict:
	"""Values the app's controllers compute on save, for rows written by batched insert.

	The controllers' own helpers compute them, so they cannot drift apart; `validate_sample`
	checks the result against a full validation.
	"""
	if doctype == "Resident":
		values = frappe._dict(fields)
		set_match_keys(values)
		return {k: v for k, v in values.items() if k not in fields}
	if doctype == "Support Plan":
		return {"review_overdue": int(is_overdue(frappe._dict(fields)))}
	return {}


def _as_recorded(doc):
	"""Write a document in the state it has reached, as if it had moved through its workflow.

	A Workflow on `status` lets a new document start only in its first state; the demo's records
	are history (a plan completed last spring), so that transition check is left out for them.
	Every other validation runs. Nobody watches a list while the demo loads: the realtime list and
	form updates of each insert (a third of the time of a small load) are left out too.
	"""
	doc.validate_workflow = lambda: None
	doc.notify_update = lambda: None
	return doc


def _child_name(parent: str, fieldname: str, idx: int) -> str:
	return f"{parent}-{fieldname}-{idx}"


def _static_defaults(meta, exclude: list[str]) -> dict:
	"""Defaults of fields not written explicitly, as a document insert would set them (static ones only)."""
	from frappe.model import no_value_fields, table_fields

	defaults = {}
	for df in meta.fields:
		if df.fieldname in exclude or df.fieldtype in table_fields or df.fieldtype in no_value_fields:
			continue
		default = df.default
		if default in (None, "") or str(default).startswith((":", "__")) or default in ("Today", "now"):
			continue
		if df.fieldtype in ("Check", "Int"):
			defaults[df.fieldname] = cint(default)
		elif df.fieldtype in ("Float", "Currency", "Percent"):
			defaults[df.fieldname] = flt(default)
		else:
			defaults[df.fieldname] = default
	return defaults


# ---------------------------------------------------------------------------------------------
# Checking what was written
# ---------------------------------------------------------------------------------------------

# Field types left out of the comparison: the HTML sanitiser may rewrite markup without changing meaning.
UNCOMPARED_TYPES = ("Text Editor", "HTML Editor", "Markdown Editor")


def _comparable(doc) -> dict:
	"""Every stored value of a document and its child rows, normalised for comparison."""
	values = {}
	for item in [doc, *doc.get_all_children()]:
		prefix = f"{item.parentfield}[{item.idx}]." if item.get("parentfield") else ""
		for df in item.meta.fields:
			if df.fieldtype in UNCOMPARED_TYPES or not item.meta.get_field(df.fieldname):
				continue
			if df.fieldtype in frappe.model.table_fields or df.fieldtype in frappe.model.no_value_fields:
				continue
			value = item.get(df.fieldname)
			if df.fieldtype == "Date" and value:
				value = getdate(value)
			elif df.fieldtype in ("Check", "Int"):
				value = cint(value)
			elif df.fieldtype in ("Float", "Currency", "Percent"):
				value = flt(value)
			values[prefix + df.fieldname] = value if value not in ("", None) else None
	return values


def validate_sample(writer: "_Writer", size: int = SAMPLE_SIZE) -> tuple[int, list[str]]:
	"""Load an evenly spread sample of each written DocType and run its validations again.

	A sampled document must pass every validation, and no value may change: what a controller
	would compute on save (a next review date, a count, a fetched name) must be what was written.
	Nothing is saved: every check runs inside a savepoint that is rolled back.
	"""
	problems = []
	checked = 0
	for doctype, names in writer.written.items():
		step = max(1, len(names) // size)
		for name in names[::step][:size]:
			checked += 1
			frappe.db.savepoint("chiiki_care_demo_check")
			try:
				doc = _as_recorded(frappe.get_doc(doctype, name))
				doc._action = "save"
				doc.load_doc_before_save()
				before = _comparable(doc)
				doc._validate_links()
				doc._validate()
				doc.run_method("validate")
				after = _comparable(doc)
				for fieldname in sorted(set(before) | set(after)):
					if before.get(fieldname) != after.get(fieldname):
						problems.append(
							_("{0} {1}: {2} is {3} but validation makes it {4}.").format(
								_(doctype), name, fieldname, before.get(fieldname), after.get(fieldname)
							)
						)
			except Exception as error:
				problems.append(
					_("{0} {1} fails validation: {2}").format(_(doctype), name, error_text(error))
				)
			finally:
				frappe.db.rollback(save_point="chiiki_care_demo_check")
				frappe.clear_messages()
	return checked, problems


def table_counts() -> dict:
	"""Rows per table of the app (parents and their child tables), for the report."""
	counts = {}
	for doctype in reversed(DEMO_DOCTYPES):
		counts[doctype] = frappe.db.count(doctype)
		for df in frappe.get_meta(doctype).get_table_fields():
			counts.setdefault(df.options, frappe.db.count(df.options))
	return counts


# ---------------------------------------------------------------------------------------------
# Removing the demo
# ---------------------------------------------------------------------------------------------


def remove_demo(echo=print_line) -> dict:
	"""Delete every record owned by a demo user, then the demo users. The caller commits.

	Demo districts (and centres) stay when records that are not demo data still point at them.
	"""
	like = f"%@{plan.DEMO_DOMAIN}"
	removed = {}
	for doctype in DEMO_DOCTYPES:
		if doctype in ("District", "Support Center"):
			continue
		removed[doctype] = _delete_owned(doctype, like)
	removed["Support Center Staff Member"] = frappe.db.delete(
		"Support Center Staff Member", {"user": ("like", like)}
	)
	kept = _remove_demo_places(like, removed, echo)
	users = frappe.get_all("User", filters=demo_user_filter(), pluck="name")
	in_import = frappe.flags.in_import
	frappe.flags.in_import = True  # no "deleted" feed comment for each demo user, contact and setting
	try:
		for user in users:
			_delete_user(user)
		for contact in frappe.get_all("Contact Email", filters={"email_id": ("like", like)}, pluck="parent"):
			_delete_contact(contact)
	finally:
		frappe.flags.in_import = in_import
	for doctype, fieldname in USER_ROWS:
		if frappe.db.table_exists(doctype) and (
			fieldname == "parent" or frappe.get_meta(doctype).has_field(fieldname)
		):
			frappe.db.delete(doctype, {fieldname: ("like", like)})
	removed["User"] = len(users)
	_reset_series()
	tallies.rebuild()  # the rows went by batched deletes
	frappe.db.set_global(MANIFEST_KEY, None)
	frappe.clear_cache()
	if kept:
		echo(_("Kept {0} demo districts because records that are not demo data point at them.").format(kept))
	echo(
		_("Removed: {0}").format(", ".join(f"{_(dt)} {count}" for dt, count in removed.items() if count))
		if any(removed.values())
		else _("No demo data found.")
	)
	return removed


def _delete_user(user: str):
	"""Delete a demo user and what Frappe keeps for it.

	`User.on_trash` is skipped: it refuses to delete any user while no System Manager other than
	Administrator exists (a fresh development site); its clean-up is done here instead.
	"""
	for contact in frappe.get_all("Contact", filters={"user": user}, pluck="name"):
		_delete_contact(contact)
	frappe.db.delete("ToDo", {"allocated_to": user})
	frappe.db.delete("DocShare", {"user": user})
	frappe.db.delete("Comment", {"reference_doctype": "User", "reference_name": user})
	if frappe.db.exists("Notification Settings", user):
		frappe.delete_doc(
			"Notification Settings", user, ignore_permissions=True, force=True, delete_permanently=True
		)
	frappe.delete_doc(
		"User", user, ignore_permissions=True, force=True, ignore_on_trash=True, delete_permanently=True
	)
	frappe.clear_cache(user=user)


def _delete_contact(name: str):
	frappe.delete_doc(
		"Contact", name, ignore_permissions=True, force=True, delete_permanently=True, ignore_missing=True
	)


def _delete_owned(doctype: str, like: str) -> int:
	"""Delete the rows of `doctype` owned by demo users, their child rows and the rows about them."""
	count = frappe.db.count(doctype, {"owner": ("like", like)})
	if not count:
		return 0
	parent = frappe.qb.DocType(doctype)
	owned = frappe.qb.from_(parent).select(parent.name).where(parent.owner.like(like))
	for related, type_field, name_field in RELATED_ROWS:
		if frappe.db.table_exists(related):
			table = frappe.qb.DocType(related)
			frappe.qb.from_(table).delete().where(
				(table[type_field] == doctype) & table[name_field].isin(owned)
			).run()
	for child in {df.options for df in frappe.get_meta(doctype).get_table_fields()}:
		table = frappe.qb.DocType(child)
		frappe.qb.from_(table).delete().where((table.parenttype == doctype) & table.parent.isin(owned)).run()
	frappe.qb.from_(parent).delete().where(parent.owner.like(like)).run()
	return count


def _remove_demo_places(like: str, removed: dict, echo) -> int:
	"""Demo districts and support centres, unless something that stays points at them."""
	districts = frappe.get_all("District", filters={"owner": ("like", like)}, pluck="name")
	if districts and _references("District", districts, exclude_doctype="District", exclude_names=districts):
		return len(districts)
	if districts:
		removed["District"] = _delete_owned("District", like)
		if frappe.db.count("District"):
			from frappe.utils.nestedset import rebuild_tree

			rebuild_tree("District")
	centers = frappe.get_all("Support Center", filters={"owner": ("like", like)}, pluck="name")
	used = (
		set(frappe.get_all("District", filters={"support_center": ("in", centers)}, pluck="support_center"))
		if centers
		else set()
	)
	for center in centers:
		if center not in used:
			_delete_one("Support Center", center)
			removed["Support Center"] = removed.get("Support Center", 0) + 1
	# Centres the demo added to a site's own districts.
	for center in centers:
		if center not in used:
			for district in frappe.get_all("District", filters={"support_center": center}, pluck="name"):
				frappe.db.set_value("District", district, "support_center", None, update_modified=False)
	return 0


def _delete_one(doctype: str, name: str):
	for related, type_field, name_field in RELATED_ROWS:
		if frappe.db.table_exists(related):
			frappe.db.delete(related, {type_field: doctype, name_field: name})
	for child in {df.options for df in frappe.get_meta(doctype).get_table_fields()}:
		frappe.db.delete(child, {"parenttype": doctype, "parent": name})
	frappe.db.delete(doctype, {"name": name})


def _references(doctype: str, names: list[str], exclude_doctype: str, exclude_names: list[str]) -> int:
	"""How many rows of other records still link to any of `names` of `doctype`."""
	links = frappe.get_all(
		"DocField",
		filters={"fieldtype": ("in", ("Link", "Table MultiSelect")), "options": doctype},
		fields=["parent", "fieldname"],
	)
	links += frappe.get_all(
		"Custom Field",
		filters={"fieldtype": "Link", "options": doctype},
		fields=["dt as parent", "fieldname"],
	)
	total = 0
	for link in links:
		if link.parent == exclude_doctype or frappe.get_meta(link.parent).issingle:
			continue
		if not frappe.db.table_exists(link.parent):
			continue
		total += frappe.db.count(link.parent, {link.fieldname: ("in", names)})
	total += frappe.db.count(
		exclude_doctype, {"parent_district": ("in", names), "name": ("not in", exclude_names)}
	)
	return total


def _reset_series():
	"""Move each app naming series back to the highest number still in use (so a reload starts afresh)."""
	for doctype in DEMO_DOCTYPES:
		autoname = frappe.get_meta(doctype).autoname or ""
		if not autoname or autoname.startswith("field:"):
			continue
		series = NamingSeries(autoname)
		prefix = series.get_prefix()
		if frappe.db.get_value("Series", prefix, "current", order_by="name") is None:
			continue
		table = frappe.qb.DocType(doctype)
		last = (
			frappe.qb.from_(table)
			.select(table.name)
			.where(table.name.like(f"{prefix}%"))
			.orderby(table.name, order=frappe.qb.desc)
			.limit(1)
			.run()
		)
		number = cint(last[0][0][len(prefix) :]) if last else 0
		series.update_counter(number)
