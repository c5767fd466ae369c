# Copyright (c) 2026, chiiki_care developers and contributors
# For license information, please see license.txt
"""Smoke test for `bench run-tests --app chiiki_care`; the suite is tests/ (pytest, see README)."""

import frappe
from frappe.tests.utils import FrappeTestCase

from chiiki_care.chiiki_care.doctype.need.need import lift_needs


class TestNeed(FrappeTestCase):
	def test_lifting_nothing_is_refused(self):
		with self.assertRaises(frappe.ValidationError):
			lift_needs([], title="買い物支援")
