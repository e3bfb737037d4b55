"""Reads for the city Centre's figure screens: the period grid with figures, the city totals and
their drill-downs, and the national view. Query counts do not grow with the number of communes.

API (all results are frozen dataclasses, materialised before rendering):

- `period_figures(period, *, basis=Basis.SENT, today=None) -> PeriodFigures`: three queries
  (reports with their first submission, bound communes, targets); `period` comes with its regime
  loaded (`select_related("regime")`). `PeriodFigures.rows` has one `CommuneFigures` per commune
  bound by the period's regime, sorted by name: status, sent at, on time or days late, the
  figures of a sent report (submitted, accepted or issued; drafts are not shown to the city),
  its rates and each target's outcome. `PeriodFigures.counts` are the counts on top of the grid
  (`GridCounts`) and `PeriodFigures.totals` the city totals (`CityTotals`) over the reports of
  `basis`: every sent report, or accepted (and issued) reports only.
- `filter_rows(rows, *, status="", search="", missed="")` and `sort_rows(rows, key)`: pure
  helpers for the grid; `GRID_SORT_KEYS` whitelists the sort keys, `search` ignores accents.
- `CityTotals.contributions(name)`: the communes and values behind one city figure
  (a `figures.FIGURE_LABELS` name), largest first, for the drill-down page.
- `national_figures(key, *, basis=Basis.SENT, today=None) -> NationalFigures`: every province's
  periods with period key `key`, one `ProvinceFigures` row per province with its counts and
  totals, in a fixed number of queries for all 3,321 communes.
"""

import unicodedata
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from enum import StrEnum

from django.db.models import F, OuterRef, Q, Subquery
from django.utils import timezone

from communes.models import Commune, Province
from reports import figures as fig
from reports.models import Period, Report, ReportingRegime, ReportStatus, Submission, Target
from reports.periods import PeriodKey

SENT_STATUSES = frozenset({ReportStatus.SUBMITTED, ReportStatus.ACCEPTED, ReportStatus.ISSUED})
ACCEPTED_STATUSES = frozenset({ReportStatus.ACCEPTED, ReportStatus.ISSUED})
MISSING = "missing"
STATUS_LABELS: dict[str, str] = {**dict(ReportStatus.choices), MISSING: "Chưa lập"}


class Basis(StrEnum):
    """Which reports the city totals add up."""

    SENT = "sent"
    ACCEPTED = "accepted"


BASIS_LABELS = {Basis.SENT: "Tất cả báo cáo đã gửi", Basis.ACCEPTED: "Chỉ báo cáo đã tiếp nhận"}
BASIS_STATUSES = {Basis.SENT: SENT_STATUSES, Basis.ACCEPTED: ACCEPTED_STATUSES}

# The counts a grid row shows beside the rates.
KEY_COUNTS = ("results.received", "results.resolved", "results.in_progress", "values.pakn_received")


def parse_basis(raw: str | None) -> Basis:
    try:
        return Basis(raw or Basis.SENT)
    except ValueError:
        return Basis.SENT


def _days_late(deadline: date, first_sent_on: date | None, first_on_time: bool | None, today: date) -> int:
    """Calendar days past the deadline of the first sending, or until today if never sent.

    Lateness is judged by the first submission, whose on-time flag was fixed when it was sent
    (reports/workflow.py); an amendment reopening a report later does not make it late.
    """
    if first_sent_on is None or first_on_time is None:
        return max(0, (today - deadline).days)
    if first_on_time:
        return 0
    return max(1, (first_sent_on - deadline).days)


