"""Data entry: opening, viewing, editing, autosaving and checking a commune's report.

The JSON endpoints (autosave, check) serve static/js/report_form.js; their bodies are built by
the `_*_json` helpers at the bottom so the views stay a few lines each.
"""

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse, JsonResponse, QueryDict
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from communes import access
from communes.access import AuthenticatedHttpRequest
from reports import figures, services
from reports.forms import (
    OpenReportForm,
    ReportForm,
    parse_json_content,
)
from reports.models import Report
from reports.outline import OutlineNode
from reports.queries import entry as entry_queries
from reports.rendering.document import generated_paragraphs
from reports.rendering.formatting import format_decimal


@require_http_methods(["GET", "POST"])
@login_required
def report_open(request: AuthenticatedHttpRequest, commune_code: int) -> HttpResponse:
    commune = access.get_commune_for_view(request.user, commune_code)
    if not access.can_create_report(request.user, commune):
        raise PermissionDenied("Chỉ cán bộ, lãnh đạo UBND xã được lập báo cáo của xã.")
    today = timezone.localdate()
    data = request.POST if request.method == "POST" else None
    form = OpenReportForm(data, regimes=entry_queries.open_regimes_for_commune(commune), today=today)
    if form.is_bound and form.is_valid():
        period = services.get_or_create_period(form.cleaned_data["regime"], form.cleaned_data["key"])
        report, created = services.open_draft(commune=commune, period=period, by=request.user)
        if created:
            messages.success(request, f"Đã lập dự thảo báo cáo {period.label}.")
        target = "reports:edit" if access.can_edit_report(request.user, report) else "reports:detail"
        return redirect(target, report_id=report.pk)
    openable = entry_queries.openable_periods_for_commune(commune, today=today)
    return render(request, "reports/report_open.html", {"commune": commune, "form": form, "openable": openable})


@require_GET
@login_required
def report_detail(request: AuthenticatedHttpRequest, report_id: int) -> HttpResponse:
    report = access.get_report_for_view(request.user, report_id)
    return render(request, "reports/report_detail.html", entry_queries.detail_context(report, user=request.user))


@require_http_methods(["GET", "POST"])
@login_required
def report_edit(request: AuthenticatedHttpRequest, report_id: int) -> HttpResponse:
    report = access.get_report_for_change(request.user, report_id)
    outline = entry_queries.outline_for_regime(report.period.regime_id)
    form = ReportForm(report, outline, request.POST if request.method == "POST" else None)
    conflict = None
    if form.is_bound and form.is_valid():
        content = form.content()
        try:
            services.save_draft(report, **content, expected_version=form.expected_version, by=request.user)
        except services.SaveConflict as error:
            # Keep the officer's text in the form, show the stored text beside it, and let the
            # next save (now naming the stored version) overwrite it deliberately.
            conflict = entry_queries.save_conflict(error.current, content, outline)
            form = ReportForm(error.current, outline, _with_version(request.POST, error.current.version))
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, f"Đã lưu báo cáo (phiên bản {report.version}).")
            return redirect("reports:edit", report_id=report.pk)
    return render(request, "reports/report_form.html", _form_context(request, form, conflict))


def _form_context(
    request: AuthenticatedHttpRequest, form: ReportForm, conflict: dict[str, Any] | None
) -> dict[str, Any]:
    check = entry_queries.check_context_for_report(form.report)
    context = entry_queries.form_context(form, user=request.user, check=check)
    initial_check = _check_json(form.report, form, form.current_figures(), form.outline, check=check)
    return {**context, "initial_check": initial_check, "conflict": conflict}


@require_POST
@login_required
def report_autosave(request: AuthenticatedHttpRequest, report_id: int) -> JsonResponse:
    report = access.get_report_for_change(request.user, report_id)
    outline = entry_queries.outline_for_regime(report.period.regime_id)
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
    outline = entry_queries.outline_for_regime(report.period.regime_id)
    form = ReportForm(report, outline, request.POST)
    if not form.is_valid():
        return JsonResponse(_errors_json(form), status=400)
    return JsonResponse(_check_json(report, form, form.figures_data(), outline))


@require_GET
@login_required
def report_history(request: AuthenticatedHttpRequest, report_id: int) -> HttpResponse:
    report = access.get_report_for_view(request.user, report_id)
    outline = entry_queries.outline_for_regime(report.period.regime_id)
    events = entry_queries.event_views(entry_queries.history_for_report(report), outline)
    return render(request, "reports/report_history.html", {"report": report, "events": events})


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
    check: entry_queries.CheckContext | None = None,
    findings: list[figures.Finding] | None = None,
) -> dict[str, Any]:
    """Findings (with the inputs they concern), totals, rates and generated paragraphs for the page."""
    check = check or entry_queries.check_context_for_report(report)
    findings = check.check(figures_data) if findings is None else findings
    parsed = figures.parse_figures(figures_data)
    total = figures.result_totals(parsed.results)
    rates = figures.compute_rates(parsed)
    generated = generated_paragraphs(report, outline, targets=check.targets, figures_data=figures_data)
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


def _conflict_json(current: Report, content: dict[str, Any], outline: list[OutlineNode]) -> dict[str, Any]:
    return {**entry_queries.save_conflict(current, content, outline), "current": services.report_content(current)}
