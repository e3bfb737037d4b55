"""Reporting periods: keys, cut-off windows, labels and working-day deadlines.

Pure Python (no ORM). The legal rules are summarised in ../shared/reference/standards.md §4
(NĐ 09/2019/NĐ-CP) and the date conventions in §1 and §3.3 (NĐ 30/2020/NĐ-CP).
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date, timedelta
from enum import StrEnum
from functools import lru_cache

import holidays

from reports.rendering.formatting import month_text


class Frequency(StrEnum):
    """How often a reporting regime reports; the values are stored in the database."""

    MONTHLY = "monthly"
    QUARTERLY = "quarterly"
    HALF_YEAR = "half_year"
    NINE_MONTHS = "nine_months"
    YEARLY = "yearly"


# A regime's cut-off day: 1..28 means "the window ends on that day of the period's last month"
# (NĐ 09/2019 Điều 12 uses 14, standards.md §4; other provinces use e.g. 20). 28 is the ceiling
# of a fixed day because every month has a 28th, so every window has the same shape. 0 means
# calendar periods; END_OF_MONTH cuts off on each month's last day (28, 29, 30 or 31), which a
# province writes as "đến hết ngày cuối tháng" - the same windows as calendar periods, kept as
# its own choice because that is how the city's document words it.
CALENDAR_MONTH = 0
MAX_CUTOFF_DAY = 28
END_OF_MONTH = 31
CUTOFF_CHOICES: tuple[tuple[int, str], ...] = (
    (CALENDAR_MONTH, "Theo tháng dương lịch (từ ngày 01 đến ngày cuối tháng)"),
    *((day, f"Ngày {day}") for day in range(1, MAX_CUTOFF_DAY + 1)),
    (END_OF_MONTH, "Ngày cuối tháng"),
)
# Some provinces shift longer periods back by whole months (quý I = December to February):
# the offset is how many months each quarter, half-year, nine-month or year period starts
# before its calendar months. Monthly periods are never shifted.
MAX_MONTH_OFFSET = 2

# NĐ 09/2019 Điều 8.5 requires at least 01 working day between the cut-off and the sending
# deadline (standards.md §4); regime validation should use this as the minimum.
MIN_DEADLINE_WORKING_DAYS = 1

# The Vietnamese lunar calendar in the `holidays` package covers 1901-2100 only; outside it the
# package silently drops Tết and Giỗ Tổ. Report years are kept well inside so that every window
# (which may start in the previous year) and every deadline (which may spill into the next) stays
# covered.
MIN_YEAR = 2000
MAX_YEAR = 2099
_HOLIDAY_YEARS = range(1901, 2101)

# Number of periods per year and months per period, per frequency.
_PERIODS_PER_YEAR: dict[Frequency, int] = {
    Frequency.MONTHLY: 12,
    Frequency.QUARTERLY: 4,
    Frequency.HALF_YEAR: 2,
    Frequency.NINE_MONTHS: 1,
    Frequency.YEARLY: 1,
}
_MONTHS_PER_PERIOD: dict[Frequency, int] = {
    Frequency.MONTHLY: 1,
    Frequency.QUARTERLY: 3,
    Frequency.HALF_YEAR: 6,
    Frequency.NINE_MONTHS: 9,
    Frequency.YEARLY: 12,
}

# One canonical spelling per period, so a period has exactly one URL and one slug.
_SLUG_PATTERNS: dict[Frequency, re.Pattern[str]] = {
    Frequency.MONTHLY: re.compile(r"(?P<year>\d{4})-(?P<number>\d{2})"),
    Frequency.QUARTERLY: re.compile(r"(?P<year>\d{4})-Q(?P<number>\d)"),
    Frequency.HALF_YEAR: re.compile(r"(?P<year>\d{4})-H(?P<number>\d)"),
    Frequency.NINE_MONTHS: re.compile(r"(?P<year>\d{4})-9M"),
    Frequency.YEARLY: re.compile(r"(?P<year>\d{4})"),
}

_ROMAN_QUARTERS = ("I", "II", "III", "IV")
_NOUNS: dict[Frequency, str] = {
    Frequency.MONTHLY: "tháng",
    Frequency.QUARTERLY: "quý",
    Frequency.HALF_YEAR: "6 tháng",
    Frequency.NINE_MONTHS: "9 tháng",
    Frequency.YEARLY: "năm",
}


@dataclass(frozen=True, order=True)
class PeriodKey:
    """A regime-independent identifier of a period, e.g. monthly 2026/5 or quarterly 2026/1.

    `number` is 1-12 for monthly, 1-4 for quarterly, 1-2 for half-year and 1 for nine-month and
    yearly periods.
    """

    frequency: Frequency
    year: int
    number: int

    def __post_init__(self) -> None:
        # Accept the raw database string ("monthly") as well as the enum member.
        try:
            frequency = Frequency(self.frequency)
        except ValueError:
            raise ValueError(f"Tần suất báo cáo không hợp lệ: {self.frequency}") from None
        object.__setattr__(self, "frequency", frequency)
        if not MIN_YEAR <= self.year <= MAX_YEAR:
            raise ValueError(f"Năm báo cáo phải từ {MIN_YEAR} đến {MAX_YEAR}: {self.year}")
        if not 1 <= self.number <= _PERIODS_PER_YEAR[frequency]:
            raise ValueError(f"Số thứ tự kỳ báo cáo không hợp lệ: {self.number}")

    @classmethod
    def parse(cls, text: str, frequency: Frequency | None = Frequency.MONTHLY) -> PeriodKey:
        """Read a slug written by `slug()`.

        The text must be a slug of `frequency` ("2026-05" for monthly, "2026-Q1", "2026-H1",
        "2026-9M", "2026"), so a monthly regime cannot be handed a quarterly key by mistake.
        With `frequency=None` the frequency is read from the text.
        """
        candidates = list(Frequency) if frequency is None else [Frequency(frequency)]
        stripped = text.strip()
        for candidate in candidates:
            match = _SLUG_PATTERNS[candidate].fullmatch(stripped)
            if match is None:
                continue
            number = int(match.group("number")) if "number" in match.groupdict() else 1
            try:
                return cls(candidate, int(match.group("year")), number)
            except ValueError:
                break
        raise ValueError(f"Kỳ báo cáo không hợp lệ: {text}")

    def slug(self) -> str:
        match self.frequency:
            case Frequency.MONTHLY:
                return f"{self.year:04d}-{self.number:02d}"
            case Frequency.QUARTERLY:
                return f"{self.year:04d}-Q{self.number}"
            case Frequency.HALF_YEAR:
                return f"{self.year:04d}-H{self.number}"
            case Frequency.NINE_MONTHS:
                return f"{self.year:04d}-9M"
            case Frequency.YEARLY:
                return f"{self.year:04d}"

    def previous(self) -> PeriodKey:
        if self.number > 1:
            return PeriodKey(self.frequency, self.year, self.number - 1)
        return PeriodKey(self.frequency, self.year - 1, _PERIODS_PER_YEAR[self.frequency])

    def next(self) -> PeriodKey:
        if self.number < _PERIODS_PER_YEAR[self.frequency]:
            return PeriodKey(self.frequency, self.year, self.number + 1)
        return PeriodKey(self.frequency, self.year + 1, 1)

    def label(self) -> str:
        """The period as it reads inside a sentence: "tháng 5 năm 2026", "quý I năm 2026"."""
        match self.frequency:
            case Frequency.MONTHLY:
                return f"tháng {self.month_text()} năm {self.year}"
            case Frequency.QUARTERLY:
                return f"quý {_ROMAN_QUARTERS[self.number - 1]} năm {self.year}"
            case Frequency.HALF_YEAR:
                half = "đầu" if self.number == 1 else "cuối"
                return f"6 tháng {half} năm {self.year}"
            case Frequency.NINE_MONTHS:
                # Official usage, like "6 tháng đầu năm": the first nine months of the year.
                return f"9 tháng đầu năm {self.year}"
            case Frequency.YEARLY:
                return f"năm {self.year}"

    def noun(self) -> str:
        """What the period is called in "trong {noun} tới": "tháng", "quý", "6 tháng", "9 tháng", "năm"."""
        return _NOUNS[self.frequency]

    def next_label(self) -> str:
        """The period a report's "tasks for the next period" section is about.

        After nine months only the rest of the year remains ("3 tháng cuối năm 2026"), which is how
        nine-month reports title that section; every other kind names its next period.
        """
        if self.frequency == Frequency.NINE_MONTHS:
            return f"3 tháng cuối năm {self.year}"
        return self.next().label()

    def month_text(self) -> str:
        """The month number as written in a monthly report's title: "5", "02"."""
        if self.frequency != Frequency.MONTHLY:
            raise ValueError(f"Kỳ báo cáo không phải kỳ tháng: {self.slug()}")
        return month_text(self.number)

    @property
    def first_month(self) -> int:
        # A nine-month report is cumulative from the start of the year (standards.md §4:
        # window 15/12 of the previous year to 14/9), so it always starts in January.
        if self.frequency == Frequency.NINE_MONTHS:
            return 1
        return self.last_month - _MONTHS_PER_PERIOD[self.frequency] + 1

    @property
    def last_month(self) -> int:
        return self.number * _MONTHS_PER_PERIOD[self.frequency]


