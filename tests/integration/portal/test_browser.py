"""The main portal flows in real headless Chromium (Debian's `chromium` and `chromedriver`) on a
phone-sized viewport: log in, record a need (with the duplicate warning and an expired session
that loses nothing), add a monitoring entry, attach a resource, lift a need to an issue, the
council portal and the public directory. A screenshot of each page goes to docs/screenshots/.

These tests fail, never skip, when the browser is missing: tests/run.sh and .ci/run install it."""

import base64
import os
import shutil
import tempfile
import time
from pathlib import Path
from urllib.parse import quote

import frappe
import pytest

CHROMIUM = os.environ.get("CHIIKI_CARE_CHROMIUM", "/usr/bin/chromium")
CHROMEDRIVER = os.environ.get("CHIIKI_CARE_CHROMEDRIVER", "/usr/bin/chromedriver")
WIDTH, HEIGHT = 390, 844
WAIT = 30


@pytest.fixture(scope="module")
def screenshots(request):
	folder = os.environ.get("CHIIKI_CARE_SCREENSHOT_DIR")
	if not folder:
		app_dir = request.config.getoption("--app-dir") or Path(__file__).resolve().parents[3]
		folder = Path(app_dir) / "docs" / "screenshots"
	folder = Path(folder)
	folder.mkdir(parents=True, exist_ok=True)
	return folder


@pytest.fixture(scope="module")
def driver():
	try:
		from selenium import webdriver
		from selenium.webdriver.chrome.service import Service
	except ImportError:
		pytest.fail("selenium is not installed in the bench's Python (tests/run.sh installs it)")
	for path in (CHROMIUM, CHROMEDRIVER):
		if not os.path.exists(path):
			pytest.fail(f"{path} is missing: apt-get install chromium chromium-driver (.ci/run does)")
	profile = tempfile.mkdtemp(prefix="chiiki_care_chromium_")
	options = webdriver.ChromeOptions()
	options.binary_location = CHROMIUM
	for argument in (
		"--headless=new",
		"--no-sandbox",
		"--disable-gpu",
		"--disable-dev-shm-usage",
		"--disable-quic",
		"--no-first-run",
		"--disable-background-networking",
		"--disable-component-update",
		"--disable-sync",
		"--lang=ja",
		f"--window-size={WIDTH},{HEIGHT}",
		f"--user-data-dir={profile}",
		# nothing leaves this machine (map tiles included): only the test server resolves
		"--host-resolver-rules=MAP * ~NOTFOUND , EXCLUDE 127.0.0.1",
	):
		options.add_argument(argument)
	options.add_experimental_option("prefs", {"intl.accept_languages": "ja"})
	# Japanese locale for the browser's own widgets (date fields) as on a Japanese phone
	service = Service(CHROMEDRIVER, env={**os.environ, "LANG": "ja_JP.UTF-8", "LANGUAGE": "ja"})
	browser = webdriver.Chrome(service=service, options=options)
	browser.set_page_load_timeout(90)
	browser.execute_cdp_cmd(
		"Emulation.setDeviceMetricsOverride",
		{"width": WIDTH, "height": HEIGHT, "deviceScaleFactor": 2, "mobile": True},
	)
	try:
		yield browser
	finally:
		browser.quit()
		shutil.rmtree(profile, ignore_errors=True)


def wait_for(driver, condition, message=""):
	from selenium.common.exceptions import TimeoutException
	from selenium.webdriver.support.ui import WebDriverWait

	try:
		return WebDriverWait(driver, WAIT).until(condition, message)
	except TimeoutException:
		shown = driver.execute_script(
			"return Array.from(document.querySelectorAll('.cc-messages')).map(e => e.innerText).join(' | ')"
		)
		pytest.fail(f"{message} (at {driver.current_url}; messages shown: {shown})")


def find(driver, css):
	from selenium.webdriver.common.by import By

	return wait_for(driver, lambda d: d.find_element(By.CSS_SELECTOR, css), f"no element {css}")


