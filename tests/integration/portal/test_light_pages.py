"""A light portal: each page is small HTML (no icon sprite, no script or style it does not use) and
the portal's own style and script come as cached static files from /assets/chiiki_care/, while the
pages themselves are never stored for anyone else."""

import json
import re
from urllib.parse import quote

import pytest
import requests

from tests.integration.portal.conftest import login

MAX_PAGE_BYTES = 60 * 1024
ASSETS = ("/assets/chiiki_care/css/portal.css", "/assets/chiiki_care/js/portal.js")
# What Frappe's website base template writes into every page and the portal does not use.
UNUSED = (
	'<svg id="icon-',  # the icon sprites (public/icons/*/icons.svg, about 320 KB)
	"frappe-web.bundle",  # the website's script (jQuery, Bootstrap, ...)
	"website.bundle",  # the website's style
	"frappe.boot",
)


def call(session, server, method, **data):
	"""POST to a portal endpoint as the portal's script does (CSRF token of the session's pages)."""
	token = re.search(r'frappe.csrf_token = "([^"]+)"', session.get(server + "/coordinator", timeout=60).text)
	headers = {"Accept": "application/json", "X-Frappe-CSRF-Token": token.group(1) if token else ""}
	data = {k: json.dumps(v) if isinstance(v, list | dict) else v for k, v in data.items()}
	return session.post(f"{server}/api/method/{method}", data=data, headers=headers, timeout=60)


def pages(w, lifted_issue: str) -> list[tuple[str, str]]:
	"""(user key or None for a guest, path) of every portal page."""
	return [
		("l3a", "/coordinator"),
		("l3a", f"/coordinator/resident?name={quote(w.residents['a'])}"),
		("l3a", "/coordinator/new-need"),
		("l3a", f"/coordinator/need?name={quote(w.needs['a'])}"),
		("l3a", f"/coordinator/new-plan?resident={quote(w.residents['a'])}"),
		("l3a", f"/coordinator/plan?name={quote(w.plans['a'])}"),
		("l3a", f"/coordinator/resources?plan={quote(w.plans['a'])}"),
		("l3a", f"/coordinator/issue?name={quote(lifted_issue)}"),
		("cm", "/council"),
		("cm", f"/council/meeting?name={quote(w.meeting)}"),
		("cm", f"/council/issue?name={quote(w.issue)}"),
		("cm", f"/council/plan?name={quote(w.plans['community'])}"),
		(None, "/resources"),
	]


@pytest.fixture(scope="module")
def fetched(server, portal_world):
	w = portal_world
	sessions = {key: login(server, w.users[key], w.password) for key in ("l3a", "cm")}
	sessions[None] = requests.Session()
	# a need of her own lifted to an issue, for the coordinator's issue page
	recorded = call(
		sessions["l3a"],
		server,
		"chiiki_care.portal.api.needs.record_need",
		resident=w.residents["a"],
		categories=["居場所・交流"],
		unmet_troubles="話し相手がいない",
	)
	assert recorded.status_code == 200, recorded.text
	lifted = call(
		sessions["l3a"],
		server,
		"chiiki_care.portal.api.needs.lift_need",
		need=recorded.json()["message"]["need"],
		title=f"試験{w.token} 話し相手が足りない",
	)
	assert lifted.status_code == 200, lifted.text
	answers = {}
	for key, path in pages(w, lifted.json()["message"]["issue"]):
		answers[path] = sessions[key].get(server + path, timeout=60)
	return answers


def test_every_portal_page_is_small_and_ships_nothing_unused(fetched):
	sizes = {path: len(r.content) for path, r in fetched.items()}
	print("portal page sizes (bytes):", sizes)
	for path, response in fetched.items():
		assert response.status_code == 200, (path, response.status_code)
		html = response.text
		assert 'class="cc-portal' in html, path
		assert len(response.content) < MAX_PAGE_BYTES, (path, len(response.content))
		for marker in UNUSED:
			assert marker not in html, (path, marker)
		assert "<svg" not in html, path
		for asset in ASSETS:
			assert re.search(re.escape(asset) + r"\?v=[0-9a-f]{8,}", html), (path, asset)


def test_pages_keep_what_the_portal_needs(fetched, portal_world):
	"""The CSRF token for the forms, the translations of the script, logout for a logged-in user."""
	for path, response in fetched.items():
		html = response.text
		assert "frappe._messages" in html, path
		if path.startswith(("/coordinator", "/council")):
			assert 'frappe.csrf_token = "' in html, path
			assert "/?cmd=web_logout" in html, path
			assert response.headers["Cache-Control"] == "no-store, private", path
		else:
			assert 'href="/login' in html, path


def test_the_portal_assets_load_and_may_be_cached(server, fetched):
	html = fetched["/coordinator"].text
	for asset in ASSETS:
		url = re.search(re.escape(asset) + r"\?v=[0-9a-f]+", html).group(0)
		response = requests.get(server + url, timeout=60)
		assert response.status_code == 200, url
		assert len(response.content) > 1000, url
		assert "private" not in (response.headers.get("Cache-Control") or ""), url
		assert "Set-Cookie" not in response.headers, url
	css = requests.get(server + ASSETS[0], timeout=60)
	assert "text/css" in css.headers["Content-Type"]
	assert ".cc-portal" in css.text
	js = requests.get(server + ASSETS[1], timeout=60)
	assert "javascript" in js.headers["Content-Type"]
	assert "cc-draft|" in js.text


def test_the_bench_links_the_apps_static_files(request):
	"""What a bench serves at /assets/chiiki_care/ (the test server takes this checkout's, serve.py):
	`bench get-app` links the installed app's public folder there (`bench build --app chiiki_care`
	makes the link again)."""
	from pathlib import Path

	linked = Path(request.config.getoption("--sites-path")) / "assets" / "chiiki_care"
	for asset in ASSETS:
		assert (linked / asset.removeprefix("/assets/chiiki_care/")).is_file(), linked


def test_the_headers_logout_link_logs_out(server, portal_world):
	w = portal_world
	session = login(server, w.users["l3a"], w.password)
	assert session.get(server + "/coordinator", allow_redirects=False, timeout=60).status_code == 200
	session.get(server + "/?cmd=web_logout", timeout=60)
	response = session.get(server + "/coordinator", allow_redirects=False, timeout=60)
	assert response.status_code == 302 and "/login" in response.headers["Location"]
