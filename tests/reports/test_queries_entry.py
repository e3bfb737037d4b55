"""Tests for reports.queries.entry: the periods a commune may open and the reads behind the entry screens."""

from datetime import date

from django.test import SimpleTestCase

from reports.models import ReportingRegime, ReportStatus
from reports.periods import Frequency, PeriodKey, deadline
from reports.queries.entry import (
    OpenablePeriod,
    OpenedReport,
    earlier_period_keys,
    openable_periods_for_commune,
    recent_period_keys,
)
from tests.factories import day
from tests.reports.workflow_helpers import WorkflowTestCase


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


class OpenablePeriodsTests(WorkflowTestCase):
    """The periods a commune may open, with the stored deadline and periods.is_late()."""

    def openable(self, today: date) -> dict[str, OpenablePeriod]:
        return {item.slug: item for item in openable_periods_for_commune(self.commune_a, today=today)}

    def test_a_stored_period_keeps_its_deadline_when_the_regime_changes_later(self) -> None:
        stored_deadline = self.period.deadline
        ReportingRegime.objects.filter(pk=self.regime.pk).update(deadline_working_days=5)
        with self.assertNumQueries(2):
            items = self.openable(day("20/5/2026"))
        self.assertEqual(items["2026-05"].deadline, stored_deadline)
        # June has no stored period yet: its deadline is computed from the regime as it is now.
        june = PeriodKey(Frequency.MONTHLY, 2026, 6)
        self.assertEqual(items["2026-06"].deadline, deadline(june, self.regime.cutoff_day, 5))
        self.assertIsNone(items["2026-06"].report)

    def test_the_commune_sees_its_own_report_and_whether_it_is_late(self) -> None:
        self.assertEqual(self.openable(day("20/5/2026"))["2026-05"].report, OpenedReport(self.report_a.pk, "draft"))
        self.assertTrue(self.openable(day("20/5/2026"))["2026-05"].late)
        self.assertFalse(self.openable(day("15/5/2026"))["2026-05"].late)
        # Sent on time, then returned: owes a resubmission but is not late.
        returned = self.drive(self.report_a, ReportStatus.RETURNED)
        may = self.openable(day("20/5/2026"))["2026-05"]
        self.assertEqual(may.report, OpenedReport(returned.pk, "returned"))
        self.assertEqual(may.report.status_label if may.report else "", "Bị trả lại")
        self.assertFalse(may.late)
