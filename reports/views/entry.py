"""Data entry: opening, viewing, editing, autosaving and checking a commune's report.

The JSON endpoints (autosave, check) serve static/js/report_form.js; their bodies are built by
the `_*_json` helpers at the bottom so the views stay a few lines each.
"""

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse, JsonResponse, QueryDict
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, path, reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from communes import access
from communes.access import AuthenticatedHttpRequest
from reports import figures, queries, services
from reports import review as review_reads
from reports.diff import diff_content
from reports.forms import (
    DIRECTIVE_TYPES,
    EXPLANATION_PREFIX,
    OpenReportForm,
    ReportForm,
    display_value,
    parse_json_content,
    path_label,
)
from reports.models import Report
from reports.outline import OutlineNode, iter_nodes
from reports.rendering.formatting import format_decimal, format_int

CONFLICT_MESSAGE = (
    "Báo cáo vừa được {who} lưu lúc {when} (phiên bản {version}) sau khi bạn mở trang. "
    "Nội dung bạn nhập CHƯA được lưu và vẫn nằm trong biểu mẫu; hãy so sánh với bản đã lưu bên dưới, "
    "rồi bấm “Lưu” để ghi bản của bạn đè lên, hoặc tải lại trang để lấy bản đã lưu."
)


@require_http_methods(["GET", "POST"])
@login_required
def report_open(request: AuthenticatedHttpRequest, commune_code: int) -> HttpResponse:
    commune = access.get_commune_for_view(request.user, commune_code)
    if not access.can_create_report(request.user, commune):
        raise PermissionDenied("Chỉ cán bộ, lãnh đạo UBND xã được lập báo cáo của xã.")
    today = timezone.localdate()
    data = request.POST if request.method == "POST" else None
    form = OpenReportForm(data, regimes=queries.open_regimes_for_commune(commune), today=today)
    if form.is_bound and form.is_valid():
        period = services.get_or_create_period(form.cleaned_data["regime"], form.cleaned_data["key"])
        report, created = services.open_draft(commune=commune, period=period, by=request.user)
        if created:
            messages.success(request, f"Đã lập dự thảo báo cáo {period.label}.")
        target = "reports:edit" if access.can_edit_report(request.user, report) else "reports:detail"
        return redirect(target, report_id=report.pk)
    openable = queries.openable_periods_for_commune(commune, today=today)
    return render(request, "reports/report_open.html", {"commune": commune, "form": form, "openable": openable})


@require_GET
@login_required
def report_detail(request: AuthenticatedHttpRequest, report_id: int) -> HttpResponse:
    report = access.get_report_for_view(request.user, report_id)
    return render(request, "reports/report_detail.html", _detail_context(request, report))


@require_http_methods(["GET", "POST"])
@login_required
def report_edit(request: AuthenticatedHttpRequest, report_id: int) -> HttpResponse:
    report = access.get_report_for_change(request.user, report_id)
    outline = queries.outline_for_regime(report.period.regime_id)
    form = ReportForm(report, outline, request.POST if request.method == "POST" else None)
    conflict = None
    if form.is_bound and form.is_valid():
        content = form.content()
        try:
            services.save_draft(report, **content, expected_version=form.expected_version, by=request.user)
        except services.SaveConflict as error:
            # Keep the officer's text in the form, show the stored text beside it, and let the
            # next save (now naming the stored version) overwrite it deliberately.
            conflict = _conflict(error.current, content, outline)
            form = ReportForm(error.current, outline, _with_version(request.POST, error.current.version))
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, f"Đã lưu báo cáo (phiên bản {report.version}).")
            return redirect("reports:edit", report_id=report.pk)
    return render(request, "reports/report_form.html", _form_context(request, form, conflict))


@require_POST
@login_required
def report_autosave(request: AuthenticatedHttpRequest, report_id: int) -> JsonResponse:
    report = access.get_report_for_change(request.user, report_id)
    outline = queries.outline_for_regime(report.period.regime_id)
    form = None
    try:
        if request.content_type == "application/json":
            content, version = parse_json_content(request.body)
        else:
            form = ReportForm(report, outline, request.POST)
            if not form.is_valid():
                return JsonResponse(_errors_json(form), status=400)
            content, version = form.content(), form.expected_version
        services.save_draft(report, **content, expected_version=version, by=request.user)
    except services.SaveConflict as error:
        return JsonResponse(_conflict_json(error.current, content, outline), status=409)
    except ValidationError as error:
        return JsonResponse({"errors": [_message(m) for m in error.messages]}, status=400)
    payload = _check_json(report, form or ReportForm(report, outline), report.figures, outline)
    saved_at = timezone.localtime(report.updated_at)
    return JsonResponse({"version": report.version, "saved_at": saved_at.isoformat(), **payload})


