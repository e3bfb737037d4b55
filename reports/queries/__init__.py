"""Reads for screens. Each function's query count does not grow with the number of communes."""

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from communes.models import Commune, Membership, Province
from reports import dashboard
from reports.figures import (
    SOURCE_KIND_LABELS,
    VALUE_SPECS,
    Finding,
    RateSource,
    ResultRow,
    ResultTotals,
    Unit,
    check_figures,
    compute_rates,
    parse_figures,
    result_totals,
)
from reports.models import (
    OutlineSection,
    Period,
    Report,
    ReportEvent,
    ReportingRegime,
    ReportStatus,
    SectionKind,
    Target,
)
from reports.outline import OutlineNode, build_outline, iter_nodes
from reports.periods import MAX_YEAR, Frequency, PeriodKey, period_window
from reports.periods import deadline as period_deadline
from reports.rendering.document import DEFAULT_DIRECTIVES_TEMPLATE, build_template_context
from reports.rendering.formatting import format_date, format_int, format_percent
from reports.rendering.templating import NarrativeText, Paragraph, render_paragraphs


def recent_periods(regimes: QuerySet[ReportingRegime], *, today: date, limit: int = 6) -> list[Period]:
    """The latest periods that have started, newest first, across the given regimes."""
    return list(
        Period.objects.filter(regime__in=regimes, start__lte=today)
        .select_related("regime")
        .order_by("-end", "regime__name")[:limit]
    )


def commune_home(commune: Commune, *, membership: Membership) -> dict:
    """The commune's recent periods of every active regime with their reports, and its inbox."""
    return {
        "commune": commune,
        "openable": openable_periods_for_commune(commune, today=timezone.localdate()),
        "inbox": dashboard.inbox_for(membership),
    }


def city_home(province: Province, *, membership: Membership) -> dict:
    today = timezone.localdate()
    regimes = ReportingRegime.objects.filter(province=province, is_active=True)
    # Two regimes over four months fit on one screen; older periods stay reachable from the admin.
    periods = recent_periods(regimes, today=today, limit=8)
    counts = (
        Period.objects.filter(pk__in=[p.pk for p in periods])
        .annotate(
            submitted=Count("reports", filter=Q(reports__status=ReportStatus.SUBMITTED)),
            accepted=Count("reports", filter=Q(reports__status=ReportStatus.ACCEPTED)),
            issued=Count("reports", filter=Q(reports__status=ReportStatus.ISSUED)),
            returned=Count("reports", filter=Q(reports__status=ReportStatus.RETURNED)),
            drafts=Count("reports", filter=Q(reports__status=ReportStatus.DRAFT)),
        )
        .select_related("regime")
        .order_by("-end", "regime__name")
    )
    return {
        "province": province,
        "commune_count": Commune.objects.filter(province=province).count(),
        "period_counts": list(counts),
        "inbox": dashboard.inbox_for(membership),
    }


def provinces_for_superuser_home() -> list[Province]:
    return list(Province.objects.annotate(commune_count=Count("communes")).order_by("code"))


def reports_for_commune_detail(commune: Commune) -> list[Report]:
    return list(Report.objects.filter(commune=commune).select_related("period__regime").order_by("-period__end")[:24])


# --- Data entry screens ------------------------------------------------------------------------

# Soft rules compare a report with the commune's own recent history (product.md §4).
HISTORY_PERIODS = 12


@dataclass(frozen=True)
class CheckContext:
    """What the soft rules compare a report's figures with."""

    targets: dict[str, Decimal]
    previous: dict[str, Any] | None
    history: list[dict[str, Any]]  # oldest first, at most HISTORY_PERIODS

    def check(self, figures_data: dict[str, Any]) -> list[Finding]:
        return check_figures(figures_data, targets=self.targets, previous=self.previous, history=self.history)


def earlier_period_keys(key: PeriodKey, count: int) -> list[PeriodKey]:
    """The `count` periods before `key`, newest first (fewer at the start of the supported years)."""
    keys: list[PeriodKey] = []
    current = key
    for _ in range(count):
        try:
            current = current.previous()
        except ValueError:
            break
        keys.append(current)
    return keys


