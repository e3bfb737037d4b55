"""Tests for the export_report and import_report management commands."""

import io
import json
import os
import subprocess
import sys
import tempfile
import unicodedata
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management import CommandError, call_command
from django.test import TestCase
from docx import Document
from pypdf import PdfReader

from reports.demo import SEED_FILES
from reports.exchange import import_report_data
from reports.models import OutlineSection, Period, Report, ReportEvent, ReportingRegime, ReportStatus, Target
from reports.rendering.export import render_report
from tests import factories

HUNG_THANG, BINH_GIANG = SEED_FILES


def seed(path: Path) -> dict[str, Any]:
    return json.loads(path.read_text(encoding="utf-8"))


def counts() -> dict[str, int]:
    models = (ReportingRegime, Target, OutlineSection, Period, Report, ReportEvent)
    return {model.__name__: model.objects.count() for model in models}


def empty_the_database() -> None:
    """Everything reports made; the communes stay, as after migrate and load_communes."""
    ReportEvent.objects.all().delete()
    Report.objects.all().delete()
    Period.objects.all().delete()
    ReportingRegime.objects.all().delete()


class CommandTestCase(TestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        province = factories.make_province(31, "Thành phố Hải Phòng")
        cls.hung_thang = factories.make_commune(11809, "Xã Hùng Thắng", province)
        cls.binh_giang = factories.make_commune(10966, "Xã Bình Giang", province)

    def setUp(self) -> None:
        self.directory = Path(self.enterContext(tempfile.TemporaryDirectory()))

    def write(self, name: str, content: str | dict[str, Any]) -> Path:
        path = self.directory / name
        text = content if isinstance(content, str) else json.dumps(content, ensure_ascii=False, indent=2)
        path.write_text(text, encoding="utf-8")
        return path

    def run_import(self, *args: str) -> tuple[str, str]:
        out, err = io.StringIO(), io.StringIO()
        call_command("import_report", *args, stdout=out, stderr=err)
        return out.getvalue(), err.getvalue()

    def refused_import(self, *args: str) -> tuple[str, str]:
        """The command fails with CommandError, and the database is as before."""
        before = counts()
        err = io.StringIO()
        with self.assertRaises(CommandError) as raised:
            call_command("import_report", *args, stdout=io.StringIO(), stderr=err)
        self.assertEqual(counts(), before)
        return err.getvalue(), str(raised.exception)

    def run_export(self, *args: str) -> str:
        out = io.StringIO()
        call_command("export_report", *args, stdout=out)
        return out.getvalue()


class ExportReportCommandTests(CommandTestCase):
    def setUp(self) -> None:
        super().setUp()
        self.report = import_report_data(seed(HUNG_THANG))

    def test_writes_the_json_document_and_prints_one_line(self) -> None:
        output = self.directory / "x.json"
        printed = self.run_export(
            "--commune", "11809", "--period", "2026-05", "--format", "json", "--output", str(output)
        )
        self.assertEqual(json.loads(output.read_text(encoding="utf-8")), seed(HUNG_THANG))
        self.assertEqual(printed, f"Đã xuất báo cáo xã Hùng Thắng tháng 5 năm 2026 (JSON) ra {output}.\n")

    def test_json_is_the_default_format_and_keeps_vietnamese_readable(self) -> None:
        output = self.directory / "x.json"
        self.run_export("--commune", "11809", "--period", "2026-05", "--output", str(output))
        text = output.read_text(encoding="utf-8")
        self.assertIn('"name": "Xã Hùng Thắng"', text)
        self.assertTrue(unicodedata.is_normalized("NFC", text))
        self.assertTrue(text.endswith("}\n"))

    def test_unknown_format_is_a_vietnamese_error(self) -> None:
        with self.assertRaisesMessage(
            CommandError, "Định dạng “xlsx” không được hỗ trợ; chọn một trong: json, docx, pdf, html."
        ):
            self.run_export("--commune", "11809", "--period", "2026-05", "--format", "xlsx", "--output", "x")

    def test_unknown_commune_is_a_vietnamese_error(self) -> None:
        with self.assertRaisesMessage(CommandError, "Không có xã, phường mã 99999."):
            self.run_export("--commune", "99999", "--period", "2026-05", "--output", str(self.directory / "x"))

    def test_commune_code_that_is_not_a_number_is_a_vietnamese_error(self) -> None:
        with self.assertRaisesMessage(CommandError, "Mã xã không hợp lệ: “Hùng Thắng”."):
            self.run_export("--commune", "Hùng Thắng", "--period", "2026-05", "--output", str(self.directory / "x"))

    def test_bad_period_is_a_vietnamese_error(self) -> None:
        with self.assertRaisesMessage(CommandError, "Kỳ báo cáo “5/2026” không hợp lệ: viết theo dạng 2026-05"):
            self.run_export("--commune", "11809", "--period", "5/2026", "--output", str(self.directory / "x"))

    def test_missing_report_is_a_vietnamese_error_and_writes_nothing(self) -> None:
        output = self.directory / "x.json"
        with self.assertRaisesMessage(CommandError, "Xã Hùng Thắng chưa có báo cáo tháng 6 năm 2026."):
            self.run_export("--commune", "11809", "--period", "2026-06", "--output", str(output))
        self.assertFalse(output.exists())

    def test_several_regimes_in_the_period_need_regime(self) -> None:
        other = seed(HUNG_THANG)
        other["regime"]["name"] = "Báo cáo kiểm soát TTHC"
        import_report_data(other)
        output = self.directory / "x.json"
        with self.assertRaisesMessage(
            CommandError,
            "Xã Hùng Thắng có 2 báo cáo tháng 5 năm 2026 theo các chế độ báo cáo “Báo cáo CCHC hằng tháng (mẫu Hùng "
            "Thắng)”, “Báo cáo kiểm soát TTHC”. Chọn một bằng --regime",
        ):
            self.run_export("--commune", "11809", "--period", "2026-05", "--output", str(output))
        self.run_export(
            "--commune", "11809", "--period", "2026-05", "--regime", "Báo cáo kiểm soát TTHC", "--output", str(output)
        )
        self.assertEqual(json.loads(output.read_text(encoding="utf-8"))["regime"]["name"], "Báo cáo kiểm soát TTHC")

    def test_unknown_regime_is_a_vietnamese_error(self) -> None:
        with self.assertRaisesMessage(
            CommandError, "Xã Hùng Thắng chưa có báo cáo tháng 5 năm 2026 theo chế độ báo cáo “Không có”."
        ):
            self.run_export(
                "--commune",
                "11809",
                "--period",
                "2026-05",
                "--regime",
                "Không có",
                "--output",
                str(self.directory / "x"),
            )

    def test_unwritable_output_is_a_vietnamese_error(self) -> None:
        output = self.directory / "missing" / "x.json"
        with self.assertRaisesMessage(CommandError, "Không ghi được tệp"):
            self.run_export("--commune", "11809", "--period", "2026-05", "--output", str(output))

    def test_docx_pdf_and_html_come_from_the_document_renderer(self) -> None:
        for fmt in ("docx", "pdf", "html"):
            with self.subTest(fmt):
                output = self.directory / f"x.{fmt}"
                printed = self.run_export(
                    "--commune", "11809", "--period", "2026-05", "--format", fmt, "--output", str(output)
                )
                self.assertIn(f"({fmt.upper()})", printed)
                data = output.read_bytes()
                if fmt == "docx":
                    document = Document(io.BytesIO(data))
                    texts = [p.text for p in document.paragraphs]
                    texts += [cell.text for table in document.tables for row in table.rows for cell in row.cells]
                    text = "\n".join(texts)
                elif fmt == "pdf":
                    text = "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)
                else:
                    self.assertEqual(data, render_report(self.report, "html"))
                    text = data.decode("utf-8")
                text = unicodedata.normalize("NFC", text)
                self.assertIn("HÙNG THẮNG", text.upper())
                self.assertIn("Kết quả công khai, minh bạch trong thực hiện thủ tục hành chính", " ".join(text.split()))


class ImportReportCommandTests(CommandTestCase):
    def test_imports_both_seeds_and_prints_one_line(self) -> None:
        out, err = self.run_import(str(HUNG_THANG), str(BINH_GIANG))
        self.assertEqual(out, "Đã nhập 2 báo cáo: xã Hùng Thắng tháng 5 năm 2026, xã Bình Giang tháng 02 năm 2026.\n")
        self.assertEqual(err, "")
        self.assertEqual(Report.objects.count(), 2)
        event = ReportEvent.objects.get(report__commune=self.hung_thang)
        self.assertEqual(event.note, "Nhập từ tệp hung_thang_2026_05.json")

    def test_export_then_import_into_an_empty_database_round_trips(self) -> None:
        self.run_import(str(HUNG_THANG), str(BINH_GIANG))
        exported = []
        for commune, period in (("11809", "2026-05"), ("10966", "2026-02")):
            output = self.directory / f"{commune}.json"
            self.run_export("--commune", commune, "--period", period, "--output", str(output))
            exported.append(output)
        first_bytes = [path.read_bytes() for path in exported]
        empty_the_database()

        self.run_import(*(str(path) for path in exported))
        for path, before in zip(exported, first_bytes, strict=True):
            data = json.loads(before)
            again = self.directory / f"again-{path.name}"
            self.run_export(
                "--commune", str(data["commune"]["code"]), "--period", data["period"], "--output", str(again)
            )
            self.assertEqual(again.read_bytes(), before)
        self.assertEqual(json.loads(first_bytes[0]), seed(HUNG_THANG))
        self.assertEqual(json.loads(first_bytes[1]), seed(BINH_GIANG))

    def test_problems_are_printed_as_file_path_message_and_nothing_changes(self) -> None:
        data = seed(BINH_GIANG)
        data["explanations"] = {}
        data["figures"]["results"][0]["online"] = -1
        bad = self.write("bad.json", data)
        err, error = self.refused_import(str(bad))
        self.assertEqual(
            err.splitlines(),
            [
                f"{bad}: $.figures.results[0].online: Bảng kết quả giải quyết TTHC, dòng 1: tiếp nhận trực tuyến: không được âm."
            ],
        )
        self.assertEqual(error, "Không nhập báo cáo nào: 1 lỗi trong 1 tệp; cơ sở dữ liệu không thay đổi.")

    def test_hard_rule_problem_names_the_figure_and_the_explanation(self) -> None:
        data = seed(BINH_GIANG)
        data["explanations"] = {}
        bad = self.write("bad.json", data)
        err, _ = self.refused_import(str(bad))
        self.assertEqual(
            err,
            f"{bad}: $.figures.values.procedures_city_total: Tổng số TTHC của thành phố (2.278) phải bằng số TTHC "
            "cấp tỉnh (1.909) cộng cấp xã (379) = 2.288. Nếu giữ nguyên số liệu này, ghi giải trình tại "
            "$.explanations['procedures_city_total.balance'].\n",
        )

    def test_one_bad_file_stops_the_whole_batch(self) -> None:
        data = seed(BINH_GIANG)
        data["period"] = "2026-2"
        bad = self.write("bad.json", data)
        err, _ = self.refused_import(str(HUNG_THANG), str(bad))
        self.assertIn(f"{bad}: $.period: Kỳ báo cáo “2026-2” không hợp lệ", err)
        self.assertFalse(Report.objects.exists())

    def test_every_bad_file_is_reported(self) -> None:
        first = self.write("a.json", "{")
        second = self.write("b.json", {"format": "bao-cao-cchc"})
        err, error = self.refused_import(str(first), str(second))
        lines = err.splitlines()
        self.assertEqual(lines[0], f"{first}: $: Tệp không phải JSON hợp lệ: lỗi cú pháp ở dòng 1, cột 2.")
        self.assertIn(f"{second}: $.commune: Thiếu trường bắt buộc.", lines)
        self.assertIn("trong 2 tệp", error)

    def test_invalid_json_is_a_message_not_a_traceback(self) -> None:
        bad = self.write("bad.json", '{"format": "bao-cao-cchc",, }')
        err, _ = self.refused_import(str(bad))
        self.assertEqual(err, f"{bad}: $: Tệp không phải JSON hợp lệ: lỗi cú pháp ở dòng 1, cột 27.\n")

    def test_exits_non_zero_from_the_command_line_without_a_traceback(self) -> None:
        bad = self.write("bad.json", "không phải JSON")
        # A real process, so the exit status is the one a shell sees; its own throw-away SQLite
        # file keeps it away from the developer's database.
        env = {
            **os.environ,
            "DJANGO_DEBUG": "True",
            "DATABASE_URL": f"sqlite:///{self.directory / 'cli.sqlite3'}",
        }
        finished = subprocess.run(
            [sys.executable, "manage.py", "import_report", str(bad)],
            cwd=settings.BASE_DIR,
            env=env,
            capture_output=True,
            text=True,
            timeout=60,
            check=False,
        )
        self.assertEqual(finished.returncode, 1)
        self.assertIn(f"{bad}: $: Tệp không phải JSON hợp lệ: lỗi cú pháp ở dòng 1, cột 1.", finished.stderr)
        self.assertNotIn("Traceback", finished.stderr)

    def test_missing_file_is_reported(self) -> None:
        missing = self.directory / "khong-co.json"
        err, _ = self.refused_import(str(missing))
        self.assertEqual(err, f"{missing}: $: Không tìm thấy tệp.\n")

    def test_existing_report_is_refused_without_replace_and_replaced_with_it(self) -> None:
        self.run_import(str(HUNG_THANG))
        data = seed(HUNG_THANG)
        data["narrative"]["danh-gia"]["text"] = "Nội dung mới."
        changed = self.write("moi.json", data)

        err, _ = self.refused_import(str(changed))
        self.assertIn("Dùng tùy chọn --replace", err)
        self.assertNotEqual(Report.objects.get().narrative["danh-gia"]["text"], "Nội dung mới.")

        out, _ = self.run_import(str(changed), "--replace")
        self.assertEqual(out, "Đã nhập 1 báo cáo: xã Hùng Thắng tháng 5 năm 2026.\n")
        self.assertEqual(Report.objects.get().narrative["danh-gia"]["text"], "Nội dung mới.")

    def test_issued_report_is_not_replaced_even_with_replace(self) -> None:
        self.run_import(str(HUNG_THANG))
        Report.objects.update(status=ReportStatus.ISSUED, number=25, issued_on="2026-05-18")
        err, _ = self.refused_import(str(HUNG_THANG), "--replace")
        self.assertIn("ở trạng thái “Đã ban hành”: báo cáo này không được thay thế.", err)
