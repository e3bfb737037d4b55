"""The Centre's own report on a period: edit its text, preview, DOCX and PDF, and issue it."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from communes.access import AuthenticatedHttpRequest, get_period_for_city_report
from reports import city_report as services
from reports.forms_city_report import CityReportForm, CityReportIssueForm
from reports.models import CityReport, CityReportBasis, Period
from reports.queries.city_report import city_report_for_period, suggested_number
from reports.rendering.document import CENTRE_GENERATED_SECTIONS
from reports.rendering.export import city_report_document, city_report_filename
from reports.text import scrub
from reports.views.documents import limited_download


def _edit_form(city_report: CityReport | None) -> CityReportForm:
    if city_report is None:
        return CityReportForm(initial={"basis": CityReportBasis.SENT, "version": 0})
    return CityReportForm(initial={"basis": city_report.basis, "version": city_report.version, **city_report.narrative})


def _issue_form(period: Period) -> CityReportIssueForm:
    today = timezone.localdate()
    number = suggested_number(period.regime.province_id, today.year)
    return CityReportIssueForm(initial={"number": number, "issued_on": today})


def _render_edit(
    request: HttpRequest,
    period: Period,
    city_report: CityReport | None,
    *,
    form: CityReportForm,
    issue_form: CityReportIssueForm,
    status: int = 200,
) -> HttpResponse:
    doc = city_report_document(period, city_report)
    generated = [block for block in doc.sections if block.section in CENTRE_GENERATED_SECTIONS]
    context = {
        "period": period,
        "city_report": city_report,
        "form": form,
        "issue_form": issue_form,
        "generated": generated,
    }
    return render(request, "reports/city_report_edit.html", context, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def city_report_edit(request: AuthenticatedHttpRequest, period_id: int) -> HttpResponse:
    period = get_period_for_city_report(request.user, period_id, change=request.method == "POST")
    city_report = city_report_for_period(period)
    if request.method != "POST":
        return _render_edit(request, period, city_report, form=_edit_form(city_report), issue_form=_issue_form(period))
    form = CityReportForm(request.POST)
    if form.is_valid():
        try:
            services.save_city_report(
                period,
                by=request.user,
                basis=form.cleaned_data["basis"],
                narrative=form.narrative(),
                version=form.cleaned_data["version"],
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, "Đã lưu báo cáo của Trung tâm.")
            return redirect("reports:city_report_edit", period_id=period.pk)
    return _render_edit(request, period, city_report, form=form, issue_form=_issue_form(period))


@login_required
@require_POST
def city_report_issue(request: AuthenticatedHttpRequest, period_id: int) -> HttpResponse:
    period = get_period_for_city_report(request.user, period_id, change=True)
    city_report = city_report_for_period(period)
    issue_form = CityReportIssueForm(request.POST)
    if issue_form.is_valid():
        try:
            issued = services.issue_city_report(
                period,
                by=request.user,
                number=issue_form.cleaned_data["number"],
                issued_on=issue_form.cleaned_data["issued_on"],
            )
        except ValidationError as error:
            issue_form.add_error(None, error)
        else:
            messages.success(request, f"Đã cấp số {issued.number:02d} cho báo cáo của Trung tâm.")
            return redirect("reports:city_report_edit", period_id=period.pk)
    form = _edit_form(city_report)
    return _render_edit(request, period, city_report, form=form, issue_form=issue_form)


@login_required
@require_safe
@never_cache
def city_report_preview(request: AuthenticatedHttpRequest, period_id: int) -> HttpResponse:
    period = get_period_for_city_report(request.user, period_id)
    city_report = city_report_for_period(period)
    doc = scrub(city_report_document(period, city_report))  # as the commune report's preview
    return render(
        request, "reports/city_report_preview.html", {"period": period, "city_report": city_report, "doc": doc}
    )


def _download(request: AuthenticatedHttpRequest, period_id: int, fmt: str) -> HttpResponseBase:
    period = get_period_for_city_report(request.user, period_id)
    doc = city_report_document(period, city_report_for_period(period))
    back_url = reverse("reports:city_report_preview", args=[period.pk])
    return limited_download(request, doc, fmt, city_report_filename(period, fmt), back_url)


@login_required
@require_safe
@never_cache
def city_report_download_docx(request: AuthenticatedHttpRequest, period_id: int) -> HttpResponseBase:
    return _download(request, period_id, "docx")


@login_required
@require_safe
@never_cache
def city_report_download_pdf(request: AuthenticatedHttpRequest, period_id: int) -> HttpResponseBase:
    return _download(request, period_id, "pdf")