@require_POST
@login_required
def report_check(request: AuthenticatedHttpRequest, report_id: int) -> JsonResponse:
    report = access.get_report_for_change(request.user, report_id)
    outline = queries.outline_for_regime(report.period.regime_id)
    form = ReportForm(report, outline, request.POST)
    if not form.is_valid():
        return JsonResponse(_errors_json(form), status=400)
    return JsonResponse(_check_json(report, form, form.figures_data(), outline))


@require_GET
@login_required
def report_history(request: AuthenticatedHttpRequest, report_id: int) -> HttpResponse:
    report = access.get_report_for_view(request.user, report_id)
    outline = queries.outline_for_regime(report.period.regime_id)
    events = _event_views(queries.history_for_report(report), outline)
    return render(request, "reports/report_history.html", {"report": report, "events": events})


urlpatterns = [
    path("open/<int:commune_code>/", report_open, name="open"),
    path("<int:report_id>/", report_detail, name="detail"),
    path("<int:report_id>/edit/", report_edit, name="edit"),
    path("<int:report_id>/autosave/", report_autosave, name="autosave"),
    path("<int:report_id>/check/", report_check, name="check"),
    path("<int:report_id>/history/", report_history, name="history"),
]


# --- Page contexts -------------------------------------------------------------------------------


@dataclass(frozen=True)
class ChangeView:
    label: str
    old: str
    new: str


@dataclass(frozen=True)
class EventView:
    event: Any
    changes: list[ChangeView]


def _event_views(events: list[Any], outline: list[OutlineNode]) -> list[EventView]:
    return [
        EventView(
            event=event,
            changes=[
                ChangeView(
                    path_label(str(c.get("path", "")), outline),
                    display_value(c.get("old")),
                    display_value(c.get("new")),
                )
                for c in (event.changes or [])
                if isinstance(c, dict)
            ],
        )
        for event in events
    ]


def _document_links(report: Report) -> dict[str, str]:
    """Preview and download links, when the documents views are installed."""
    links = {}
    for name in ("preview", "download_docx", "download_pdf"):
        try:
            links[name] = reverse(f"reports:{name}", kwargs={"report_id": report.pk})
        except NoReverseMatch:
            continue
    return links


def _detail_context(request: HttpRequest, report: Report) -> dict[str, Any]:
    outline = queries.outline_for_regime(report.period.regime_id)
    check = queries.check_context_for_report(report)
    findings = check.check(report.figures)
    generated = queries.generated_paragraphs(report, outline, targets=check.targets, figures_data=report.figures)
    sections = queries.section_views(outline, report.narrative, generated)
    titles = {node.key: f"{node.number} {node.title}".strip() for node in iter_nodes(outline)}
    comments = review_reads.pinned_comments(report, titles)
    pinned: dict[str, list[review_reads.PinnedComment]] = {}
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
        "return_event": review_reads.latest_return(report),
        "figures": queries.figures_for_display(report.figures),
        "findings": findings,
        "unresolved": figures.unresolved_findings(findings, report.explanations or {}),
        "explanations": report.explanations or {},
        "events": _event_views(queries.history_for_report(report, limit=5), outline),
        "can_edit": access.can_edit_report(request.user, report),
        "can_submit": access.can_submit_report(request.user, report),
        "can_review": access.can_review_report(request.user, report),
        "can_issue": access.can_issue_report(request.user, report),
        "document_links": _document_links(report),
    }


@dataclass(frozen=True)
class SectionEntry:
    view: queries.SectionView
    text_field: Any
    after_field: Any


@dataclass(frozen=True)
class ExplanationEntry:
    code: str
    name: str
    message: str
    text: str
    current: bool  # False: the finding is gone but text was written for it; kept so nothing is lost


def _explanation_entries(findings: list[figures.Finding], explanations: Mapping[str, str]) -> list[ExplanationEntry]:
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


