# Copyright (c) 2026, chiiki_care developers and contributors
# For license information, please see license.txt
"""Smoke test for `bench run-tests --app chiiki_care`; the suite is tests/ (pytest, see README)."""

import frappe
from frappe.tests.utils import FrappeTestCase


class TestSupportPlan(FrappeTestCase):
	def test_the_review_interval_is_bounded(self):
		plan = frappe.get_doc(
			{"doctype": "Support Plan", "start_date": "2026-04-01", "review_interval_weeks": 60}
		)
		with self.assertRaises(frappe.ValidationError):
			plan.validate_dates()
		plan.review_interval_weeks = 4
		plan.validate_dates()
