"""Tests for the reads behind the entry screens in reports.queries.entry (periods a commune may open)."""

from django.test import SimpleTestCase

from reports.periods import Frequency, PeriodKey
from reports.queries.entry import earlier_period_keys, recent_period_keys
from tests.factories import day


def slugs(keys: list[PeriodKey]) -> list[str]:
    return [key.slug() for key in keys]


class RecentPeriodKeysTests(SimpleTestCase):
    def test_monthly_with_cut_off_14(self) -> None:
        # 20/5 lies in June's window (15/5–14/6); on 14/5 May's window has not ended yet.
        self.assertEqual(
            slugs(recent_period_keys("monthly", 14, today=day("20/5/2026"))), ["2026-06", "2026-05", "2026-04"]
        )
        self.assertEqual(
            slugs(recent_period_keys("monthly", 14, today=day("14/5/2026"))), ["2026-05", "2026-04", "2026-03"]
        )

    def test_across_the_new_year(self) -> None:
        # January 2027 starts on 15/12/2026.
        self.assertEqual(
            slugs(recent_period_keys("monthly", 14, today=day("20/12/2026"))), ["2027-01", "2026-12", "2026-11"]
        )
        self.assertEqual(
            slugs(recent_period_keys("monthly", 14, today=day("10/1/2026"))), ["2026-01", "2025-12", "2025-11"]
        )

    def test_calendar_months_and_quarters(self) -> None:
        self.assertEqual(
            slugs(recent_period_keys("monthly", 0, today=day("1/5/2026"))), ["2026-05", "2026-04", "2026-03"]
        )
        self.assertEqual(
            slugs(recent_period_keys("quarterly", 14, today=day("20/5/2026"))), ["2026-Q2", "2026-Q1", "2025-Q4"]
        )
        self.assertEqual(slugs(recent_period_keys("yearly", 14, today=day("20/5/2026"), count=2)), ["2026", "2025"])


class EarlierPeriodKeysTests(SimpleTestCase):
    def test_newest_first_across_the_year(self) -> None:
        keys = earlier_period_keys(PeriodKey(Frequency.MONTHLY, 2026, 2), 3)
        self.assertEqual(slugs(keys), ["2026-01", "2025-12", "2025-11"])

    def test_stops_at_the_first_supported_year(self) -> None:
        self.assertEqual(slugs(earlier_period_keys(PeriodKey(Frequency.MONTHLY, 2000, 2), 12)), ["2000-01"])
