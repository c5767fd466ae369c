"""Load benchmark of the Layer 3 coordinator portal, served as in production (issue 9, item 5).

Not a test: a script that prints figures. Run it from the bench (loopback only):

	bench --site SITE chiiki-care-portal-load [--users 50] [--duration 600] [--port 8799] [--workers 3]

What it does, in order:

1. Setup (in this process, as Administrator, committed). Each virtual user is a distinct Layer 3
   coordinator user: the demo's `l3.*@demo.chiiki-care.example` first (password `Demo#2026chiiki`;
   the small demo has 39), then, when `--users` asks for more, benchmark users
   `loadbench.NNN@loadbench.chiiki-care.example` made for the run, each with a Coordinator, a
   resident, a need and an active individual plan in one of the demo's school districts. For each
   user it picks one of its residents, a need of that resident and an open plan with it, and checks
   as that user that the pages will show them and that the plan may be written.
2. Server: `../env/bin/gunicorn -b 127.0.0.1:PORT -w WORKERS frappe.app:application --preload`
   in the bench's `sites` folder (this process's environment, PYTHONPATH included), its output in
   a log file that is kept. The port must be free.
3. Load: one thread per virtual user, each with its own `requests` session (cookies; no proxy
   from the environment), started over the ramp-up. Each logs in (`POST /api/method/login`), then
   repeats until the time is up: home `/coordinator`, the resident, the need, the plan, a monitoring
   entry on the plan (`POST /api/method/chiiki_care.portal.api.plans.add_monitoring` with the CSRF token the
   plan page gives, `X-Frappe-CSRF-Token`, as `public/js/portal.js` sends it), and a resource
   search `/coordinator/resources?district=…`. No think time unless `--think-time` (a closed loop:
   the users wait only for the server). Static assets are not fetched (nginx serves them in
   production). Bounded: `--duration` seconds (requests in flight are waited for, each at most
   `--request-timeout`), at most `--max-requests` requests, at most 200 users, one hour.
4. Check: every monitoring entry the server acknowledged (200 with the plan's name) must be in
   the database, on its plan (each entry's observation is a unique marker
   `loadbench-RUN-vuNNN-SERIAL`); entries stored without an acknowledgement are counted too. Error
   replies are shown with their exception; the Error Logs written for the virtual users (read from
   Frappe's deferred insert queue without taking them, and from the table) and the tracebacks and
   worker timeouts in the gunicorn log are summarised.
5. Cleanup (unless `--keep-data`): the run's monitoring entries are deleted and the plans' review
   dates and `modified` restored; the run's Versions of those plans, the identity access logs,
   activity logs and sessions of the virtual users since the start, and the benchmark users with
   their cases are removed. What cleanup needs is also kept in a state file in the temporary
   directory, so a run cut short (killed, database restarted) or kept is undone by the next run's
   setup.

Pages are fetched without a browser's JavaScript, so the figures are the server's: a phone adds
the network, assets (cached) and rendering. The client threads run on the same machine as the
server and take a little of its CPU.
"""

import html
import json
import math
import os
import re
import secrets
import signal
import socket
import statistics
import subprocess
import tempfile
import threading
import time
from collections import Counter, defaultdict
from dataclasses import dataclass, field

import click
import frappe
from frappe.commands import get_site, pass_context
from frappe.utils import add_days, add_to_date, now_datetime, today

from chiiki_care.access.scope import LAYER_3
from chiiki_care.chiiki_care.doctype.support_plan.support_plan import is_overdue
from chiiki_care.reporting import tallies

HOST = "127.0.0.1"  # loopback only, on purpose: not an option
DEMO_PASSWORD = "Demo#2026chiiki"
DEMO_L3_PATTERN = "l3.%@demo.chiiki-care.example"
BENCH_DOMAIN = "loadbench.chiiki-care.example"
MAX_USERS = 200
MAX_DURATION = 3600
STEPS = ("login", "home", "resident", "need", "plan", "monitoring", "resources")
CSRF_RE = re.compile(r'frappe\.csrf_token\s*=\s*"([^"]+)"')


@dataclass
class VirtualUser:
	index: int
	user: str
	password: str
	coordinator: str
	resident: str
	need: str
	plan: str
	district: str
	created: bool = False  # made for the run (removed afterwards)


@dataclass
class Sample:
	step: str
	status: str  # HTTP status, or "timeout" / "connection" / "bad-reply"
	ok: bool
	ms: float
	size: int


@dataclass
class UserResult:
	samples: list = field(default_factory=list)
	attempted: dict = field(default_factory=dict)  # marker -> plan
	acknowledged: dict = field(default_factory=dict)  # marker -> plan
	errors: list = field(default_factory=list)  # (step, status, url, excerpt)
	iterations: int = 0
	sids: set = field(default_factory=set)
	csrf_tokens: set = field(default_factory=set)  # True: the page gave "None"


# Setup and cleanup (in this process, with the site's database)
# -------------------------------------------------------------


