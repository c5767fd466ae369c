# Copyright (c) 2026, chiiki_care developers and contributors
# For license information, please see license.txt
"""Smoke test for `bench run-tests --app chiiki_care`; the suite is tests/ (pytest, see README)."""

import frappe
from frappe.tests.utils import FrappeTestCase

from chiiki_care.chiiki_care.doctype.community_resource.community_resource import resource_query


class TestCommunityResource(FrappeTestCase):
	def test_the_link_query_refuses_junk(self):
		with self.assertRaises(frappe.ValidationError):
			resource_query("Community Resource", "", "name", "-1", 20, "{}")