@dataclass(frozen=True, slots=True)
class CommuneFigures:
    commune_code: int
    commune_name: str
    report_id: int | None
    status: str  # a ReportStatus value, or MISSING
    submitted_at: datetime | None  # the latest sending
    first_sent_on: date | None  # the day of the first sending, which decides lateness
    days_late: int  # 0 when on time (or not due yet)
    figures: fig.Figures | None  # only for sent reports
    totals: fig.ResultTotals | None
    rates: Mapping[str, fig.Rate]
    outcomes: Mapping[str, fig.TargetOutcome]

    @property
    def late(self) -> bool:
        return self.days_late > 0

    @property
    def sent(self) -> bool:
        return self.status in SENT_STATUSES

    @property
    def on_time(self) -> bool:
        return self.first_sent_on is not None and not self.late

    @property
    def status_label(self) -> str:
        return STATUS_LABELS[self.status]

    @property
    def missed(self) -> tuple[str, ...]:
        return tuple(key for key, outcome in self.outcomes.items() if outcome == fig.TargetOutcome.MISSED)

    def value(self, name: str) -> Decimal | None:
        """One figure (a figures.FIGURE_LABELS name) of this commune's sent report."""
        if self.figures is None:
            return None
        return fig.figure_value(self.figures, name, totals=self.totals, rates=self.rates)


@dataclass(frozen=True)
class GridCounts:
    """The counts on top of the grid."""

    total: int
    by_status: Mapping[str, int]
    sent: int
    on_time: int
    late: int
    missed_target: int

    @property
    def returned(self) -> int:
        return self.by_status.get(ReportStatus.RETURNED, 0)

    @property
    def accepted(self) -> int:
        return self.by_status.get(ReportStatus.ACCEPTED, 0) + self.by_status.get(ReportStatus.ISSUED, 0)

    @property
    def not_started(self) -> int:
        return self.by_status.get(MISSING, 0)

    def status(self, status: str) -> int:
        return self.by_status.get(status, 0)


def grid_counts(rows: Sequence[CommuneFigures]) -> GridCounts:
    return GridCounts(
        total=len(rows),
        by_status=dict(Counter(row.status for row in rows)),
        sent=sum(1 for row in rows if row.sent),
        on_time=sum(1 for row in rows if row.on_time),
        late=sum(1 for row in rows if row.late),
        missed_target=sum(1 for row in rows if row.missed),
    )


@dataclass(frozen=True)
class TargetTally:
    key: str
    minimum: Decimal
    met: int
    missed: int
    no_data: int

    @property
    def label(self) -> str:
        return fig.VALUE_SPEC_BY_KEY[self.key].label


@dataclass(frozen=True)
class Contribution:
    """One commune behind a city figure."""

    commune_code: int
    commune_name: str
    report_id: int
    status: str
    value: Decimal | None

    @property
    def status_label(self) -> str:
        return STATUS_LABELS[self.status]


@dataclass(frozen=True)
class CityTotals:
    """The figures of the basis's reports summed, the rates recomputed, and the targets tallied."""

    basis: Basis
    rows: tuple[CommuneFigures, ...]  # the communes whose reports were summed
    summed: fig.SummedFigures
    targets: tuple[TargetTally, ...]

    @property
    def reports(self) -> int:
        return len(self.rows)

    def value(self, name: str) -> Decimal | None:
        summed = self.summed
        if not summed.reports:
            return None
        return fig.figure_value(summed.figures, name, totals=summed.totals, rates=summed.rates)

    def contributions(self, name: str) -> list[Contribution]:
        """Each summed commune with its value of figure `name`, largest first, then by name."""
        items = [
            Contribution(row.commune_code, row.commune_name, row.report_id, row.status, row.value(name))
            for row in self.rows
            if row.report_id is not None
        ]
        # Communes without the figure go last; ties keep the grid's order by name.
        items.sort(key=lambda item: (item.value is None, -(item.value or 0)))
        return items