def _case_for(coordinator: str, on: str) -> tuple[str, str, str, str] | None:
	"""(resident, need, plan, district) of an open individual plan of `coordinator` with a need."""
	rows = frappe.db.sql(
		"""select sp.name, sp.resident, sp.district, spn.need
		from `tabSupport Plan` sp
		join `tabSupport Plan Need` spn on spn.parent = sp.name and spn.parenttype = 'Support Plan'
		join `tabNeed` n on n.name = spn.need and n.resident = sp.resident
		join `tabResident` r on r.name = sp.resident and r.status = 'Active'
		where sp.coordinator = %(coordinator)s and sp.scope = 'Individual'
			and sp.status in ('Active', 'Draft') and sp.start_date <= %(on)s
		order by sp.status = 'Active' desc, sp.name limit 1""",
		{"coordinator": coordinator, "on": on},
	)
	if not rows:
		return None
	plan, resident, district, need = rows[0]
	return resident, need, plan, district


def _check_access(vu: VirtualUser) -> str | None:
	"""Why this user could not run the scenario, or None."""
	frappe.set_user(vu.user)
	try:
		if LAYER_3 not in frappe.get_roles():
			return "no Layer 3 role"
		for doctype, name, ptype in (
			("Resident", vu.resident, "read"),
			("Need", vu.need, "read"),
			("Support Plan", vu.plan, "write"),
		):
			if not frappe.get_doc(doctype, name).has_permission(ptype):
				return f"may not {ptype} {doctype} {name}"
		return None
	finally:
		frappe.set_user("Administrator")


def _bench_users() -> list[str]:
	return frappe.get_all("User", filters={"name": ("like", f"%@{BENCH_DOMAIN}")}, pluck="name")


def remove_bench_users(users: list[str] | None = None) -> int:
	"""Remove benchmark users (all of them by default) with their coordinators and cases."""
	users = _bench_users() if users is None else users
	for contact in frappe.get_all(
		"Contact", filters={"email_id": ("like", f"%@{BENCH_DOMAIN}")}, pluck="name"
	):
		frappe.delete_doc(
			"Contact",
			contact,
			force=True,
			ignore_permissions=True,
			delete_permanently=True,
			ignore_missing=True,
		)
	if not users:
		return 0
	coordinators = frappe.get_all("Coordinator", filters={"user": ("in", users)}, pluck="name")
	residents = frappe.get_all(
		"Resident", filters={"primary_coordinator": ("in", coordinators or [""])}, pluck="name"
	)

	def remove(doctype, names):
		for name in names:
			frappe.delete_doc(doctype, name, force=True, ignore_permissions=True, delete_permanently=True)
			frappe.db.delete("Version", {"ref_doctype": doctype, "docname": name})
			frappe.db.delete("Comment", {"reference_doctype": doctype, "reference_name": name})

	plans = frappe.get_all("Support Plan", filters={"resident": ("in", residents or [""])}, pluck="name")
	needs = frappe.get_all("Need", filters={"resident": ("in", residents or [""])}, pluck="name")
	for need in needs:
		tallies.set_values("Need", need, {"support_plan": None})
	remove("Support Plan", plans)
	remove("Need", needs)
	for doctype in ("Identity Access Log", "Disclosure Log"):
		frappe.db.delete(doctype, {"resident": ("in", residents or [""])})
	remove("Resident", residents)
	remove("Coordinator", coordinators)
	frappe.db.delete("Identity Access Log", {"user": ("in", users)})
	for doctype in ("Activity Log", "Access Log", "Route History"):
		frappe.db.delete(doctype, {"user": ("in", users)})
	for sid in frappe.db.sql_list("select sid from `tabSessions` where user in %(users)s", {"users": users}):
		frappe.cache.hdel("session", sid)
	frappe.db.delete("Sessions", {"user": ("in", users)})
	for user in users:
		frappe.delete_doc("User", user, force=True, ignore_permissions=True, delete_permanently=True)
		frappe.clear_cache(user=user)
	return len(users)


def _make_bench_user(index: int, password: str, district: str, on: str) -> VirtualUser:
	from chiiki_care.demo.writer import _quiet_user_creation

	email = f"loadbench.{index:03d}@{BENCH_DOMAIN}"
	with _quiet_user_creation():
		user = frappe.get_doc(
			{
				"doctype": "User",
				"email": email,
				"first_name": f"負荷試験{index:03d}",
				"language": "ja",
				"send_welcome_email": 0,
				"new_password": password,
			}
		)
		user.flags.no_welcome_mail = True
		user.insert(ignore_permissions=True)
	coordinator = (
		frappe.get_doc(
			{
				"doctype": "Coordinator",
				"coordinator_name": f"負荷試験　{index:03d}",
				"layer": "Layer 3",
				"user": email,
				"organisation": "負荷試験",
				"is_active": 1,
				"districts": [{"district": district}],
			}
		)
		.insert()
		.name
	)
	resident = (
		frappe.get_doc(
			{
				"doctype": "Resident",
				"full_name": f"負荷試験 太郎{index:03d}",
				"full_name_kana": "フカシケン タロウ",
				"birth_date": add_days("1940-04-01", index),
				"district": district,
				"primary_coordinator": coordinator,
				"household": "Living Alone",
				"care_level": "Support Level 1",
				"address": f"負荷試験町{index}-1",
			}
		)
		.insert()
		.name
	)
	need = (
		frappe.get_doc(
			{
				"doctype": "Need",
				"resident": resident,
				"recorded_by": coordinator,
				"recorded_on": add_days(on, -30),
				"categories": [{"need_category": "買い物"}],
				"unmet_troubles": "買い物袋を持って帰れない（負荷試験）",
				"urgency": "Normal",
			}
		)
		.insert()
		.name
	)
	plan = (
		frappe.get_doc(
			{
				"doctype": "Support Plan",
				"scope": "Individual",
				"title": f"負荷試験の支援プラン {index:03d}",
				"resident": resident,
				"coordinator": coordinator,
				"start_date": add_days(on, -30),
				"review_interval_weeks": 4,
				"personal_goal": "自宅で暮らし続けたい",
				"needs": [{"need": need}],
				"actions": [
					{"description": "買い物支援の紹介", "support_kind": "Self-pay or Informal Service"}
				],
			}
		)
		.insert()
		.name
	)
	# as the demo's cases: an active plan, linked from its need (no workflow step to test here)
	tallies.set_values("Support Plan", plan, {"status": "Active"})
	tallies.set_values("Need", need, {"support_plan": plan})
	return VirtualUser(index, email, password, coordinator, resident, need, plan, district, created=True)


