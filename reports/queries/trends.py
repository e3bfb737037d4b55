"""Reads for the trend pages: a commune's and the city's key counts and rates over the last 12
periods of a regime, in three queries whatever the number of communes and periods.

The city's values for a period are the sent reports' figures summed by figures.sum_figures, with
the rates recomputed from the summed counts (never averaged), as on the city totals screen.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db.models import Q

from communes.models import Commune
from reports import figures as fig
from reports.models import Period, Report, ReportingRegime, Target
from reports.periods import PeriodKey
from reports.queries.city import BASIS_STATUSES, SENT_STATUSES, Basis
from reports.rendering.charts import period_short_label
from reports.rendering.formatting import format_int, format_percent

TREND_PERIODS = 12
# The key counts, as attributes of figures.ResultCounts, with their names on the charts.
COUNT_SERIES: tuple[tuple[str, str], ...] = (
    ("received", "Tiếp nhận"),
    ("resolved", "Đã giải quyết"),
    ("early_or_on_time", "Giải quyết trước hạn, đúng hạn"),
    ("in_progress", "Đang giải quyết"),
)
# Rates always shown; the others appear when a period has them or the regime sets a target.
MAIN_RATES = ("rate_online_submission", "rate_on_time", "rate_digitisation", "rate_online_payment")


@dataclass(frozen=True)
class TrendPoint:
    key: PeriodKey
    period_id: int | None  # None when the period was never opened
    reports: int  # reports whose figures are in this point (0 or 1 for a commune)
    counts: Mapping[str, int] | None  # COUNT_SERIES values; None without figures
    rates: Mapping[str, Decimal | None]

    @property
    def label(self) -> str:
        return period_short_label(self.key)


@dataclass(frozen=True)
class Trends:
    """`points` oldest first; `rate_keys` the rates worth a chart; `targets` the regime's minimums."""

    regime: ReportingRegime
    points: tuple[TrendPoint, ...]
    targets: Mapping[str, Decimal]
    rate_keys: tuple[str, ...]

    @property
    def labels(self) -> tuple[str, ...]:
        return tuple(point.label for point in self.points)

    def count_values(self, name: str) -> tuple[int | None, ...]:
        return tuple(None if point.counts is None else point.counts[name] for point in self.points)

    def rate_values(self, key: str) -> tuple[Decimal | None, ...]:
        return tuple(point.rates.get(key) for point in self.points)

    def count_series(self) -> list[tuple[str, tuple[int | None, ...]]]:
        """(name, values) of each key count, for one chart."""
        return [(label, self.count_values(name)) for name, label in COUNT_SERIES]

    def rate_series(self) -> list[tuple[str, str, tuple[Decimal | None, ...]]]:
        """(key, name, values) of each rate shown, one chart each."""
        return [(key, rate_label(key), self.rate_values(key)) for key in self.rate_keys]

    @property
    def has_data(self) -> bool:
        return any(point.counts is not None or any(point.rates.values()) for point in self.points)

    def table(self) -> TrendTable:
        """The numbers beside the charts, newest first, formatted as the documents write them."""
        header = ("Kỳ", *(label for _, label in COUNT_SERIES), *(rate_label(key) for key in self.rate_keys))
        rows = []
        for point in reversed(self.points):
            counts = tuple("" if point.counts is None else format_int(point.counts[name]) for name, _ in COUNT_SERIES)
            rates = tuple(format_percent(point.rates.get(key)) for key in self.rate_keys)
            rows.append((point.label, *counts, *rates))
        return TrendTable(header=header, rows=tuple(rows))


@dataclass(frozen=True)
class TrendTable:
    header: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]


def rate_label(key: str) -> str:
    return fig.VALUE_SPEC_BY_KEY[key].label


def trend_keys(end: PeriodKey, count: int = TREND_PERIODS) -> list[PeriodKey]:
    """`end` and the periods before it, oldest first (fewer at the start of the supported years)."""
    keys = [end]
    while len(keys) < count:
        try:
            keys.append(keys[-1].previous())
        except ValueError:
            break
    return list(reversed(keys))


