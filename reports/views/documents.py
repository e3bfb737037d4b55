"""The printed report: on-screen preview, DOCX and PDF downloads."""

from io import BytesIO

from django.contrib.auth.decorators import login_required
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

from communes.access import AuthenticatedHttpRequest, get_report_for_view
from reports.rendering.document import build_report_document
from reports.rendering.export import CONTENT_TYPES, document_filename, render_report
from reports.text import scrub


@login_required
@require_safe
@never_cache
def report_preview(request: AuthenticatedHttpRequest, report_id: int) -> HttpResponse:
    report = get_report_for_view(request.user, report_id)
    doc = scrub(build_report_document(report))  # text stored before the character rules
    return render(request, "reports/report_preview.html", {"report": report, "doc": doc})


def _download(request: HttpRequest, report_id: int, fmt: str) -> FileResponse:
    report = get_report_for_view(request.user, report_id)
    data = render_report(report, fmt)
    return FileResponse(
        BytesIO(data), as_attachment=True, filename=document_filename(report, fmt), content_type=CONTENT_TYPES[fmt]
    )


@login_required
@require_safe
@never_cache
def report_download_docx(request: AuthenticatedHttpRequest, report_id: int) -> FileResponse:
    return _download(request, report_id, "docx")


@login_required
@require_safe
@never_cache
def report_download_pdf(request: AuthenticatedHttpRequest, report_id: int) -> FileResponse:
    return _download(request, report_id, "pdf")
