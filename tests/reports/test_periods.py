"""Tests for reports.periods.

Every expected date below was worked out by hand from a printed calendar (weekdays noted in the
comments), and holiday dates from the published 2026 schedule, not from the program's output.
"""

import unicodedata
from datetime import date

from django.test import SimpleTestCase

from reports.periods import (
    CALENDAR_MONTH,
    Frequency,
    PeriodKey,
    add_working_days,
    deadline,
    is_late,
    is_working_day,
    period_window,
    vietnamese_holidays,
)


def monthly(year: int, month: int) -> PeriodKey:
    return PeriodKey(Frequency.MONTHLY, year, month)


class PeriodKeyTests(SimpleTestCase):
    def test_accepts_the_database_string_for_the_frequency(self) -> None:
        key = PeriodKey("quarterly", 2026, 1)  # type: ignore[arg-type]
        self.assertIs(key.frequency, Frequency.QUARTERLY)
        self.assertEqual(key, PeriodKey(Frequency.QUARTERLY, 2026, 1))

    def test_rejects_a_number_outside_the_frequency(self) -> None:
        for frequency, number in [
            (Frequency.MONTHLY, 0),
            (Frequency.MONTHLY, 13),
            (Frequency.QUARTERLY, 5),
            (Frequency.HALF_YEAR, 3),
            (Frequency.NINE_MONTHS, 2),
            (Frequency.YEARLY, 2),
        ]:
            with self.subTest(frequency=frequency, number=number), self.assertRaises(ValueError):
                PeriodKey(frequency, 2026, number)

    def test_rejects_an_unknown_frequency_and_a_year_out_of_range(self) -> None:
        with self.assertRaisesMessage(ValueError, "Tần suất báo cáo không hợp lệ: weekly"):
            PeriodKey("weekly", 2026, 1)  # type: ignore[arg-type]
        with self.assertRaisesMessage(ValueError, "Năm báo cáo phải từ 2000 đến 2099: 2150"):
            PeriodKey(Frequency.YEARLY, 2150, 1)

    def test_orders_by_year_then_number(self) -> None:
        keys = [monthly(2026, 1), monthly(2025, 12), monthly(2026, 10), monthly(2026, 2)]
        self.assertEqual(sorted(keys), [monthly(2025, 12), monthly(2026, 1), monthly(2026, 2), monthly(2026, 10)])


class PeriodKeyParseTests(SimpleTestCase):
    def test_parses_each_frequency(self) -> None:
        cases = [
            ("2026-05", Frequency.MONTHLY, monthly(2026, 5)),
            ("2026-12", Frequency.MONTHLY, monthly(2026, 12)),
            ("2026-Q1", Frequency.QUARTERLY, PeriodKey(Frequency.QUARTERLY, 2026, 1)),
            ("2026-H2", Frequency.HALF_YEAR, PeriodKey(Frequency.HALF_YEAR, 2026, 2)),
            ("2026-9M", Frequency.NINE_MONTHS, PeriodKey(Frequency.NINE_MONTHS, 2026, 1)),
            ("2026", Frequency.YEARLY, PeriodKey(Frequency.YEARLY, 2026, 1)),
        ]
        for text, frequency, expected in cases:
            with self.subTest(text=text):
                self.assertEqual(PeriodKey.parse(text, frequency), expected)
                self.assertEqual(PeriodKey.parse(text, None), expected)

    def test_defaults_to_monthly(self) -> None:
        self.assertEqual(PeriodKey.parse("2026-05"), monthly(2026, 5))

    def test_slug_round_trips_through_parse(self) -> None:
        keys = [
            monthly(2026, 2),
            monthly(2026, 11),
            PeriodKey(Frequency.QUARTERLY, 2026, 4),
            PeriodKey(Frequency.HALF_YEAR, 2026, 1),
            PeriodKey(Frequency.NINE_MONTHS, 2026, 1),
            PeriodKey(Frequency.YEARLY, 2027, 1),
        ]
        for key in keys:
            with self.subTest(key=key):
                self.assertEqual(PeriodKey.parse(key.slug(), key.frequency), key)

    def test_slugs(self) -> None:
        self.assertEqual(monthly(2026, 5).slug(), "2026-05")
        self.assertEqual(PeriodKey(Frequency.QUARTERLY, 2026, 1).slug(), "2026-Q1")
        self.assertEqual(PeriodKey(Frequency.HALF_YEAR, 2026, 2).slug(), "2026-H2")
        self.assertEqual(PeriodKey(Frequency.NINE_MONTHS, 2026, 1).slug(), "2026-9M")
        self.assertEqual(PeriodKey(Frequency.YEARLY, 2026, 1).slug(), "2026")

    def test_bad_input_gives_a_vietnamese_message_naming_it(self) -> None:
        for text in ["2026-13", "2026-00", "2026-5", "2026/05", "abcd", "", "26-05", "2026-05-01"]:
            with self.subTest(text=text):
                with self.assertRaises(ValueError) as caught:
                    PeriodKey.parse(text)
                self.assertEqual(str(caught.exception), f"Kỳ báo cáo không hợp lệ: {text}")

    def test_bad_input_for_other_frequencies(self) -> None:
        cases = [
            ("2026-Q5", Frequency.QUARTERLY),
            ("2026-Q0", Frequency.QUARTERLY),
            ("2026-q1", Frequency.QUARTERLY),
            ("2026-H3", Frequency.HALF_YEAR),
            ("2026-6M", Frequency.NINE_MONTHS),
            ("1999", Frequency.YEARLY),
            ("2026-13", None),
        ]
        for text, frequency in cases:
            with self.subTest(text=text), self.assertRaisesMessage(ValueError, text):
                PeriodKey.parse(text, frequency)

    def test_rejects_a_slug_of_another_frequency(self) -> None:
        # A monthly regime must not accept a quarterly period by accident.
        with self.assertRaisesMessage(ValueError, "Kỳ báo cáo không hợp lệ: 2026-Q1"):
            PeriodKey.parse("2026-Q1")
        with self.assertRaisesMessage(ValueError, "Kỳ báo cáo không hợp lệ: 2026-05"):
            PeriodKey.parse("2026-05", Frequency.YEARLY)


