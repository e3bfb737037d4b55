"""Reads for the data entry screens: opening a period, the report page, the form and its checks."""

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from django.contrib.auth.models import User
from django.db.models import F, FilteredRelation, OuterRef, Q, QuerySet
from django.forms import BoundField
from django.urls import reverse
from django.utils import timezone

from communes import access
from communes.models import Commune
from reports import labels, services
from reports.diff import diff_content
from reports.figures import (
    VALUE_SPECS,
    Finding,
    RateSource,
    Unit,
    check_figures,
    compute_rates,
    parse_figures,
    unresolved_findings,
)
from reports.forms import DIRECTIVE_TYPES, EXPLANATION_PREFIX, ReportForm
from reports.models import (
    OutlineSection,
    Period,
    Report,
    ReportEvent,
    ReportingRegime,
    ReportStatus,
    SectionKind,
    Target,
    first_submission_on_time,
)
from reports.outline import OutlineNode, build_outline, iter_nodes
from reports.periods import MAX_YEAR, Frequency, PeriodKey, is_late, period_window
from reports.queries import review as review_queries
from reports.queries.review import ChangeRow
from reports.rendering.document import ResultsTable, generated_paragraphs, results_table
from reports.rendering.formatting import format_date, format_int, format_percent
from reports.rendering.templating import Paragraph

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
class OpenedReport:
    """What the open page and the commune's home show of a report already opened."""

    pk: int
    status: str

    @property
    def status_label(self) -> str:
        return ReportStatus(self.status).label


@dataclass(frozen=True)
class OpenablePeriod:
    """A period a commune may open a report for, with the report if it already exists.

    Window and deadline are the stored period's once the period exists (a regime edited later
    does not move them), computed from the regime only for periods nobody has opened yet.
    """

    regime: ReportingRegime
    key: PeriodKey
    start: date
    end: date
    deadline: date
    report: OpenedReport | None
    late: bool  # periods.is_late

    @property
    def slug(self) -> str:
        return self.key.slug()

    @property
    def label(self) -> str:
        return self.key.label()


def recent_period_keys(
    frequency: str, cutoff_day: int, *, today: date, count: int = 3, month_offset: int = 0
) -> list[PeriodKey]:
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
        if period_window(key, cutoff_day, month_offset)[0] <= today:
            keys.append(key)
        try:
            key = key.previous()
        except ValueError:
            key = None
    return keys


# How far back the period picker reaches: two years of months, eight quarters, and so on.
PICKER_PERIODS = 24


def period_choices_for_commune(commune: Commune, *, today: date) -> list[tuple[str, str]]:
    """The started periods of the commune's regimes, newest first, as (slug, label) for a select."""
    choices: dict[str, str] = {}
    for regime in ReportingRegime.objects.for_commune(commune).order_by("name"):
        for key in recent_period_keys(regime.frequency, regime.cutoff_day, today=today, count=PICKER_PERIODS):
            choices.setdefault(key.slug(), key.label().capitalize())
    return list(choices.items())


def owed_periods(openable: list[OpenablePeriod]) -> list[OpenablePeriod]:
    """Started periods the commune has not opened a report for yet, earliest deadline first."""
    return sorted((item for item in openable if item.report is None), key=lambda item: item.deadline)


def openable_periods_for_commune(commune: Commune, *, today: date, count: int = 3) -> list[OpenablePeriod]:
    """For each active regime of the commune's province, its latest started periods, in two queries."""
    regimes = list(ReportingRegime.objects.for_commune(commune).order_by("name"))
    wanted = [
        (regime, key)
        for regime in regimes
        for key in recent_period_keys(
            regime.frequency, regime.cutoff_day, today=today, count=count, month_offset=regime.month_offset
        )
    ]
    if not wanted:
        return []
    condition = Q()
    for regime, key in wanted:
        condition |= Q(regime_id=regime.pk, year=key.year, number=key.number)
    # The stored periods with this commune's report, if any, joined in the same query.
    stored = {
        (row[0], row[1], row[2]): row[3:]
        for row in Period.objects.filter(condition)
        .annotate(mine=FilteredRelation("reports", condition=Q(reports__commune=commune)))
        .annotate(report_pk=F("mine__pk"), report_status=F("mine__status"))
        .annotate(first_on_time=first_submission_on_time(report=OuterRef("report_pk")))
        .order_by()
        .values_list(
            "regime_id", "year", "number", "start", "end", "deadline", "report_pk", "report_status", "first_on_time"
        )
    }
    result = []
    for regime, key in wanted:
        row = stored.get((regime.pk, key.year, key.number))
        if row is None:
            start, end = regime.window(key)
            deadline = regime.deadline_for(key)
            report, first_on_time = None, None
        else:
            start, end, deadline, report_pk, report_status, first_on_time = row
            report = OpenedReport(report_pk, report_status) if report_pk is not None else None
        late = is_late(deadline, today=today, first_on_time=first_on_time)
        result.append(OpenablePeriod(regime, key, start, end, deadline, report, late))
    return result