def city_totals(rows: Iterable[CommuneFigures], targets: Mapping[str, Decimal], basis: Basis) -> CityTotals:
    """Pure: the totals of the rows whose report counts under `basis`."""
    statuses = BASIS_STATUSES[basis]
    chosen = tuple(row for row in rows if row.status in statuses and row.figures is not None)
    summed = fig.sum_figures(row.figures for row in chosen if row.figures is not None)
    tallies = []
    for key, minimum in targets.items():
        outcomes = Counter(row.outcomes.get(key, fig.TargetOutcome.NO_DATA) for row in chosen)
        tallies.append(
            TargetTally(
                key,
                minimum,
                met=outcomes[fig.TargetOutcome.MET],
                missed=outcomes[fig.TargetOutcome.MISSED],
                no_data=outcomes[fig.TargetOutcome.NO_DATA],
            )
        )
    return CityTotals(basis=basis, rows=chosen, summed=summed, targets=tuple(tallies))


@dataclass(frozen=True)
class PeriodFigures:
    period: Period
    rows: list[CommuneFigures]
    counts: GridCounts
    targets: Mapping[str, Decimal]  # rate key -> minimum, in catalogue order
    totals: CityTotals

    @property
    def rate_keys(self) -> tuple[str, ...]:
        """The rates the grid shows: those with a target, and the two from the results table."""
        return tuple(key for key in fig.RATE_KEYS if key in self.targets or key in fig.RESULTS_RATE_KEYS)


# --- Building rows -----------------------------------------------------------------------------

# (commune_id, report_id, status, submitted_at, first submitted_at, first on time, figures JSON)
type ReportTuple = tuple[int, int, str, datetime | None, datetime | None, bool | None, object]


def _report_tuples(periods: Q) -> dict[tuple[int, int], ReportTuple]:
    """The reports of the periods matching `periods`, keyed by (period id, commune id): one query."""
    first_submission = Submission.objects.filter(report=OuterRef("pk")).order_by("sequence")
    # values_list into tuples rather than Report instances: building 3,321 model instances
    # cost more than the page's whole budget (bench/city_scale_bench.py). No ORDER BY: the rows
    # go into a dict, and Report's default ordering would join periods and communes to sort.
    rows = (
        Report.objects.filter(periods)
        .annotate(
            first_at=Subquery(first_submission.values("submitted_at")[:1]),
            first_on_time=Subquery(first_submission.values("on_time")[:1]),
            report_period=F("period_id"),
        )
        .order_by()
        .values_list(
            "report_period", "commune_id", "pk", "status", "submitted_at", "first_at", "first_on_time", "figures"
        )
    )
    return {(period_id, commune_id): (commune_id, pk, *rest) for period_id, commune_id, pk, *rest in rows}


def _targets_by_regime(regimes: Q) -> dict[int, dict[str, Decimal]]:
    """The targets matching `regimes` on rates of the catalogue, by regime, in catalogue order: one query."""
    found: dict[int, dict[str, Decimal]] = {}
    for regime_id, indicator, minimum in Target.objects.filter(regimes).values_list(
        "regime_id", "indicator", "minimum"
    ):
        if indicator in fig.VALUE_SPEC_BY_KEY:
            found.setdefault(regime_id, {})[indicator] = minimum
    order = {key: index for index, key in enumerate(fig.RATE_KEYS)}
    return {
        regime_id: dict(sorted(targets.items(), key=lambda item: order.get(item[0], len(order))))
        for regime_id, targets in found.items()
    }


def _commune_row(
    code: int,
    name: str,
    report: ReportTuple | None,
    *,
    deadline: date,
    today: date,
    targets: Mapping[str, Decimal],
) -> CommuneFigures:
    if report is None:
        days_late = _days_late(deadline, None, None, today)
        return CommuneFigures(code, name, None, MISSING, None, None, days_late, None, None, {}, {})
    _, pk, status, submitted_at, first_at, first_on_time, data = report
    first_sent_on = timezone.localdate(first_at) if first_at is not None else None
    days_late = _days_late(deadline, first_sent_on, first_on_time, today)
    figures = totals = None
    rates: Mapping[str, fig.Rate] = {}
    outcomes: Mapping[str, fig.TargetOutcome] = {}
    if status in SENT_STATUSES and isinstance(data, dict):
        figures = fig.parse_figures(data)
        totals = fig.result_totals(figures.results)
        rates = fig.compute_rates(figures)
        outcomes = fig.evaluate_targets(rates, targets)
    return CommuneFigures(
        code, name, pk, status, submitted_at, first_sent_on, days_late, figures, totals, rates, outcomes
    )


