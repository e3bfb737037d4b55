"""Reads for the city Centre's figure screens: the period grid with figures, the city totals and
their drill-downs, and the national view. Query counts do not grow with the number of communes.

API (all results are frozen dataclasses, materialised before rendering):

- `period_figures(period, *, basis=Basis.SENT, today=None) -> PeriodFigures`: three queries
  (reports with their first submission, bound communes, targets); `period` comes with its regime
  loaded (`select_related("regime")`). `PeriodFigures.rows` has one `CommuneFigures` per commune
  bound by the period's regime, in name order: status, sent at, on time or days late, the
  figures of a sent report (submitted, accepted or issued; drafts are not shown to the city),
  its rates and each target's outcome (`figures.TargetOutcome`). `PeriodFigures.counts` are the
  counts on top of the grid (`GridCounts`: sent n/N, on time, late, returned, accepted, not
  started, missed a target, owing). `PeriodFigures.totals` (`CityTotals`, computed on first use)
  sums the reports of `basis`, every sent report or accepted (and issued) reports only:
  `.summed` is a `figures.SummedFigures` (results table, counts, rates recomputed from the summed
  counts, how each rate was covered), `.value(name)` one city figure, `.targets` the number of
  communes meeting, missing or without data for each target, and `.contributions(name)` the
  communes and values behind a figure, largest first.
- Figure names are those of `figures.FIGURE_LABELS` ("results.received", "values.pakn_received",
  "rates.rate_on_time"), so new figure kinds of the catalogue flow through.
- Grid helpers, pure: `GridQuery.from_params(request.GET)` reads the filters and the sort
  (whitelisted: `GRID_SORT_KEYS`) and `.apply(rows)` filters (status, late, missed target,
  accent-insensitive name search) and sorts; `grid_columns`, `grid_lines` give the formatted cells.
- Totals helpers, pure: `results_table`, `totals_groups`, `drill_down(data, name, outcome=...)`.
- `national_figures(key, *, basis=Basis.SENT, today=None) -> NationalFigures`: every province's
  periods with period key `key`, one `ProvinceFigures` row per province with its counts and
  totals, in six queries for all 3,321 communes; `national_period_keys()` lists the keys (one).

A sent report's figures are parsed once per process and content (`_rated_figures`), so the
screens stay fast at national scale (bench/city_figures_bench.py).
"""

import json
import unicodedata
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime, tzinfo
from decimal import Decimal
from enum import StrEnum
from functools import cached_property, lru_cache

from django.db.models import F, OuterRef, Q, Subquery, TextField
from django.db.models.functions import Cast
from django.utils import timezone

from communes.models import Commune, Province
from reports import figures as fig
from reports.models import (
    Period,
    Report,
    ReportingRegime,
    ReportStatus,
    Submission,
    Target,
    first_submission_on_time,
)
from reports.periods import Frequency, PeriodKey, is_late
from reports.rendering.formatting import format_int, format_percent

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
    """Calendar days past the deadline, of the first sending or until today if never sent; 0 when
    the report is not late by periods.is_late (the first submission's on-time flag decides)."""
    if not is_late(deadline, today=today, first_on_time=first_on_time):
        return 0
    return max(1, ((first_sent_on or today) - deadline).days)


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
        return fig.figure_value(self.figures, name, rates=self.rates)


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

    @property
    def owing(self) -> int:
        """Communes that still owe the report: the ones "Nhắc các xã chưa gửi" mails."""
        return self.total - self.sent


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

    @property
    def figure(self) -> str:
        return f"rates.{self.key}"

    @property
    def minimum_text(self) -> str:
        return format_percent(self.minimum)


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
        return fig.figure_value(summed.figures, name, rates=summed.rates)

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


def merged_totals(parts: Sequence[CityTotals], basis: Basis) -> CityTotals:
    """The totals of several provinces as one (no targets: each province sets its own)."""
    rows = tuple(row for part in parts for row in part.rows)
    return CityTotals(basis=basis, rows=rows, summed=fig.merge_sums(part.summed for part in parts), targets=())


@dataclass(frozen=True)
class PeriodFigures:
    period: Period
    rows: list[CommuneFigures]
    counts: GridCounts
    targets: Mapping[str, Decimal]  # rate key -> minimum, in catalogue order
    basis: Basis

    @cached_property
    def totals(self) -> CityTotals:
        """The city totals over the basis's reports, summed when first asked (the grid never asks)."""
        return city_totals(self.rows, self.targets, self.basis)

    @property
    def rate_keys(self) -> tuple[str, ...]:
        """The rates the grid shows: those with a target, and the two from the results table."""
        return tuple(key for key in fig.RATE_KEYS if key in self.targets or key in fig.RESULTS_RATE_KEYS)


