"""Every report of a period as files: the ZIP the Centre downloads and the `export_period` command.

Each commune's file is its signed scan when one is stored for the current revision (verified by
hash), else the rendered document, named as its single download is, in a stable order (commune name
without diacritics, then code). Rendering goes through `rendering.export.render_report`, whose
content-keyed cache means unchanged reports are never redrawn. The ZIP is built by a background
task (reports/tasks.py); one `PeriodExport` row per period and fingerprint of its reports keeps the
finished file for download until a report of the period changes.
"""

from __future__ import annotations

import hashlib
import logging
import multiprocessing
import tempfile
import time
import zipfile
from collections.abc import Iterable, Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.core.files import File
from django.core.files.storage import default_storage
from django.db import connections, transaction
from django.db.models import OuterRef, Q, QuerySet, Subquery
from django.utils import timezone

from communes.models import Province
from reports.models import ExportStatus, Period, PeriodExport, Report, ReportStatus, SignedScan, period_export_path
from reports.periods import PeriodKey
from reports.rendering.cache import renderer_fingerprint
from reports.rendering.export import document_filename, period_file_part, render_report
from reports.rendering.formatting import ascii_slug
from reports.rendering.pdf import warm_up as warm_up_pdf
from reports.workflow import read_verified_scan

logger = logging.getLogger(__name__)

FILE_FORMATS = ("pdf", "docx")
# A build still "running" after this long lost its worker (killed, machine restarted); a new
# request queues it again instead of waiting for ever.
STALE_AFTER = timedelta(minutes=30)
PROGRESS_EVERY_S = 0.25
# Sent and accepted reports stay as they are until the city acts: their PDF is drawn ahead.
PRERENDERED_STATUSES = (ReportStatus.SUBMITTED, ReportStatus.ACCEPTED)


class PeriodLookupError(ValueError):
    """The command's province, period or regime does not exist; the message is in Vietnamese."""


@dataclass(frozen=True)
class PeriodFile:
    report_id: int
    name: str
    data: bytes
    from_scan: bool
    note: str = ""


# --- Which reports, in which order ------------------------------------------------------------


def _with_relations(reports: QuerySet[Report]) -> QuerySet[Report]:
    return reports.select_related("commune__province", "period__regime")


def ordered(reports: Iterable[Report]) -> list[Report]:
    """Communes by name without diacritics (so "Đông" sorts with D on every database), then code."""
    return sorted(reports, key=lambda r: (ascii_slug(r.commune.name).lower(), r.commune.name, r.commune_id, r.pk))


def period_reports(period: Period) -> list[Report]:
    return ordered(_with_relations(Report.objects.filter(period=period)))


def province_period_reports(*, province_code: int, period_slug: str, regime_id: int | None = None) -> list[Report]:
    """Every report of the province for the period named by `period_slug`, whatever its regime."""
    province = Province.objects.filter(pk=province_code).first()
    if province is None:
        raise PeriodLookupError(f"Không tìm thấy tỉnh, thành phố mã {province_code}.")
    try:
        key = PeriodKey.parse(period_slug, frequency=None)
    except ValueError as error:
        raise PeriodLookupError(str(error)) from None
    periods = Period.objects.filter(
        regime__province=province, regime__frequency=key.frequency, year=key.year, number=key.number
    )
    if regime_id is not None:
        if not province.regimes.filter(pk=regime_id).exists():
            raise PeriodLookupError(f"Không tìm thấy chế độ báo cáo số {regime_id} của {province.name}.")
        periods = periods.filter(regime_id=regime_id)
    return ordered(_with_relations(Report.objects.filter(period__in=periods)))


# --- One file per report ----------------------------------------------------------------------


def prerender_pdf(report_id: int) -> str:
    """Draw a sent or accepted report's PDF into the render cache now (a background task after the
    transition), so the period's ZIP and the reviewers' downloads find it drawn. An issued report's
    files are stored at issue (reports/frozen.py), and a draft changes too often to be worth it."""
    report = _with_relations(Report.objects.filter(pk=report_id)).first()
    if report is None or report.status not in PRERENDERED_STATUSES:
        return "skipped"
    render_report(report, "pdf")
    return "rendered"


def scan_filename(report: Report, revision: int) -> str:
    return f"Ban-ky-{document_filename(report, 'pdf').removesuffix('.pdf')}-lan-{revision}.pdf"


def _current_scans(reports: Sequence[Report]) -> dict[int, SignedScan]:
    revisions = {report.pk: report.revision for report in reports}
    scans = SignedScan.objects.filter(report_id__in=revisions)
    return {scan.report_id: scan for scan in scans if scan.revision == revisions[scan.report_id]}