class PeriodKeyNavigationTests(SimpleTestCase):
    def test_monthly_previous_and_next_cross_the_year(self) -> None:
        self.assertEqual(monthly(2026, 1).previous(), monthly(2025, 12))
        self.assertEqual(monthly(2025, 12).next(), monthly(2026, 1))
        self.assertEqual(monthly(2026, 5).previous(), monthly(2026, 4))
        self.assertEqual(monthly(2026, 5).next(), monthly(2026, 6))

    def test_quarterly_and_half_year_cross_the_year(self) -> None:
        q1 = PeriodKey(Frequency.QUARTERLY, 2026, 1)
        self.assertEqual(q1.previous(), PeriodKey(Frequency.QUARTERLY, 2025, 4))
        self.assertEqual(q1.next(), PeriodKey(Frequency.QUARTERLY, 2026, 2))
        self.assertEqual(PeriodKey(Frequency.QUARTERLY, 2026, 4).next(), PeriodKey(Frequency.QUARTERLY, 2027, 1))
        h2 = PeriodKey(Frequency.HALF_YEAR, 2026, 2)
        self.assertEqual(h2.next(), PeriodKey(Frequency.HALF_YEAR, 2027, 1))
        self.assertEqual(h2.previous(), PeriodKey(Frequency.HALF_YEAR, 2026, 1))
        self.assertEqual(PeriodKey(Frequency.HALF_YEAR, 2026, 1).previous(), PeriodKey(Frequency.HALF_YEAR, 2025, 2))

    def test_nine_months_and_yearly_step_a_year(self) -> None:
        nine = PeriodKey(Frequency.NINE_MONTHS, 2026, 1)
        self.assertEqual(nine.previous(), PeriodKey(Frequency.NINE_MONTHS, 2025, 1))
        self.assertEqual(nine.next(), PeriodKey(Frequency.NINE_MONTHS, 2027, 1))
        year = PeriodKey(Frequency.YEARLY, 2026, 1)
        self.assertEqual(year.previous(), PeriodKey(Frequency.YEARLY, 2025, 1))
        self.assertEqual(year.next(), PeriodKey(Frequency.YEARLY, 2027, 1))