# --- Building rows -----------------------------------------------------------------------------

# (commune_id, report_id, status, submitted_at, first submitted_at, first on time, figures as JSON text)
type ReportTuple = tuple[int, int, str, datetime | None, datetime | None, bool | None, str | None]


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
            first_on_time=first_submission_on_time(report=OuterRef("pk")),
            report_period=F("period_id"),
            # As text: the parsed figures are looked up by it (_rated_figures) without decoding.
            figures_text=Cast("figures", output_field=TextField()),
        )
        .order_by()
        .values_list(
            "report_period", "commune_id", "pk", "status", "submitted_at", "first_at", "first_on_time", "figures_text"
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


# Parsed figures and rates by the report's figures as stored (JSON text), shared by the requests of
# a process. Keyed by the content itself, so an edited report is simply a new entry, never a stale
# one. At 3,321 communes, decoding and parsing every report's figures took most of the grid's time
# (bench/city_figures_bench.py); a sent report's figures rarely change, so later requests skip it.
# Bounded to about three periods of every commune of the country (a few kB per entry).
PARSED_FIGURES_CACHE = 10_000


@lru_cache(maxsize=PARSED_FIGURES_CACHE)
def _rated_figures(text: str) -> tuple[fig.Figures, Mapping[str, fig.Rate]]:
    """The figures and rates of a stored figures document; callers must not change them."""
    try:
        data = json.loads(text)
    except ValueError:
        data = None
    figures = fig.parse_figures(data if isinstance(data, dict) else None)
    return figures, fig.compute_rates(figures)


def _commune_row(
    code: int,
    name: str,
    report: ReportTuple | None,
    *,
    deadline: date,
    today: date,
    zone: tzinfo,
    targets: Mapping[str, Decimal],
) -> CommuneFigures:
    if report is None:
        days_late = _days_late(deadline, None, None, today)
        return CommuneFigures(code, name, None, MISSING, None, None, days_late, None, None, {}, {})
    _, pk, status, submitted_at, first_at, first_on_time, data = report
    # The zone is looked up once per page: timezone.localdate() per row cost more than the figures.
    first_sent_on = first_at.astimezone(zone).date() if first_at is not None else None
    days_late = _days_late(deadline, first_sent_on, first_on_time, today)
    figures = totals = None
    rates: Mapping[str, fig.Rate] = {}
    outcomes: Mapping[str, fig.TargetOutcome] = {}
    if status in SENT_STATUSES and isinstance(data, str):
        figures, rates = _rated_figures(data)
        totals = figures.totals
        outcomes = fig.evaluate_targets(rates, targets)
    return CommuneFigures(
        code, name, pk, status, submitted_at, first_sent_on, days_late, figures, totals, rates, outcomes
    )


def _name_order(commune: tuple[object, ...]) -> tuple[str, str]:
    """Communes in the same order on every database, letters compared without their accents
    ("Xã Đông Hải" among the D's, not after "Xã Yên" as a byte order puts it)."""
    name = str(commune[1])
    return search_key(name), name


def period_figures(period: Period, *, basis: Basis = Basis.SENT, today: date | None = None) -> PeriodFigures:
    """The grid, counts and city totals of one period: three queries, whatever the size."""
    today = today or timezone.localdate()
    zone = timezone.get_current_timezone()
    reports = _report_tuples(Q(period=period))
    targets = _targets_by_regime(Q(regime_id=period.regime_id)).get(period.regime_id, {})
    communes = sorted(period.regime.bound_communes().order_by().values_list("code", "name"), key=_name_order)
    rows = [
        _commune_row(
            code,
            name,
            reports.get((period.pk, code)),
            deadline=period.deadline,
            today=today,
            zone=zone,
            targets=targets,
        )
        for code, name in communes
    ]
    return PeriodFigures(
        period=period,
        rows=rows,
        counts=grid_counts(rows),
        targets=targets,
        basis=basis,
    )


# --- Grid filters and sorting ------------------------------------------------------------------


# Commune names are a closed set of a few thousand; the grid folds every one of them for sorting.
@lru_cache(maxsize=8192)
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
    """Rows (given in the grid's name order) sorted by a whitelisted key, else by name; rows without
    the value always go last."""
    if key not in GRID_SORT_KEYS or key == "commune":
        if not descending:
            return list(rows)  # already in name order
        return sorted(rows, key=lambda row: _name_order((row.commune_code, row.commune_name)), reverse=descending)
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


# The summed figures the national view shows per province (rates recomputed per province).
NATIONAL_FIGURES = (
    "results.received",
    "results.resolved",
    "results.in_progress",
    "rates.rate_online_submission",
    "rates.rate_on_time",
)


def _total_cells(totals: CityTotals) -> tuple["Cell", ...]:
    return tuple(Cell(name, format_figure(name, totals.value(name))) for name in NATIONAL_FIGURES)


@dataclass(frozen=True)
class ProvinceFigures:
    province_code: int
    province_name: str
    periods: tuple[ProvincePeriod, ...]
    counts: GridCounts
    totals: CityTotals

    @property
    def cells(self) -> tuple["Cell", ...]:
        return _total_cells(self.totals)


@dataclass(frozen=True)
class NationalFigures:
    key: PeriodKey
    provinces: list[ProvinceFigures]
    counts: GridCounts
    totals: CityTotals

    @property
    def columns(self) -> tuple["Column", ...]:
        return tuple(Column(name, fig.FIGURE_LABELS[name]) for name in NATIONAL_FIGURES)

    @property
    def cells(self) -> tuple["Cell", ...]:
        return _total_cells(self.totals)


def national_figures(key: PeriodKey, *, basis: Basis = Basis.SENT, today: date | None = None) -> NationalFigures:
    """Every province's periods with `key` (one per active regime), summed per province and for
    the nation: six queries, whatever the number of provinces and communes.

    Targets differ between provinces, so each commune is judged against its own regime's; the
    national row tallies no targets.
    """
    today = today or timezone.localdate()
    zone = timezone.get_current_timezone()
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
    communes = Commune.objects.filter(province__regimes__periods__in=chosen).distinct().order_by()
    for code, name, province_id in sorted(communes.values_list("code", "name", "province_id"), key=_name_order):
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
                rows.append(
                    _commune_row(code, name, report, deadline=deadline, today=today, zone=zone, targets=regime_targets)
                )
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
        key=key,
        provinces=provinces,
        counts=grid_counts(every_row),
        totals=merged_totals([province.totals for province in provinces], basis),
    )