def prepare(n: int, demo_users: int | None = None, echo=click.echo) -> list[VirtualUser]:
	"""The virtual users: demo Layer 3 users first, then benchmark users made for the run."""
	on = today()
	vusers, skipped, demo_limit = [], [], demo_users
	demo_users = frappe.get_all(
		"User",
		filters={"name": ("like", DEMO_L3_PATTERN), "enabled": 1},
		order_by="name asc",
		pluck="name",
	)
	for user in demo_users:
		if len(vusers) >= min(n, n if demo_limit is None else demo_limit):
			break
		coordinator = frappe.db.get_value(
			"Coordinator", {"user": user, "layer": "Layer 3", "is_active": 1}, "name"
		)
		case = _case_for(coordinator, on) if coordinator else None
		if not case:
			skipped.append(f"{user}: no active coordinator with an open plan")
			continue
		vu = VirtualUser(len(vusers), user, DEMO_PASSWORD, coordinator, *case)
		problem = _check_access(vu)
		if problem:
			skipped.append(f"{user}: {problem}")
			continue
		vusers.append(vu)
	for line in skipped:
		echo(f"  not used: {line}")
	extra = n - len(vusers)
	if extra > 0:
		districts = frappe.get_all(
			"District", filters={"district_type": "School District"}, order_by="lft asc", pluck="name"
		)
		if not districts:
			raise click.ClickException("the site has no school district (load the demo first)")
		password = "Lb#" + secrets.token_urlsafe(12)
		for i in range(extra):
			vu = _make_bench_user(len(vusers), password, districts[i % len(districts)], on)
			problem = _check_access(vu)
			if problem:
				raise click.ClickException(f"benchmark user {vu.user}: {problem}")
			vusers.append(vu)
	frappe.db.commit()  # nosemgrep: the web server under test reads only committed rows
	echo(
		f"virtual users: {len(vusers)} distinct Layer 3 users "
		f"({len(vusers) - max(extra, 0)} of the demo, {max(extra, 0)} made for the run)"
	)
	return vusers


def state_path(site: str, run_id: str) -> str:
	return os.path.join(tempfile.gettempdir(), f"chiiki_care_portal_load_{site}_{run_id}.json")


def save_state(site: str, run_id: str, vusers: list[VirtualUser], started) -> dict:
	"""What cleanup needs, also on disk: a run cut short (killed, database restarted) is undone
	at the next run's setup."""
	plans = [vu.plan for vu in vusers if not vu.created]
	fields = ["name", "next_review_date", "review_overdue", "modified", "modified_by"]
	state = {
		"run_id": run_id,
		"started": str(started),
		"users": [vu.user for vu in vusers],
		"created_users": [vu.user for vu in vusers if vu.created],
		"plans": {
			row.name: {k: (str(v) if v is not None else None) for k, v in row.items() if k != "name"}
			for row in frappe.get_all("Support Plan", {"name": ("in", plans or [""])}, fields)
		},
		"sids": [],
	}
	with open(state_path(site, run_id), "w", encoding="utf-8") as f:
		json.dump(state, f)
	return state


def stored_entries(run_id: str) -> dict:
	"""marker -> plan of the run's monitoring entries in the database."""
	rows = frappe.db.sql(
		"""select observation, parent from `tabSupport Plan Monitoring`
		where parenttype = 'Support Plan' and observation like %s""",
		(f"loadbench-{run_id}-%",),
	)
	return {observation: parent for observation, parent in rows}


def _ensure_connection():
	"""The database may have gone away during a long run (restarted): connect again."""
	try:
		frappe.db.sql("select 1")
		frappe.db.rollback()
	except Exception:
		frappe.db.connect()