class PeriodLabelTests(SimpleTestCase):
    def test_monthly_labels_pad_only_january_and_february(self) -> None:
        self.assertEqual(monthly(2026, 1).label(), "tháng 01 năm 2026")
        self.assertEqual(monthly(2026, 2).label(), "tháng 02 năm 2026")
        self.assertEqual(monthly(2026, 3).label(), "tháng 3 năm 2026")
        self.assertEqual(monthly(2026, 5).label(), "tháng 5 năm 2026")
        self.assertEqual(monthly(2026, 12).label(), "tháng 12 năm 2026")

    def test_month_text_follows_the_same_padding(self) -> None:
        self.assertEqual(monthly(2026, 2).month_text(), "02")
        self.assertEqual(monthly(2026, 5).month_text(), "5")
        self.assertEqual(monthly(2026, 10).month_text(), "10")

    def test_month_text_is_only_for_monthly_periods(self) -> None:
        with self.assertRaisesMessage(ValueError, "Kỳ báo cáo không phải kỳ tháng: 2026-Q1"):
            PeriodKey(Frequency.QUARTERLY, 2026, 1).month_text()

    def test_other_frequency_labels(self) -> None:
        cases = [
            (PeriodKey(Frequency.QUARTERLY, 2026, 1), "quý I năm 2026"),
            (PeriodKey(Frequency.QUARTERLY, 2026, 2), "quý II năm 2026"),
            (PeriodKey(Frequency.QUARTERLY, 2026, 3), "quý III năm 2026"),
            (PeriodKey(Frequency.QUARTERLY, 2026, 4), "quý IV năm 2026"),
            (PeriodKey(Frequency.HALF_YEAR, 2026, 1), "6 tháng đầu năm 2026"),
            (PeriodKey(Frequency.HALF_YEAR, 2026, 2), "6 tháng cuối năm 2026"),
            (PeriodKey(Frequency.NINE_MONTHS, 2026, 1), "9 tháng đầu năm 2026"),
            (PeriodKey(Frequency.YEARLY, 2026, 1), "năm 2026"),
        ]
        for key, expected in cases:
            with self.subTest(key=key):
                self.assertEqual(key.label(), expected)

    def test_labels_are_nfc(self) -> None:
        keys = [
            monthly(2026, 2),
            PeriodKey(Frequency.QUARTERLY, 2026, 1),
            PeriodKey(Frequency.HALF_YEAR, 2026, 1),
        ]
        for key in keys:
            with self.subTest(key=key):
                self.assertTrue(unicodedata.is_normalized("NFC", key.label()))


