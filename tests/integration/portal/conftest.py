"""Portal tests talk HTTP to a real web server of the test site (started here) and drive headless
Chromium. The server is another process, so their data is committed (`world.build`) and removed
afterwards (`world.destroy`). They run first in the session (see tests/integration/conftest.py),
while the session's shared transaction holds no locks, and they do not use its savepoints."""

import os
import signal
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pytest
import requests

PORTAL_TEST_TIMEOUT = 90


@pytest.fixture(autouse=True)
def isolated():
	"""Replaces the savepoint fixture of tests/integration/conftest.py: these tests commit."""
	import frappe

	frappe.set_user("Administrator")
	yield
	frappe.set_user("Administrator")


@pytest.fixture(scope="package")
def portal_world():
	from tests.integration.portal import world as world_module

	world = world_module.build()
	try:
		yield world
	finally:
		world_module.destroy(world)


def _free_port() -> int:
	with socket.socket() as s:
		s.bind(("127.0.0.1", 0))
		return s.getsockname()[1]


@pytest.fixture(scope="package")
def server(request, portal_world):
	"""`frappe serve` for the test site on a free port, from this checkout (PYTHONPATH), its static
	files (/assets/chiiki_care/) included (serve.py)."""
	site = request.config.getoption("--site")
	sites_path = os.path.abspath(request.config.getoption("--sites-path"))
	app_dir = request.config.getoption("--app-dir") or str(Path(__file__).resolve().parents[3])
	port = _free_port()
	log = tempfile.NamedTemporaryFile(prefix="chiiki_care_portal_server_", suffix=".log", delete=False)
	command = [sys.executable, "-m", "tests.integration.portal.serve", site, str(port), app_dir]
	process = subprocess.Popen(
		command,
		cwd=sites_path,
		stdout=log,
		stderr=subprocess.STDOUT,
		start_new_session=True,
		env=os.environ.copy(),
	)
	base = f"http://127.0.0.1:{port}"
	deadline = time.monotonic() + PORTAL_TEST_TIMEOUT
	while True:
		try:
			if requests.get(f"{base}/api/method/ping", timeout=5).status_code == 200:
				break
		except requests.RequestException:
			pass
		if process.poll() is not None or time.monotonic() > deadline:
			process.kill()
			pytest.fail("the test web server did not start:\n" + Path(log.name).read_text()[-3000:])
		time.sleep(0.5)
	try:
		yield base
	finally:
		os.killpg(process.pid, signal.SIGTERM)
		try:
			process.wait(timeout=15)
		except subprocess.TimeoutExpired:
			os.killpg(process.pid, signal.SIGKILL)
			process.wait()
		log.close()
		text = Path(log.name).read_text(errors="replace")
		if "Traceback" in text:  # a page failed: show why (serve.py logs page errors)
			start = text.find("page error on")
			print(
				"\n--- test web server log (page errors) ---\n" + text[start : start + 20000],
				file=sys.__stderr__,
			)
		os.unlink(log.name)


def login(base: str, user: str, password: str) -> requests.Session:
	session = requests.Session()
	response = session.post(f"{base}/api/method/login", data={"usr": user, "pwd": password}, timeout=30)
	assert response.status_code == 200, response.text
	return session
