"""Importing dossier files: the documented format, dates, mapping, re-import, all-or-nothing, the command."""

import io
from datetime import datetime
from pathlib import Path

import xlsxwriter
from django.core.management import CommandError, call_command
from django.test import SimpleTestCase

from dossiers import aggregation, reading, services
from dossiers.computation import LOCAL_ZONE
from dossiers.exporting import dossiers_csv
from dossiers.models import ColumnMapping, Dossier, DossierImport
from tests.base import BaseTestCase
from tests.dossiers.cases import BOUNDARY_CASES, MAY_2026, store

EXAMPLE = Path(__file__).resolve().parents[2] / "docs" / "examples" / "ho-so-mau.csv"
HEADER = "Mã hồ sơ,Tên thủ tục,Hình thức nộp,Ngày tiếp nhận,Ngày hẹn trả,Ngày hoàn thành"


def csv_bytes(*lines: str) -> bytes:
    return ("\n".join(lines) + "\n").encode("utf-8")


class DateTests(SimpleTestCase):
    def test_vietnamese_and_iso_forms(self) -> None:
        local = LOCAL_ZONE
        cases = {
            "14/05/2026": datetime(2026, 5, 14, tzinfo=local),
            "4/5/2026 8:05": datetime(2026, 5, 4, 8, 5, tzinfo=local),
            "14-05-2026 23:59:59": datetime(2026, 5, 14, 23, 59, 59, tzinfo=local),
            "2026-05-14": datetime(2026, 5, 14, tzinfo=local),
            "2026-05-14T23:59": datetime(2026, 5, 14, 23, 59, tzinfo=local),
            "2026-05-14T16:59:00Z": datetime(2026, 5, 14, 23, 59, tzinfo=local),
        }
        for text, expected in cases.items():
            with self.subTest(text):
                self.assertEqual(reading.parse_moment(text), expected)

    def test_an_appointment_date_alone_is_the_end_of_that_day(self) -> None:
        due = reading.parse_moment("14/05/2026", end_of_day=True)
        self.assertEqual(due, datetime(2026, 5, 14, 23, 59, 59, 999999, tzinfo=LOCAL_ZONE))

    def test_impossible_dates_are_refused(self) -> None:
        for text in ("31/02/2026", "14/13/2026", "14/05/2026 25:00", "hôm qua", "2026/05/14"):
            with self.subTest(text), self.assertRaises(ValueError):
                reading.parse_moment(text)

    def test_headers_match_without_case_or_diacritics(self) -> None:
        mapping = reading.automatic_mapping(["MA HO SO", "tên thủ tục", "channel", "Ngày  tiếp nhận "])
        self.assertEqual(
            mapping,
            {
                "code": "MA HO SO",
                "procedure_name": "tên thủ tục",
                "channel": "channel",
                "received_at": "Ngày  tiếp nhận ",
            },
        )


