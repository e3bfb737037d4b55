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
from django.template.loader import render_to_string
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from communes import access
from communes.access import AuthenticatedHttpRequest
from reports import figures, services
from reports.content import ContentError
from reports.forms import (
    OpenReportForm,
    ReportForm,
)
from reports.models import Report
from reports.outline import OutlineNode
from reports.queries import entry as entry_queries
from reports.rendering.document import generated_paragraphs
from reports.rendering.formatting import format_decimal, format_int


@require_http_methods(["GET", "POST"])
@login_required
def report_open(request: AuthenticatedHttpRequest, commune_code: int) -> HttpResponse:
    commune = access.get_commune_for_view(request.user, commune_code)
    if not access.can_create_report(request.user, commune):
        raise PermissionDenied("Chỉ cán bộ, lãnh đạo UBND cấp xã được lập báo cáo của xã, phường.")
    today = timezone.localdate()
    data = request.POST if request.method == "POST" else None
    form = OpenReportForm(
        data,
        regimes=entry_queries.open_regimes_for_commune(commune),
        today=today,
        period_choices=entry_queries.period_choices_for_commune(commune, today=today),
    )
    if form.is_bound and form.is_valid():
        period = services.get_or_create_period(form.cleaned_data["regime"], form.cleaned_data["key"])
        report, created = services.open_draft(commune=commune, period=period, by=request.user)
        if created:
            # Say where the pre-filled figures and text came from ("…, lấy dữ liệu từ báo cáo tháng 3…").
            origin = services.draft_origin(report)
            source = origin.removeprefix("Lập dự thảo, ") if origin.startswith("Lập dự thảo, ") else ""
            tail = f", {source}" if source else " (chưa có báo cáo kỳ trước để lấy dữ liệu)."
            messages.success(request, f"Đã lập dự thảo báo cáo {period.label}{tail}")
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
    if request.method == "GET":
        # Whoever may read but no longer edit (a sent report, a reviewer) gets the report page.
        report = access.get_report_for_view(request.user, report_id)
        reason = access.read_only_reason(request.user, report)
        if reason is not None:
            messages.info(request, reason)
            return redirect("reports:detail", report_id=report.pk)
    else:
        report = access.get_report_for_change(request.user, report_id)
    outline = entry_queries.outline_for_regime(report.period.regime_id)
    form = ReportForm(report, outline, request.POST if request.method == "POST" else None)
    conflict = None
    if form.is_bound and form.is_valid():
        content = form.content()
        try:
            services.save_draft(
                report, **content, expected_version=form.expected_version, by=request.user, outline=outline
            )
        except services.SaveConflict as error:
            # Keep the officer's text in the form, show the stored text beside it, and let the
            # next save (now naming the stored version) overwrite it deliberately.
            conflict = entry_queries.save_conflict(error.current, content, outline)
            form = ReportForm(error.current, outline, _with_version(request.POST, error.current.version))
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, f"Đã lưu báo cáo lúc {timezone.localtime(report.updated_at):%H:%M}.")
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
    # The page sends its form (FormData), never JSON: report_form.js.
    form = ReportForm(report, outline, request.POST)
    if not form.is_valid():
        return JsonResponse(_form_errors_json(form), status=400)
    content = form.content()
    try:
        services.save_draft(report, **content, expected_version=form.expected_version, by=request.user, outline=outline)
    except services.SaveConflict as error:
        return JsonResponse(_conflict_json(error.current, content, outline), status=409)
    except ValidationError as error:
        return JsonResponse(_errors_json(_refusal_messages(error, form)), status=400)
    payload = _check_json(report, form, report.figures, outline)
    saved_at = timezone.localtime(report.updated_at)
    return JsonResponse({"version": report.version, "saved_at": saved_at.isoformat(), **payload})


@require_POST
@login_required
def report_check(request: AuthenticatedHttpRequest, report_id: int) -> JsonResponse:
    report = access.get_report_for_change(request.user, report_id)
    outline = entry_queries.outline_for_regime(report.period.regime_id)
    form = ReportForm(report, outline, request.POST)
    if not form.is_valid():
        return JsonResponse(_form_errors_json(form), status=400)
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
# The page's script applies these as they are: classes for inputs ("marks"), the totals to show,
# the rates, and HTML fragments rendered by the partials of reports/report_form.html.

