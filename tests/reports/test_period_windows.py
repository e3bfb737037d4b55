"""Windows for every frequency, cut-off and month offset; the regime admin's preview and period
changes; correcting an open period's deadline."""

import calendar
from datetime import date, timedelta

from django.core.exceptions import ValidationError
from django.test import SimpleTestCase

from reports import schedule
from reports.models import PeriodChange, ReportStatus, Submission
from reports.periods import (
    CALENDAR_MONTH,
    END_OF_MONTH,
    Frequency,
    PeriodKey,
    deadline,
    is_working_day,
    period_months,
    period_window,
    upcoming_periods,
)
from tests import factories
from tests.base import BaseTestCase

CUTOFFS = (CALENDAR_MONTH, 14, 20, 28, END_OF_MONTH)
OFFSETS = (0, 1)
MONTHS = {
    Frequency.MONTHLY: 1,
    Frequency.QUARTERLY: 3,
    Frequency.HALF_YEAR: 6,
    Frequency.NINE_MONTHS: 9,
    Frequency.YEARLY: 12,
}


def keys(frequency: Frequency, years: range) -> list[PeriodKey]:
    first = PeriodKey(frequency, years[0], 1)
    result = [first]
    while result[-1].next().year < years[-1] + 1:
        result.append(result[-1].next())
    return result


def last_day(year: int, month: int) -> date:
    return date(year, month, calendar.monthrange(year, month)[1])


class WindowTableTests(SimpleTestCase):
    """Every frequency × cut-off {calendar, 14, 20, 28, end of month} × offset {0, 1}, over
    2027-2029 (2028 is a leap year) and so across two turns of the year."""

    def test_windows_tile_the_calendar_and_end_on_the_cut_off(self) -> None:
        for frequency in Frequency:
            for cutoff in CUTOFFS:
                for offset in OFFSETS:
                    with self.subTest(frequency=frequency, cutoff=cutoff, offset=offset):
                        self.check_combination(frequency, cutoff, offset)

    def check_combination(self, frequency: Frequency, cutoff: int, offset: int) -> None:
        previous_end: date | None = None
        for key in keys(frequency, range(2027, 2030)):
            start, end = period_window(key, cutoff, offset)
            (first_year, first_month), (last_year, last_month) = period_months(key, offset)
            shift = 0 if frequency == Frequency.MONTHLY else offset
            # The months: the calendar months of the period moved back by the offset.
            self.assertEqual((last_year * 12 + last_month) - (first_year * 12 + first_month) + 1, MONTHS[frequency])
            self.assertEqual(key.year * 12 + key.last_month - shift, last_year * 12 + last_month)
            # The end: the cut-off day of the last month, or its last day.
            if cutoff in (CALENDAR_MONTH, END_OF_MONTH):
                self.assertEqual(end, last_day(last_year, last_month))
                self.assertEqual(start, date(first_year, first_month, 1))
            else:
                self.assertEqual(end, date(last_year, last_month, cutoff))
                self.assertEqual(start - timedelta(days=1), period_window(key, cutoff, offset)[0] - timedelta(days=1))
                before = date(first_year, first_month, 1) - timedelta(days=1)
                self.assertEqual(start, date(before.year, before.month, cutoff) + timedelta(days=1))
            # Consecutive periods meet without gap or overlap (nine-month reports are yearly and
            # cumulative from the start of the year, so they leave the last quarter out).
            if previous_end is not None and frequency != Frequency.NINE_MONTHS:
                self.assertEqual(start, previous_end + timedelta(days=1))
            previous_end = end
            due = deadline(key, cutoff, 2, offset)
            self.assertGreater(due, end)
            self.assertTrue(is_working_day(due))

    def test_quarter_i_from_december_to_february_in_a_leap_year(self) -> None:
        q1 = PeriodKey(Frequency.QUARTERLY, 2028, 1)
        self.assertEqual(period_window(q1, END_OF_MONTH, 1), (date(2027, 12, 1), date(2028, 2, 29)))
        self.assertEqual(period_window(q1, CALENDAR_MONTH, 1), (date(2027, 12, 1), date(2028, 2, 29)))
        self.assertEqual(period_window(q1, 28, 1), (date(2027, 11, 29), date(2028, 2, 28)))
        self.assertEqual(period_window(q1, 14, 1), (date(2027, 11, 15), date(2028, 2, 14)))
        q1_2027 = PeriodKey(Frequency.QUARTERLY, 2027, 1)
        self.assertEqual(period_window(q1_2027, END_OF_MONTH, 1), (date(2026, 12, 1), date(2027, 2, 28)))

    def test_end_of_month_in_monthly_periods(self) -> None:
        february = PeriodKey(Frequency.MONTHLY, 2028, 2)
        self.assertEqual(period_window(february, END_OF_MONTH), (date(2028, 2, 1), date(2028, 2, 29)))
        december = PeriodKey(Frequency.MONTHLY, 2026, 12)
        self.assertEqual(period_window(december, END_OF_MONTH), (date(2026, 12, 1), date(2026, 12, 31)))
        # Monthly periods are never shifted.
        self.assertEqual(period_window(february, 14, 1), period_window(february, 14, 0))

    def test_offset_longer_periods(self) -> None:
        year = PeriodKey(Frequency.YEARLY, 2026, 1)
        self.assertEqual(period_window(year, CALENDAR_MONTH, 1), (date(2025, 12, 1), date(2026, 11, 30)))
        self.assertEqual(period_window(year, 20, 1), (date(2025, 11, 21), date(2026, 11, 20)))
        nine = PeriodKey(Frequency.NINE_MONTHS, 2026, 1)
        self.assertEqual(period_window(nine, END_OF_MONTH, 1), (date(2025, 12, 1), date(2026, 8, 31)))
        h2 = PeriodKey(Frequency.HALF_YEAR, 2026, 2)
        self.assertEqual(period_window(h2, 20, 1), (date(2026, 5, 21), date(2026, 11, 20)))

    def test_upcoming_periods_start_with_the_running_one(self) -> None:
        rows = upcoming_periods(Frequency.QUARTERLY, END_OF_MONTH, 2, 1, today=date(2026, 12, 5), count=3)
        self.assertEqual([row.key.slug() for row in rows], ["2027-Q1", "2027-Q2", "2027-Q3"])
        self.assertEqual((rows[0].start, rows[0].end), (date(2026, 12, 1), date(2027, 2, 28)))
        self.assertEqual(rows[0].deadline, date(2027, 3, 2))