def _shift(year: int, month: int, months: int) -> tuple[int, int]:
    """(year, month) moved by `months` (negative: back), across year ends."""
    index = year * 12 + month - 1 + months
    return index // 12, index % 12 + 1


def _cutoff_date(year: int, month: int, cutoff_day: int) -> date:
    last_day = calendar.monthrange(year, month)[1]
    return date(year, month, min(cutoff_day, last_day))


def check_schedule(cutoff_day: int, month_offset: int = 0) -> None:
    """Raise ValueError, in Vietnamese, for a cut-off day or month offset no window can use."""
    if not (CALENDAR_MONTH <= cutoff_day <= MAX_CUTOFF_DAY or cutoff_day == END_OF_MONTH):
        raise ValueError(
            f"Ngày chốt số liệu phải từ 1 đến {MAX_CUTOFF_DAY}, {END_OF_MONTH} (ngày cuối tháng) hoặc "
            f"{CALENDAR_MONTH} (theo tháng dương lịch): {cutoff_day}"
        )
    if not 0 <= month_offset <= MAX_MONTH_OFFSET:
        raise ValueError(f"Số tháng lùi của kỳ báo cáo phải từ 0 đến {MAX_MONTH_OFFSET}: {month_offset}")


def period_months(key: PeriodKey, month_offset: int = 0) -> tuple[tuple[int, int], tuple[int, int]]:
    """(year, month) of the period's first and last month, after the regime's month offset.

    With offset 1 quý I runs from December of the previous year to February, and "năm 2026"
    from December 2025 to November 2026. Monthly periods ignore the offset.
    """
    offset = 0 if key.frequency == Frequency.MONTHLY else month_offset
    return _shift(key.year, key.first_month, -offset), _shift(key.year, key.last_month, -offset)