def reloaded(driver, before, css):
	"""The element `css` of the page that replaces the page `before` is on (a form sent by GET):
	waiting for `before` to go, so that the old page's element is never read."""
	from selenium.webdriver.support import expected_conditions

	wait_for(driver, expected_conditions.staleness_of(before), "the page reloads")
	return find(driver, css)


def visible(driver, css):
	from selenium.webdriver.common.by import By

	def shown(d):
		elements = [e for e in d.find_elements(By.CSS_SELECTOR, css) if e.is_displayed()]
		return elements[0] if elements else False

	return wait_for(driver, shown, f"{css} not shown")


def click(driver, element):
	driver.execute_script("arguments[0].scrollIntoView({block: 'center'});", element)
	element.click()


def shoot(driver, folder: Path, name: str):
	"""A full-page screenshot at the phone's width."""
	time.sleep(0.3)
	height = driver.execute_script(
		"return Math.max(document.body.scrollHeight, document.documentElement.scrollHeight)"
	)
	height = min(int(height), 6000)
	driver.execute_cdp_cmd(
		"Emulation.setDeviceMetricsOverride",
		{"width": WIDTH, "height": height, "deviceScaleFactor": 2, "mobile": True},
	)
	try:
		data = driver.execute_cdp_cmd("Page.captureScreenshot", {"format": "png"})["data"]
	finally:
		driver.execute_cdp_cmd(
			"Emulation.setDeviceMetricsOverride",
			{"width": WIDTH, "height": HEIGHT, "deviceScaleFactor": 2, "mobile": True},
		)
	(folder / f"{name}.png").write_bytes(base64.b64decode(data))


def log_in(driver, server, user, password, path, folder=None):
	driver.delete_all_cookies()
	driver.get(f"{server}{path}")
	wait_for(driver, lambda d: "/login" in d.current_url, "a guest is sent to the login page")
	find(driver, "#login_email").send_keys(user)
	find(driver, "#login_password").send_keys(password)
	if folder:
		shoot(driver, folder, "portal-login")
	click(driver, find(driver, ".btn-login"))
	wait_for(driver, lambda d: d.current_url.endswith(path), f"back at {path} after logging in")
	find(driver, ".cc-portal")


def page_text(driver):
	from selenium.webdriver.common.by import By

	return driver.find_element(By.TAG_NAME, "body").text


def test_log_in_and_see_own_cases(driver, server, portal_world, screenshots):
	w = portal_world
	log_in(driver, server, w.users["l3a"], w.password, "/coordinator", folder=screenshots)
	text = page_text(driver)
	assert w.resident_data["a"]["full_name"] in text
	assert w.resident_data["b"]["full_name"] not in text
	assert "対応が必要なこと" in text and "即対応" in text
	shoot(driver, screenshots, "portal-coordinator-home")
	driver.get(f"{server}/coordinator/resident?name={w.residents['a']}")
	find(driver, ".cc-dl")
	shoot(driver, screenshots, "portal-resident")