def regime_post(regime, **changes):  # type: ignore[no-untyped-def]
    data = {
        "province": str(regime.province_id),
        "name": regime.name,
        "directive": regime.directive,
        "frequency": regime.frequency,
        "cutoff_day": str(regime.cutoff_day),
        "month_offset": str(regime.month_offset),
        "deadline_working_days": str(regime.deadline_working_days),
        "subject_template": regime.subject_template,
        "opening_template": regime.opening_template,
        "closing_template": regime.closing_template,
        "is_active": "on",
        "applies_to_all": "on",
        "directives-TOTAL_FORMS": "0",
        "directives-INITIAL_FORMS": "0",
        "targets-TOTAL_FORMS": "0",
        "targets-INITIAL_FORMS": "0",
        "sections-TOTAL_FORMS": "0",
        "sections-INITIAL_FORMS": "0",
    }
    data.update(changes)
    return data


class RegimeScheduleAdminTests(BaseTestCase):
    def setUp(self) -> None:
        super().setUp()
        self.regime = factories.make_regime(self.province)
        self.url = f"/admin/reports/reportingregime/{self.regime.pk}/change/"
        self.login(self.city_admin)

    def test_the_form_shows_the_next_periods_and_previews_unsaved_values(self) -> None:
        response = self.client.get(self.url)
        self.assertContains(response, "Các kỳ báo cáo tiếp theo")
        self.assertContains(response, "Hạn gửi")
        response = self.client.post(self.url, regime_post(self.regime, cutoff_day="20", preview_only="on"))
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, "Đây là bản xem trước các kỳ báo cáo")
        # The preview follows the typed cut-off (20), not the stored one (14).
        self.assertContains(response, "/20")
        self.assertNotContains(response, "<td>15/")
        self.regime.refresh_from_db()
        self.assertEqual(self.regime.cutoff_day, 14)

    def test_changing_the_cut_off_names_the_periods_it_changes_and_asks_to_confirm(self) -> None:
        sent = factories.make_period(self.regime, "2026-04")
        untouched = factories.make_period(self.regime, "2026-05")
        report = factories.make_report(self.commune_a, sent, status=ReportStatus.SUBMITTED)
        Submission.objects.create(
            report=report, sequence=1, submitted_at=sent.start, submitted_by=self.leader_a,
            deadline=sent.deadline, on_time=True, content={},
        )  # fmt: skip
        response = self.client.post(self.url, regime_post(self.regime, cutoff_day="20"))
        self.assertEqual(response.status_code, 200)
        self.assertContains(
            response, "Sẽ tính lại (chưa có báo cáo nào được gửi): tháng 5 năm 2026: 15/4/2026–14/5/2026"
        )
        self.assertContains(response, "Giữ nguyên vì đã có báo cáo được gửi")
        self.regime.refresh_from_db()
        self.assertEqual(self.regime.cutoff_day, 14)

        response = self.client.post(self.url, regime_post(self.regime, cutoff_day="20", confirm_schedule_change="on"))
        self.assertEqual(response.status_code, 302)
        untouched.refresh_from_db()
        self.assertEqual((untouched.start, untouched.end), (date(2026, 4, 21), date(2026, 5, 20)))
        change = PeriodChange.objects.get(period=untouched)
        self.assertEqual(change.changes[0], {"path": "start", "old": "2026-04-15", "new": "2026-04-21"})
        sent.refresh_from_db()
        self.assertEqual(sent.end, date(2026, 4, 14))
        self.assertFalse(PeriodChange.objects.filter(period=sent).exists())

    def test_the_frequency_of_a_regime_with_periods_cannot_change(self) -> None:
        factories.make_period(self.regime, "2026-05")
        response = self.client.post(self.url, regime_post(self.regime, frequency="quarterly"))
        self.assertContains(response, "không đổi được tần suất")