class ImportTests(BaseTestCase):
    def run_import(self, data: bytes, name: str = "ho-so.csv", **options: object) -> DossierImport:
        params: dict[str, object] = {"source_system": services.CITY_SOURCE, "by": self.officer_a} | options
        return services.import_dossiers(commune=self.commune_a, data=data, file_name=name, **params)  # type: ignore[arg-type]

    def assertNothingStored(self) -> None:  # noqa: N802
        self.assertEqual(Dossier.objects.count(), 0)
        self.assertEqual(DossierImport.objects.count(), 0)

    def test_the_documented_example_imports(self) -> None:
        record = self.run_import(EXAMPLE.read_bytes(), EXAMPLE.name)
        self.assertEqual((record.rows, record.created, record.updated), (4, 4, 0))
        self.assertEqual(record.imported_by, self.officer_a)
        self.assertEqual(len(record.sha256), 64)
        first = Dossier.objects.get(code="000.00.21.H29-260416-0001")
        self.assertEqual(first.channel, "online")
        self.assertEqual(first.received_at, datetime(2026, 4, 16, 8, 15, tzinfo=LOCAL_ZONE))
        self.assertEqual(first.due_at, datetime(2026, 4, 16, 23, 59, 59, 999999, tzinfo=LOCAL_ZONE))
        self.assertTrue(first.paid_online and first.fee_bearing and first.input_digitised)
        self.assertEqual(first.field, "Chứng thực")
        post = Dossier.objects.get(code="000.00.21.H29-260505-0003")
        self.assertEqual((post.channel, post.finished_at), ("post", None))
        withdrawn = Dossier.objects.get(code="000.00.21.H29-260512-0004")
        self.assertEqual(withdrawn.authority, "other")
        self.assertEqual(withdrawn.withdrawn_at, datetime(2026, 5, 13, 8, 0, tzinfo=LOCAL_ZONE))

    def test_reimporting_updates_and_never_duplicates(self) -> None:
        self.run_import(EXAMPLE.read_bytes())
        again = self.run_import(EXAMPLE.read_bytes())
        self.assertEqual((again.created, again.updated), (0, 4))
        self.assertEqual(Dossier.objects.count(), 4)
        changed = EXAMPLE.read_text(encoding="utf-8").replace(
            "05/05/2026,08/05/2026,,", "05/05/2026,08/05/2026,07/05/2026 10:00,"
        )
        third = self.run_import(changed.encode("utf-8"))
        self.assertEqual((third.created, third.updated), (0, 4))
        dossier = Dossier.objects.get(code="000.00.21.H29-260505-0003")
        self.assertEqual(dossier.finished_at, datetime(2026, 5, 7, 10, 0, tzinfo=LOCAL_ZONE))
        self.assertEqual(dossier.last_import, third)

    def test_the_same_code_from_another_source_is_another_dossier(self) -> None:
        self.run_import(EXAMPLE.read_bytes())
        self.run_import(EXAMPLE.read_bytes(), source_system=services.MINISTRY_SOURCE)
        self.assertEqual(Dossier.objects.count(), 8)
        self.assertEqual(Dossier.objects.filter(source_kind="ministry").count(), 4)

    def test_bad_rows_are_all_reported_and_nothing_is_stored(self) -> None:
        data = csv_bytes(
            HEADER,
            "HS-1,Khai sinh,Trực tuyến,16/04/2026 08:00,17/04/2026,16/04/2026 09:00",
            "HS-2,Khai sinh,Fax,16/04/2026 08:00,,",
            "HS-3,,Trực tiếp,31/04/2026,,",
            "HS-4,Khai sinh,Trực tiếp,16/04/2026 08:00,,15/04/2026",
            "HS-1,Khai sinh,Trực tuyến,16/04/2026 08:00,,",
        )
        with self.assertRaises(services.ImportRefused) as caught:
            self.run_import(data)
        self.assertEqual(
            caught.exception.errors,
            [
                "Dòng 3, cột “Hình thức nộp”: “Fax” phải là “Trực tiếp”, “Trực tuyến” hoặc “Bưu chính”.",
                "Dòng 4, cột “Tên thủ tục”: không được để trống.",
                "Dòng 4, cột “Ngày tiếp nhận”: “31/04/2026” không phải ngày hợp lệ (dd/mm/yyyy, có thể kèm giờ HH:MM).",
                "Dòng 5, cột “Ngày hoàn thành”: trước ngày tiếp nhận.",
                "Dòng 6, cột “Mã hồ sơ”: mã hồ sơ “HS-1” trùng với dòng 2.",
            ],
        )
        self.assertNothingStored()

    def test_a_failed_reimport_leaves_the_earlier_import_as_it_was(self) -> None:
        self.run_import(EXAMPLE.read_bytes())
        before = list(Dossier.objects.values_list("code", "finished_at", "last_import"))
        broken = EXAMPLE.read_text(encoding="utf-8").replace("Trực tiếp", "Điện thoại")
        with self.assertRaises(services.ImportRefused):
            self.run_import(broken.encode("utf-8"))
        self.assertEqual(list(Dossier.objects.values_list("code", "finished_at", "last_import")), before)
        self.assertEqual(DossierImport.objects.count(), 1)

    def test_unreadable_files_are_refused(self) -> None:
        cases = {
            ("ho-so.pdf", b"%PDF-1.7"): "Chỉ nhận tệp CSV hoặc Excel (.xlsx).",
            ("ho-so.csv", "Mã hồ sơ".encode("utf-16")): "Tệp CSV phải được lưu với bảng mã UTF-8.",
            ("ho-so.csv", b""): "Tệp không có dòng tiêu đề.",
            ("ho-so.csv", HEADER.encode()): "Tệp không có hồ sơ nào.",
        }
        for (name, data), message in cases.items():
            with self.subTest(name=name, message=message), self.assertRaises(services.ImportRefused) as caught:
                self.run_import(data, name)
            self.assertEqual(caught.exception.errors, [message])
        with self.assertRaises(services.ImportRefused) as caught:
            self.run_import(b"PK\x03\x04 not really a workbook", "ho-so.xlsx")
        self.assertTrue(caught.exception.errors[0].startswith("Không đọc được tệp Excel"))
        self.assertNothingStored()

    def test_xlsx_with_date_cells_and_numeric_codes(self) -> None:
        buffer = io.BytesIO()
        workbook = xlsxwriter.Workbook(buffer, {"in_memory": True})
        sheet = workbook.add_worksheet()
        when = workbook.add_format({"num_format": "dd/mm/yyyy hh:mm"})
        sheet.write_row(0, 0, HEADER.split(","))
        sheet.write_number(1, 0, 12345)
        sheet.write_string(1, 1, "Đăng ký khai sinh")
        sheet.write_string(1, 2, "Trực tuyến")
        sheet.write_datetime(1, 3, datetime(2026, 5, 14, 23, 59), when)  # noqa: DTZ001 (Excel cells are naive)
        sheet.write_string(1, 4, "20/05/2026")
        workbook.close()
        self.run_import(buffer.getvalue(), "ho-so.xlsx")
        dossier = Dossier.objects.get()
        self.assertEqual(dossier.code, "12345")
        self.assertEqual(dossier.received_at, datetime(2026, 5, 14, 23, 59, tzinfo=LOCAL_ZONE))

    def test_semicolon_separated_csv_with_bom(self) -> None:
        data = "\ufeff" + HEADER.replace(",", ";") + "\nHS-1;Khai sinh;Trực tiếp;16/04/2026;;\n"
        self.run_import(data.encode("utf-8"))
        self.assertEqual(Dossier.objects.get().channel, "direct")

    def test_files_over_the_request_bound_are_refused(self) -> None:
        rows = [f"HS-{i},Khai sinh,Trực tiếp,16/04/2026,," for i in range(6)]
        with self.assertRaises(services.ImportRefused) as caught:
            self.run_import(csv_bytes(HEADER, *rows), max_rows=5)
        self.assertIn("vượt quá 5 dòng", caught.exception.errors[0])
        self.assertNothingStored()