def open_regimes_for_commune(commune: Commune) -> QuerySet[ReportingRegime]:
    return ReportingRegime.objects.for_commune(commune)


# --- What the report screens show ------------------------------------------------------------


@dataclass(frozen=True)
class ValueLine:
    label: str
    display: str
    note: str


@dataclass(frozen=True)
class FiguresDisplay:
    results: ResultsTable | None  # the printed table itself (rendering.document), None without rows
    agencies: list[tuple[str, str, str]]
    directives: list[tuple[str, str, str, str]]
    value_groups: list[tuple[str, list[ValueLine]]]


def figures_for_display(data: dict[str, Any]) -> FiguresDisplay:
    """The stored figures as the read-only screens show them: totals and rates from figures.py."""
    parsed = parse_figures(data)
    results = results_table(parsed.results) if parsed.results else None
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
    return FiguresDisplay(results, agencies, directives, list(groups.items()))


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


# --- Page contexts of the entry screens --------------------------------------------------------


@dataclass(frozen=True)
class EventView:
    event: ReportEvent
    changes: list[ChangeRow]


def _change_row(change: Mapping[str, Any], titles: Mapping[str, str]) -> ChangeRow:
    path = str(change.get("path", ""))
    old, new = change.get("old"), change.get("new")
    return ChangeRow(
        labels.path_label(path, titles), labels.value_text(old, path=path), labels.value_text(new, path=path)
    )


def event_views(events: list[ReportEvent], outline: list[OutlineNode]) -> list[EventView]:
    """The report's history with every changed path and value labelled in Vietnamese."""
    titles = labels.section_titles(outline)
    return [
        EventView(event, [_change_row(c, titles) for c in (event.changes or []) if isinstance(c, dict)])
        for event in events
    ]


def document_links(report: Report) -> dict[str, str]:
    """Preview and download links of the report's document."""
    return {
        name: reverse(f"reports:{name}", kwargs={"report_id": report.pk})
        for name in ("preview", "download_docx", "download_pdf")
    }


def detail_context(report: Report, *, user: User) -> dict[str, Any]:
    """Everything the report page shows; `report` comes from communes.access."""
    outline = outline_for_regime(report.period.regime_id)
    check = check_context_for_report(report)
    findings = check.check(report.figures)
    generated = generated_paragraphs(report, outline, targets=check.targets, figures_data=report.figures)
    sections = section_views(outline, report.narrative, generated)
    comments = review_queries.pinned_comments(report, labels.section_titles(outline))
    pinned: dict[str, list[review_queries.PinnedComment]] = {}
    for item in comments:
        pinned.setdefault(item.comment.anchor.removeprefix("section:"), []).append(item)
    section_keys = {section.node.key for section in sections}
    return {
        "report": report,
        "sections": sections,
        "sections_with_comments": [(section, pinned.get(section.node.key, [])) for section in sections],
        "other_comments": [
            item for item in comments if item.comment.anchor.removeprefix("section:") not in section_keys
        ],
        "return_event": review_queries.latest_return(report),
        "figures": figures_for_display(report.figures),
        "findings": findings,
        "unresolved": unresolved_findings(findings, report.explanations or {}),
        "explanations": report.explanations or {},
        "events": event_views(history_for_report(report, limit=5), outline),
        "can_edit": access.can_edit_report(user, report),
        "can_submit": access.can_submit_report(user, report),
        "can_review": access.can_review_report(user, report),
        "can_issue": access.can_issue_report(user, report),
        "latest_submission": report.submissions.select_related("submitted_by").order_by("-sequence").first(),
        "can_amend": access.can_amend_report(user, report),
        "can_confirm_scan": access.can_confirm_scan(user, report),
        "document_links": document_links(report),
        **review_queries.scans_context(report),
    }


