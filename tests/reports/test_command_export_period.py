"""Tests for `manage.py export_period`: every commune's file of a period, into a folder."""

import multiprocessing
import shutil
import tempfile
from io import StringIO
from pathlib import Path

from django.core.management import CommandError, call_command
from django.test import TransactionTestCase, override_settings, tag

from reports.models import NumberStyle, OutlineSection
from tests import factories
from tests.reports.test_period_files import PeriodFilesTestCase


class ExportPeriodCommandTests(PeriodFilesTestCase):
    def setUp(self) -> None:
        super().setUp()
        self.output = Path(tempfile.mkdtemp(prefix="tthc-export-period-"))
        self.addCleanup(shutil.rmtree, self.output, ignore_errors=True)

    def export(self, *arguments: str) -> str:
        out = StringIO()
        call_command("export_period", *arguments, "--output-dir", str(self.output / "ky"), stdout=out)
        return out.getvalue()

    def test_pdf_files_of_every_commune_named_as_downloads_with_the_scan_where_one_exists(self) -> None:
        scan = self.issue_with_scan()
        message = self.export("--province", "31", "--period", "2026-05", "--format", "pdf")
        self.assertEqual(message.strip(), f"Đã xuất 3 báo cáo (PDF) (1 bản ký số hóa) vào {self.output / 'ky'}.")
        files = sorted(path.name for path in (self.output / "ky").iterdir())
        self.assertEqual(
            files,
            [
                "Ban-ky-Bao-cao-CCHC-thang-05-2026-xa-Hung-Thang-lan-0.pdf",
                "Bao-cao-CCHC-thang-05-2026-xa-Binh-Giang.pdf",
                "Bao-cao-CCHC-thang-05-2026-xa-Dong-Hai.pdf",
            ],
        )
        self.assertEqual((self.output / "ky" / files[0]).read_bytes(), scan)

    def test_docx_of_one_regime(self) -> None:
        other = factories.make_regime(self.province, name="Báo cáo riêng")
        commune = factories.make_commune(10001, "Phường An Biên", self.province)
        factories.make_report(commune, factories.make_period(other, "2026-05"))
        self.export("--province", "31", "--period", "2026-05", "--format", "docx", "--regime", str(other.pk))
        self.assertEqual(
            [path.name for path in (self.output / "ky").iterdir()], ["Bao-cao-CCHC-thang-05-2026-xa-An-Bien.docx"]
        )

    def test_bad_arguments_are_explained_in_vietnamese_and_nothing_is_written(self) -> None:
        cases = [
            (("--province", "31", "--period", "2026-05", "--format", "xlsx"), "Định dạng “xlsx” không được hỗ trợ"),
            (("--province", "HP", "--period", "2026-05"), "Mã tỉnh, thành phố không hợp lệ: “HP”"),
            (("--province", "31", "--period", "2026-05", "--workers", "0"), "Số tiến trình không hợp lệ: “0”"),
            (("--province", "77", "--period", "2026-05"), "Không tìm thấy tỉnh, thành phố mã 77."),
            (("--province", "31", "--period", "tháng 5"), "Kỳ báo cáo không hợp lệ: tháng 5"),
            (("--province", "31", "--period", "2026-04"), "Không có báo cáo nào của tỉnh, thành phố mã 31 trong kỳ"),
        ]
        for arguments, message in cases:
            with self.subTest(arguments=arguments), self.assertRaisesMessage(CommandError, message):
                self.export(*arguments)
        self.assertFalse((self.output / "ky").exists())

    def test_an_unwritable_folder_is_explained(self) -> None:
        blocker = self.output / "ky"
        blocker.write_text("a file, not a folder")
        with self.assertRaisesMessage(CommandError, "Không ghi được vào thư mục"):
            self.export("--province", "31", "--period", "2026-05")


class ExportPeriodWorkersTests(TransactionTestCase):
    # Worker processes open their own connections, so they only see committed rows.

    def setUp(self) -> None:
        self.output = Path(tempfile.mkdtemp(prefix="tthc-export-workers-"))
        self.addCleanup(shutil.rmtree, self.output, ignore_errors=True)
        cache = tempfile.mkdtemp(prefix="tthc-cache-workers-")
        self.addCleanup(shutil.rmtree, cache, ignore_errors=True)
        override = override_settings(RENDER_CACHE_DIR=cache)
        override.enable()
        self.addCleanup(override.disable)
        province = factories.make_province()
        regime = factories.make_regime(province)
        OutlineSection.objects.create(regime=regime, key="ket-qua", title="Kết quả", number_style=NumberStyle.ROMAN)
        period = factories.make_period(regime)
        for index in range(5):
            commune = factories.make_commune(20000 + index, f"Xã Thử {index}", province)
            factories.make_report(commune, period)

    @tag("forks")  # run in the serial phase: the parallel runner's daemonic workers may not fork
    def test_two_processes_write_the_same_files_as_one_and_reuse_the_cache(self) -> None:
        self.assertFalse(multiprocessing.current_process().daemon)
        names = {}
        for workers in ("2", "1"):
            target = self.output / workers
            call_command(
                "export_period",
                "--province=31",
                "--period=2026-05",
                f"--output-dir={target}",
                f"--workers={workers}",
                stdout=StringIO(),
            )
            names[workers] = {path.name: path.read_bytes() for path in target.iterdir()}
        self.assertEqual(len(names["2"]), 5)
        self.assertEqual(names["2"], names["1"])