def cleanup(site: str, state: dict) -> None:
	"""Undo what a run wrote to the demo's cases, and remove its benchmark users."""
	_ensure_connection()
	run_id, started, users = state["run_id"], state["started"], state["users"]
	touched = frappe.db.sql_list(
		"""select distinct parent from `tabSupport Plan Monitoring`
		where parenttype = 'Support Plan' and observation like %s""",
		(f"loadbench-{run_id}-%",),
	)
	frappe.db.sql(
		"""delete from `tabSupport Plan Monitoring`
		where parenttype = 'Support Plan' and observation like %s""",
		(f"loadbench-{run_id}-%",),
	)
	for plan, row in state["plans"].items():
		tallies.set_values("Support Plan", plan, row)
	for plan in set(touched) - set(state["plans"]):
		if frappe.db.exists("Support Plan", plan):  # no snapshot: the review date follows again
			doc = frappe.get_doc("Support Plan", plan)
			doc.set_next_review_date()
			values = {
				"next_review_date": doc.next_review_date,
				"review_overdue": int(is_overdue(doc)),
			}
			tallies.set_values("Support Plan", plan, values)
	for plan in set(touched) | set(state["plans"]):
		frappe.clear_document_cache("Support Plan", plan)
	frappe.db.delete(
		"Version",
		{
			"ref_doctype": "Support Plan",
			"docname": ("in", list(set(touched) | set(state["plans"])) or [""]),
			"creation": (">=", started),
		},
	)
	sids = set(state.get("sids") or ()) | set(
		frappe.db.sql_list(
			"select sid from `tabSessions` where user in %(users)s and lastupdate >= %(started)s",
			{"users": users or [""], "started": started},
		)
	)
	for sid in sids:
		frappe.cache.hdel("session", sid)
		frappe.cache.hdel("last_db_session_update", sid)
	frappe.db.delete("Sessions", {"sid": ("in", list(sids) or [""])})
	for doctype in ("Identity Access Log", "Activity Log", "Access Log", "Route History"):
		frappe.db.delete(doctype, {"user": ("in", users or [""]), "creation": (">=", started)})
	remove_bench_users(state["created_users"])
	frappe.db.commit()  # nosemgrep: the run's rows were committed by the server; so is their removal
	try:
		os.unlink(state_path(site, run_id))
	except FileNotFoundError:
		pass


def cleanup_earlier_runs(site: str, echo=click.echo) -> None:
	"""Undo runs that were cut short (their state files), then any benchmark user still left."""
	prefix = f"chiiki_care_portal_load_{site}_"
	for name in sorted(os.listdir(tempfile.gettempdir())):
		if name.startswith(prefix) and name.endswith(".json"):
			with open(os.path.join(tempfile.gettempdir(), name), encoding="utf-8") as f:
				state = json.load(f)
			cleanup(site, state)
			echo(f"undid run {state['run_id']} (cut short, or kept with --keep-data)")
	# entries of a run whose state file is gone: its users wrote them, from a little before the first
	for run_id, users, first in frappe.db.sql(
		"""select substring_index(substring_index(observation, '-', 2), '-', -1),
			group_concat(distinct owner), min(modified)
		from `tabSupport Plan Monitoring`
		where parenttype = 'Support Plan' and observation like 'loadbench-%%'
		group by 1"""
	):
		started = str(add_to_date(first, minutes=-10))
		cleanup(
			site,
			{
				"run_id": run_id,
				"started": started,
				"users": users.split(","),
				"created_users": [],
				"plans": {},
			},
		)
		echo(f"undid run {run_id} (found by its monitoring entries)")
	left = remove_bench_users()
	frappe.db.commit()  # nosemgrep: removal of leftovers
	if left:
		echo(f"removed {left} benchmark users left by an earlier run")


# The server
# ----------


def port_is_free(port: int) -> bool:
	with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
		s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)  # as gunicorn binds
		try:
			s.bind((HOST, port))
		except OSError:
			return False
	return True


def start_server(sites_path: str, site: str, port: int, workers: int, log_path: str, timeout: int = 180):
	import requests

	gunicorn = os.path.join(os.path.dirname(sites_path), "env", "bin", "gunicorn")
	command = [gunicorn, "-b", f"{HOST}:{port}", "-w", str(workers), "frappe.app:application", "--preload"]
	log = open(log_path, "ab")
	process = subprocess.Popen(
		command, cwd=sites_path, stdout=log, stderr=subprocess.STDOUT, start_new_session=True
	)
	log.close()
	deadline = time.monotonic() + timeout
	with requests.Session() as s:
		s.trust_env = False
		while True:
			try:
				r = s.get(
					f"http://{HOST}:{port}/api/method/ping", headers={"X-Frappe-Site-Name": site}, timeout=5
				)
				if r.status_code == 200:
					return process, " ".join(["../env/bin/gunicorn", *command[1:]])
			except requests.RequestException:
				pass
			if process.poll() is not None or time.monotonic() > deadline:
				stop_server(process)
				raise click.ClickException(f"gunicorn did not start; see {log_path}")
			time.sleep(0.5)


def stop_server(process):
	if process.poll() is not None:
		return
	os.killpg(process.pid, signal.SIGTERM)
	try:
		process.wait(timeout=30)
	except subprocess.TimeoutExpired:
		os.killpg(process.pid, signal.SIGKILL)
		process.wait()


# The load
# --------


