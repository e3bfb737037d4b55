"""Tests for reports.rendering.formatting: Vietnamese numbers and dates in running text."""

from datetime import date

from django.test import SimpleTestCase

from reports.rendering.formatting import format_date


class FormatDateTests(SimpleTestCase):
    def test_unpadded_as_in_the_hung_thang_seed(self) -> None:
        self.assertEqual(format_date(date(2026, 4, 15)), "15/4/2026")
        self.assertEqual(format_date(date(2026, 5, 14)), "14/5/2026")
        self.assertEqual(format_date(date(2026, 3, 5)), "5/3/2026")

    def test_padded_as_in_the_binh_giang_seed(self) -> None:
        self.assertEqual(format_date(date(2026, 1, 15), pad=True), "15/01/2026")
        self.assertEqual(format_date(date(2026, 2, 14), pad=True), "14/02/2026")
        self.assertEqual(format_date(date(2026, 3, 5), pad=True), "05/03/2026")

    def test_nothing_is_blank(self) -> None:
        self.assertEqual(format_date(None), "")