def _periods(regime: ReportingRegime, keys: Iterable[PeriodKey]) -> dict[tuple[int, int], int]:
    """The regime's opened periods among `keys`, as {(year, number): id}: one query."""
    condition = Q()
    for key in keys:
        condition |= Q(year=key.year, number=key.number)
    return {
        (year, number): pk
        for pk, year, number in Period.objects.filter(condition, regime=regime).values_list("pk", "year", "number")
    }


def _targets(regime: ReportingRegime) -> dict[str, Decimal]:
    return {
        indicator: minimum
        for indicator, minimum in Target.objects.filter(regime=regime).values_list("indicator", "minimum")
        if indicator in fig.RATE_KEYS
    }


def _point(key: PeriodKey, period_id: int | None, many: list[fig.Figures], *, commune: bool) -> TrendPoint:
    if not many:
        return TrendPoint(key=key, period_id=period_id, reports=0, counts=None, rates={})
    if commune:
        # One report: its own rates, including those it typed without their counts (as the grid).
        totals = fig.result_totals(many[0].results)
        rates = fig.compute_rates(many[0])
    else:
        summed = fig.sum_figures(many)
        totals, rates = summed.totals, dict(summed.rates)
    counts = {name: getattr(totals, name) for name, _ in COUNT_SERIES} if totals.rows else None
    return TrendPoint(
        key=key,
        period_id=period_id,
        reports=len(many),
        counts=counts,
        rates={rate: rates[rate].value for rate in fig.RATE_KEYS},
    )


def _trends(
    regime: ReportingRegime,
    end: PeriodKey,
    reports: Mapping[int, list[dict[str, Any]]],
    periods: dict[tuple[int, int], int],
    *,
    commune: bool,
) -> Trends:
    points = []
    for key in trend_keys(end):
        period_id = periods.get((key.year, key.number))
        data = reports.get(period_id, []) if period_id is not None else []
        points.append(_point(key, period_id, [fig.parse_figures(item) for item in data], commune=commune))
    targets = _targets(regime)
    present = {rate for point in points for rate, value in point.rates.items() if value is not None}
    rate_keys = tuple(key for key in fig.RATE_KEYS if key in MAIN_RATES or key in targets or key in present)
    return Trends(regime=regime, points=tuple(points), targets=targets, rate_keys=rate_keys)


def city_trends(period: Period, *, basis: Basis = Basis.SENT) -> Trends:
    """The city's last 12 periods up to `period` (its regime loaded): the reports of `basis`
    summed per period. Three queries (periods, reports, targets)."""
    regime = period.regime
    keys = trend_keys(period.key)
    periods = _periods(regime, keys)
    reports: dict[int, list[dict[str, Any]]] = {}
    # values_list rather than model instances: 12 periods of a large province is tens of
    # thousands of reports, and only their figures are needed.
    for period_id, data in (
        Report.objects.filter(period_id__in=list(periods.values()), status__in=BASIS_STATUSES[basis])
        .order_by()
        .values_list("period_id", "figures")
    ):
        if isinstance(data, dict):
            reports.setdefault(period_id, []).append(data)
    return _trends(regime, period.key, reports, periods, commune=False)


def commune_trends(commune: Commune, regime: ReportingRegime, *, end: PeriodKey) -> Trends:
    """The commune's last 12 periods of `regime` up to `end`, from its sent reports (drafts are
    work in progress and are not shown, as in the city's grid). Three queries."""
    keys = trend_keys(end)
    periods = _periods(regime, keys)
    reports: dict[int, list[dict[str, Any]]] = {}
    for period_id, data in (
        Report.objects.filter(commune=commune, period_id__in=list(periods.values()), status__in=SENT_STATUSES)
        .order_by()
        .values_list("period_id", "figures")
    ):
        if isinstance(data, dict):
            reports[period_id] = [data]
    return _trends(regime, end, reports, periods, commune=True)