class Budget:
	"""A shared request count and deadline."""

	def __init__(self, max_requests: int, deadline: float):
		self.left = max_requests
		self.deadline = deadline
		self.lock = threading.Lock()

	def take(self) -> bool:
		if time.monotonic() >= self.deadline:
			return False
		with self.lock:
			if self.left <= 0:
				return False
			self.left -= 1
			return True


def _trace_gist(trace: str) -> str:
	"""The exception line of a traceback and the app's deepest frame in it."""
	lines = [line.strip() for line in trace.strip().splitlines() if line.strip()]
	frames = [line for line in lines if line.startswith("File ") and "chiiki_care" in line]
	return " | ".join([*frames[-1:], *lines[-1:]])


def _error_details(response) -> tuple[str, str]:
	"""(gist, traceback) of an error reply: JSON (exc_type, messages, exc) or Frappe's error page
	(title, message and, when System Settings allow it, the traceback in <pre><code>)."""
	text = response.text or ""
	try:
		data = json.loads(text)
	except ValueError:
		data = None
	if not isinstance(data, dict):
		title = re.search(r'<span class="indicator red">(.*?)</span>\s*</div>\s*<p>(.*?)</p>', text, re.S)
		code = re.search(r"<pre><code>(.*?)</code></pre>", text, re.S)
		trace = html.unescape(code.group(1)) if code else ""
		if title:
			gist = " ".join(html.unescape(part).strip() for part in title.groups())
		else:
			page = re.search(r"<title>(.*?)</title>", text, re.S)
			gist = (page.group(1) if page else text[:200]).strip()
		return " ".join([gist.replace("\n", " "), _trace_gist(trace)]).strip(), trace
	parts = [str(data.get("exc_type") or "")]
	try:
		messages = json.loads(data.get("_server_messages") or "[]")
	except ValueError:
		messages = []
	for message in messages:
		try:
			parts.append(str(json.loads(message).get("message", ""))[:200])
		except (ValueError, AttributeError):
			parts.append(str(message)[:200])
	if data.get("exception"):
		parts.append(str(data["exception"])[:200])
	trace = ""
	if data.get("exc"):
		try:
			trace = "\n".join(str(t) for t in json.loads(data["exc"]))
		except (ValueError, TypeError):
			trace = str(data["exc"])
		parts.append(_trace_gist(trace))
	return " ".join(p for p in parts if p), trace


def run_user(vu, base, site, run_id, on, budget, start_at, think, timeout, result: UserResult):
	import requests

	session = requests.Session()
	session.trust_env = False  # never a proxy: loopback only
	session.headers.update({"X-Frappe-Site-Name": site, "Accept-Language": "ja"})
	wait = start_at - time.monotonic()
	if wait > 0:
		time.sleep(wait)

	def call(step, method, path, check=None, sent=None, **kwargs) -> tuple[bool, object]:
		if not budget.take():
			raise StopIteration
		if sent:
			sent()
		url = base + path
		started = time.perf_counter()
		try:
			response = session.request(method, url, timeout=timeout, allow_redirects=False, **kwargs)
			size = len(response.content)
		except requests.Timeout:
			ms = (time.perf_counter() - started) * 1000
			result.samples.append(Sample(step, "timeout", False, ms, 0))
			result.errors.append((step, "timeout", path, f"no reply in {timeout} s", ""))
			return False, None
		except requests.RequestException as error:
			ms = (time.perf_counter() - started) * 1000
			result.samples.append(Sample(step, "connection", False, ms, 0))
			result.errors.append((step, "connection", path, f"{type(error).__name__}: {error}", ""))
			return False, None
		ms = (time.perf_counter() - started) * 1000
		status = str(response.status_code)
		try:
			ok = response.status_code == 200 and (check is None or bool(check(response)))
		except (ValueError, AttributeError, TypeError):
			ok = False
		if response.status_code == 200 and not ok:
			status = "200-bad-reply"
		result.samples.append(Sample(step, status, ok, ms, size))
		if not ok:
			gist, trace = _error_details(response)
			result.errors.append((step, status, path, gist, trace))
		if session.cookies.get("sid") and session.cookies.get("sid") != "Guest":
			result.sids.add(session.cookies.get("sid"))
		if think:
			time.sleep(think)
		return ok, response

	def page_ok(response) -> bool:
		return bool(CSRF_RE.search(response.text))

	csrf = None
	logged_in = False
	serial = 0
	try:
		while True:
			if not logged_in:
				ok, _r = call(
					"login",
					"POST",
					"/api/method/login",
					data={"usr": vu.user, "pwd": vu.password},
					check=lambda r: r.json().get("message") in ("Logged In", "No App"),
				)
				if not ok:
					time.sleep(1)  # a failed login is retried, not hammered
					continue
				logged_in = True
			ok, r = call("home", "GET", "/coordinator", check=page_ok)
			if not ok:
				logged_in = r is None or r.status_code not in (302, 401, 403)
				time.sleep(0.5)
				continue
			call("resident", "GET", f"/coordinator/resident?name={vu.resident}", check=page_ok)
			call("need", "GET", f"/coordinator/need?name={vu.need}", check=page_ok)
			ok, r = call("plan", "GET", f"/coordinator/plan?name={vu.plan}", check=page_ok)
			if ok:
				csrf = CSRF_RE.search(r.text).group(1)
				result.csrf_tokens.add(csrf == "None")
			if csrf:
				serial += 1
				marker = f"loadbench-{run_id}-vu{vu.index:03d}-{serial:05d}"
				ok, r = call(
					"monitoring",
					"POST",
					"/api/method/chiiki_care.portal.api.plans.add_monitoring",
					data={
						"plan": vu.plan,
						"monitoring_date": on,
						"observation": marker,
						"outcome": "Continue",
					},
					headers={
						"X-Frappe-CSRF-Token": csrf,
						"X-Requested-With": "XMLHttpRequest",
						"Accept": "application/json",
					},
					check=lambda r: (r.json().get("message") or {}).get("plan") == vu.plan,
					sent=lambda marker=marker: result.attempted.__setitem__(marker, vu.plan),
				)
				if ok:
					result.acknowledged[marker] = vu.plan
			call("resources", "GET", f"/coordinator/resources?district={vu.district}", check=page_ok)
			result.iterations += 1
	except StopIteration:
		pass
	finally:
		session.close()