def render_files(reports: Sequence[Report], fmt: str) -> Iterator[PeriodFile]:
    """The file of each report, in the given order: the verified scan (PDF only), else rendered."""
    scans = _current_scans(reports) if fmt == "pdf" else {}
    for report in reports:
        scan = scans.get(report.pk)
        note = ""
        if scan is not None:
            try:
                yield PeriodFile(report.pk, scan_filename(report, scan.revision), read_verified_scan(scan), True)
                continue
            except (ValidationError, OSError):
                # Refuse a tampered or missing scan, but still deliver the commune's report.
                logger.warning("Signed scan %s of report %s failed verification", scan.pk, report.pk)
                note = f"Bản ký của {report.commune.name} không khớp mã băm lưu trữ; đã dùng bản dựng từ hệ thống."
        yield PeriodFile(report.pk, document_filename(report, fmt), render_report(report, fmt), False, note)


def _render_in_child(report_ids: Sequence[int], fmt: str) -> list[PeriodFile]:
    reports = {report.pk: report for report in _with_relations(Report.objects.filter(pk__in=report_ids))}
    return list(render_files([reports[pk] for pk in report_ids if pk in reports], fmt))


def _close_connections() -> None:
    connections.close_all()


def can_fork() -> bool:
    """Whether rendering may start processes here. Forking needs the database connections closed,
    which cannot happen inside a transaction (a test's, or a caller's), and a daemonic process (a
    worker of the parallel test runner) may not start processes of its own: then one process."""
    if multiprocessing.current_process().daemon:
        return False
    return not any(connection.in_atomic_block for connection in connections.all(initialized_only=True))