LIVE_CHECK = "reports/report_form.html#live_check"
ROW_PREFIXES = ("results", "agencies", "directives")


def _message(text: str, field: str = "", label: str = "") -> dict[str, str]:
    return {"field": field, "label": label, "message": text}


def _slot_id(field_name: str) -> str | None:
    """The message slot under an input: one per table row, one per value input (see the template)."""
    prefix, _, rest = field_name.partition("-")
    if prefix in ROW_PREFIXES and rest.split("-")[0].isdigit():
        return "slot-" + field_name.rsplit("-", 1)[0]
    return "slot-" + field_name if prefix == "values" else None


def _slots(messages: list[tuple[list[str], str, str]]) -> list[tuple[str, list[dict[str, str]]]]:
    """Each message once under every row or value input it concerns."""
    slots: dict[str, list[dict[str, str]]] = {}
    for fields, css, text in messages:
        for slot in dict.fromkeys(filter(None, map(_slot_id, fields))):
            slots.setdefault(slot, []).append({"css": css, "text": text})
    return list(slots.items())


def _refusal_messages(error: ValidationError, form: ReportForm) -> list[dict[str, str]]:
    """A refused save's messages, each with the input it concerns when the content door named one."""
    if isinstance(error, ContentError):
        return [_message(p.message, next(iter(form.field_names_for_path(p.path)), "")) for p in error.problems]
    return [_message(m) for m in error.messages]


def _errors_json(errors: list[dict[str, str]]) -> dict[str, Any]:
    slots = _slots([([error["field"]], "check-error", error["message"]) for error in errors])
    return {
        "errors": errors,
        "marks": {error["field"]: "is-invalid" for error in errors if error["field"]},
        "html": render_to_string(LIVE_CHECK, {"errors": errors, "slots": slots}),
    }


def _form_errors_json(form: ReportForm) -> dict[str, Any]:
    return _errors_json([error.as_dict() for error in form.errors()])


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


def _totals_json(form: ReportForm, parsed: figures.Figures) -> dict[str, Any]:
    """Display strings for the total row and for each kept row, keyed by its input prefix."""
    columns = (*figures.RESULT_TOTAL_FIELDS, *figures.RESULT_FIELDS)
    total = figures.result_totals(parsed.results)
    rows = {}
    for index, row in enumerate(parsed.results):
        names = form.field_names_for_path(f"results.{index}.source")
        if names:
            rows[names[0].removesuffix("-source")] = {
                name: format_int(getattr(row, name)) for name in figures.RESULT_TOTAL_FIELDS
            }
    return {"total": {name: format_int(getattr(total, name)) for name in columns}, "rows": rows}


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
    if form.is_bound and not form.is_valid():
        return _form_errors_json(form)
    check = check or entry_queries.check_context_for_report(report)
    findings = check.check(figures_data) if findings is None else findings
    parsed = figures.parse_figures(figures_data)
    generated = generated_paragraphs(report, outline, targets=check.targets, figures_data=figures_data)
    found = [_finding_json(finding, form) for finding in findings]
    severity_css = {"error": "check-error", "warning": "check-warning"}
    fragments = {
        "findings": found,
        "slots": _slots([(f["fields"], severity_css[f["severity"]], f["message"]) for f in found]),
        "explanation_entries": entry_queries.explanation_entries(findings, form.explanations),
        "generated": list(generated.items()),
    }
    # Warnings first, so an input that also breaks a hard rule is marked as an error.
    ordered = sorted(found, key=lambda f: f["severity"] == "error")
    return {
        "findings": found,
        "marks": {name: f"finding-{f['severity']}" for f in ordered for name in f["fields"]},
        "totals": _totals_json(form, parsed),
        "rates": {
            key: {
                "value": None if rate.value is None else str(rate.value),
                "display": format_decimal(rate.value),
                "source": str(rate.source),
            }
            for key, rate in figures.compute_rates(parsed).items()
        },
        "html": render_to_string(LIVE_CHECK, fragments),
    }


def _conflict_json(current: Report, content: dict[str, Any], outline: list[OutlineNode]) -> dict[str, Any]:
    conflict = entry_queries.save_conflict(current, content, outline)
    html = render_to_string("reports/report_form.html#conflict_fragments", {"conflict": conflict})
    return {**conflict, "current": services.report_content(current), "html": html}
