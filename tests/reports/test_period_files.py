"""Tests for reports/period_files.py: the period's files, their names and order, and the ZIP build."""

import io
import shutil
import tempfile
import zipfile
from datetime import timedelta
from pathlib import Path
from unittest import mock

from django.core.files.storage import default_storage
from django.test import override_settings
from django.utils import timezone

from reports import period_files, services, workflow
from reports.models import ExportStatus, PeriodExport, Report, ReportStatus, SignedScan
from reports.rendering.cache import cache_key, cache_path
from reports.rendering.document import build_report_document
from reports.rendering.export import document_filename
from tests import factories
from tests.reports.workflow_helpers import BEFORE_DEADLINE, TempMediaMixin, WorkflowTestCase, at, pdf_bytes, upload


class PeriodFilesTestCase(TempMediaMixin, WorkflowTestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        # A third commune whose name starts with "Đ": without diacritics it sorts among the D's.
        cls.commune_d = factories.make_commune(10999, "Xã Đông Hải", cls.province)
        cls.report_d = factories.make_report(cls.commune_d, cls.period)

    def issue_with_scan(self) -> bytes:
        """Issue report A and store its signed scan; return the scan's bytes."""
        report = self.drive(self.report_a, "issued")
        data = pdf_bytes(pages=2)
        workflow.upload_signed_scan(report, by=self.leader_a, upload=upload(data))
        return data

    def build_zip(self) -> tuple[PeriodExport, zipfile.ZipFile]:
        with self.captureOnCommitCallbacks(execute=True):
            export = period_files.request_period_export(self.period, by=self.reviewer)
        export.refresh_from_db()
        self.assertEqual(export.status, ExportStatus.READY, export.error)
        with default_storage.open(export.file.name, "rb") as handle:
            data = handle.read()
        return export, zipfile.ZipFile(io.BytesIO(data))


class MemberTests(PeriodFilesTestCase):
    def test_members_are_named_as_downloads_in_commune_order_with_the_scan_where_one_exists(self) -> None:
        scan = self.issue_with_scan()
        export, archive = self.build_zip()
        self.assertEqual(
            archive.namelist(),
            [
                "Bao-cao-CCHC-thang-05-2026-xa-Binh-Giang.pdf",
                "Bao-cao-CCHC-thang-05-2026-xa-Dong-Hai.pdf",
                "Ban-ky-Bao-cao-CCHC-thang-05-2026-xa-Hung-Thang-lan-0.pdf",
            ],
        )
        self.assertEqual(archive.read(archive.namelist()[2]), scan)
        for name in archive.namelist()[:2]:
            self.assertTrue(archive.read(name).startswith(b"%PDF"))
        self.assertEqual((export.done, export.total, export.notes), (3, 3, ""))
        self.assertEqual(export.size, default_storage.size(export.file.name))
        self.assertIsNotNone(export.started_at)
        self.assertIsNotNone(export.finished_at)

    def test_a_scan_that_fails_its_hash_is_replaced_by_the_rendered_report_and_noted(self) -> None:
        self.issue_with_scan()
        SignedScan.objects.filter(report=self.report_a).update(sha256="0" * 64)
        with self.assertLogs("reports.period_files", "WARNING"):
            export, archive = self.build_zip()
        self.assertIn("Bao-cao-CCHC-thang-05-2026-xa-Hung-Thang.pdf", archive.namelist())
        self.assertIn("Xã Hùng Thắng", export.notes)

    def test_docx_files_are_always_rendered(self) -> None:
        self.issue_with_scan()
        reports = period_files.period_reports(self.period)
        names = [item.name for item in period_files.render_files(reports, "docx")]
        self.assertEqual(names, [document_filename(report, "docx") for report in reports])
        self.assertEqual(names[2], "Bao-cao-CCHC-thang-05-2026-xa-Hung-Thang.docx")

    def test_repeated_names_get_the_report_id(self) -> None:
        files = [
            period_files.PeriodFile(1, "a.pdf", b"1", False),
            period_files.PeriodFile(2, "a.pdf", b"2", False),
        ]
        self.assertEqual([item.name for item in period_files.unique_names(files)], ["a.pdf", "a-2.pdf"])

    def test_the_command_lookup_finds_the_period_of_every_regime(self) -> None:
        other = factories.make_regime(self.province, name="Báo cáo riêng")
        commune = factories.make_commune(10001, "Phường An Biên", self.province)
        other_report = factories.make_report(commune, factories.make_period(other, "2026-05"))
        found = period_files.province_period_reports(province_code=31, period_slug="2026-05")
        self.assertEqual([r.pk for r in found], [other_report.pk, self.report_b.pk, self.report_d.pk, self.report_a.pk])
        only = period_files.province_period_reports(province_code=31, period_slug="2026-05", regime_id=other.pk)
        self.assertEqual([r.pk for r in only], [other_report.pk])

    def test_the_command_lookup_explains_what_is_missing(self) -> None:
        cases = [
            ({"province_code": 99, "period_slug": "2026-05"}, "Không tìm thấy tỉnh, thành phố mã 99."),
            ({"province_code": 31, "period_slug": "2026-13"}, "Kỳ báo cáo không hợp lệ: 2026-13"),
            ({"province_code": 31, "period_slug": "2026-05", "regime_id": 999}, "Không tìm thấy chế độ báo cáo số 999"),
        ]
        for arguments, message in cases:
            with self.subTest(arguments=arguments), self.assertRaisesMessage(period_files.PeriodLookupError, message):
                period_files.province_period_reports(**arguments)


class ExportLifecycleTests(PeriodFilesTestCase):
    def test_an_unchanged_period_reuses_the_finished_file(self) -> None:
        export, _ = self.build_zip()
        with self.captureOnCommitCallbacks(execute=True) as callbacks:
            again = period_files.request_period_export(self.period, by=self.superuser)
        self.assertEqual(again.pk, export.pk)
        self.assertEqual(callbacks, [])
        self.assertEqual(PeriodExport.objects.count(), 1)

    def test_a_changed_report_makes_the_next_request_build_a_new_file_and_drops_the_old(self) -> None:
        old, _ = self.build_zip()
        report = self.fresh(self.report_b)
        services.save_draft(
            report,
            figures=report.figures,
            narrative={"ket-qua": {"text": "Nội dung mới."}},
            explanations={},
            expected_version=report.version,
            by=self.officer_b,
        )
        self.assertFalse(period_files.export_state(self.period).current)
        new, _ = self.build_zip()
        self.assertNotEqual(new.pk, old.pk)
        self.assertEqual(list(PeriodExport.objects.values_list("pk", flat=True)), [new.pk])
        self.assertFalse(default_storage.exists(old.file.name))
        self.assertTrue(period_files.export_state(self.period).ready)

    def test_a_transition_changes_the_fingerprint(self) -> None:
        before = period_files.period_fingerprint(self.period)
        self.drive(self.report_b, "submitted")
        self.assertNotEqual(period_files.period_fingerprint(self.period), before)

    def test_a_failed_build_is_queued_again_on_the_next_request(self) -> None:
        with self.captureOnCommitCallbacks(execute=True):
            export = period_files.request_period_export(self.period, by=self.reviewer)
        export.refresh_from_db()
        self.assertEqual(export.status, ExportStatus.READY)
        PeriodExport.objects.filter(pk=export.pk).update(status=ExportStatus.FAILED, error="Không tạo được tệp ZIP: x")
        self.assertTrue(period_files.export_state(self.period).failed)
        with self.captureOnCommitCallbacks(execute=True):
            again = period_files.request_period_export(self.period, by=self.reviewer)
        again.refresh_from_db()
        self.assertEqual((again.pk, again.status, again.error), (export.pk, ExportStatus.READY, ""))

    def test_a_build_whose_worker_died_is_queued_again_after_a_while(self) -> None:
        fingerprint = period_files.period_fingerprint(self.period)
        export = PeriodExport.objects.create(
            period=self.period, fingerprint=fingerprint, status=ExportStatus.RUNNING, done=1, total=3
        )
        with self.captureOnCommitCallbacks(execute=True) as callbacks:
            period_files.request_period_export(self.period, by=self.reviewer)
        self.assertEqual(callbacks, [])  # still running, recently
        PeriodExport.objects.filter(pk=export.pk).update(requested_at=timezone.now() - timedelta(hours=1))
        with self.captureOnCommitCallbacks(execute=True):
            period_files.request_period_export(self.period, by=self.reviewer)
        export.refresh_from_db()
        self.assertEqual((export.status, export.done), (ExportStatus.READY, 3))

    def test_an_error_while_building_marks_the_export_failed(self) -> None:
        export = PeriodExport.objects.create(period=self.period, fingerprint="x" * 64, total=3)
        with (
            mock.patch.object(period_files, "render_files", side_effect=RuntimeError("hỏng")),
            self.assertRaises(RuntimeError),
            self.assertLogs("reports.period_files", "ERROR"),
        ):
            period_files.build_period_export(export.pk)
        export.refresh_from_db()
        self.assertEqual(export.status, ExportStatus.FAILED)
        self.assertEqual(export.error, "Không tạo được tệp ZIP: hỏng")

    def test_a_build_already_claimed_is_not_run_twice(self) -> None:
        export = PeriodExport.objects.create(period=self.period, fingerprint="y" * 64, status=ExportStatus.RUNNING)
        self.assertEqual(period_files.build_period_export(export.pk), "skipped")

    def test_progress_text_and_percent(self) -> None:
        export = PeriodExport(period=self.period, fingerprint="z", status=ExportStatus.RUNNING, done=57, total=114)
        state = period_files.ExportState(export=export, current=True)
        self.assertEqual(state.percent, 50)
        self.assertEqual(state.progress_text, "Đang tạo tệp ZIP: 57/114 báo cáo (50%).")
        self.assertEqual(state.as_json()["status"], "running")
        stale = period_files.ExportState(export=export, current=False)
        self.assertEqual(stale.as_json()["status"], "none")
        self.assertFalse(stale.in_progress)


class PrerenderTests(PeriodFilesTestCase):
    """A sent or accepted report's PDF is drawn in the background, so the ZIP finds it drawn."""

    def setUp(self) -> None:
        super().setUp()
        folder = tempfile.mkdtemp(prefix="tthc-render-cache-prerender-")
        self.addCleanup(shutil.rmtree, folder, ignore_errors=True)
        override = override_settings(RENDER_CACHE_DIR=Path(folder), PRERENDER_SENT_REPORTS=True)
        override.enable()
        self.addCleanup(override.disable)

    def drawn(self, report: Report) -> bool:
        doc = build_report_document(period_files._with_relations(Report.objects.filter(pk=report.pk)).get())
        return cache_path(cache_key(doc, "pdf"), "pdf").exists()

    def test_sending_and_accepting_draw_the_pdf_of_the_new_state(self) -> None:
        self.assertFalse(self.drawn(self.report_a))
        with self.captureOnCommitCallbacks(execute=True):
            sent = self.drive(self.report_a, ReportStatus.SUBMITTED)
        self.assertTrue(self.drawn(sent))
        with self.captureOnCommitCallbacks(execute=True), at(BEFORE_DEADLINE):
            workflow.accept_report(sent, by=self.reviewer)
        # Accepted, it loses the draft mark: another document, drawn again.
        self.assertTrue(self.drawn(self.fresh(sent)))
        self.assertFalse(self.drawn(self.report_b))

    def test_the_drawn_file_is_read_back_not_drawn_again(self) -> None:
        with self.captureOnCommitCallbacks(execute=True):
            sent = self.drive(self.report_a, ReportStatus.SUBMITTED)
        doc = build_report_document(period_files._with_relations(Report.objects.filter(pk=sent.pk)).get())
        path = cache_path(cache_key(doc, "pdf"), "pdf")
        written = path.stat().st_mtime_ns
        _, archive = self.build_zip()
        self.assertEqual(archive.read("Bao-cao-CCHC-thang-05-2026-xa-Hung-Thang.pdf"), path.read_bytes())
        self.assertEqual(path.stat().st_mtime_ns, written)

    def test_drafts_and_missing_reports_are_skipped(self) -> None:
        self.assertEqual(period_files.prerender_pdf(self.report_b.pk), "skipped")
        self.assertEqual(period_files.prerender_pdf(10**9), "skipped")

    def test_off_nothing_is_queued(self) -> None:
        with override_settings(PRERENDER_SENT_REPORTS=False), self.captureOnCommitCallbacks(execute=True):
            self.drive(self.report_a, ReportStatus.SUBMITTED)
        self.assertFalse(self.drawn(self.report_a))
