"""Writes: every change to periods and reports goes through a function here.

Services take keyword-only arguments, never see a request, and raise ValidationError with a
Vietnamese message when a rule is broken.
"""

from datetime import datetime, timedelta
from typing import Any, TypedDict, Unpack

from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone

from communes.logs import log_event
from communes.models import Commune
from reports import figures, periods
from reports.content import SIGNER_FIELDS, TEXT_LIMITS, clean_content, normalise_text, strip_forbidden
from reports.diff import diff_content, merge_changes, path_is_within
from reports.models import (
    EDITABLE_STATUSES,
    EventKind,
    Period,
    Report,
    ReportEvent,
    ReportingRegime,
)
from reports.outline import OutlineNode, iter_nodes

# A module import: reports.queries.entry reads stored content through this module too.
from reports.queries import entry as entry_queries


def get_or_create_period(regime: ReportingRegime, key: periods.PeriodKey) -> Period:
    """The regime's period for `key`, created with its window and deadline on first use."""
    existing = Period.objects.filter(regime=regime, year=key.year, number=key.number).first()
    if existing is not None:
        return existing
    start, end = regime.window(key)
    try:
        with transaction.atomic():
            return Period.objects.create(
                regime=regime,
                year=key.year,
                number=key.number,
                start=start,
                end=end,
                deadline=regime.deadline_for(key),
                directive=regime.directive_on(end),
            )
    except IntegrityError:
        # Another request created it between our read and our insert.
        return Period.objects.get(regime=regime, year=key.year, number=key.number)


def record_event(
    report: Report,
    *,
    kind: EventKind,
    by: User | None,
    changes: list[dict[str, Any]] | None = None,
    note: str = "",
) -> ReportEvent:
    event = ReportEvent.objects.create(report=report, kind=kind, by=by, changes=changes or [], note=note)
    # The structured audit line (communes/logs.py) of every change and transition.
    log_event(
        "report_event",
        kind=kind.value if isinstance(kind, EventKind) else kind,
        report=report.pk,
        commune=report.commune_id,
        period=report.period_id,
        status=report.status,
        by=by.get_username() if by is not None else "",
    )
    return event


# --- Report content ----------------------------------------------------------------------------

# The first report of a commune lists the two usual source systems, all counts zero.
DEFAULT_RESULT_SOURCES = (
    ("Hệ thống thông tin giải quyết TTHC thành phố", figures.SourceKind.CITY),
    ("Hệ thống thông tin giải quyết TTHC của các bộ", figures.SourceKind.MINISTRY),
)
NOT_EDITABLE_MESSAGE = "Báo cáo đã gửi hoặc đã ban hành, không thể sửa."


class SaveConflict(ValidationError):
    """Someone saved the report after the editor loaded it; `current` is the report as stored now."""

    def __init__(self, current: Report) -> None:
        super().__init__(
            "Báo cáo vừa được người khác lưu sau khi bạn mở. Nội dung của bạn chưa được lưu.",
            code="conflict",
        )
        self.current = current


def _carried(name: str, value: Any) -> str:
    """A text copied from stored data into a new draft, fitted to today's rules (it may predate them)."""
    return strip_forbidden(normalise_text(str(value or "")))[: TEXT_LIMITS[name]]


def report_content(report: Report) -> dict[str, Any]:
    """The editable content of a report as one JSON value; diffs and conflicts compare these."""
    return {
        "figures": report.figures,
        "narrative": report.narrative,
        "explanations": report.explanations,
        **{name: getattr(report, name) for name in SIGNER_FIELDS},
    }


def _previous_report(commune: Commune, period: Period) -> Report | None:
    """The commune's latest report of the regime before `period`: last period's, or when that
    one was never made, the latest earlier one (a commune that skipped a month still starts
    from its own last report rather than from a blank page)."""
    return (
        Report.objects.filter(commune=commune, period__regime_id=period.regime_id, period__end__lt=period.start)
        .select_related("period__regime")
        .order_by("-period__end")
        .first()
    )


def _is_immediately_before(earlier: Period, period: Period) -> bool:
    try:
        key = period.key.previous()
    except ValueError:
        return False
    return (earlier.year, earlier.number) == (key.year, key.number)


def draft_origin(report: Report) -> str:
    """What the draft was created from, as its history says ("lấy dữ liệu từ báo cáo tháng 3…")."""
    created = report.events.filter(kind=EventKind.CREATED).order_by("at", "id").first()
    return created.note if created is not None else ""