# --- Display -----------------------------------------------------------------------------------
# What the templates show, with numbers already formatted (rendering/formatting.py), so the
# templates only lay them out.


def format_figure(name: str, value: Decimal | None) -> str:
    """A figure as the screens write it: 1.909 for counts, 93,01% for rates, "—" when absent."""
    if value is None:
        return "—"
    return format_percent(value) if name.startswith("rates.") else format_int(value)


# Column headings of the grid, short enough for a row per commune; the full label is the heading's
# title. Figures of the catalogue without one here show their full label.
SHORT_LABELS = {
    "results.received": "Tiếp nhận",
    "results.resolved": "Đã giải quyết",
    "results.in_progress": "Đang giải quyết",
    "values.pakn_received": "PAKN tiếp nhận",
    "rates.rate_online_submission": "Nộp trực tuyến",
    "rates.rate_on_time": "Trước hạn, đúng hạn",
    "rates.rate_online_payment": "Thanh toán trực tuyến",
    "rates.rate_digitisation": "Số hóa hồ sơ",
    "rates.rate_electronic_results": "Kết quả điện tử",
    "rates.rate_data_reuse": "Tái sử dụng dữ liệu",
    "rates.rate_pakn_satisfaction": "Hài lòng PAKN",
}


@dataclass(frozen=True)
class Column:
    name: str  # a figures.FIGURE_LABELS name
    label: str
    minimum: Decimal | None = None  # the regime's target, for rates that have one

    @property
    def key(self) -> str:
        """The catalogue key: "rate_online_submission" for "rates.rate_online_submission"."""
        return self.name.partition(".")[2]

    @property
    def short_label(self) -> str:
        return SHORT_LABELS.get(self.name, self.label)

    @property
    def target_note(self) -> str:
        return f"chỉ tiêu ≥ {format_percent(self.minimum)}" if self.minimum is not None else ""


@dataclass(frozen=True)
class Cell:
    name: str
    text: str
    outcome: fig.TargetOutcome | None = None

    @property
    def outcome_label(self) -> str:
        return fig.TARGET_OUTCOME_LABELS[self.outcome] if self.outcome else ""