def percentile(values: list[float], q: float) -> float:
	"""Nearest-rank percentile."""
	if not values:
		return 0.0
	ordered = sorted(values)
	rank = max(1, min(len(ordered), math.ceil(q / 100 * len(ordered))))
	return ordered[rank - 1]


def _server_log_summary(path: str, upto: int | None) -> tuple[Counter, list[str]]:
	"""Counts in the gunicorn log up to `upto` bytes (before it was stopped), and its first tracebacks."""
	try:
		with open(path, encoding="utf-8", errors="replace") as f:
			text = f.read(upto) if upto is not None else f.read()
	except OSError:
		return Counter(), []
	counts = Counter()
	for needle in ("Traceback (most recent call last)", "WORKER TIMEOUT", "[ERROR]", "Booting worker"):
		counts[needle] = text.count(needle)
	tracebacks = []
	for match in re.finditer(r"Traceback \(most recent call last\):\n(?:[ \t].*\n)+.*", text):
		tracebacks.append(match.group(0))
		if len(tracebacks) >= 3:
			break
	return counts, tracebacks


def report(results, vusers, elapsed, run_id, errors_path: str | None = None, echo=click.echo):
	stored = stored_entries(run_id)
	samples = [s for r in results for s in r.samples]
	errors = [s for s in samples if not s.ok]
	echo("")
	echo(
		f"requests: {len(samples)} in {elapsed:.1f} s ({len(samples) / elapsed:.1f}/s), "
		f"errors: {len(errors)}, scenario rounds completed: {sum(r.iterations for r in results)}"
	)
	by_status = Counter(s.status for s in samples)
	echo("replies by status: " + ", ".join(f"{k}: {v}" for k, v in sorted(by_status.items())))
	if errors:
		per = defaultdict(Counter)
		for s in errors:
			per[s.status][s.step] += 1
		echo("errors by status (step: count):")
		for status, steps in sorted(per.items()):
			echo(f"  {status}: " + ", ".join(f"{k} {v}" for k, v in steps.most_common()))
	echo("")
	echo(
		f"{'step':<11}{'requests':>9}{'errors':>8}{'p50 ms':>9}{'p95 ms':>9}{'max ms':>9}"
		f"{'size p50':>10}{'size max':>10}"
	)
	for step in STEPS:
		rows = [s for s in samples if s.step == step]
		if not rows:
			continue
		ms = [s.ms for s in rows]
		sizes = [s.size for s in rows if s.ok]
		echo(
			f"{step:<11}{len(rows):>9}{sum(not s.ok for s in rows):>8}{percentile(ms, 50):>9.0f}"
			f"{percentile(ms, 95):>9.0f}{max(ms):>9.0f}"
			f"{(statistics.median(sizes) if sizes else 0):>10.0f}{(max(sizes) if sizes else 0):>10}"
		)
	ms = [s.ms for s in samples]
	if ms:
		echo(
			f"{'all':<11}{len(ms):>9}{len(errors):>8}{percentile(ms, 50):>9.0f}{percentile(ms, 95):>9.0f}{max(ms):>9.0f}"
		)
	echo(
		"(sizes: bytes of the reply body as sent, uncompressed, successful replies only; "
		"times include reading the body)"
	)
	tokens = set().union(*(r.csrf_tokens for r in results)) if results else set()
	if True in tokens:
		echo(
			'CSRF: the pages gave frappe.csrf_token = "None" (the session holds no token, so Frappe '
			"does not check one on POST); the POSTs sent it as portal.js does"
		)

	attempted = {k: v for r in results for k, v in r.attempted.items()}
	acknowledged = {k: v for r in results for k, v in r.acknowledged.items()}
	lost = sorted(k for k in acknowledged if k not in stored)
	misplaced = sorted(k for k in acknowledged if k in stored and stored[k] != acknowledged[k])
	unacked = sorted(k for k in attempted if k not in acknowledged and k in stored)
	unknown = sorted(k for k in stored if k not in attempted)
	echo("")
	echo(
		f"monitoring writes: attempted {len(attempted)}, acknowledged {len(acknowledged)}, "
		f"stored {len(stored)}; acknowledged but missing: {len(lost)}, on another plan: {len(misplaced)}, "
		f"stored without acknowledgement: {len(unacked)}, stored but never sent: {len(unknown)}"
	)
	echo(
		"every acknowledged write was stored: "
		+ ("yes" if not lost and not misplaced else "NO")
		+ (f" (missing e.g. {', '.join(lost[:5])})" if lost else "")
	)
	errors_seen = [e for r in results for e in r.errors]
	if errors_seen:
		echo("")
		echo("first error replies (step, status, path: gist):")
		seen = Counter()
		for step, status, path, gist, _trace in errors_seen:
			seen[(step, status)] += 1
			if seen[(step, status)] <= 2:
				echo(f"  {step} {status} {path}: {gist[:400]}")
		if errors_path:
			with open(errors_path, "w", encoding="utf-8") as f:
				json.dump(
					[
						{"step": step, "status": status, "path": path, "gist": gist, "traceback": trace}
						for step, status, path, gist, trace in errors_seen
					],
					f,
					ensure_ascii=False,
					indent=1,
				)
			echo(f"  all {len(errors_seen)} error replies, with their tracebacks: {errors_path}")
	return {
		"requests": len(samples),
		"errors": len(errors),
		"lost": len(lost) + len(misplaced),
	}