@dataclass(frozen=True)
class SectionEntry:
    view: SectionView
    text_field: BoundField
    after_field: BoundField | None


@dataclass(frozen=True)
class ExplanationEntry:
    code: str
    name: str
    message: str
    text: str
    current: bool  # False: the finding is gone but text was written for it; kept so nothing is lost


def explanation_entries(findings: list[Finding], explanations: Mapping[str, str]) -> list[ExplanationEntry]:
    """One box per finding that needs an explanation, then any text kept for findings now gone."""
    entries = []
    seen = set()
    for finding in findings:
        if finding.needs_explanation and finding.code not in seen:
            seen.add(finding.code)
            text = explanations.get(finding.code, "")
            entries.append(
                ExplanationEntry(finding.code, EXPLANATION_PREFIX + finding.code, finding.message, text, True)
            )
    for code, text in explanations.items():
        if code not in seen and text:
            entries.append(ExplanationEntry(code, EXPLANATION_PREFIX + code, "", text, False))
    return entries


def _section_entries(form: ReportForm, generated: dict[str, list[Paragraph]]) -> list[SectionEntry]:
    entries = []
    for view in section_views(form.outline, form.report.narrative, generated):
        after = f"{view.node.key}.after"
        after_field = form.narrative[after] if after in form.narrative.fields else None
        entries.append(SectionEntry(view, form.narrative[f"{view.node.key}.text"], after_field))
    return entries


def form_context(form: ReportForm, *, user: User, check: CheckContext) -> dict[str, Any]:
    """Everything the entry form shows around its fields (the live-check payload is the view's)."""
    report = form.report
    comments = review_queries.pinned_comments(report, labels.section_titles(form.outline))
    # Every place the city commented on and the commune has not answered yet is marked in the form.
    form.mark_widgets(item.comment.anchor for item in comments if not item.comment.answer)
    figures_data = form.current_figures()
    findings = check.check(figures_data)
    parsed = parse_figures(figures_data)
    generated = generated_paragraphs(report, form.outline, targets=check.targets, figures_data=figures_data)
    # Row totals of the stored rows; as the officer types, the live check sends them again.
    result_rows = []
    for index, row_form in enumerate(form.results.forms):
        row = parsed.results[index] if not form.is_bound and index < len(parsed.results) else None
        totals = (format_int(row.received), format_int(row.resolved), format_int(row.in_progress)) if row else None
        result_rows.append((row_form, totals))
    return {
        "report": report,
        "form": form,
        "result_rows": result_rows,
        "value_groups": form.value_groups(compute_rates(parsed)),
        "sections": _section_entries(form, generated),
        "explanation_entries": explanation_entries(findings, form.explanations),
        "prefilled_names": form.prefilled_names(),
        "directive_types": DIRECTIVE_TYPES,
        "document_links": document_links(report),
        "can_submit": access.can_submit_report(user, report),
        # Shown above the form with the return reason; the commune answers them here.
        "review_comments": comments,
        "return_event": review_queries.latest_return(report),
    }


CONFLICT_MESSAGE = (
    "Báo cáo vừa được {who} lưu lúc {when} sau khi bạn mở trang. "
    "Nội dung bạn nhập CHƯA được lưu và vẫn nằm trong biểu mẫu; hãy so sánh với bản đã lưu bên dưới, "
    "rồi bấm “Lưu” để ghi bản của bạn đè lên, hoặc tải lại trang để lấy bản đã lưu."
)


def save_conflict(current: Report, content: dict[str, Any], outline: list[OutlineNode]) -> dict[str, Any]:
    """What the officer typed and what is stored, side by side, for every place they differ."""
    mine = services.prepare_content(current, **content, outline=outline)
    who = "người khác"
    if current.updated_by is not None:
        who = current.updated_by.get_full_name() or current.updated_by.get_username()
    when = timezone.localtime(current.updated_at).strftime("%H:%M:%S ngày %d/%m/%Y")
    titles = labels.section_titles(outline)
    return {
        "message": CONFLICT_MESSAGE.format(who=who, when=when),
        "version": current.version,
        "differences": [
            {
                "path": change.path,
                "label": labels.path_label(change.path, titles, mine),
                "stored": labels.value_text(change.old, path=change.path),
                "mine": labels.value_text(change.new, path=change.path),
            }
            for change in diff_content(services.report_content(current), mine)
        ],
    }
