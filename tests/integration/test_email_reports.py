"""Scheduled email reports: the jobs run here and the Email Queue is read back.

Each recipient gets its own scope; no resident is named in Layer 1/2, council or manager mails; a
Layer 3 coordinator's digest names only its own cases; a switched-off report is not sent; the weekly
digest subscription comes with the Coordinator record.
"""

import email
import email.header
from urllib.parse import quote

import frappe
import pytest

from chiiki_care.notifications import email_reports
from chiiki_care.notifications.email_reports import (
	CITY_SUMMARY,
	DISTRICT_SUMMARY,
	SUBSCRIPTION,
	WEEKLY_DIGEST,
)
from tests.integration.factories import build_report_data, make_coordinator, make_user


@pytest.fixture(scope="module")
def data(world):
	frappe.set_user("Administrator")
	frappe.db.savepoint("chiiki_care_email_reports")
	yield build_report_data(world)
	frappe.db.rollback(save_point="chiiki_care_email_reports")
	frappe.set_user("Administrator")


@pytest.fixture(autouse=True)
def outgoing_account():
	"""An outgoing account so that mails are queued (in tests Frappe never sends them)."""
	if not frappe.db.exists("Email Account", {"default_outgoing": 1, "enable_outgoing": 1}):
		frappe.get_doc(
			{
				"doctype": "Email Account",
				"email_account_name": "地域づくり テスト送信",
				"email_id": "noreply@test.chiiki-care.example",
				"enable_outgoing": 1,
				"default_outgoing": 1,
				"smtp_server": "localhost",
				"smtp_port": 25,
				"no_smtp_authentication": 1,
			}
		).insert(ignore_permissions=True)


def only_world_recipients(world, kind):
	"""Create the kind's subscriptions, then keep those of the test world's users only (the demo's
	coordinators would otherwise each get a mail too: correct, but slow for a test)."""
	email_reports.sync_subscriptions(kind)
	world_users = set(world.users.values())
	for name, user in frappe.get_all(
		SUBSCRIPTION, filters={"report_kind": kind}, fields=["name", "user"], as_list=True
	):
		if user not in world_users:
			frappe.db.set_value(SUBSCRIPTION, name, "enabled", 0)


def mails_of(job, world, kind) -> dict[str, list[frappe._dict]]:
	"""Run a job; the mails it queued, decoded, by recipient."""
	only_world_recipients(world, kind)
	before = set(frappe.get_all("Email Queue", pluck="name"))
	job()
	mails = {}
	for queue in frappe.get_all(
		"Email Queue",
		filters={"reference_doctype": SUBSCRIPTION},
		fields=["name", "message", "reference_name", "unsubscribe_method"],
	):
		if queue.name in before:
			continue
		message = email.message_from_string(queue.message)
		parts = [
			part.get_payload(decode=True).decode(part.get_content_charset() or "utf-8")
			for part in message.walk()
			if part.get_content_type() in ("text/html", "text/plain")
		]
		subject = str(email.header.make_header(email.header.decode_header(message["Subject"])))
		for recipient in frappe.get_all(
			"Email Queue Recipient", filters={"parent": queue.name}, pluck="recipient"
		):
			mails.setdefault(recipient, []).append(
				frappe._dict(
					subject=subject,
					text="\n".join(parts),
					subscription=queue.reference_name,
					unsubscribe_method=queue.unsubscribe_method,
				)
			)
	return mails


def resident_names(world, area=None) -> set[str]:
	districts = {"a": (world.a1, world.a2, world.area_a), "b": (world.b1, world.area_b)}
	keys = [area] if area else ["a", "b"]
	return set(
		frappe.get_all(
			"Resident",
			filters={"district": ["in", [d for k in keys for d in districts[k]]]},
			pluck="full_name",
		)
	)


def assert_no_resident_names(world, text, who):
	for name in resident_names(world):
		assert name not in text, f"{who}'s mail names resident {name}"


def test_coordinator_record_brings_its_weekly_digest(world):
	user = make_user("l3new", first_name="新任")
	coordinator = make_coordinator("第3層 新任", "Layer 3", user, [world.a2])
	subscription = frappe.get_all(
		SUBSCRIPTION,
		filters={"coordinator": coordinator},
		fields=["user", "report_kind", "enabled"],
	)
	assert subscription == [{"user": user, "report_kind": WEEKLY_DIGEST, "enabled": 1}]
	# the world's coordinators got theirs when they were made
	for key in ("l1", "l2a", "l3a"):
		assert frappe.db.exists(
			SUBSCRIPTION, {"coordinator": world.coordinators[key], "user": world.users[key], "enabled": 1}
		)