def _form_context(request: HttpRequest, form: ReportForm, conflict: dict[str, Any] | None) -> dict[str, Any]:
    report = form.report
    form.mark_widgets()
    check = queries.check_context_for_report(report)
    figures_data = form.current_figures()
    findings = check.check(figures_data)
    parsed = figures.parse_figures(figures_data)
    rates = figures.compute_rates(parsed)
    generated = queries.generated_paragraphs(report, form.outline, targets=check.targets, figures_data=figures_data)
    sections = [
        SectionEntry(
            view,
            form.narrative[f"{view.node.key}.text"],
            form.narrative[f"{view.node.key}.after"] if f"{view.node.key}.after" in form.narrative.fields else None,
        )
        for view in queries.section_views(form.outline, report.narrative, generated)
    ]
    # Row totals are shown by the server for the stored rows; the script recomputes them as the
    # officer types (display only: the figures module stays the only place totals are defined).
    result_rows = []
    for index, row_form in enumerate(form.results.forms):
        row = parsed.results[index] if not form.is_bound and index < len(parsed.results) else None
        totals = (format_int(row.received), format_int(row.resolved), format_int(row.in_progress)) if row else None
        result_rows.append((row_form, totals))
    total = figures.result_totals(parsed.results)
    return {
        "report": report,
        "form": form,
        "result_rows": result_rows,
        "result_total": (format_int(total.received), format_int(total.resolved), format_int(total.in_progress)),
        "result_columns": figures.RESULT_COLUMNS,
        "value_groups": form.value_groups(rates),
        "sections": sections,
        "explanation_entries": _explanation_entries(findings, form.explanations),
        "prefilled_names": form.prefilled_names(),
        "initial_check": _check_json(report, form, figures_data, form.outline, check=check, findings=findings),
        "conflict": conflict,
        "directive_types": DIRECTIVE_TYPES,
        "document_links": _document_links(report),
        "can_submit": access.can_submit_report(request.user, report),
        # Shown read-only above the form; answers are written on the report page.
        "review_comments": review_reads.pinned_comments(
            report, {node.key: f"{node.number} {node.title}".strip() for node in iter_nodes(form.outline)}
        ),
    }


def _with_version(data: QueryDict, version: int) -> QueryDict:
    copy = data.copy()
    copy["version"] = str(version)
    return copy


# --- JSON bodies -------------------------------------------------------------------------------


def _message(text: str, field: str = "", label: str = "") -> dict[str, str]:
    return {"field": field, "label": label, "message": text}


def _errors_json(form: ReportForm) -> dict[str, Any]:
    return {"errors": [error.as_dict() for error in form.errors()]}


def _finding_json(finding: figures.Finding, form: ReportForm) -> dict[str, Any]:
    fields: list[str] = []
    for finding_path in finding.paths:
        fields += [name for name in form.field_names_for_path(finding_path) if name not in fields]
    return {
        "code": finding.code,
        "severity": str(finding.severity),
        "message": finding.message,
        "paths": list(finding.paths),
        "fields": fields,
        "needs_explanation": finding.needs_explanation,
    }


def _check_json(
    report: Report,
    form: ReportForm,
    figures_data: dict[str, Any],
    outline: list[OutlineNode],
    *,
    check: queries.CheckContext | None = None,
    findings: list[figures.Finding] | None = None,
) -> dict[str, Any]:
    """Findings (with the inputs they concern), totals, rates and generated paragraphs for the page."""
    check = check or queries.check_context_for_report(report)
    findings = check.check(figures_data) if findings is None else findings
    parsed = figures.parse_figures(figures_data)
    total = figures.result_totals(parsed.results)
    rates = figures.compute_rates(parsed)
    generated = queries.generated_paragraphs(report, outline, targets=check.targets, figures_data=figures_data)
    return {
        "findings": [_finding_json(f, form) for f in findings],
        "totals": {
            "rows": [
                {"received": r.received, "resolved": r.resolved, "in_progress": r.in_progress} for r in parsed.results
            ],
            "total": {"received": total.received, "resolved": total.resolved, "in_progress": total.in_progress},
        },
        "rates": {
            key: {
                "value": None if rate.value is None else str(rate.value),
                "display": format_decimal(rate.value),
                "source": str(rate.source),
            }
            for key, rate in rates.items()
        },
        "generated": {
            key: [[{"text": span.text, "bold": span.bold} for span in paragraph] for paragraph in paragraphs]
            for key, paragraphs in generated.items()
        },
    }


def _conflict(current: Report, content: dict[str, Any], outline: list[OutlineNode]) -> dict[str, Any]:
    """What the officer typed and what is stored, side by side, for every place they differ."""
    mine = services.prepare_content(current, **content)
    who = "người khác"
    if current.updated_by is not None:
        who = current.updated_by.get_full_name() or current.updated_by.get_username()
    when = timezone.localtime(current.updated_at).strftime("%H:%M:%S ngày %d/%m/%Y")
    return {
        "message": CONFLICT_MESSAGE.format(who=who, when=when, version=current.version),
        "version": current.version,
        "differences": [
            {
                "path": change.path,
                "label": path_label(change.path, outline),
                "stored": display_value(change.old),
                "mine": display_value(change.new),
            }
            for change in diff_content(services.report_content(current), mine)
        ],
    }


def _conflict_json(current: Report, content: dict[str, Any], outline: list[OutlineNode]) -> dict[str, Any]:
    return {**_conflict(current, content, outline), "current": services.report_content(current)}