@dataclass(frozen=True)
class GridLine:
    row: CommuneFigures
    cells: tuple[Cell, ...]
    # Whether the report's figures were computed from dossier lists (dossiers.queries.FigureOrigin).
    figure_origin: str = ""


def grid_columns(data: PeriodFigures) -> tuple[Column, ...]:
    """The key counts, then the rates the grid shows, each with its target if the regime sets one."""
    counts = tuple(Column(name, fig.FIGURE_LABELS[name]) for name in KEY_COUNTS)
    rates = tuple(
        Column(f"rates.{key}", fig.FIGURE_LABELS[f"rates.{key}"], data.targets.get(key)) for key in data.rate_keys
    )
    return counts + rates


def grid_lines(rows: Iterable[CommuneFigures], columns: Sequence[Column]) -> list[GridLine]:
    """The cells of the rows shown (one page of the grid)."""
    lines = []
    for row in rows:
        cells = []
        for column in columns:
            outcome = None
            if column.minimum is not None and row.figures is not None:
                outcome = row.outcomes.get(column.name.removeprefix("rates."))
            cells.append(Cell(column.name, format_figure(column.name, row.value(column.name)), outcome))
        lines.append(GridLine(row, tuple(cells)))
    return lines


@dataclass(frozen=True)
class TotalLine:
    name: str
    label: str
    text: str
    note: str = ""


@dataclass(frozen=True)
class TotalsGroup:
    title: str
    lines: tuple[TotalLine, ...]


@dataclass(frozen=True)
class ResultsTableRow:
    label: str
    cells: tuple[Cell, ...]  # columns (3) to (13) of the official form; the total row's link


# The results columns in the order of the official form (columns 3 to 13), as figure names.
RESULTS_FORM_NAMES = (
    "results.received",
    "results.online",
    "results.direct",
    "results.carried_over",
    "results.resolved",
    "results.early",
    "results.on_time",
    "results.overdue",
    "results.in_progress",
    "results.pending_on_time",
    "results.pending_overdue",
)
RESULTS_FORM_HEADERS = (
    "Tổng số tiếp nhận",
    "Trực tuyến",
    "Trực tiếp, bưu chính",
    "Kỳ trước chuyển sang",
    "Tổng số đã giải quyết",
    "Trước hạn",
    "Đúng hạn",
    "Quá hạn",
    "Tổng số đang giải quyết",
    "Trong hạn",
    "Quá hạn",
)


def results_table(totals: CityTotals) -> list[ResultsTableRow]:
    """The summed results table: a row per source system, then the total row."""
    summed = totals.summed
    rows = [
        ResultsTableRow(
            row.source or fig.SOURCE_KIND_LABELS[row.kind], tuple(Cell("", format_int(n)) for n in row.form_columns())
        )
        for row in summed.figures.results
    ]
    total_cells = zip(RESULTS_FORM_NAMES, summed.totals.form_columns(), strict=True)
    rows.append(ResultsTableRow("Tổng cộng", tuple(Cell(name, format_int(n)) for name, n in total_cells)))
    return rows


def _coverage_note(coverage: fig.RateCoverage) -> str:
    if coverage.summable:
        return ""
    if coverage.counted:
        return (
            f"Tính từ số liệu của {coverage.counted} xã; {coverage.typed} xã chỉ nhập tỷ lệ, không có số liệu để cộng."
        )
    return f"Không cộng được: {coverage.typed} xã chỉ nhập tỷ lệ, không có số liệu để tính."


def totals_groups(totals: CityTotals) -> list[TotalsGroup]:
    """The city figures by catalogue group: rates (with how they were summed), then counts."""
    summed = totals.summed
    rate_lines = tuple(
        TotalLine(
            f"rates.{key}",
            fig.FIGURE_LABELS[f"rates.{key}"],
            format_figure(f"rates.{key}", totals.value(f"rates.{key}")),
            _coverage_note(summed.coverage[key]),
        )
        for key in fig.RATE_KEYS
        if summed.coverage[key].counted or summed.coverage[key].typed
    )
    groups = [TotalsGroup(fig.GROUP_RATES, rate_lines)] if rate_lines else []
    by_group: dict[str, list[TotalLine]] = {}
    for key in fig.COUNT_KEYS:
        if key not in summed.value_reports:
            continue
        name = f"values.{key}"
        reports = summed.value_reports[key]
        note = f"{reports}/{summed.reports} báo cáo có số liệu" if reports < summed.reports else ""
        by_group.setdefault(fig.VALUE_SPEC_BY_KEY[key].group, []).append(
            TotalLine(name, fig.FIGURE_LABELS[name], format_figure(name, totals.value(name)), note)
        )
    groups += [TotalsGroup(title, tuple(lines)) for title, lines in by_group.items()]
    return groups