def test_record_need_with_duplicate_warning_surviving_an_expired_session(
	driver, server, portal_world, screenshots
):
	from selenium.webdriver.support.ui import Select

	w = portal_world
	log_in(driver, server, w.users["l3a"], w.password, "/coordinator/new-need")
	click(driver, find(driver, 'input[name="resident_mode"][value="new"]'))
	find(driver, "#cc-full-name").send_keys(w.resident_data["a"]["full_name"])
	find(driver, "#cc-kana").send_keys("はすみ とくじろう")
	find(driver, "#cc-birth").send_keys("昭和16年5月6日")
	find(driver, "#cc-address").click()
	warning = visible(driver, "#cc-duplicates")
	wait_for(
		driver, lambda d: w.resident_data["a"]["full_name"] in warning.text, "the duplicate warning names him"
	)
	assert "すでに登録されているかもしれません" in warning.text
	shoot(driver, screenshots, "portal-need-duplicate")
	click(driver, warning.find_element("css selector", "li button"))
	assert (
		Select(find(driver, "#cc-resident")).first_selected_option.get_attribute("value") == w.residents["a"]
	)

	find(driver, "#cc-unmet").send_keys("買い物袋が重くて持って帰れない")
	find(driver, "#cc-urgent").send_keys("今日の食料がない")
	find(driver, "#cc-connection").send_keys("碁会所の仲間に会いたい")
	find(driver, "#cc-desired").send_keys("自宅で暮らし続けたい")
	click(driver, find(driver, 'input[name="categories"][value="買い物"]'))
	click(driver, find(driver, 'input[name="urgency"][value="Immediate"]'))
	time.sleep(0.5)  # the draft is kept after a short pause in typing
	shoot(driver, screenshots, "portal-need-form")

	# the session expires before she saves: she is told, logs in again, and nothing is lost
	driver.delete_cookie("sid")
	click(driver, find(driver, "#cc-need-form button[type=submit]"))
	message = visible(driver, "#cc-need-form .cc-messages.error")
	assert "ログインの有効期限が切れました" in message.text
	shoot(driver, screenshots, "portal-session-expired")
	wait_for(driver, lambda d: "/login" in d.current_url, "sent to the login page")
	find(driver, "#login_email").send_keys(w.users["l3a"])
	find(driver, "#login_password").send_keys(w.password)
	click(driver, find(driver, ".btn-login"))
	wait_for(driver, lambda d: d.current_url.endswith("/coordinator/new-need"), "back at the form")
	notice = visible(driver, "#cc-need-form .cc-messages.notice")
	assert "復元" in notice.text
	assert find(driver, "#cc-unmet").get_attribute("value") == "買い物袋が重くて持って帰れない"
	assert find(driver, 'input[name="categories"][value="買い物"]').is_selected()
	assert (
		Select(find(driver, "#cc-resident")).first_selected_option.get_attribute("value") == w.residents["a"]
	)

	click(driver, find(driver, "#cc-need-form button[type=submit]"))
	wait_for(driver, lambda d: "/coordinator/need?name=" in d.current_url, "the saved need opens")
	text = page_text(driver)
	assert "買い物袋が重くて持って帰れない" in text and "即対応" in text
	shoot(driver, screenshots, "portal-need")
	frappe.db.rollback()
	need = frappe.get_all(
		"Need",
		filters={"resident": w.residents["a"], "unmet_troubles": "買い物袋が重くて持って帰れない"},
		fields=["name", "urgency", "recorded_by"],
	)
	assert len(need) == 1 and need[0].urgency == "Immediate" and need[0].recorded_by == w.coordinators["l3a"]


def test_form_errors_are_shown_in_japanese(driver, server, portal_world, screenshots):
	w = portal_world
	log_in(driver, server, w.users["l3a"], w.password, f"/coordinator/new-need?resident={w.residents['a']}")
	driver.execute_script("localStorage.clear()")
	driver.refresh()
	click(driver, find(driver, "#cc-need-form button[type=submit]"))
	message = visible(driver, "#cc-need-form .cc-messages.error")
	assert "ニーズ分類" in message.text
	click(driver, find(driver, 'input[name="categories"][value="配食"]'))
	click(driver, find(driver, "#cc-need-form button[type=submit]"))
	wait_for(
		driver, lambda d: "4つの視点" in d.find_element("css selector", "#cc-need-form .cc-messages").text
	)
	shoot(driver, screenshots, "portal-need-errors")