def check_context_for_report(report: Report) -> CheckContext:
    """Targets, last period's figures and up to 12 earlier periods' figures, in two queries.

    `report` must come with `period__regime` (as from communes.access).
    """
    period = report.period
    keys = earlier_period_keys(period.key, HISTORY_PERIODS)
    figures_by_key: dict[tuple[int, int], dict[str, Any]] = {}
    if keys:
        # One query for all earlier periods: an OR of (year, number) pairs, so the count does not
        # depend on how many periods exist.
        condition = Q()
        for key in keys:
            condition |= Q(period__year=key.year, period__number=key.number)
        rows = (
            Report.objects.filter(commune_id=report.commune_id, period__regime_id=period.regime_id)
            .filter(condition)
            .values_list("period__year", "period__number", "figures")
        )
        figures_by_key = {(year, number): figures for year, number, figures in rows}
    previous = figures_by_key.get((keys[0].year, keys[0].number)) if keys else None
    history = [figures_by_key[(k.year, k.number)] for k in reversed(keys) if (k.year, k.number) in figures_by_key]
    targets = {t.indicator: t.minimum for t in Target.objects.filter(regime_id=period.regime_id)}
    return CheckContext(targets=targets, previous=previous, history=history)


def outline_for_regime(regime_id: int) -> list[OutlineNode]:
    """The regime's numbered outline tree, in one query."""
    return build_outline(OutlineSection.objects.filter(regime_id=regime_id))


def history_for_report(report: Report, *, limit: int | None = None) -> list[ReportEvent]:
    """The report's events, newest first, with who did them, in one query."""
    events = ReportEvent.objects.filter(report=report).select_related("by").order_by("-at", "-id")
    return list(events[:limit] if limit is not None else events)


@dataclass(frozen=True)
class OpenablePeriod:
    """A period a commune may open a report for, with the report if it already exists."""

    regime: ReportingRegime
    key: PeriodKey
    start: date
    end: date
    report: Report | None

    @property
    def slug(self) -> str:
        return self.key.slug()

    @property
    def label(self) -> str:
        return self.key.label()

    @property
    def deadline(self) -> date:
        return period_deadline(self.key, self.regime.cutoff_day, self.regime.deadline_working_days)

    @property
    def is_overdue(self) -> bool:
        done = self.report is not None and self.report.status not in (ReportStatus.DRAFT, ReportStatus.RETURNED)
        return not done and self.deadline < timezone.localdate()


def recent_period_keys(frequency: str, cutoff_day: int, *, today: date, count: int = 3) -> list[PeriodKey]:
    """The `count` latest periods of a regime that have started by `today`, newest first."""
    keys: list[PeriodKey] = []
    try:
        key: PeriodKey | None = PeriodKey(Frequency(frequency), min(today.year + 1, MAX_YEAR), 1)
    except ValueError:
        return keys
    # Walk back from the start of next year: at most 12 steps past the periods that have not
    # started yet, then `count` more.
    for _ in range(12 + count):
        if key is None or len(keys) == count:
            break
        if period_window(key, cutoff_day)[0] <= today:
            keys.append(key)
        try:
            key = key.previous()
        except ValueError:
            key = None
    return keys


def openable_periods_for_commune(commune: Commune, *, today: date, count: int = 3) -> list[OpenablePeriod]:
    """For each active regime of the commune's province, its latest started periods, in two queries."""
    regimes = list(ReportingRegime.objects.for_commune(commune).order_by("name"))
    wanted = [
        (regime, key)
        for regime in regimes
        for key in recent_period_keys(regime.frequency, regime.cutoff_day, today=today, count=count)
    ]
    condition = Q()
    for regime, key in wanted:
        condition |= Q(period__regime_id=regime.pk, period__year=key.year, period__number=key.number)
    existing: dict[tuple[int, int, int], Report] = {}
    if wanted:
        for report in Report.objects.filter(commune=commune).filter(condition).select_related("period"):
            existing[(report.period.regime_id, report.period.year, report.period.number)] = report
    result = []
    for regime, key in wanted:
        start, end = period_window(key, regime.cutoff_day)
        result.append(
            OpenablePeriod(
                regime=regime,
                key=key,
                start=start,
                end=end,
                report=existing.get((regime.pk, key.year, key.number)),
            )
        )
    return result


def open_regimes_for_commune(commune: Commune) -> QuerySet[ReportingRegime]:
    return ReportingRegime.objects.for_commune(commune)


# --- What the report screens show ------------------------------------------------------------