def period_window(key: PeriodKey, cutoff_day: int, month_offset: int = 0) -> tuple[date, date]:
    """First and last day (both included) whose figures the report covers."""
    check_schedule(cutoff_day, month_offset)
    (first_year, first_month), (last_year, last_month) = period_months(key, month_offset)
    if cutoff_day in (CALENDAR_MONTH, END_OF_MONTH):
        return date(first_year, first_month, 1), _cutoff_date(last_year, last_month, END_OF_MONTH)
    # NĐ 09/2019 Điều 12 (standards.md §4): the window runs from the day after the cut-off in the
    # month before the period's first month to the cut-off in its last month, e.g. May 2026 with
    # cut-off 14 is 15/4/2026 to 14/5/2026, and Q1 2026 is 15/12/2025 to 14/3/2026.
    before_year, before_month = _shift(first_year, first_month, -1)
    start = _cutoff_date(before_year, before_month, cutoff_day) + timedelta(days=1)
    return start, _cutoff_date(last_year, last_month, cutoff_day)


@dataclass(frozen=True)
class ScheduledPeriod:
    key: PeriodKey
    start: date
    end: date
    deadline: date


def upcoming_periods(
    frequency: Frequency | str,
    cutoff_day: int,
    working_days: int,
    month_offset: int = 0,
    *,
    today: date,
    count: int = 4,
) -> list[ScheduledPeriod]:
    """The period running on `today` (or the next to start) and those after it, with their windows
    and deadlines, as a regime with these rules would open them."""
    check_schedule(cutoff_day, month_offset)
    key = PeriodKey(Frequency(frequency), max(MIN_YEAR, min(today.year - 1, MAX_YEAR)), 1)
    result: list[ScheduledPeriod] = []
    try:
        while period_window(key, cutoff_day, month_offset)[1] < today:
            key = key.next()
        while len(result) < count:
            start, end = period_window(key, cutoff_day, month_offset)
            result.append(ScheduledPeriod(key, start, end, add_working_days(end, working_days)))
            key = key.next()
    except ValueError:
        pass  # past MAX_YEAR: no further periods exist
    return result