def period_figures(period: Period, *, basis: Basis = Basis.SENT, today: date | None = None) -> PeriodFigures:
    """The grid, counts and city totals of one period: three queries, whatever the size."""
    today = today or timezone.localdate()
    reports = _report_tuples(Q(period=period))
    targets = _targets_by_regime(Q(regime_id=period.regime_id)).get(period.regime_id, {})
    communes = period.regime.bound_communes().order_by("name").values_list("code", "name")
    rows = [
        _commune_row(code, name, reports.get((period.pk, code)), deadline=period.deadline, today=today, targets=targets)
        for code, name in communes
    ]
    return PeriodFigures(
        period=period,
        rows=rows,
        counts=grid_counts(rows),
        targets=targets,
        totals=city_totals(rows, targets, basis),
    )


# --- Grid filters and sorting ------------------------------------------------------------------


def search_key(text: str) -> str:
    """Lower case without diacritics, so "hung thang" finds "Hùng Thắng" (đ is its own letter)."""
    decomposed = unicodedata.normalize("NFD", text.replace("đ", "d").replace("Đ", "D"))
    return "".join(char for char in decomposed if not unicodedata.combining(char)).casefold()


# What the grid's status filter accepts: a status, no report yet, late, or sent.
GRID_STATUS_FILTERS = frozenset({*ReportStatus.values, MISSING, "late", "sent"})


def filter_rows(
    rows: Iterable[CommuneFigures], *, status: str = "", search: str = "", missed: str = ""
) -> list[CommuneFigures]:
    """The rows matching the grid's filters; unknown filter values are ignored.

    `missed` is a target's rate key (only communes missing it) or "any" (missing any target).
    """
    chosen = list(rows)
    if status in GRID_STATUS_FILTERS:
        if status == "late":
            chosen = [row for row in chosen if row.late]
        elif status == "sent":
            chosen = [row for row in chosen if row.sent]
        else:
            chosen = [row for row in chosen if row.status == status]
    if missed == "any":
        chosen = [row for row in chosen if row.missed]
    elif missed in fig.RATE_KEYS:
        chosen = [row for row in chosen if missed in row.missed]
    wanted = search_key(search.strip())
    if wanted:
        chosen = [row for row in chosen if wanted in search_key(row.commune_name)]
    return chosen


# Sort keys the grid accepts: the fixed columns, then every figure of the catalogue.
GRID_SORT_COLUMNS = ("commune", "status", "sent", "late")
GRID_SORT_KEYS = frozenset({*GRID_SORT_COLUMNS, *fig.FIGURE_LABELS})
STATUS_ORDER = {
    MISSING: 0,
    ReportStatus.DRAFT: 1,
    ReportStatus.RETURNED: 2,
    ReportStatus.SUBMITTED: 3,
    ReportStatus.ACCEPTED: 4,
    ReportStatus.ISSUED: 5,
}


def sort_rows(rows: Sequence[CommuneFigures], key: str, *, descending: bool = False) -> list[CommuneFigures]:
    """Rows sorted by a whitelisted key (else by name); rows without the value always go last."""
    if key not in GRID_SORT_KEYS or key == "commune":
        ordered = sorted(rows, key=lambda row: search_key(row.commune_name), reverse=descending)
        return ordered
    present: list[tuple[object, CommuneFigures]] = []
    absent: list[CommuneFigures] = []
    for row in rows:
        value: object
        if key == "status":
            value = STATUS_ORDER[row.status]
        elif key == "sent":
            value = row.submitted_at
        elif key == "late":
            value = row.days_late
        else:
            value = row.value(key)
        if value is None:
            absent.append(row)
        else:
            present.append((value, row))
    # sorted() is stable, so equal values keep the grid's order by name.
    present.sort(key=lambda item: item[0], reverse=descending)  # type: ignore[arg-type,return-value]
    return [row for _, row in present] + absent


