"""The period's ZIP task through the real django-tasks-db queue and its `db_worker` command."""

import logging
import shutil
import tempfile
import zipfile
from io import StringIO

from django.core.files.storage import default_storage
from django.core.management import call_command
from django.db import transaction
from django.test import TransactionTestCase, override_settings, tag
from django_tasks_db.models import DBTaskResult

from reports import period_files
from reports.models import ExportStatus, PeriodExport, Report, ReportStatus
from reports.tasks import prerender_report_pdf
from tests import factories

DATABASE_TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


def run_db_worker() -> None:
    """One bounded run of the real worker command: every queued task, then exit."""
    # The command sets its loggers' levels for the whole process; put them back afterwards.
    loggers = [logging.getLogger(name) for name in ("django.tasks", "django_tasks_db")]
    levels = [logger.level for logger in loggers]
    try:
        call_command(
            "db_worker", "--batch", "--no-reload", "--no-startup-delay", "--interval=0", verbosity=0, stdout=StringIO()
        )
    finally:
        for logger, level in zip(loggers, levels, strict=True):
            logger.setLevel(level)


class DatabaseWorkerTests(TransactionTestCase):
    # The worker claims tasks in its own transactions and checks its connection between tasks,
    # which a TestCase's wrapping transaction would not survive; so this class commits for real.

    def setUp(self) -> None:
        media = tempfile.mkdtemp(prefix="tthc-media-worker-")
        self.addCleanup(shutil.rmtree, media, ignore_errors=True)
        override = override_settings(MEDIA_ROOT=media, TASKS=DATABASE_TASKS)
        override.enable()
        self.addCleanup(override.disable)
        province = factories.make_province()
        self.period = factories.make_period(factories.make_regime(province))
        for code, name in ((11809, "Xã Hùng Thắng"), (10966, "Xã Bình Giang")):
            factories.make_report(factories.make_commune(code, name, province), self.period)
        self.reviewer = factories.make_user("trungtam.worker")

    def test_the_queued_build_waits_for_the_worker_which_finishes_it(self) -> None:
        with transaction.atomic():
            export = period_files.request_period_export(self.period, by=self.reviewer)
        queued = DBTaskResult.objects.get()
        self.assertEqual((queued.task_path, queued.status), ("reports.tasks.build_period_zip", "READY"))
        self.assertEqual(PeriodExport.objects.get().status, ExportStatus.QUEUED)

        run_db_worker()

        export.refresh_from_db()
        self.assertEqual((export.status, export.done, export.total), (ExportStatus.READY, 2, 2), export.error)
        self.assertTrue(export.file.name.endswith(".zip"))
        self.assertEqual(DBTaskResult.objects.get().status, "SUCCESSFUL")
        self.assertEqual(DBTaskResult.objects.get().return_value, "ready")

    @tag("forks")
    @override_settings(PERIOD_EXPORT_PROCESSES=2)
    def test_the_worker_renders_in_several_processes_and_keeps_the_order(self) -> None:
        # Outside a transaction, as in the worker, the build forks its rendering processes.
        self.assertTrue(period_files.can_fork())
        with transaction.atomic():
            self.assertFalse(period_files.can_fork())
            export = period_files.request_period_export(self.period, by=self.reviewer)

        run_db_worker()

        export.refresh_from_db()
        self.assertEqual((export.status, export.done, export.total), (ExportStatus.READY, 2, 2), export.error)
        with default_storage.open(export.file.name, "rb") as handle:
            archive = zipfile.ZipFile(handle)
            names = archive.namelist()
            self.assertTrue(all(archive.read(name).startswith(b"%PDF") for name in names))
        self.assertEqual(
            names, ["Bao-cao-CCHC-thang-05-2026-xa-Binh-Giang.pdf", "Bao-cao-CCHC-thang-05-2026-xa-Hung-Thang.pdf"]
        )

    def test_the_worker_draws_a_sent_reports_pdf_ahead(self) -> None:
        report = Report.objects.get(commune_id=11809)
        Report.objects.filter(pk=report.pk).update(status=ReportStatus.SUBMITTED)
        with transaction.atomic():
            transaction.on_commit(lambda: prerender_report_pdf.enqueue(report.pk))

        run_db_worker()

        done = DBTaskResult.objects.get()
        self.assertEqual((done.task_path, done.status), ("reports.tasks.prerender_report_pdf", "SUCCESSFUL"))
        self.assertEqual(done.return_value, "rendered")
