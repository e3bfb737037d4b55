"""The printed report: on-screen preview, DOCX and PDF downloads."""

from io import BytesIO

from django.contrib.auth.decorators import login_required
from django.http import FileResponse, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

from communes.access import AuthenticatedHttpRequest, get_report_for_view
from reports.rendering.document import ReportDocument, build_report_document
from reports.rendering.export import CONTENT_TYPES, document_filename, render_document, render_report
from reports.rendering.limits import RenderRefused, render_within_limits
from reports.text import scrub


@login_required
@require_safe
@never_cache
def report_preview(request: AuthenticatedHttpRequest, report_id: int) -> HttpResponse:
    report = get_report_for_view(request.user, report_id)
    doc = scrub(build_report_document(report))  # text stored before the character rules
    return render(request, "reports/report_preview.html", {"report": report, "doc": doc})


def limited_download(
    request: AuthenticatedHttpRequest, doc: ReportDocument, fmt: str, filename: str, back_url: str
) -> HttpResponseBase:
    """The built document as a download, drawn within the render limits (reports/rendering/limits.py);
    a Vietnamese 429/503 page when the user has too many renders running or time runs out."""
    try:
        data = render_within_limits(request.user.pk, lambda: render_document(doc, fmt))
    except RenderRefused as refused:
        context = {"message": refused.message, "back_url": back_url}
        response = render(request, "reports/render_refused.html", context, status=refused.status)
        response["Retry-After"] = "30"
        return response
    return FileResponse(BytesIO(data), as_attachment=True, filename=filename, content_type=CONTENT_TYPES[fmt])


def _download(request: AuthenticatedHttpRequest, report_id: int, fmt: str) -> HttpResponseBase:
    report = get_report_for_view(request.user, report_id)
    if report.frozen is not None:
        # Issued: the file stored at issue (reports/frozen.py), read back; rendered here, once,
        # only if the after-commit rendering was lost (it writes the database, so not in a thread).
        data = render_report(report, fmt)
        return FileResponse(
            BytesIO(data), as_attachment=True, filename=document_filename(report, fmt), content_type=CONTENT_TYPES[fmt]
        )
    # The document is built here (database reads); only the drawing runs in a rendering thread.
    doc = build_report_document(report)
    return limited_download(
        request, doc, fmt, document_filename(report, fmt), reverse("reports:detail", args=[report.pk])
    )


@login_required
@require_safe
@never_cache
def report_download_docx(request: AuthenticatedHttpRequest, report_id: int) -> HttpResponseBase:
    return _download(request, report_id, "docx")


@login_required
@require_safe
@never_cache
def report_download_pdf(request: AuthenticatedHttpRequest, report_id: int) -> HttpResponseBase:
    return _download(request, report_id, "pdf")