# --- National view -----------------------------------------------------------------------------


@dataclass(frozen=True)
class ProvincePeriod:
    period_id: int
    regime_name: str


@dataclass(frozen=True)
class ProvinceFigures:
    province_code: int
    province_name: str
    periods: tuple[ProvincePeriod, ...]
    counts: GridCounts
    totals: CityTotals


@dataclass(frozen=True)
class NationalFigures:
    key: PeriodKey
    provinces: list[ProvinceFigures]
    counts: GridCounts
    totals: CityTotals
    targets: Mapping[str, Decimal] = field(default_factory=dict)


def national_figures(key: PeriodKey, *, basis: Basis = Basis.SENT, today: date | None = None) -> NationalFigures:
    """Every province's periods with `key` (one per active regime), summed per province and for
    the nation: six queries, whatever the number of provinces and communes.

    Targets differ between provinces, so each commune is judged against its own regime's; the
    national row tallies no targets.
    """
    today = today or timezone.localdate()
    # Every read filters by this subquery rather than by a list of ids, so the count of queries
    # stays the same even when no province has such a period.
    chosen = Period.objects.filter(
        regime__is_active=True, regime__frequency=key.frequency, year=key.year, number=key.number
    )
    periods = list(
        chosen.order_by("regime__province_id", "regime__name").values_list(
            "pk", "regime_id", "regime__name", "regime__applies_to_all", "regime__province_id", "deadline"
        )
    )
    reports = _report_tuples(Q(period__in=chosen))
    targets = _targets_by_regime(Q(regime__periods__in=chosen))
    by_province: dict[int, list[tuple[int, str]]] = {}
    for code, name, province_id in (
        Commune.objects.filter(province__regimes__periods__in=chosen)
        .distinct()
        .order_by("name")
        .values_list("code", "name", "province_id")
    ):
        by_province.setdefault(province_id, []).append((code, name))
    named: dict[int, set[int]] = {}
    for regime_id, commune_id in ReportingRegime.communes.through.objects.filter(
        reportingregime__applies_to_all=False, reportingregime__periods__in=chosen
    ).values_list("reportingregime_id", "commune_id"):
        named.setdefault(regime_id, set()).add(commune_id)
    names = dict(Province.objects.filter(regimes__periods__in=chosen).distinct().values_list("code", "name"))

    provinces: list[ProvinceFigures] = []
    every_row: list[CommuneFigures] = []
    grouped: dict[int, list[tuple[int, int, str, bool, int, date]]] = {}
    for period in periods:
        grouped.setdefault(period[4], []).append(period)
    for province_id, province_periods in grouped.items():
        rows: list[CommuneFigures] = []
        for period_id, regime_id, _, applies_to_all, _, deadline in province_periods:
            regime_targets = targets.get(regime_id, {})
            for code, name in by_province.get(province_id, []):
                if not applies_to_all and code not in named.get(regime_id, set()):
                    continue
                report = reports.get((period_id, code))
                rows.append(_commune_row(code, name, report, deadline=deadline, today=today, targets=regime_targets))
        every_row += rows
        provinces.append(
            ProvinceFigures(
                province_code=province_id,
                province_name=names[province_id],
                periods=tuple(ProvincePeriod(period[0], period[2]) for period in province_periods),
                counts=grid_counts(rows),
                totals=city_totals(rows, {}, basis),
            )
        )
    return NationalFigures(
        key=key, provinces=provinces, counts=grid_counts(every_row), totals=city_totals(every_row, {}, basis)
    )