@dataclass
class Settings:
	site: str
	port: int
	workers: int
	duration: int
	ramp_up: float
	think_time: float
	request_timeout: float
	max_requests: int
	sites_path: str
	log_path: str
	run_id: str


def drive(vusers: list[VirtualUser], results: list[UserResult], cfg: Settings, echo) -> tuple[float, int]:
	"""Start gunicorn, run the virtual users, stop gunicorn; the seconds the load lasted and the
	length of the server's log before it was stopped."""
	process, command = start_server(cfg.sites_path, cfg.site, cfg.port, cfg.workers, cfg.log_path)
	try:
		echo(f"server: {command} (in {cfg.sites_path}), log {cfg.log_path}")
		echo(
			f"ramp-up {cfg.ramp_up:.0f} s, then {cfg.duration} s; think time {cfg.think_time} s, "
			f"request timeout {cfg.request_timeout} s"
		)
		on = today()
		begin = time.monotonic()
		budget = Budget(cfg.max_requests, begin + cfg.ramp_up + cfg.duration)
		threads = []
		for i, vu in enumerate(vusers):
			thread = threading.Thread(
				target=run_user,
				args=(
					vu,
					f"http://{HOST}:{cfg.port}",
					cfg.site,
					cfg.run_id,
					on,
					budget,
					begin + cfg.ramp_up * i / len(vusers),
					cfg.think_time,
					cfg.request_timeout,
					results[i],
				),
				name=f"vu{i:03d}",
				daemon=True,
			)
			thread.start()
			threads.append(thread)
		for thread in threads:
			thread.join(max(0.0, budget.deadline - time.monotonic()) + cfg.request_timeout + 10)
		elapsed = time.monotonic() - begin
		still = [t.name for t in threads if t.is_alive()]
		if still:
			echo(f"warning: {len(still)} virtual users still waiting for a reply at the end")
		return elapsed, os.path.getsize(cfg.log_path)
	finally:
		stop_server(process)


def server_error_logs(started_at, users: list[str]) -> list[dict]:
	"""Error Logs written for the virtual users since the start: those still in Frappe's deferred
	insert queue (the Error Logs of 5xx replies wait there for the scheduler; read, not taken) and
	those in the table (the row's owner is the user when logged at once)."""
	users, since = set(users), str(started_at)
	found = []
	for raw in frappe.cache.lrange("insert_queue_for_Error Log", 0, -1):
		try:
			records = json.loads(raw)
		except ValueError:
			continue
		for record in records if isinstance(records, list) else [records]:
			if (
				isinstance(record, dict)
				and record.get("modified_by") in users
				and str(record.get("modified") or "") >= since
			):
				found.append(record)
	found += frappe.get_all(
		"Error Log",
		filters={"creation": (">=", started_at), "owner": ("in", list(users) or [""])},
		fields=["method", "error"],
		order_by="creation asc",
	)
	return found


def server_errors(started_at, users: list[str], log_path: str, log_upto: int | None, echo=click.echo) -> int:
	"""Error Logs of the virtual users since the start, and the gunicorn log's tracebacks."""
	logged = [frappe._dict(row) for row in server_error_logs(started_at, users)]
	counts, tracebacks = _server_log_summary(log_path, log_upto)
	echo("")
	echo(
		f"server: Error Logs of the virtual users: {len(logged)}; gunicorn log: "
		f"{counts['Traceback (most recent call last)']} tracebacks, {counts['WORKER TIMEOUT']} worker "
		f"timeouts, {counts['[ERROR]']} [ERROR] lines, {counts['Booting worker']} workers booted"
	)
	for title, n in Counter((row.method or "")[:140] for row in logged).most_common(5):
		echo(f"  Error Log x{n}: {title}")
	if logged and (logged[0].error or "").strip():
		echo("  last lines of the first Error Log traceback:")
		for line in logged[0].error.strip().splitlines()[-6:]:
			echo("    " + line)
	for trace in tracebacks[:1]:
		echo("  first traceback in the gunicorn log (last lines):")
		for line in trace.splitlines()[-8:]:
			echo("    " + line)
	return len(logged)