class PeriodWindowTests(SimpleTestCase):
    def test_monthly_cutoff_14_matches_the_hung_thang_seed(self) -> None:
        # "số liệu từ ngày 15/4/2026 đến hết ngày 14/5/2026" (tháng 5 năm 2026).
        self.assertEqual(period_window(monthly(2026, 5), 14), (date(2026, 4, 15), date(2026, 5, 14)))

    def test_monthly_cutoff_14_matches_the_binh_giang_seed(self) -> None:
        # "Từ ngày 15/01/2026 đến ngày 14/02/2026" (tháng 02 năm 2026).
        self.assertEqual(period_window(monthly(2026, 2), 14), (date(2026, 1, 15), date(2026, 2, 14)))

    def test_january_starts_in_december_of_the_previous_year(self) -> None:
        self.assertEqual(period_window(monthly(2026, 1), 14), (date(2025, 12, 15), date(2026, 1, 14)))
        self.assertEqual(period_window(monthly(2026, 1), 20), (date(2025, 12, 21), date(2026, 1, 20)))

    def test_december_stays_in_its_year(self) -> None:
        self.assertEqual(period_window(monthly(2025, 12), 14), (date(2025, 11, 15), date(2025, 12, 14)))

    def test_monthly_cutoff_20(self) -> None:
        self.assertEqual(period_window(monthly(2026, 5), 20), (date(2026, 4, 21), date(2026, 5, 20)))

    def test_consecutive_windows_touch_without_gap_or_overlap(self) -> None:
        for cutoff in (CALENDAR_MONTH, 1, 14, 20, 28):
            key = monthly(2025, 11)
            for _ in range(30):
                with self.subTest(cutoff=cutoff, key=key):
                    this_end = period_window(key, cutoff)[1]
                    next_start = period_window(key.next(), cutoff)[0]
                    self.assertEqual((next_start - this_end).days, 1)
                key = key.next()

    def test_cutoff_28_across_a_short_and_a_leap_february(self) -> None:
        # February 2026 has 28 days, so the March window starts on 1 March.
        self.assertEqual(period_window(monthly(2026, 3), 28), (date(2026, 3, 1), date(2026, 3, 28)))
        # 2028 is a leap year: the March window starts on 29 February.
        self.assertEqual(period_window(monthly(2028, 3), 28), (date(2028, 2, 29), date(2028, 3, 28)))

    def test_cutoff_1(self) -> None:
        self.assertEqual(period_window(monthly(2026, 5), 1), (date(2026, 4, 2), date(2026, 5, 1)))

    def test_calendar_months(self) -> None:
        self.assertEqual(period_window(monthly(2026, 5), CALENDAR_MONTH), (date(2026, 5, 1), date(2026, 5, 31)))
        self.assertEqual(period_window(monthly(2026, 4), CALENDAR_MONTH), (date(2026, 4, 1), date(2026, 4, 30)))
        self.assertEqual(period_window(monthly(2025, 12), CALENDAR_MONTH), (date(2025, 12, 1), date(2025, 12, 31)))

    def test_calendar_february_in_a_common_and_a_leap_year(self) -> None:
        self.assertEqual(period_window(monthly(2026, 2), CALENDAR_MONTH), (date(2026, 2, 1), date(2026, 2, 28)))
        self.assertEqual(period_window(monthly(2028, 2), CALENDAR_MONTH), (date(2028, 2, 1), date(2028, 2, 29)))

    def test_quarterly_windows_cutoff_14(self) -> None:
        cases = [
            (1, date(2025, 12, 15), date(2026, 3, 14)),
            (2, date(2026, 3, 15), date(2026, 6, 14)),
            (3, date(2026, 6, 15), date(2026, 9, 14)),
            (4, date(2026, 9, 15), date(2026, 12, 14)),
        ]
        for number, start, end in cases:
            with self.subTest(quarter=number):
                self.assertEqual(period_window(PeriodKey(Frequency.QUARTERLY, 2026, number), 14), (start, end))

    def test_quarterly_calendar_windows(self) -> None:
        q1 = PeriodKey(Frequency.QUARTERLY, 2026, 1)
        q4 = PeriodKey(Frequency.QUARTERLY, 2026, 4)
        self.assertEqual(period_window(q1, CALENDAR_MONTH), (date(2026, 1, 1), date(2026, 3, 31)))
        self.assertEqual(period_window(q4, CALENDAR_MONTH), (date(2026, 10, 1), date(2026, 12, 31)))

    def test_half_year_windows(self) -> None:
        h1 = PeriodKey(Frequency.HALF_YEAR, 2026, 1)
        h2 = PeriodKey(Frequency.HALF_YEAR, 2026, 2)
        self.assertEqual(period_window(h1, 14), (date(2025, 12, 15), date(2026, 6, 14)))
        self.assertEqual(period_window(h2, 14), (date(2026, 6, 15), date(2026, 12, 14)))
        self.assertEqual(period_window(h1, CALENDAR_MONTH), (date(2026, 1, 1), date(2026, 6, 30)))
        self.assertEqual(period_window(h2, CALENDAR_MONTH), (date(2026, 7, 1), date(2026, 12, 31)))

    def test_nine_months_is_cumulative_from_the_start_of_the_year(self) -> None:
        nine = PeriodKey(Frequency.NINE_MONTHS, 2026, 1)
        self.assertEqual(period_window(nine, 14), (date(2025, 12, 15), date(2026, 9, 14)))
        self.assertEqual(period_window(nine, CALENDAR_MONTH), (date(2026, 1, 1), date(2026, 9, 30)))

    def test_yearly_windows(self) -> None:
        year = PeriodKey(Frequency.YEARLY, 2026, 1)
        self.assertEqual(period_window(year, 14), (date(2025, 12, 15), date(2026, 12, 14)))
        self.assertEqual(period_window(year, 20), (date(2025, 12, 21), date(2026, 12, 20)))
        self.assertEqual(period_window(year, CALENDAR_MONTH), (date(2026, 1, 1), date(2026, 12, 31)))

    def test_rejects_a_cutoff_day_outside_0_to_28_and_31(self) -> None:
        for cutoff in (-1, 29, 30, 32):
            with self.subTest(cutoff=cutoff), self.assertRaisesMessage(ValueError, "Ngày chốt số liệu"):
                period_window(monthly(2026, 5), cutoff)