def test_weekly_digest_gives_each_coordinator_its_own_scope(world, data):
	mails = mails_of(email_reports.send_weekly_digests, world, WEEKLY_DIGEST)
	u = world.users
	assert {u["l1"], u["l2a"], u["l2b"], u["l3a"], u["l3b"]} <= set(mails)
	for key in ("l1", "l2a", "l2b", "l3a", "l3b"):
		assert len(mails[u[key]]) == 1, key
		assert mails[u[key]][0].unsubscribe_method == email_reports.UNSUBSCRIBE_METHOD

	l2a = mails[u["l2a"]][0].text
	assert world.a1 in l2a and "第3層A 三子" in l2a
	assert world.b1 not in l2a and world.area_b not in l2a and "第3層B 四郎" not in l2a
	assert "商店会に配達日を打診" in l2a  # its own council follow-up
	l2b = mails[u["l2b"]][0].text
	assert world.b1 in l2b and world.a1 not in l2b and "第3層A 三子" not in l2b
	assert "商店会に配達日を打診" not in l2b
	l1 = mails[u["l1"]][0].text
	assert world.a1 in l1 and world.b1 in l1
	for key in ("l1", "l2a", "l2b"):
		assert_no_resident_names(world, mails[u[key]][0].text, key)

	# layer 3: its own cases by name (it is their coordinator), nobody else's
	l3a = mails[u["l3a"]][0].text
	plan_residents = set(
		frappe.get_all(
			"Support Plan",
			filters={
				"coordinator": world.coordinators["l3a"],
				"status": "Active",
				"next_review_date": ["<=", frappe.utils.add_days(frappe.utils.today(), 7)],
			},
			pluck="resident_name",
		)
	)
	assert plan_residents and all(name in l3a for name in plan_residents)
	assert "山田 太郎" in l3a  # the world's new need, recorded by l3a
	for name in resident_names(world, "b"):
		assert name not in l3a, name
	l3b = mails[u["l3b"]][0].text
	for name in resident_names(world, "a"):
		assert name not in l3b, name


def test_district_summary_goes_to_each_council_secretariat(world, data):
	mails = mails_of(email_reports.send_district_summaries, world, DISTRICT_SUMMARY)
	u = world.users
	a = mails[u["l2a"]]
	b = mails[u["l2b"]]
	assert len(a) == 1 and len(b) == 1
	assert world.a1 in a[0].text and world.a2 in a[0].text and world.b1 not in a[0].text
	assert world.b1 in b[0].text and world.a1 not in b[0].text
	assert "元気づくり・地域づくり会議" in a[0].subject
	# each links to its district's profile (地域カルテ) on the desk
	assert f"/app/district-profile/{quote(world.area_a)}" in a[0].text
	assert f"/app/district-profile/{quote(world.area_b)}" in b[0].text
	# A2's needs with no resource stand out as gaps
	assert "外出・移動" in a[0].text
	for key in ("l2a", "l2b"):
		assert_no_resident_names(world, mails[u[key]][0].text, key)
	subscription = frappe.get_doc(SUBSCRIPTION, a[0].subscription)
	assert subscription.council == world.councils["a"] and subscription.user == u["l2a"]
	assert subscription.last_sent_on


def test_city_summary_goes_to_managers(world, data):
	mails = mails_of(email_reports.send_city_summaries, world, CITY_SUMMARY)
	manager = mails[world.users["manager"]]
	assert len(manager) == 1
	text = manager[0].text
	assert world.area_a in text and world.area_b in text
	assert_no_resident_names(world, text, "manager")
	# only managers get it
	assert set(mails) == {world.users["manager"]}


def test_switched_off_reports_are_not_sent_and_stay_off(world, data):
	only_world_recipients(world, WEEKLY_DIGEST)
	name = frappe.db.get_value(SUBSCRIPTION, {"user": world.users["l2a"], "report_kind": WEEKLY_DIGEST})
	frappe.set_user(world.users["l2a"])
	try:
		subscription = frappe.get_doc(SUBSCRIPTION, name)
		subscription.enabled = 0
		subscription.save()  # the person switches it off in the desk
	finally:
		frappe.set_user("Administrator")
	mails = mails_of(email_reports.send_weekly_digests, world, WEEKLY_DIGEST)
	assert world.users["l2a"] not in mails
	assert world.users["l2b"] in mails
	assert frappe.db.get_value(SUBSCRIPTION, name, "enabled") == 0  # the job did not switch it on again