class DeadlineCorrectionTests(BaseTestCase):
    def setUp(self) -> None:
        super().setUp()
        self.regime = factories.make_regime(self.province)
        self.period = factories.make_period(self.regime, "2026-05")

    def test_an_open_period_deadline_is_corrected_with_its_history(self) -> None:
        self.login(self.city_admin)
        url = f"/admin/reports/period/{self.period.pk}/change/"
        history = {"changes-TOTAL_FORMS": "0", "changes-INITIAL_FORMS": "0"}
        response = self.client.post(url, {"deadline": "2026-05-25", "reason": "", **history})
        self.assertContains(response, "Hãy ghi lý do điều chỉnh hạn gửi.")
        response = self.client.post(url, {"deadline": "2026-05-10", "reason": "Gia hạn", **history})
        self.assertContains(response, "Hạn gửi phải sau ngày chốt số liệu của kỳ (14/5/2026).")
        response = self.client.post(
            url, {"deadline": "2026-05-25", "reason": "Gia hạn theo Công văn số 200", **history}
        )
        self.assertEqual(response.status_code, 302)
        self.period.refresh_from_db()
        self.assertEqual(self.period.deadline, date(2026, 5, 25))
        change = PeriodChange.objects.get(period=self.period)
        self.assertEqual(change.changes, [{"path": "deadline", "old": "2026-05-18", "new": "2026-05-25"}])
        self.assertEqual((change.by, change.reason), (self.city_admin, "Gia hạn theo Công văn số 200"))

    def test_a_period_whose_reports_are_all_issued_is_closed(self) -> None:
        for commune in (self.commune_a, self.commune_b):
            factories.make_report(commune, self.period, status=ReportStatus.ISSUED)
        with self.assertRaisesMessage(ValidationError, "không điều chỉnh hạn gửi được nữa"):
            schedule.correct_deadline(period=self.period, deadline=date(2026, 5, 25), reason="x", by=None)
        self.login(self.city_admin)
        response = self.client.get(f"/admin/reports/period/{self.period.pk}/change/")
        self.assertNotContains(response, 'name="deadline"')
