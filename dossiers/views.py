"""Dossier list pages: import with column matching, fill a report from dossiers, and the
dossiers behind each computed figure (with CSV export)."""

from io import BytesIO
from pathlib import Path
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_POST

from communes import access
from communes.access import AuthenticatedHttpRequest
from communes.models import Commune
from dossiers import filling, queries, reading, services, staging
from dossiers.exporting import dossiers_csv
from dossiers.forms import UploadForm
from dossiers.models import SourceKind
from reports.rendering.formatting import format_int

PAGE_SIZE = 100
EXAMPLE_FILE = Path(settings.BASE_DIR) / "docs" / "examples" / "ho-so-mau.csv"


def _list_context(commune: Commune, form: UploadForm, errors: list[str] | None = None) -> dict[str, Any]:
    return {
        "commune": commune,
        "form": form,
        "errors": errors or [],
        "imports": list(queries.imports_for_commune(commune)),
        "dossier_count": queries.dossier_count(commune),
        "max_rows": format_int(services.MAX_REQUEST_ROWS),
        "columns": reading.COLUMNS,
    }


@require_GET
@login_required
def dossier_list(request: AuthenticatedHttpRequest, commune_code: int) -> HttpResponse:
    commune = access.get_commune_for_dossiers(request.user, commune_code)
    return render(request, "dossiers/dossier_list.html", _list_context(commune, UploadForm()))


def _mapping_page(
    request: AuthenticatedHttpRequest,
    commune: Commune,
    upload: dict[str, str],
    table: reading.Table,
    chosen: dict[str, str],
    errors: list[str] | None = None,
) -> HttpResponse:
    context = {
        "commune": commune,
        "upload": upload,
        "headers": table.headers,
        "preview": list(reading.preview_rows(table)),
        "columns": [(column, chosen.get(column.name, "")) for column in reading.COLUMNS],
        "errors": errors or [],
    }
    return render(request, "dossiers/dossier_mapping.html", context)


@require_GET
@login_required
def dossier_example(request: AuthenticatedHttpRequest) -> FileResponse:
    """The documented example file (docs/examples/ho-so-mau.csv), for any signed-in user."""
    return FileResponse(BytesIO(EXAMPLE_FILE.read_bytes()), as_attachment=True, filename=EXAMPLE_FILE.name)


@require_POST
@login_required
def dossier_import(request: AuthenticatedHttpRequest, commune_code: int) -> HttpResponse:
    commune = access.get_commune_for_dossiers(request.user, commune_code)
    form = UploadForm(request.POST, request.FILES)
    if not form.is_valid():
        return render(request, "dossiers/dossier_list.html", _list_context(commune, form))
    upload, data = form.cleaned_data["file"], form.cleaned_data["file"].read()
    source, kind = form.cleaned_data["source_system"], form.cleaned_data["source_kind"]
    try:
        table = reading.read_table(data, upload.name, max_rows=services.MAX_REQUEST_ROWS)
        if services.mapping_for(commune, source, table) is None:
            token = staging.stage(commune.pk, data)
            fields = {"token": token, "file_name": upload.name, "source_system": source, "source_kind": kind}
            return _mapping_page(request, commune, fields, table, services.mapping_choices(commune, source, table))
        record = services.import_dossiers(
            commune=commune,
            data=data,
            file_name=upload.name,
            source_system=source,
            source_kind=kind,
            by=request.user,
            max_rows=services.MAX_REQUEST_ROWS,
        )
    except reading.TooManyRows:
        # Over the page's bound: the background worker imports it, the officer watches its progress.
        job = services.queue_import(
            commune=commune, data=data, file_name=upload.name, source_system=source, source_kind=kind, by=request.user
        )
        return redirect("dossiers:job", commune_code=commune.pk, job_id=job.pk)
    except reading.FileRefused as error:
        return render(request, "dossiers/dossier_list.html", _list_context(commune, form, [str(error)]))
    except services.ImportRefused as error:
        errors = services.refusal_messages(error)
        return render(request, "dossiers/dossier_list.html", _list_context(commune, form, errors))
    messages.success(request, _imported_message(record.rows, record.created, record.updated))
    return redirect("dossiers:list", commune_code=commune.pk)