def test_the_link_in_the_mail_switches_the_report_off(world, data):
	only_world_recipients(world, WEEKLY_DIGEST)
	name = frappe.db.get_value(SUBSCRIPTION, {"user": world.users["l2b"], "report_kind": WEEKLY_DIGEST})
	email_reports.unsubscribe(SUBSCRIPTION, name, "someone-else@example.com")
	assert frappe.db.get_value(SUBSCRIPTION, name, "enabled") == 1
	email_reports.unsubscribe(SUBSCRIPTION, name, world.users["l2b"])
	assert frappe.db.get_value(SUBSCRIPTION, name, "enabled") == 0
	assert world.users["l2b"] not in mails_of(email_reports.send_weekly_digests, world, WEEKLY_DIGEST)


def test_each_person_sees_and_switches_only_its_own_subscriptions(world, data):
	email_reports.sync_subscriptions(WEEKLY_DIGEST)
	own = frappe.db.get_value(SUBSCRIPTION, {"user": world.users["l2a"], "report_kind": WEEKLY_DIGEST})
	other = frappe.db.get_value(SUBSCRIPTION, {"user": world.users["l2b"], "report_kind": WEEKLY_DIGEST})
	frappe.set_user(world.users["l2a"])
	try:
		listed = set(frappe.get_list(SUBSCRIPTION, pluck="name", limit_page_length=0))
		assert listed == {own} | set(
			frappe.get_all(SUBSCRIPTION, filters={"user": world.users["l2a"]}, pluck="name")
		)
		assert frappe.has_permission(SUBSCRIPTION, "write", doc=frappe.get_doc(SUBSCRIPTION, own))
		assert not frappe.has_permission(SUBSCRIPTION, "read", doc=frappe.get_doc(SUBSCRIPTION, other))
		doc = frappe.get_doc(SUBSCRIPTION, own)
		doc.user = world.users["l2b"]  # the recipient is not its own to change
		try:
			doc.save()
		except frappe.PermissionError:
			pass
	finally:
		frappe.set_user("Administrator")
	assert frappe.db.get_value(SUBSCRIPTION, own, "user") == world.users["l2a"]
	frappe.set_user(world.users["manager"])
	try:
		assert {own, other} <= set(frappe.get_list(SUBSCRIPTION, pluck="name", limit_page_length=0))
	finally:
		frappe.set_user("Administrator")


def test_a_failing_recipient_does_not_stop_the_others(world, data, monkeypatch):
	only_world_recipients(world, WEEKLY_DIGEST)
	original = email_reports.weekly_digest

	def broken_for_l2a(subscription, on):
		if subscription.user == world.users["l2a"]:
			raise RuntimeError("broken")
		return original(subscription, on)

	monkeypatch.setattr(email_reports, "weekly_digest", broken_for_l2a)
	monkeypatch.setattr(frappe, "log_error", lambda *args, **kwargs: None)
	mails = mails_of(email_reports.send_weekly_digests, world, WEEKLY_DIGEST)
	assert world.users["l2a"] not in mails and world.users["l2b"] in mails
	assert frappe.session.user == "Administrator"


def test_jobs_are_scheduled_in_hooks():
	from chiiki_care import hooks

	jobs = {job for jobs in hooks.scheduler_events["cron"].values() for job in jobs}
	assert {
		"chiiki_care.notifications.email_reports.send_weekly_digests",
		"chiiki_care.notifications.email_reports.send_district_summaries",
		"chiiki_care.notifications.email_reports.send_city_summaries",
	} <= jobs
	for method in jobs:
		assert frappe.get_attr(method)


def test_subscriptions_go_with_their_coordinator_or_user(world):
	user = make_user("l3gone", first_name="退任")
	coordinator = make_coordinator("第3層 退任", "Layer 3", user, [world.b1])
	assert frappe.db.exists(SUBSCRIPTION, {"coordinator": coordinator})
	assert frappe.db.get_value(SUBSCRIPTION, {"coordinator": coordinator}, "owner") == user
	frappe.delete_doc("Coordinator", coordinator)  # not blocked by the subscription
	assert not frappe.db.exists(SUBSCRIPTION, {"coordinator": coordinator})

	other = make_user("l3gone2", first_name="退任2")
	make_coordinator("第3層 退任2", "Layer 3", other, [world.b1])
	frappe.db.delete("User", {"name": other})  # e.g. removed without its controller
	email_reports.sync_subscriptions(WEEKLY_DIGEST)
	assert not frappe.db.exists(SUBSCRIPTION, {"user": other})


def test_auto_email_report_is_refused_for_the_apps_reports(world):
	frappe.local.lang = "ja"
	report = frappe.get_doc(
		{
			"doctype": "Auto Email Report",
			"report": "Needs Summary",
			"user": "Administrator",
			"email_to": "someone@example.com",
			"frequency": "Weekly",
			"format": "HTML",
		}
	)
	try:
		with pytest.raises(frappe.ValidationError) as info:
			report.insert()
	finally:
		frappe.local.lang = "en"
	assert "自動メールレポートでは送信できません" in str(info.value)