OTHER_HEADER = "So ho so,Thu tuc,Kenh nop,Thoi diem nhan,Ghi chu"
OTHER_ROW = "X-1,Khai sinh,2,16/04/2026 10:00,abc"


class MappingTests(BaseTestCase):
    def test_other_headers_need_a_mapping_which_is_saved_and_reused(self) -> None:
        data = csv_bytes(OTHER_HEADER, OTHER_ROW)
        table = reading.read_table(data, "khac.csv")
        self.assertIsNone(services.mapping_for(self.commune_a, "Hệ thống của Bộ Công an", table))
        with self.assertRaises(services.ImportRefused):
            services.import_dossiers(
                commune=self.commune_a,
                data=data,
                file_name="khac.csv",
                source_system="Hệ thống của Bộ Công an",
                by=None,
            )
        mapping = {
            "code": "So ho so",
            "procedure_name": "Thu tuc",
            "channel": "Kenh nop",
            "received_at": "Thoi diem nhan",
        }
        services.save_mapping(
            commune=self.commune_a, source_system="Hệ thống của Bộ Công an", mapping=mapping, headers=table.headers
        )
        self.assertEqual(services.mapping_for(self.commune_a, "Hệ thống của Bộ Công an", table), mapping)
        # The next file of that system imports without asking; another commune still has to match.
        services.import_dossiers(
            commune=self.commune_a, data=data, file_name="khac.csv", source_system="Hệ thống của Bộ Công an", by=None
        )
        self.assertEqual(Dossier.objects.get().channel, "online")
        self.assertIsNone(services.mapping_for(self.commune_b, "Hệ thống của Bộ Công an", table))

    def test_an_incomplete_or_ambiguous_mapping_is_refused(self) -> None:
        headers = tuple(OTHER_HEADER.split(","))
        with self.assertRaises(services.ImportRefused) as caught:
            services.save_mapping(
                commune=self.commune_a,
                source_system="X",
                mapping={"code": "So ho so", "procedure_name": "So ho so", "received_at": "Không có"},
                headers=headers,
            )
        self.assertEqual(
            caught.exception.errors,
            [
                "Chưa chọn cột cho “Hình thức nộp” (bắt buộc).",
                "Tệp không có cột “Không có” (chọn cho “Ngày tiếp nhận”).",
                "Cột “So ho so” được chọn cho nhiều trường.",
            ],
        )
        self.assertFalse(ColumnMapping.objects.exists())

    def test_common_other_headers_are_suggested_and_saved_choices_kept(self) -> None:
        headers = (
            "Số hồ sơ",
            "Tên TTHC",
            "Hình thức tiếp nhận",
            "Ngày nhận",
            "Hạn xử lý",
            "Ngày có kết quả",
            "Ghi chú",
        )
        self.assertEqual(
            reading.suggested_mapping(headers),
            {
                "code": "Số hồ sơ",
                "procedure_name": "Tên TTHC",
                "channel": "Hình thức tiếp nhận",
                "received_at": "Ngày nhận",
                "due_at": "Hạn xử lý",
                "finished_at": "Ngày có kết quả",
            },
        )
        ColumnMapping.objects.create(
            commune=self.commune_a, source_system="X", columns={"field": "Ghi chú", "code": "Cột đã bỏ"}
        )
        table = reading.Table(headers=headers, rows=[])
        choices = services.mapping_choices(self.commune_a, "X", table)
        self.assertEqual((choices["field"], choices["code"]), ("Ghi chú", "Số hồ sơ"))

    def test_preview_rows_pad_short_rows(self) -> None:
        table = reading.read_table(csv_bytes(OTHER_HEADER, "X-1,Khai sinh"), "khac.csv")
        self.assertEqual(list(reading.preview_rows(table)), [["X-1", "Khai sinh", "", "", ""]])