# --- Page parameters ---------------------------------------------------------------------------

# Longest text taken from a query parameter; anything longer is cut (never an error).
MAX_PARAMETER = 100


@dataclass(frozen=True)
class GridQuery:
    """The grid's filters and order as read from the query string; unknown values are dropped."""

    status: str = ""
    search: str = ""
    missed: str = ""
    sort: str = "commune"
    descending: bool = False

    @classmethod
    def from_params(cls, params: Mapping[str, str]) -> "GridQuery":
        status = params.get("status", "")[:MAX_PARAMETER]
        missed = params.get("missed", "")[:MAX_PARAMETER]
        sort = params.get("sort", "")[:MAX_PARAMETER]
        return cls(
            status=status if status in GRID_STATUS_FILTERS else "",
            search=params.get("q", "")[:MAX_PARAMETER].strip(),
            missed=missed if missed == "any" or missed in fig.RATE_KEYS else "",
            sort=sort if sort in GRID_SORT_KEYS else "commune",
            descending=params.get("dir") == "desc",
        )

    def apply(self, rows: Iterable[CommuneFigures]) -> list[CommuneFigures]:
        chosen = filter_rows(rows, status=self.status, search=self.search, missed=self.missed)
        return sort_rows(chosen, self.sort, descending=self.descending)


@dataclass(frozen=True)
class DrillLine:
    rank: int  # 1 for the largest value
    name: str  # the figure drilled into
    item: Contribution
    outcome: fig.TargetOutcome | None

    @property
    def text(self) -> str:
        # Formatted when shown: a page shows 200 of the province's 3,321 lines.
        return format_figure(self.name, self.item.value)

    @property
    def outcome_label(self) -> str:
        return fig.TARGET_OUTCOME_LABELS[self.outcome] if self.outcome else ""


@dataclass(frozen=True)
class DrillDown:
    """The communes behind one city figure, with their values (and target outcomes for rates)."""

    name: str
    label: str
    city_text: str
    lines: list[DrillLine]
    minimum: Decimal | None
    note: str
    outcome: fig.TargetOutcome | None  # the filter applied, if any

    @property
    def minimum_text(self) -> str:
        return format_percent(self.minimum) if self.minimum is not None else ""


def drill_down(data: PeriodFigures, name: str, *, outcome: str = "") -> DrillDown:
    """The drill-down of figure `name` (a figures.FIGURE_LABELS key) over the summed reports;
    `outcome` keeps only the communes that met, missed or have no data for the rate's target."""
    totals = data.totals
    key = name.removeprefix("rates.")
    minimum = data.targets.get(key) if name.startswith("rates.") else None
    chosen = fig.TargetOutcome(outcome) if minimum is not None and outcome in fig.TargetOutcome else None
    outcomes = {row.commune_code: row.outcomes.get(key) for row in totals.rows} if minimum is not None else {}
    lines = [
        DrillLine(rank, name, item, outcomes.get(item.commune_code))
        for rank, item in enumerate(totals.contributions(name), start=1)
    ]
    if chosen is not None:
        lines = [line for line in lines if line.outcome == chosen]
    note = _coverage_note(totals.summed.coverage[key]) if name.startswith("rates.") else ""
    return DrillDown(
        name=name,
        label=fig.FIGURE_LABELS[name],
        city_text=format_figure(name, totals.value(name)),
        lines=lines,
        minimum=minimum,
        note=note,
        outcome=chosen,
    )


def national_period_keys() -> list[PeriodKey]:
    """The period keys of active regimes, newest first, for the national view's selector: one query."""
    keys = (
        Period.objects.filter(regime__is_active=True)
        .values_list("regime__frequency", "year", "number")
        .distinct()
        .order_by("-year", "-number", "regime__frequency")
    )
    return [PeriodKey(Frequency(frequency), year, number) for frequency, year, number in keys]


def national_key(raw: str | None, keys: Sequence[PeriodKey]) -> PeriodKey | None:
    """The period key asked for (a slug such as "2026-05" or "2026-Q1"), else the newest of `keys`."""
    if raw:
        try:
            return PeriodKey.parse(raw[:MAX_PARAMETER], None)
        except ValueError:
            pass
    return keys[0] if keys else None
