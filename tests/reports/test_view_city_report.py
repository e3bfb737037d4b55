"""Tests for the Centre's own report pages: "/reports/periods/<id>/city-report/" (edit), ".../issue/",
".../preview/", ".../download/docx/" and ".../download/pdf/"."""

import subprocess
import tempfile
from datetime import date
from io import BytesIO

from django.db import connection
from django.http import HttpResponse
from django.test.utils import CaptureQueriesContext
from docx import Document

from reports.models import CityReport, CityReportStatus
from tests.reports.city_report_fixtures import CityReportTestCase
from tests.reports.workflow_helpers import AFTER_DEADLINE, at

NARRATIVE = {"assessment": "Các xã đã cố gắng.", "proposals": "Đề nghị chấn chỉnh các xã chậm gửi."}


class CityReportViewTests(CityReportTestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        base = f"/reports/periods/{cls.period.pk}/city-report/"
        cls.paths = {
            "edit": base,
            "issue": base + "issue/",
            "preview": base + "preview/",
            "docx": base + "download/docx/",
            "pdf": base + "download/pdf/",
        }
        cls.readable = ("edit", "preview", "docx", "pdf")

    def post_edit(self, version: int = 0, basis: str = "sent", **fields: str) -> HttpResponse:
        data = {"version": str(version), "basis": basis, **fields}
        with at(AFTER_DEADLINE):
            return self.client.post(self.paths["edit"], data)

    def post_issue(self, number: str = "5", issued_on: str = "2026-05-20") -> HttpResponse:
        with at(AFTER_DEADLINE):
            return self.client.post(self.paths["issue"], {"number": number, "issued_on": issued_on})

    def stored(self) -> list[tuple[object, ...]]:
        return list(CityReport.objects.values_list("status", "version", "narrative", "number", "issued_on", "basis"))

    def assertNotFound(self, response: HttpResponse) -> None:  # noqa: N802
        self.assertContains(response, "Không tìm thấy trang", status_code=404)

    def test_anonymous_is_sent_to_the_login_page(self) -> None:
        for name, path in self.paths.items():
            with self.subTest(path=path):
                response = self.client.post(path) if name == "issue" else self.client.get(path)
                self.assertRedirects(response, f"/accounts/login/?next={path}", fetch_redirect_response=False)

    def test_outsiders_and_other_provinces_get_404(self) -> None:
        for user in (self.outsider, self.other_reviewer, self.officer_c):
            self.login(user)
            for name in self.readable:
                with self.subTest(user=user.username, page=name):
                    self.assertNotFound(self.client.get(self.paths[name]))
            with self.subTest(user=user.username, page="save"):
                self.assertNotFound(self.post_edit(assessment="x"))
        self.assertEqual(self.stored(), [])

    def test_commune_staff_of_the_province_get_403(self) -> None:
        for user in (self.officer_a, self.leader_a, self.leader_b):
            self.login(user)
            for name in self.readable:
                with self.subTest(user=user.username, page=name):
                    self.assertEqual(self.client.get(self.paths[name]).status_code, 403)
            self.assertEqual(self.post_edit(assessment="x").status_code, 403)
            self.assertEqual(self.post_issue().status_code, 403)
        self.assertEqual(self.stored(), [])

    def test_unknown_period_is_404_and_wrong_methods_405(self) -> None:
        self.login(self.reviewer)
        self.assertNotFound(self.client.get("/reports/periods/999999/city-report/"))
        self.assertEqual(self.client.get(self.paths["issue"]).status_code, 405)
        for name in ("preview", "docx", "pdf"):
            with self.subTest(page=name):
                self.assertEqual(self.client.post(self.paths[name]).status_code, 405)
        self.assertEqual(self.client.delete(self.paths["edit"]).status_code, 405)

    def test_edit_page_shows_the_form_to_city_staff(self) -> None:
        for user in (self.reviewer, self.city_admin, self.superuser):
            with self.subTest(user=user.username):
                self.login(user)
                response = self.client.get(self.paths["edit"])
                self.assertContains(response, "Báo cáo của Trung tâm tháng 5 năm 2026")
                self.assertContains(response, "III. Đánh giá chung")
                self.assertContains(response, 'name="version" value="0"')
                self.assertContains(response, "Lưu báo cáo trước khi cấp số.")
                self.assertContains(response, "- Các đơn vị chưa gửi báo cáo: Xã Kiến Thụy, Xã Yên Lư.")
                self.assertContains(response, f'href="{self.paths["pdf"]}"')

    def test_saving_creates_then_updates_the_draft(self) -> None:
        self.login(self.reviewer)
        response = self.post_edit(assessment="Đánh gia\u0301 chung.")
        self.assertRedirects(response, self.paths["edit"])
        self.assertEqual(self.stored(), [("draft", 1, {"assessment": "Đánh giá chung."}, None, None, "sent")])
        response = self.post_edit(version=1, basis="accepted", **NARRATIVE)
        self.assertRedirects(response, self.paths["edit"])
        self.assertEqual(self.stored(), [("draft", 2, NARRATIVE, None, None, "accepted")])
        page = self.client.get(self.paths["edit"])
        self.assertContains(page, "Đề nghị chấn chỉnh các xã chậm gửi.")
        self.assertContains(page, 'name="version" value="2"')
        self.assertContains(page, 'name="number" id="id_number" class="form-control" value="1"')

    def test_invalid_posts_show_a_vietnamese_message_and_change_nothing(self) -> None:
        self.login(self.reviewer)
        self.post_edit(**NARRATIVE)
        before = self.stored()
        cases = {
            "ký tự điều khiển": {"assessment": "a\x01b", "version": 1},
            "dài tối đa 20.000 ký tự": {"assessment": "x" * 20_001, "version": 1},
            "Nguồn số liệu tổng hợp không hợp lệ": {"basis": "all", "version": 1},
            "vừa được người khác lưu": {"assessment": "cũ", "version": 0},
        }
        for message, fields in cases.items():
            with self.subTest(message=message):
                response = self.post_edit(**fields)  # type: ignore[arg-type]
                self.assertContains(response, message, status_code=200)
        self.assertEqual(self.stored(), before)

    def test_issuing_locks_the_report(self) -> None:
        self.login(self.reviewer)
        self.post_edit(**NARRATIVE)
        response = self.post_issue()
        self.assertRedirects(response, self.paths["edit"])
        city_report = CityReport.objects.get()
        self.assertEqual((city_report.status, city_report.number), (CityReportStatus.ISSUED, 5))
        self.assertEqual(city_report.issued_on, date(2026, 5, 20))
        page = self.client.get(self.paths["edit"])
        self.assertContains(page, "Số <strong>05/BC-TTPVHCC</strong>, ngày 20/5/2026")
        self.assertNotContains(page, 'id="city-report-form"')
        before = self.stored()
        self.assertEqual(self.post_edit(version=city_report.version, assessment="Sửa").status_code, 403)
        self.assertEqual(self.post_issue(number="6").status_code, 403)
        self.assertEqual(self.stored(), before)

    def test_invalid_issue_shows_the_reason(self) -> None:
        self.login(self.reviewer)
        self.assertContains(self.post_issue(), "Hãy lưu báo cáo trước khi cấp số.")
        self.post_edit(**NARRATIVE)
        before = self.stored()
        cases = {
            "Vui lòng nhập số văn bản.": ("", "2026-05-20"),
            "Số văn bản phải từ 1 trở lên.": ("0", "2026-05-20"),
            "Ngày ban hành không hợp lệ.": ("5", "20-05"),
            "không được trước ngày kết thúc kỳ báo cáo": ("5", "2026-05-01"),
        }
        for message, (number, issued_on) in cases.items():
            with self.subTest(message=message):
                self.assertContains(self.post_issue(number, issued_on), message, status_code=200)
        self.assertEqual(self.stored(), before)

    def test_preview_shows_the_document(self) -> None:
        self.login(self.reviewer)
        self.post_edit(**NARRATIVE)
        with at(AFTER_DEADLINE):
            response = self.client.get(self.paths["preview"])
        self.assertTemplateUsed(response, "reports/print/_document.html")
        self.assertContains(response, "TRUNG TÂM PHỤC VỤ")
        self.assertContains(response, "- Các đơn vị gửi báo cáo quá hạn: Xã Bình Giang (2 ngày).")
        self.assertContains(response, "Các xã đã cố gắng.")
        self.assertContains(response, "DỰ THẢO")
        self.assertEqual(response["Cache-Control"], "max-age=0, no-cache, no-store, must-revalidate, private")

    def test_preview_escapes_the_centres_text(self) -> None:
        self.login(self.reviewer)
        self.post_edit(assessment="<script>alert(1)</script>")
        response = self.client.get(self.paths["preview"])
        self.assertContains(response, "&lt;script&gt;alert(1)&lt;/script&gt;")
        self.assertNotContains(response, "<script>alert(1)")

    def test_docx_reads_back_with_the_generated_paragraphs(self) -> None:
        self.login(self.city_admin)
        self.post_edit(**NARRATIVE)
        with at(AFTER_DEADLINE):
            response = self.client.get(self.paths["docx"])
        self.assertEqual(
            response["Content-Disposition"], 'attachment; filename="Bao-cao-TTPVHCC-thang-05-2026-Hai-Phong.docx"'
        )
        document = Document(BytesIO(b"".join(response.streaming_content)))
        header = document.tables[0].cell(0, 0)
        self.assertEqual(
            [paragraph.text for paragraph in header.paragraphs if paragraph.text],
            ["UBND THÀNH PHỐ HẢI PHÒNG", "TRUNG TÂM PHỤC VỤ", "HÀNH CHÍNH CÔNG"],
        )
        paragraphs = [paragraph.text for paragraph in document.paragraphs]
        self.assertIn("- Số hồ sơ đã giải quyết: 175 hồ sơ (trước hạn: 30; đúng hạn: 130; quá hạn: 15).", paragraphs)
        self.assertIn(
            "- Tỷ lệ nộp hồ sơ trực tuyến: 40% (chỉ tiêu ≥ 60%: chưa đạt); 1/2 đơn vị đạt chỉ tiêu.", paragraphs
        )
        self.assertIn("Đề nghị chấn chỉnh các xã chậm gửi.", paragraphs)
        # The appendix: a landscape section with the per-commune table and the city total.
        self.assertGreater(document.sections[-1].page_width, document.sections[-1].page_height)
        table = document.tables[-1]
        self.assertEqual(table.rows[-1].cells[1].text, "Tổng cộng")
        self.assertEqual(table.rows[-1].cells[2].text, "210")
        self.assertEqual(table.rows[-1].cells[14].text, "91,43")

    def test_pdf_reads_back_with_the_generated_paragraphs(self) -> None:
        self.login(self.reviewer)
        self.post_edit(**NARRATIVE)
        self.post_issue()
        response = self.client.get(self.paths["pdf"])
        self.assertEqual(response["Content-Type"], "application/pdf")
        with tempfile.NamedTemporaryFile(suffix=".pdf") as file:
            file.write(b"".join(response.streaming_content))
            file.flush()
            text = subprocess.run(["pdftotext", file.name, "-"], capture_output=True, text=True, check=True).stdout
        flat = " ".join(text.split())
        self.assertIn("Số: 05/BC-TTPVHCC", flat)
        self.assertIn("Hải Phòng, ngày 20 tháng 5 năm 2026", flat)
        self.assertIn("2/4 xã, phường, đặc khu đã gửi báo cáo", flat)
        self.assertIn("Tổng số hồ sơ tiếp nhận: 210 hồ sơ", flat)
        self.assertIn("91,43% (chỉ tiêu ≥ 90%: đạt)", flat)
        self.assertIn("KẾT QUẢ GIẢI QUYẾT THỦ TỤC HÀNH CHÍNH CỦA CÁC XÃ, PHƯỜNG, ĐẶC KHU", flat)
        self.assertNotIn("DỰ THẢO", flat)

    def test_query_count_does_not_grow_with_communes(self) -> None:
        self.login(self.reviewer)
        self.post_edit(**NARRATIVE)
        counts = []
        for extra in (0, 27):
            self.add_communes(extra, start=30000)
            for name in ("edit", "preview"):
                with CaptureQueriesContext(connection) as queries:
                    self.assertEqual(self.client.get(self.paths[name]).status_code, 200)
                counts.append((name, len(queries)))
        self.assertEqual(counts[:2], counts[2:])