@lru_cache(maxsize=64)
def _official_calendar(year: int) -> tuple[frozenset[date], frozenset[date]]:
    """(public holidays, Saturdays and Sundays worked in exchange) falling in `year`."""
    if year not in _HOLIDAY_YEARS:
        raise ValueError(f"Không có lịch nghỉ lễ cho năm {year}")
    # A day swap can cross a year end (the package's 2015 entry gives 02/01/2015 off in
    # exchange for Saturday 27/12/2014), so the neighbouring years are loaded too.
    years = [y for y in (year - 1, year, year + 1) if y in _HOLIDAY_YEARS]
    official = holidays.country_holidays("VN", years=years)
    days_off = frozenset(day for day in official if day.year == year)
    weekend_workdays = frozenset(day for day in official.weekend_workdays if day.year == year)
    return days_off, weekend_workdays


def vietnamese_holidays(year: int) -> set[date]:
    """Public holidays (days off for civil servants) in `year`, from the `holidays` package.

    What `holidays` 0.109 gives for VN (listed for 2025-2027; 2026 compared with the published
    schedule):
    - Labour Code 2019 Điều 112 days: Tết Dương lịch 1/1; Tết Nguyên Đán from the lunar calendar
      (giao thừa plus mùng 1-4; a day on a weekend is moved to 29 Tết or the next workday);
      Giỗ Tổ Hùng Vương 10/3 lunar; 30/4; 1/5; 2/9 plus one adjacent day (from 2021).
    - A holiday falling on a weekend is replaced by the next workday ("nghỉ bù"), e.g. Giỗ Tổ on
      Sunday 26/4/2026 gives Monday 27/4/2026 off.
    - The Government's day swaps for civil servants as listed by the package (2025: Friday 2/5
      off for Saturday 26/4; 2026: Monday 31/8 off for Saturday 22/8).
    - From 2026, Ngày Văn hóa Việt Nam 24/11 (Politburo Nghị quyết 80-NQ/TW, announced
      13/01/2026); we did not check the Labour Code amendment that makes it a paid holiday.
    So for 2026: 1/1; 16-20/2 (Tết Bính Ngọ: mùng 1 is 17/2; with the weekends this is the
    official 14/2-22/2 break); 26/4 and 27/4; 30/4; 1/5; 31/8, 1/9, 2/9; 24/11. The package is
    complete for the days we checked, so nothing is hard-coded here.
    """
    return set(_official_calendar(year)[0])


def is_working_day(day: date) -> bool:
    """True on Monday to Friday outside public holidays, and on a Saturday worked in a day swap.

    A Saturday the Government declares a working day in exchange for a bridge day off (e.g.
    22/8/2026 for 31/8/2026) is a working day for the commune's civil servants, so it counts.
    """
    days_off, weekend_workdays = _official_calendar(day.year)
    if day.weekday() >= calendar.SATURDAY:
        return day in weekend_workdays
    return day not in days_off


def add_working_days(start: date, days: int) -> date:
    """The date `days` working days after `start`; `start` itself is not counted."""
    if days < 0:
        raise ValueError(f"Số ngày làm việc không được âm: {days}")
    current = start
    remaining = days
    while remaining:
        current += timedelta(days=1)
        if is_working_day(current):
            remaining -= 1
    return current


def deadline(key: PeriodKey, cutoff_day: int, working_days: int, month_offset: int = 0) -> date:
    """The last day to send the report: `working_days` working days after the cut-off."""
    return add_working_days(period_window(key, cutoff_day, month_offset)[1], working_days)


def is_late(deadline: date, *, today: date, first_on_time: bool | None) -> bool:
    """The one definition of a late report, used by the grid, the inbox, the open page and reminders.

    A report is late when its FIRST submission came after the period's stored deadline
    (`Submission.on_time`, judged against `Period.deadline` when it was sent), or when it has
    never been submitted and that deadline has passed. Returns, resubmissions and amendments
    never change it: a commune that sent on time stays on time.
    """
    if first_on_time is None:
        return deadline < today
    return not first_on_time