def period_files(reports: Sequence[Report], fmt: str, *, workers: int = 1) -> Iterator[PeriodFile]:
    """`render_files` over `workers` processes, in the same order. Each child opens its own database
    connection (a connection shared over fork would corrupt the parent's), and all share the cache."""
    if fmt not in FILE_FORMATS:
        raise ValueError(f"Định dạng “{fmt}” không được hỗ trợ; chọn một trong: {', '.join(FILE_FORMATS)}.")
    if workers <= 1 or len(reports) <= 1 or not can_fork():
        yield from render_files(reports, fmt)
        return
    # Small chunks keep both processes busy to the end; order is kept by map().
    chunk = max(1, min(8, len(reports) // (workers * 4)))
    ids = [report.pk for report in reports]
    batches = [ids[start : start + chunk] for start in range(0, len(ids), chunk)]
    if fmt == "pdf":
        # Parse the print stylesheet and set up the fonts once, here: the children inherit them.
        warm_up_pdf()
    _close_connections()
    context = multiprocessing.get_context("fork")
    with ProcessPoolExecutor(max_workers=workers, mp_context=context, initializer=_close_connections) as pool:
        for files in pool.map(_render_in_child, batches, [fmt] * len(batches)):
            yield from files


def unique_names(files: Iterable[PeriodFile]) -> Iterator[PeriodFile]:
    """The files with any repeated name suffixed by the report's id, so no member overwrites another."""
    seen: set[str] = set()
    for item in files:
        name = item.name
        if name in seen:
            stem, _, ext = name.rpartition(".")
            name = f"{stem}-{item.report_id}.{ext}"
        seen.add(name)
        yield PeriodFile(item.report_id, name, item.data, item.from_scan, item.note)


# --- The period's ZIP -------------------------------------------------------------------------


def period_fingerprint(period: Period) -> str:
    """What the ZIP depends on, in one query: each report's version, status, revision, number and
    current scan, and the renderers. Any save or transition bumps a report's version."""
    current_scan = SignedScan.objects.filter(report=OuterRef("pk"), revision=OuterRef("revision")).values("sha256")[:1]
    rows = (
        Report.objects.filter(period=period)
        .annotate(scan_sha=Subquery(current_scan))
        .order_by("pk")
        .values_list("pk", "version", "revision", "status", "number", "issued_on", "updated_at", "scan_sha")
    )
    digest = hashlib.sha256(renderer_fingerprint().encode())
    for row in rows:
        digest.update(repr(row).encode())
    return digest.hexdigest()


@dataclass(frozen=True)
class ExportState:
    """What the period page shows of the ZIP: the latest build and whether it is still current."""

    export: PeriodExport | None
    current: bool

    @property
    def in_progress(self) -> bool:
        return (
            self.current
            and self.export is not None
            and self.export.status in (ExportStatus.QUEUED, ExportStatus.RUNNING)
        )

    @property
    def ready(self) -> bool:
        return self.current and self.export is not None and self.export.status == ExportStatus.READY

    @property
    def failed(self) -> bool:
        return self.current and self.export is not None and self.export.status == ExportStatus.FAILED

    @property
    def percent(self) -> int:
        if self.export is None or self.export.status == ExportStatus.READY:
            return 100 if self.ready else 0
        return self.export.done * 100 // self.export.total if self.export.total else 0

    @property
    def progress_text(self) -> str:
        export = self.export
        if export is None or not self.current:
            return "Chưa tạo tệp ZIP cho các báo cáo hiện tại của kỳ."
        if export.status == ExportStatus.READY:
            return f"Tệp ZIP đã sẵn sàng: {export.total} báo cáo."
        if export.status == ExportStatus.FAILED:
            return export.error or "Không tạo được tệp ZIP."
        if export.status == ExportStatus.QUEUED and not export.done:
            return f"Đang chờ tạo tệp ZIP ({export.total} báo cáo)…"
        return f"Đang tạo tệp ZIP: {export.done}/{export.total} báo cáo ({self.percent}%)."

    def as_json(self) -> dict[str, object]:
        export = self.export
        return {
            "progress_text": self.progress_text,
            "status": export.status if export and self.current else "none",
            "status_label": export.get_status_display() if export and self.current else "Chưa tạo",
            "done": export.done if export else 0,
            "total": export.total if export else 0,
            "percent": self.percent,
            "size": export.size if export else 0,
            "error": export.error if export and self.current else "",
        }


def export_state(period: Period) -> ExportState:
    """Two queries: the period's fingerprint and its latest build."""
    fingerprint = period_fingerprint(period)
    export = PeriodExport.objects.filter(period=period).first()
    return ExportState(export=export, current=export is not None and export.fingerprint == fingerprint)


def get_ready_export(period: Period, export_id: int) -> PeriodExport | None:
    return PeriodExport.objects.filter(period=period, pk=export_id, status=ExportStatus.READY).exclude(file="").first()


def zip_filename(period: Period) -> str:
    return f"Bao-cao-CCHC-{period_file_part(period)}-{ascii_slug(period.regime.province.short_name)}.zip"


@transaction.atomic
def request_period_export(period: Period, *, by: User) -> PeriodExport:
    """The period's ZIP for its reports as they are now: the existing build when nothing changed,
    else a new one queued for the background worker (once the request's transaction commits)."""
    from reports.tasks import build_period_zip

    fingerprint = period_fingerprint(period)
    total = Report.objects.filter(period=period).count()
    export, created = PeriodExport.objects.get_or_create(
        period=period, fingerprint=fingerprint, defaults={"requested_by": by, "total": total}
    )
    if not created:
        # A failed build, or one whose worker died, is queued again; exactly one request wins.
        stale = timezone.now() - STALE_AFTER
        lost = Q(status__in=(ExportStatus.QUEUED, ExportStatus.RUNNING), requested_at__lt=stale)
        retry = PeriodExport.objects.filter(Q(status=ExportStatus.FAILED) | lost, pk=export.pk)
        if not retry.update(status=ExportStatus.QUEUED, done=0, total=total, error="", requested_by=by):
            return export
        export.refresh_from_db()
    transaction.on_commit(lambda: build_period_zip.enqueue(export.pk))
    return export


def build_period_export(export_id: int) -> str:
    """The task's body: claim the queued build, write the ZIP with progress, keep it, drop older ones."""
    claimed = PeriodExport.objects.filter(pk=export_id, status=ExportStatus.QUEUED).update(
        status=ExportStatus.RUNNING, started_at=timezone.now(), done=0
    )
    if not claimed:
        return "skipped"
    export = PeriodExport.objects.select_related("period__regime__province").get(pk=export_id)
    try:
        name, size, notes = _write_zip(export)
    except Exception as error:
        logger.exception("Building the ZIP of period export %s failed", export_id)
        PeriodExport.objects.filter(pk=export_id).update(
            status=ExportStatus.FAILED, finished_at=timezone.now(), error=f"Không tạo được tệp ZIP: {error}"
        )
        raise
    PeriodExport.objects.filter(pk=export_id).update(
        status=ExportStatus.READY, file=name, size=size, notes="\n".join(notes), finished_at=timezone.now()
    )
    _drop_older_exports(export)
    return "ready"


def _write_zip(export: PeriodExport) -> tuple[str, int, list[str]]:
    reports = period_reports(export.period)
    PeriodExport.objects.filter(pk=export.pk).update(total=len(reports))
    notes = []
    with tempfile.TemporaryFile() as buffer:
        # PDFs are compressed already; storing them is as small and much faster than deflating.
        with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_STORED) as archive:
            reported_at = time.monotonic()
            files = period_files(reports, "pdf", workers=settings.PERIOD_EXPORT_PROCESSES)
            for done, item in enumerate(unique_names(files), start=1):
                archive.writestr(item.name, item.data)
                if item.note:
                    notes.append(item.note)
                # At most a few progress writes a second: from the cache, files come every few ms.
                if time.monotonic() - reported_at >= PROGRESS_EVERY_S:
                    PeriodExport.objects.filter(pk=export.pk).update(done=done)
                    reported_at = time.monotonic()
            PeriodExport.objects.filter(pk=export.pk).update(done=len(reports))
        size = buffer.tell()
        buffer.seek(0)
        name = default_storage.save(period_export_path(export, ""), File(buffer))
    return name, size, notes


def _drop_older_exports(export: PeriodExport) -> None:
    older = PeriodExport.objects.filter(
        period_id=export.period_id,
        requested_at__lte=export.requested_at,
        status__in=(ExportStatus.READY, ExportStatus.FAILED),
    ).exclude(pk=export.pk)
    for stale in older:
        if stale.file.name:
            default_storage.delete(stale.file.name)
    older.delete()
