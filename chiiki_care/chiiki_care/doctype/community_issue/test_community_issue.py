# Copyright (c) 2026, chiiki_care developers and contributors
# For license information, please see license.txt
"""Smoke test for `bench run-tests --app chiiki_care`; the suite is tests/ (pytest, see README)."""

from frappe.tests.utils import FrappeTestCase

from chiiki_care.chiiki_care.doctype.community_issue.community_issue import summarise_needs


class TestCommunityIssue(FrappeTestCase):
	def test_the_need_summary_masks_small_counts(self):
		summary = summarise_needs(["見守り", "見守り", "移動", "移動", "移動"])
		self.assertEqual(summary, "移動: 3 / 見守り: <3")  # by category, in code point order