class HolidayTests(SimpleTestCase):
    def test_2026_holidays(self) -> None:
        # Checked against the published 2026 schedule: Tết Bính Ngọ (mùng 1 = Tuesday 17/2) is
        # 16-20/2, which with the two weekends is the civil servants' 14/2-22/2 break; Giỗ Tổ
        # falls on Sunday 26/4 and is made up on Monday 27/4; 30/4 and 1/5 are Thursday and
        # Friday. 31/8 (swapped with Saturday 22/8) and 24/11 (Ngày Văn hóa Việt Nam) come
        # from the holidays package; pinning them shows if an upgrade changes them.
        expected = {
            date(2026, 1, 1),
            date(2026, 2, 16),
            date(2026, 2, 17),
            date(2026, 2, 18),
            date(2026, 2, 19),
            date(2026, 2, 20),
            date(2026, 4, 26),
            date(2026, 4, 27),
            date(2026, 4, 30),
            date(2026, 5, 1),
            date(2026, 8, 31),
            date(2026, 9, 1),
            date(2026, 9, 2),
            date(2026, 11, 24),
        }
        self.assertEqual(vietnamese_holidays(2026), expected)

    def test_holidays_follow_the_lunar_calendar(self) -> None:
        # Tết Nguyên Đán 2025 was Wednesday 29/1; 2027 falls on Saturday 6/2.
        self.assertIn(date(2025, 1, 29), vietnamese_holidays(2025))
        self.assertIn(date(2027, 2, 6), vietnamese_holidays(2027))

    def test_returned_set_can_be_changed_by_the_caller_safely(self) -> None:
        vietnamese_holidays(2026).clear()
        self.assertIn(date(2026, 2, 17), vietnamese_holidays(2026))

    def test_working_days(self) -> None:
        cases = [
            (date(2026, 5, 14), True),  # Thursday
            (date(2026, 5, 16), False),  # Saturday
            (date(2026, 5, 17), False),  # Sunday
            (date(2026, 2, 17), False),  # Tết Nguyên Đán, Tuesday
            (date(2026, 2, 23), True),  # Monday after the Tết break
            (date(2026, 4, 27), False),  # Giỗ Tổ made up on Monday
            (date(2026, 9, 2), False),  # Quốc khánh, Wednesday
            (date(2026, 1, 1), False),  # Tết Dương lịch, Thursday
        ]
        for day, expected in cases:
            with self.subTest(day=day):
                self.assertIs(is_working_day(day), expected)

    def test_a_saturday_worked_in_a_day_swap_is_a_working_day(self) -> None:
        # 2025: Saturday 26/4 worked for Friday 2/5; 2026: Saturday 22/8 for Monday 31/8.
        self.assertTrue(is_working_day(date(2025, 4, 26)))
        self.assertFalse(is_working_day(date(2025, 5, 2)))
        self.assertTrue(is_working_day(date(2026, 8, 22)))
        self.assertFalse(is_working_day(date(2026, 8, 31)))


class AddWorkingDaysTests(SimpleTestCase):
    def test_zero_days_returns_the_start_even_on_a_holiday(self) -> None:
        self.assertEqual(add_working_days(date(2026, 2, 17), 0), date(2026, 2, 17))

    def test_start_is_not_counted(self) -> None:
        # Monday 18/5/2026 -> Tuesday 19/5.
        self.assertEqual(add_working_days(date(2026, 5, 18), 1), date(2026, 5, 19))

    def test_skips_a_weekend(self) -> None:
        # Friday 15/5/2026 + 1 -> Monday 18/5.
        self.assertEqual(add_working_days(date(2026, 5, 15), 1), date(2026, 5, 18))

    def test_negative_days_are_rejected(self) -> None:
        with self.assertRaisesMessage(ValueError, "Số ngày làm việc không được âm: -1"):
            add_working_days(date(2026, 5, 15), -1)


