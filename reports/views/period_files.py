"""Files of a whole period for the city Centre: the Excel summary, and the ZIP of every report,
built in the background."""

from io import BytesIO

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.files.storage import default_storage
from django.http import FileResponse, Http404, HttpResponse, JsonResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST, require_safe

from communes.access import AuthenticatedHttpRequest, get_period_for_grid
from reports import period_files
from reports.models import ExportStatus
from reports.queries import city
from reports.rendering.xlsx import XLSX_CONTENT_TYPE, render_period_xlsx, xlsx_filename

PANEL_ANCHOR = "#tep-ca-ky"


def _grid_url(period_id: int) -> str:
    return reverse("reports:period_grid", args=[period_id]) + PANEL_ANCHOR


@login_required
@require_POST
def period_zip_start(request: AuthenticatedHttpRequest, period_id: int) -> HttpResponse:
    period = get_period_for_grid(request.user, period_id)
    if not period.reports.exists():
        messages.error(request, "Kỳ báo cáo này chưa có báo cáo nào để tải.")
        return redirect(_grid_url(period.pk))
    export = period_files.request_period_export(period, by=request.user)
    if export.status == ExportStatus.READY:
        return redirect("reports:period_zip_download", period_id=period.pk, export_id=export.pk)
    messages.info(request, "Đang tạo tệp ZIP các báo cáo của kỳ; tệp sẽ sẵn sàng khi thanh tiến độ đạt 100%.")
    return redirect(_grid_url(period.pk))


@login_required
@require_safe
@never_cache
def period_zip_status(request: AuthenticatedHttpRequest, period_id: int) -> JsonResponse:
    period = get_period_for_grid(request.user, period_id)
    state = period_files.export_state(period)
    data = state.as_json()
    if state.ready and state.export is not None:
        data["download_url"] = reverse("reports:period_zip_download", args=[period.pk, state.export.pk])
    return JsonResponse(data)


@login_required
@require_safe
@never_cache
def period_zip_download(request: AuthenticatedHttpRequest, period_id: int, export_id: int) -> FileResponse:
    period = get_period_for_grid(request.user, period_id)
    export = period_files.get_ready_export(period, export_id)
    if export is None or not export.file.name:
        raise Http404("Không tìm thấy tệp ZIP.")
    try:
        handle = default_storage.open(export.file.name, "rb")
    except OSError:
        raise Http404("Không tìm thấy tệp ZIP.") from None
    return FileResponse(
        handle, as_attachment=True, filename=period_files.zip_filename(period), content_type="application/zip"
    )


@login_required
@require_safe
@never_cache
def period_xlsx(request: AuthenticatedHttpRequest, period_id: int) -> FileResponse:
    period = get_period_for_grid(request.user, period_id)
    data = city.period_figures(period, basis=city.parse_basis(request.GET.get("basis")))
    return FileResponse(
        BytesIO(render_period_xlsx(data)),
        as_attachment=True,
        filename=xlsx_filename(period),
        content_type=XLSX_CONTENT_TYPE,
    )