@dataclass(frozen=True)
class ResultLine:
    """A row of the 13-column results table with every number formatted (standards.md §2)."""

    number: str
    source: str
    kind_label: str
    cells: tuple[str, ...]  # columns (3) to (13)


@dataclass(frozen=True)
class ValueLine:
    label: str
    display: str
    note: str


@dataclass(frozen=True)
class FiguresDisplay:
    results: list[ResultLine]
    total: ResultLine | None
    agencies: list[tuple[str, str, str]]
    directives: list[tuple[str, str, str, str]]
    value_groups: list[tuple[str, list[ValueLine]]]


def _cells(row: ResultRow | ResultTotals) -> tuple[str, ...]:
    return tuple(format_int(n) for n in row.form_columns())


def figures_for_display(data: dict[str, Any]) -> FiguresDisplay:
    """The stored figures as the read-only screens show them: totals and rates from figures.py."""
    parsed = parse_figures(data)
    results = [
        ResultLine(str(i + 1), row.source, SOURCE_KIND_LABELS.get(row.kind, ""), _cells(row))
        for i, row in enumerate(parsed.results)
    ]
    total = ResultLine("", "Tổng cộng", "", _cells(result_totals(parsed.results))) if parsed.results else None
    agencies = [(a.name, format_int(a.received), format_int(a.resolved)) for a in parsed.sector_agencies]
    directives = []
    for d in parsed.directives:
        try:
            issued = format_date(date.fromisoformat(d.issued_on))
        except ValueError:
            issued = d.issued_on
        directives.append((d.doc_type, d.number, issued, d.subject))
    rates = compute_rates(parsed)
    groups: dict[str, list[ValueLine]] = {}
    for spec in VALUE_SPECS:
        if spec.unit == Unit.PERCENT:
            rate = rates[spec.key]
            if rate.value is None:
                continue
            note = "tính từ số liệu" if rate.source == RateSource.COMPUTED else "nhập trực tiếp"
            groups.setdefault(spec.group, []).append(ValueLine(spec.label, format_percent(rate.value), note))
            continue
        value = parsed.value(spec.key)
        if value is not None:
            groups.setdefault(spec.group, []).append(ValueLine(spec.label, format_int(value), ""))
    return FiguresDisplay(results, total, agencies, directives, list(groups.items()))


def generated_paragraphs(
    report: Report, outline: list[OutlineNode], *, targets: dict[str, Decimal], figures_data: dict[str, Any]
) -> dict[str, list[Paragraph]]:
    """The paragraphs each generated section prints for these figures, as the document will show them.

    No queries once the report comes with commune__province and period__regime (as from access).
    """
    parsed = parse_figures(figures_data)
    context = build_template_context(
        report, commune=report.commune, period=report.period, figures=parsed, targets=targets
    )
    # The officer's own text is shown in its own box, so the preview leaves it out.
    context = {**context, "text": NarrativeText(), "after": NarrativeText()}
    result: dict[str, list[Paragraph]] = {}
    for node in iter_nodes(outline):
        template = node.template.strip()
        if not template and node.kind == SectionKind.DIRECTIVES:
            template = DEFAULT_DIRECTIVES_TEMPLATE
        if template and node.kind in (SectionKind.GENERATED, SectionKind.DIRECTIVES):
            result[node.key] = render_paragraphs(template, context)
    return result


@dataclass(frozen=True)
class SectionView:
    """One outline section on the report screens: heading, the officer's texts and the generated part."""

    node: OutlineNode
    text: str
    after: str
    generated: list[Paragraph]

    @property
    def heading(self) -> str:
        return f"{self.node.number} {self.node.title}".strip()

    @property
    def has_generated_part(self) -> bool:
        return self.node.kind != SectionKind.NARRATIVE


def section_views(
    outline: list[OutlineNode], narrative: dict[str, Any], generated: dict[str, list[Paragraph]]
) -> list[SectionView]:
    views = []
    for node in iter_nodes(outline):
        parts = narrative.get(node.key) if isinstance(narrative, dict) else None
        parts = parts if isinstance(parts, dict) else {}
        views.append(
            SectionView(
                node=node,
                text=str(parts.get("text") or ""),
                after=str(parts.get("after") or ""),
                generated=generated.get(node.key, []),
            )
        )
    return views