class DeadlineTests(SimpleTestCase):
    def test_weekend_only(self) -> None:
        # May 2026 ends Thursday 14/5: Friday 15/5 is day 1, Monday 18/5 day 2.
        self.assertEqual(deadline(monthly(2026, 5), 14, 2), date(2026, 5, 18))
        # Q1 2026 ends Saturday 14/3: Monday 16/3 is day 1, Tuesday 17/3 day 2.
        self.assertEqual(deadline(PeriodKey(Frequency.QUARTERLY, 2026, 1), 14, 2), date(2026, 3, 17))

    def test_zero_working_days_is_the_cutoff(self) -> None:
        self.assertEqual(deadline(monthly(2026, 5), 14, 0), date(2026, 5, 14))

    def test_crosses_tet_2026(self) -> None:
        # February 2026 ends Saturday 14/2, the first day of the 14/2-22/2 Tết break;
        # the first working day is Monday 23/2, the second Tuesday 24/2.
        self.assertEqual(deadline(monthly(2026, 2), 14, 1), date(2026, 2, 23))
        self.assertEqual(deadline(monthly(2026, 2), 14, 2), date(2026, 2, 24))

    def test_crosses_30_april_and_1_may(self) -> None:
        # April 2026 with cut-off 28 ends Tuesday 28/4: Wednesday 29/4 is day 1; Thursday 30/4
        # and Friday 1/5 are holidays, then the weekend; Monday 4/5 is day 2.
        self.assertEqual(deadline(monthly(2026, 4), 28, 2), date(2026, 5, 4))

    def test_crosses_gio_to_and_30_april(self) -> None:
        # Cut-off Friday 24/4/2026; weekend 25-26/4 (Giỗ Tổ on the Sunday), 27/4 made up;
        # Tuesday 28/4 day 1, Wednesday 29/4 day 2, 30/4-3/5 off, Monday 4/5 day 3.
        self.assertEqual(deadline(monthly(2026, 4), 24, 3), date(2026, 5, 4))

    def test_crosses_national_day(self) -> None:
        # September 2026 with cut-off 1 ends on the holiday Tuesday 1/9; Wednesday 2/9 is off;
        # Thursday 3/9 is day 1.
        self.assertEqual(deadline(monthly(2026, 9), 1, 1), date(2026, 9, 3))
        # 2025: August ends Thursday 28/8; Friday 29/8 day 1; weekend; 1/9 and 2/9 (Monday and
        # Tuesday) off; Wednesday 3/9 day 2.
        self.assertEqual(deadline(monthly(2025, 8), 28, 2), date(2025, 9, 3))

    def test_crosses_the_2026_national_day_bridge(self) -> None:
        # August 2026 with cut-off 28 ends Friday 28/8; 29-30/8 weekend, 31/8 swapped day off,
        # 1-2/9 Quốc khánh; Thursday 3/9 is day 1.
        self.assertEqual(deadline(monthly(2026, 8), 28, 1), date(2026, 9, 3))

    def test_counts_a_swapped_working_saturday(self) -> None:
        # August 2026 with cut-off 20 ends Thursday 20/8: Friday 21/8 day 1, Saturday 22/8
        # (worked in exchange for 31/8) day 2.
        self.assertEqual(deadline(monthly(2026, 8), 20, 2), date(2026, 8, 22))

    def test_crosses_new_year(self) -> None:
        # Calendar December 2025 ends Wednesday 31/12; Thursday 1/1/2026 is Tết Dương lịch;
        # Friday 2/1 is day 1.
        self.assertEqual(deadline(monthly(2025, 12), CALENDAR_MONTH, 1), date(2026, 1, 2))


class IsLateTests(SimpleTestCase):
    """The one definition of "late": the first submission after the stored deadline, or none by then."""

    DEADLINE = date(2026, 5, 18)

    def test_the_whole_table(self) -> None:
        before, on, after = date(2026, 5, 15), self.DEADLINE, date(2026, 5, 20)
        expected = {
            # (today, first_on_time): late
            (before, None): False,  # not sent yet, still time
            (on, None): False,  # the deadline day itself is still on time
            (after, None): True,  # not sent and the deadline passed
            (before, True): False,
            (after, True): False,  # first sent on time, then returned or amended: stays on time
            (before, False): True,  # cannot happen before the deadline, but the first sending decides
            (after, False): True,  # first sent after the deadline, whatever happened since
        }
        for (today, first_on_time), late in expected.items():
            with self.subTest(today=today, first_on_time=first_on_time):
                self.assertEqual(is_late(self.DEADLINE, today=today, first_on_time=first_on_time), late)