def run(
	site: str,
	users: int = 50,
	duration: int = 600,
	port: int = 8799,
	workers: int = 3,
	ramp_up: float | None = None,
	think_time: float = 0.0,
	request_timeout: float = 120.0,
	max_requests: int = 200_000,
	keep_data: bool = False,
	demo_users: int | None = None,
	echo=click.echo,
) -> dict:
	if not 1 <= users <= MAX_USERS:
		raise click.ClickException(f"--users must be between 1 and {MAX_USERS}")
	if not 1 <= duration <= MAX_DURATION:
		raise click.ClickException(f"--duration must be between 1 and {MAX_DURATION} seconds")
	if not 1 <= workers <= 16:
		raise click.ClickException("--workers must be between 1 and 16")
	if not port_is_free(port):
		raise click.ClickException(f"port {HOST}:{port} is in use; choose another with --port")
	ramp_up = min(10.0, duration / 10) if ramp_up is None else max(0.0, min(ramp_up, duration / 2))
	run_id = secrets.token_hex(4)
	log_path = os.path.join(tempfile.gettempdir(), f"chiiki_care_portal_load_{run_id}.log")

	echo(f"run {run_id}: {users} users for {duration} s on site {site}, http://{HOST}:{port}")
	cleanup_earlier_runs(site, echo)
	started_at = now_datetime()
	state, results, outcome = None, [], {}
	try:
		vusers = prepare(users, demo_users, echo)
		state = save_state(site, run_id, vusers, started_at)
		frappe.db.commit()  # nosemgrep: no transaction stays open while the server writes
		results = [UserResult() for _ in vusers]
		cfg = Settings(
			site,
			port,
			workers,
			duration,
			ramp_up,
			think_time,
			request_timeout,
			max_requests,
			os.path.abspath(frappe.local.sites_path),
			log_path,
			run_id,
		)
		elapsed, log_upto = drive(vusers, results, cfg, echo)
		_ensure_connection()  # and a fresh view of what the server committed
		outcome = report(results, vusers, elapsed, run_id, log_path.replace(".log", ".errors.json"), echo)
		outcome["server_errors"] = server_errors(
			started_at, [vu.user for vu in vusers], log_path, log_upto, echo
		)
	finally:
		if state is None:
			_ensure_connection()
			remove_bench_users()  # a setup cut short
			frappe.db.commit()  # nosemgrep: removal of a failed setup
		elif keep_data:
			state["kept"] = True
			with open(state_path(site, run_id), "w", encoding="utf-8") as f:
				json.dump(state, f)
			echo(f"kept the run's data (monitoring entries 'loadbench-{run_id}-…', benchmark users)")
		else:
			state["sids"] = sorted({sid for r in results for sid in r.sids})
			cleanup(site, state)
			echo("cleanup: the run's monitoring entries, logs, sessions and benchmark users removed")
	return outcome


@click.command("chiiki-care-portal-load")
@click.option("--users", type=int, default=50, show_default=True, help="Concurrent virtual users (N).")
@click.option(
	"--duration", type=int, default=600, show_default=True, help="Seconds of load (T), after the ramp-up."
)
@click.option("--port", type=int, default=8799, show_default=True, help="Port on 127.0.0.1 for gunicorn.")
@click.option("--workers", type=int, default=3, show_default=True, help="gunicorn workers (-w).")
@click.option("--ramp-up", type=float, help="Seconds over which the users start (default: min(10, T/10)).")
@click.option("--think-time", type=float, default=0.0, show_default=True, help="Pause after each request.")
@click.option("--request-timeout", type=float, default=120.0, show_default=True)
@click.option("--max-requests", type=int, default=200_000, show_default=True, help="Stop after this many.")
@click.option(
	"--demo-users",
	type=int,
	help="Use at most this many demo users (default: all); the rest are made for the run.",
)
@click.option(
	"--keep-data", is_flag=True, help="Keep the monitoring entries and benchmark users (until the next run)."
)
@pass_context
def chiiki_care_portal_load(
	context,
	users,
	duration,
	port,
	workers,
	ramp_up,
	think_time,
	request_timeout,
	max_requests,
	demo_users,
	keep_data,
):
	"""Load benchmark of the Layer 3 portal under gunicorn on 127.0.0.1 (see chiiki_care/portal/benchmark.py)."""
	site = get_site(context)
	frappe.init(site=site)
	frappe.connect()
	frappe.set_user("Administrator")
	try:
		outcome = run(
			site,
			users=users,
			duration=duration,
			port=port,
			workers=workers,
			ramp_up=ramp_up,
			think_time=think_time,
			request_timeout=request_timeout,
			max_requests=max_requests,
			keep_data=keep_data,
			demo_users=demo_users,
		)
	finally:
		frappe.destroy()
	if outcome.get("lost"):
		raise SystemExit(2)