def _imported_message(rows: int, created: int, updated: int) -> str:
    return f"Đã nhập {rows} hồ sơ ({created} hồ sơ mới, {updated} hồ sơ cập nhật)."


@require_POST
@login_required
def dossier_import_map(request: AuthenticatedHttpRequest, commune_code: int) -> HttpResponse:
    commune = access.get_commune_for_dossiers(request.user, commune_code)
    token = request.POST.get("token", "")
    data = staging.staged(commune.pk, token)
    if data is None:
        messages.error(request, "Tệp đã tải lên không còn trên máy chủ; vui lòng tải lại tệp.")
        return redirect("dossiers:list", commune_code=commune.pk)
    kind = request.POST.get("source_kind", "")
    upload = {
        "token": token,
        "file_name": request.POST.get("file_name", ""),
        "source_system": request.POST.get("source_system", ""),
        "source_kind": kind if kind in SourceKind.values else SourceKind.MINISTRY,
    }
    mapping = services.mapping_from_post(request.POST)
    try:
        table = reading.read_table(data, upload["file_name"], max_rows=services.MAX_REQUEST_ROWS)
        record = services.import_with_mapping(
            commune=commune,
            data=data,
            file_name=upload["file_name"],
            source_system=upload["source_system"],
            source_kind=upload["source_kind"],
            mapping=mapping,
            by=request.user,
            max_rows=services.MAX_REQUEST_ROWS,
        )
    except reading.FileRefused as error:
        messages.error(request, str(error))
        return redirect("dossiers:list", commune_code=commune.pk)
    except services.ImportRefused as error:
        return _mapping_page(request, commune, upload, table, mapping, services.refusal_messages(error))
    staging.discard(commune.pk, token)
    messages.success(request, _imported_message(record.rows, record.created, record.updated))
    return redirect("dossiers:list", commune_code=commune.pk)


@require_POST
@login_required
def report_dossiers_compute(request: AuthenticatedHttpRequest, report_id: int) -> HttpResponse:
    report = access.get_report_for_change(request.user, report_id)
    try:
        filling.fill_report_from_dossiers(report, by=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, "Đã tính số liệu từ danh sách hồ sơ; các ô đã tính được đánh dấu.")
    return redirect("reports:edit", report_id=report.pk)


@require_GET
@login_required
def report_figure_dossiers(request: AuthenticatedHttpRequest, report_id: int) -> HttpResponseBase:
    report = access.get_report_for_dossier_list(request.user, report_id)
    figure = request.GET.get("figure", "received_new")
    if not queries.is_figure(figure):
        raise Http404("Không có số liệu này.")
    source = request.GET.get("source") or None
    search = request.GET.get("q", "").strip()
    dossiers = queries.dossiers_for_figure(report, figure, source=source, search=search)
    if request.GET.get("format") == "csv":
        name = f"ho-so-{report.commune_id}-{report.period.slug}-{figure}.csv"
        return FileResponse(
            BytesIO(dossiers_csv(dossiers)), as_attachment=True, filename=name, content_type="text/csv; charset=utf-8"
        )
    page = Paginator(dossiers, PAGE_SIZE).get_page(request.GET.get("page"))
    context = {
        "report": report,
        "figure": figure,
        "figure_label": queries.figure_label(figure),
        "figures": queries.figure_choices(),
        "source": source or "",
        "sources": queries.sources_for_commune(report.commune),
        "search": search,
        "page": page,
    }
    return render(request, "dossiers/report_dossiers.html", context)


@require_GET
@login_required
def dossier_import_job(request: AuthenticatedHttpRequest, commune_code: int, job_id: int) -> HttpResponse:
    commune = access.get_commune_for_dossiers(request.user, commune_code)
    job = queries.job_for_commune(commune, job_id)
    return render(request, "dossiers/dossier_job.html", {"commune": commune, "job": job})