class CommandTests(BaseTestCase):
    def test_imports_the_example_and_reports_counts(self) -> None:
        out = io.StringIO()
        call_command("import_dossiers", str(EXAMPLE), commune=11809, stdout=out)
        self.assertEqual(
            out.getvalue().strip(), f"Xã Hùng Thắng: 4 hồ sơ từ {services.CITY_SOURCE} (4 mới, 0 cập nhật)."
        )
        call_command("import_dossiers", str(EXAMPLE), commune=11809, source="Hệ thống của Bộ Tư pháp", stdout=out)
        self.assertEqual(Dossier.objects.filter(source_kind="ministry").count(), 4)

    def test_refusals_are_command_errors_and_store_nothing(self) -> None:
        with self.assertRaisesMessage(CommandError, "Không có xã, phường mã 99999."):
            call_command("import_dossiers", str(EXAMPLE), commune=99999)
        with self.assertRaisesMessage(CommandError, "Không đọc được tệp"):
            call_command("import_dossiers", "/nonexistent/ho-so.csv", commune=11809)
        self.assertFalse(Dossier.objects.exists())


class ExportRoundTripTests(BaseTestCase):
    def test_an_exported_list_imports_back_to_the_same_figures(self) -> None:
        store(self.commune_a, [facts for facts, _ in BOUNDARY_CASES.values() if facts.source_kind == "city"])
        data = dossiers_csv(Dossier.objects.filter(commune=self.commune_a).order_by("pk"))
        services.import_dossiers(
            commune=self.commune_b, data=data, file_name="xuat.csv", source_system=services.CITY_SOURCE, by=None
        )
        before = aggregation.count_for_commune(self.commune_a.pk, MAY_2026)
        after = aggregation.count_for_commune(self.commune_b.pk, MAY_2026)
        self.assertEqual([dict(c.values) for c in after], [dict(c.values) for c in before])
