# Copyright (c) 2026, chiiki_care developers and contributors
# For license information, please see license.txt
"""Smoke test for `bench run-tests --app chiiki_care`; the suite is tests/ (pytest, see README)."""

import frappe
from frappe.tests.utils import FrappeTestCase

from chiiki_care.chiiki_care.doctype.resident.resident import resident_problems


class TestResident(FrappeTestCase):
	def test_bad_values_are_named_by_field(self):
		problems = resident_problems(frappe._dict(full_name_kana="Yamada", birth_date="2999-01-01"))
		self.assertEqual([field for field, _message in problems], ["birth_date", "full_name_kana"])

	def test_good_values_have_no_problem(self):
		self.assertEqual(
			resident_problems(frappe._dict(full_name_kana="やまだ はなこ", birth_date="1940-04-01")), []
		)