def _prefill_from(previous: Report) -> tuple[dict[str, Any], dict[str, Any], list[str]]:
    """Figures and narrative for a new draft from last period's report, and the paths they fill."""
    last = figures.parse_figures(previous.figures)
    prefilled: list[str] = []
    results = []
    for index, row in enumerate(last.results):
        # What was still in progress at the end of last period is carried over into this one.
        results.append(
            {
                "source": row.source,
                "kind": str(row.kind),
                **dict.fromkeys(figures.RESULT_FIELDS, 0),
                "carried_over": row.in_progress,
            }
        )
        prefilled += [f"figures.results.{index}.source", f"figures.results.{index}.carried_over"]
    agencies = []
    for index, agency in enumerate(last.sector_agencies):
        agencies.append({"name": agency.name, "received": 0, "resolved": 0})
        prefilled.append(f"figures.sector_agencies.{index}.name")
    values = {}
    # Catalogue order, not the stored order: PostgreSQL's jsonb does not keep key order.
    for spec in figures.VALUE_SPECS:
        number = last.values.get(spec.key)
        # Only the procedure catalogue carries over; rates and period counts are new each period.
        if number is not None and spec.group == figures.GROUP_CATALOGUE:
            values[spec.key] = int(number)
            prefilled.append(f"figures.values.{spec.key}")
    data = {"results": results, "sector_agencies": agencies, "directives": [], "values": values}
    stored = previous.narrative if isinstance(previous.narrative, dict) else {}
    narrative = {
        key: {part: _carried("narrative", parts.get(part)) for part in ("text", "after")}
        for key, parts in stored.items()
        if isinstance(parts, dict)
    }
    for key in sorted(narrative):
        prefilled += [f"narrative.{key}.{part}" for part in ("text", "after") if narrative[key][part]]
    return data, narrative, prefilled


def _default_figures() -> dict[str, Any]:
    rows = [
        {"source": source, "kind": str(kind), **dict.fromkeys(figures.RESULT_FIELDS, 0)}
        for source, kind in DEFAULT_RESULT_SOURCES
    ]
    return {"results": rows, "sector_agencies": [], "directives": [], "values": {}}


@transaction.atomic
def create_draft(*, commune: Commune, period: Period, by: User | None) -> Report:
    """A new draft for the commune and period, pre-filled from last period's report if there is one.

    There is one report per commune and period: if it exists already this raises ValidationError
    (code "exists"); `open_draft` returns the existing report instead.
    """
    if Report.objects.filter(commune=commune, period=period).exists():
        raise ValidationError(_exists_message(commune, period), code="exists")
    previous = _previous_report(commune, period)
    outline = entry_queries.outline_for_regime(period.regime_id)
    prefilled: list[str] = []
    if previous is not None:
        data, narrative, prefilled = _prefill_from(previous)
        if not data["results"]:
            data["results"] = _default_figures()["results"]
            prefilled = [p for p in prefilled if not p.startswith("figures.results.")]
        signer_source: Commune | Report = previous
        prefilled += [name for name in SIGNER_FIELDS if getattr(previous, name)]
        note = f"Lập dự thảo, lấy dữ liệu từ báo cáo {previous.period.label}."
        if not _is_immediately_before(previous.period, period):
            note = (
                f"Lập dự thảo, lấy dữ liệu từ báo cáo {previous.period.label} "
                "(báo cáo gần nhất của xã; kỳ liền trước chưa có báo cáo)."
            )
    else:
        data = _default_figures()
        narrative = {node.key: {"text": _carried("narrative", node.default_text)} for node in iter_nodes(outline)}
        signer_source = commune
        note = "Lập dự thảo mới (không có báo cáo kỳ trước)."
    content = clean_content(
        {
            "figures": data,
            "narrative": narrative,
            "explanations": {},
            **{name: _carried(name, getattr(signer_source, name)) for name in SIGNER_FIELDS},
        },
        outline=outline,
        keep_keys=narrative,
    )
    try:
        with transaction.atomic():
            report = Report.objects.create(
                commune=commune,
                period=period,
                prefilled=prefilled,
                created_by=by,
                updated_by=by,
                **content,
            )
    except IntegrityError:
        # Another request created it between our check and our insert.
        raise ValidationError(_exists_message(commune, period), code="exists") from None
    record_event(report, kind=EventKind.CREATED, by=by, note=note)
    return report


def _exists_message(commune: Commune, period: Period) -> str:
    return f"{commune.name} đã có báo cáo {period.label}."


def open_draft(*, commune: Commune, period: Period, by: User | None) -> tuple[Report, bool]:
    """The commune's report for the period, creating the draft if needed; (report, created)."""
    existing = Report.objects.filter(commune=commune, period=period).first()
    if existing is not None:
        return existing, False
    try:
        return create_draft(commune=commune, period=period, by=by), True
    except ValidationError as error:
        if error.code != "exists":
            raise
        return Report.objects.get(commune=commune, period=period), False


class ContentOptions(TypedDict, total=False):
    """What a save may leave out: signer fields left None keep the report's; the outline is
    the regime's when not given."""

    signer_authority: str | None
    signer_position: str | None
    signer_name: str | None
    recipients: str | None
    outline: list[OutlineNode] | None