def test_add_monitoring_entry_and_attach_a_resource(driver, server, portal_world, screenshots):
	from selenium.webdriver.support.ui import Select

	w = portal_world
	log_in(driver, server, w.users["l3a"], w.password, f"/coordinator/plan?name={w.plans['a']}")
	find(driver, "#cc-observation").send_keys("サロンに参加し、表情が明るくなった")
	Select(find(driver, "#cc-outcome")).select_by_value("Continue")
	click(driver, find(driver, "#cc-monitoring-form button[type=submit]"))
	wait_for(
		driver,
		lambda d: (
			"サロンに参加し、表情が明るくなった" in d.find_element("css selector", "#cc-monitoring-list").text
		),
		"the monitoring entry is listed",
	)
	expected = frappe.utils.add_days(frappe.utils.today(), 28)
	assert frappe.utils.getdate(expected).strftime("%Y/%m/%d") in find(driver, "#cc-next-review").text
	shoot(driver, screenshots, "portal-plan")

	click(driver, find(driver, '#add-action a[href^="/coordinator/resources"]'))
	first_page = find(driver, "#cc-results")
	Select(find(driver, "#cc-f-district")).select_by_value(w.east)
	click(driver, find(driver, ".cc-form button[type=submit]"))
	results = reloaded(driver, first_page, "#cc-results")
	salon = frappe.db.get_value("Community Resource", w.resources["salon"], "resource_name")
	assert salon in results.text
	shoot(driver, screenshots, "portal-resources-search")
	links = [
		a
		for a in results.find_elements("css selector", "a.cc-btn")
		if w.resources["salon"] in (a.get_attribute("href") or "")
	]
	click(driver, links[0])
	find(driver, "#cc-action-form")
	assert find(driver, f'input[name="community_resource"][value="{w.resources["salon"]}"]').is_selected()
	find(driver, "#cc-action-description").send_keys("週1回のサロンに一緒に行く")
	click(driver, find(driver, 'input[name="support_kind"][value="Social Participation"]'))
	click(driver, find(driver, "#cc-action-form button[type=submit]"))
	wait_for(driver, lambda d: "週1回のサロンに一緒に行く" in d.find_element("css selector", "#actions").text)
	assert salon in find(driver, "#actions").text


def test_lift_a_need_to_a_community_issue(driver, server, portal_world, screenshots):
	w = portal_world
	log_in(driver, server, w.users["l3a"], w.password, f"/coordinator/need?name={w.needs['a_browser']}")
	find(driver, "#cc-issue-title").send_keys("東小学校区で通いの場が足りない")
	shoot(driver, screenshots, "portal-need-lift")
	click(driver, find(driver, "#cc-lift-form button[type=submit]"))
	wait_for(driver, lambda d: "/coordinator/issue?name=" in d.current_url, "the new issue opens")
	assert "東小学校区で通いの場が足りない" in page_text(driver)
	shoot(driver, screenshots, "portal-issue")
	frappe.db.rollback()
	assert frappe.db.get_value("Need", w.needs["a_browser"], "status") == "Lifted to Community Issue"


def test_council_member_portal(driver, server, portal_world, screenshots):
	w = portal_world
	log_in(driver, server, w.users["cm"], w.password, "/council")
	text = page_text(driver)
	assert frappe.db.get_value("Council Meeting", w.meeting, "title") in text
	shoot(driver, screenshots, "portal-council")
	driver.get(f"{server}/council/meeting?name={quote(w.meeting)}")
	find(driver, ".cc-rich")
	text = page_text(driver)
	assert "商店街に配達日を相談する" in text
	for data in w.resident_data.values():
		assert data["full_name"] not in text
	shoot(driver, screenshots, "portal-council-meeting")
	driver.get(f"{server}/council/issue?name={quote(w.issue)}")
	find(driver, ".cc-dl")
	shoot(driver, screenshots, "portal-council-issue")
	driver.get(f"{server}/council/profile")
	find(driver, ".cc-profile")
	text = page_text(driver)
	assert "地域カルテ" in text and w.area in text and w.east in text
	for data in w.resident_data.values():
		assert data["full_name"] not in text
	shoot(driver, screenshots, "portal-council-profile")


def test_public_directory_with_map(driver, server, portal_world, screenshots):
	w = portal_world
	driver.delete_all_cookies()
	driver.get(f"{server}/resources?district={quote(w.area)}")
	find(driver, "#cc-public-results")
	markers = wait_for(
		driver,
		lambda d: d.find_elements("css selector", "#cc-map path.leaflet-interactive"),
		"the map shows the resources",
	)
	assert len(markers) == 2
	text = page_text(driver)
	frappe.db.rollback()
	names = {k: frappe.db.get_value("Community Resource", v, "resource_name") for k, v in w.resources.items()}
	assert names["salon"] in text and names["shopping"] in text
	assert names["unpublished"] not in text and names["inactive"] not in text
	shoot(driver, screenshots, "portal-resources-public")