def prepare_content(
    report: Report,
    *,
    figures: Any,
    narrative: Any,
    explanations: Any,
    **options: Unpack[ContentOptions],
) -> dict[str, Any]:
    """The content as save_draft would store it (reports.content.clean_content); ContentError if refused.

    Signer fields left None keep `report`'s. `outline` is the regime's (queried when not given);
    narrative keys the report already holds stay allowed after their section left the outline.
    """
    raw = {"figures": figures, "narrative": narrative, "explanations": explanations}
    raw |= {name: options.get(name) for name in SIGNER_FIELDS if options.get(name) is not None}
    outline = options.get("outline")
    stored_keys = report.narrative if isinstance(report.narrative, dict) else {}
    content = clean_content(
        raw,
        outline=entry_queries.outline_for_regime(report.period.regime_id) if outline is None else outline,
        keep_keys=stored_keys,
    )
    return {**content, **{name: getattr(report, name) for name in SIGNER_FIELDS if name not in content}}


@transaction.atomic
def save_draft(
    report: Report,
    *,
    figures: Any,
    narrative: Any,
    explanations: Any,
    expected_version: int,
    by: User | None,
    coalesce: bool = True,
    **options: Unpack[ContentOptions],
) -> Report:
    """Save a draft's content if nobody saved since `expected_version`; record one SAVED event,
    merged into the same person's entry of the last quarter hour unless `coalesce` is False (a
    distinct action such as filling the figures from dossier lists keeps its own entry).

    Hard rules do not block saving (they block submission). A signer field left as None keeps
    its stored value. Raises SaveConflict when the stored version moved on, ValidationError when
    the report is not editable or the content is malformed. Nothing changed: no event, no new version.
    """
    if not report.is_editable:
        raise ValidationError(NOT_EDITABLE_MESSAGE, code="not_editable")
    new = prepare_content(report, figures=figures, narrative=narrative, explanations=explanations, **options)
    changes = diff_content(report_content(report), new)
    if not changes:
        return report
    if report.version != expected_version:
        raise SaveConflict(_stored(report.pk))
    # A pre-filled value stays marked until someone changes it (or the row holding it).
    prefilled = [path for path in report.prefilled if not any(path_is_within(path, c.path) for c in changes)]
    now = timezone.now()
    # The conditional UPDATE is the lock: of two saves started from the same version exactly one
    # matches, on SQLite as on PostgreSQL.
    updated = Report.objects.filter(pk=report.pk, version=expected_version, status__in=EDITABLE_STATUSES).update(
        **new, prefilled=prefilled, updated_by=by, updated_at=now, version=F("version") + 1
    )
    if updated != 1:
        current = _stored(report.pk)
        if not current.is_editable:
            raise ValidationError(NOT_EDITABLE_MESSAGE, code="not_editable")
        raise SaveConflict(current)
    for name, value in new.items():
        setattr(report, name, value)
    report.prefilled = prefilled
    report.updated_by = by
    report.updated_at = now
    report.version = expected_version + 1
    if coalesce:
        record_save(report, by=by, changes=[c.as_dict() for c in changes], at=now)
    else:
        record_event(report, kind=EventKind.SAVED, by=by, changes=[c.as_dict() for c in changes])
    return report


# One history entry per quarter hour of one person's editing: autosave fires every few seconds.
SAVE_COALESCE_WINDOW = timedelta(minutes=15)


def record_save(report: Report, *, by: User | None, changes: list[dict[str, Any]], at: datetime) -> None:
    """Record a save, merged into the report's latest entry when that is a save by the same person
    begun less than SAVE_COALESCE_WINDOW ago (first old value → last new value)."""
    latest = ReportEvent.objects.filter(report=report).order_by("-at", "-id").first()
    coalesce = (
        latest is not None
        and by is not None
        and latest.kind == EventKind.SAVED
        and latest.by_id == by.pk
        and at - latest.at < SAVE_COALESCE_WINDOW
    )
    if not coalesce or latest is None:
        record_event(report, kind=EventKind.SAVED, by=by, changes=changes)
        return
    merged = merge_changes(latest.changes or [], changes)
    if merged:
        latest.changes = merged
        latest.save(update_fields=["changes"])
    else:
        # Typed and undone within the window: the content is as before, so nothing is left to tell.
        latest.delete()


def _stored(report_id: int) -> Report:
    try:
        return Report.objects.select_related("updated_by", "period__regime", "commune").get(pk=report_id)
    except Report.DoesNotExist:
        raise ValidationError("Không tìm thấy báo cáo.", code="missing") from None


def submission_findings(report: Report) -> list[figures.Finding]:
    """Every finding on the stored figures, with the regime's targets and the commune's history.

    A fixed number of queries (see queries.entry.check_context_for_report).
    """
    return entry_queries.check_context_for_report(report).check(report.figures)
