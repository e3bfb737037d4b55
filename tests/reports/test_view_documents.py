"""Tests for the printed report's views: "/reports/<id>/preview/", ".../download/docx/", ".../download/pdf/"."""

from io import BytesIO

from django.db import connection
from django.test.utils import CaptureQueriesContext
from docx import Document

from reports.models import Report, ReportStatus
from tests.base import BaseTestCase
from tests.reports.test_document import BINH_GIANG, HUNG_THANG, load_seed

DOCX_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


class DocumentViewTests(BaseTestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        cls.report = load_seed(HUNG_THANG)  # commune A, Hùng Thắng
        cls.paths = {
            "preview": f"/reports/{cls.report.pk}/preview/",
            "docx": f"/reports/{cls.report.pk}/download/docx/",
            "pdf": f"/reports/{cls.report.pk}/download/pdf/",
        }

    def assertNotFound(self, response) -> None:  # type: ignore[no-untyped-def]  # noqa: N802
        self.assertContains(response, "Không tìm thấy trang", status_code=404)
        self.assertNotContains(response, "Hùng Thắng", status_code=404)

    def test_anonymous_is_sent_to_the_login_page(self) -> None:
        for path in self.paths.values():
            with self.subTest(path=path):
                self.assertRedirects(self.client.get(path), f"/accounts/login/?next={path}")

    def test_another_communes_staff_get_404(self) -> None:
        for user in (self.officer_b, self.leader_b, self.officer_c):
            self.login(user)
            for path in self.paths.values():
                with self.subTest(user=user.username, path=path):
                    self.assertNotFound(self.client.get(path))

    def test_other_provinces_reviewer_and_users_without_a_role_get_404(self) -> None:
        for user in (self.other_reviewer, self.outsider):
            self.login(user)
            for path in self.paths.values():
                with self.subTest(user=user.username, path=path):
                    self.assertNotFound(self.client.get(path))

    def test_unknown_or_malformed_ids_are_404(self) -> None:
        self.login(self.superuser)
        for path in ("/reports/999999/preview/", "/reports/999999/download/pdf/", "/reports/abc/download/docx/"):
            with self.subTest(path=path):
                self.assertNotFound(self.client.get(path))

    def test_writes_are_refused(self) -> None:
        self.login(self.officer_a)
        for path in self.paths.values():
            for method in ("post", "put", "delete"):
                with self.subTest(path=path, method=method):
                    self.assertEqual(getattr(self.client, method)(path).status_code, 405)

    def test_preview_shows_the_document_in_the_app_layout(self) -> None:
        for user in (self.officer_a, self.leader_a, self.reviewer, self.city_admin, self.superuser):
            with self.subTest(user=user.username):
                self.login(user)
                response = self.client.get(self.paths["preview"])
                self.assertEqual(response.status_code, 200)
                self.assertTemplateUsed(response, "base.html")
                self.assertTemplateUsed(response, "reports/print/_document.html")
                self.assertContains(response, "/static/css/print.css")
                self.assertContains(response, "Kết quả thực hiện công tác cải cách thủ tục hành chính tháng 5 năm 2026")
                self.assertContains(response, "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM")
                self.assertContains(response, "Trần Đình Nhuận")
                self.assertContains(response, f'href="/reports/{self.report.pk}/download/docx/"')
                self.assertContains(response, f'href="/reports/{self.report.pk}/download/pdf/"')
                self.assertContains(response, "DỰ THẢO")
                self.assertEqual(response["Cache-Control"], "max-age=0, no-cache, no-store, must-revalidate, private")

    def test_preview_of_an_accepted_report_has_no_watermark(self) -> None:
        Report.objects.filter(pk=self.report.pk).update(status=ReportStatus.ACCEPTED)
        self.login(self.reviewer)
        response = self.client.get(self.paths["preview"])
        self.assertNotContains(response, "DỰ THẢO")

    def test_preview_escapes_the_communes_text(self) -> None:
        narrative = dict(self.report.narrative)
        narrative["danh-gia"] = {"text": "<script>alert(1)</script>", "after": ""}
        Report.objects.filter(pk=self.report.pk).update(narrative=narrative)
        self.login(self.officer_a)
        response = self.client.get(self.paths["preview"])
        self.assertContains(response, "&lt;script&gt;alert(1)&lt;/script&gt;")
        self.assertNotContains(response, "<script>alert(1)")

    def test_download_docx(self) -> None:
        self.login(self.officer_a)
        response = self.client.get(self.paths["docx"])
        self.assertEqual(response.status_code, 200)
        self.assertEqual(response["Content-Type"], DOCX_TYPE)
        self.assertEqual(
            response["Content-Disposition"], 'attachment; filename="Bao-cao-CCHC-thang-05-2026-xa-Hung-Thang.docx"'
        )
        document = Document(BytesIO(b"".join(response.streaming_content)))
        self.assertEqual(document.tables[0].cell(0, 1).paragraphs[0].text, "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM")

    def test_download_pdf(self) -> None:
        self.login(self.reviewer)
        response = self.client.get(self.paths["pdf"])
        self.assertEqual(response.status_code, 200)
        self.assertEqual(response["Content-Type"], "application/pdf")
        self.assertEqual(
            response["Content-Disposition"], 'attachment; filename="Bao-cao-CCHC-thang-05-2026-xa-Hung-Thang.pdf"'
        )
        self.assertTrue(b"".join(response.streaming_content).startswith(b"%PDF-"))

    def test_file_names_of_another_commune_and_month(self) -> None:
        report = load_seed(BINH_GIANG)
        self.login(self.leader_b)
        response = self.client.get(f"/reports/{report.pk}/download/pdf/")
        self.assertEqual(
            response["Content-Disposition"], 'attachment; filename="Bao-cao-CCHC-thang-02-2026-xa-Binh-Giang.pdf"'
        )

    def test_query_count_does_not_grow_with_the_report(self) -> None:
        self.login(self.officer_a)
        counts = []
        for directives in (0, 60):
            figures = {
                **self.report.figures,
                "directives": [
                    {"doc_type": "Kế hoạch", "number": f"{n}/KH-UBND", "issued_on": "2026-05-04", "subject": "việc"}
                    for n in range(directives)
                ],
            }
            Report.objects.filter(pk=self.report.pk).update(figures=figures)
            with CaptureQueriesContext(connection) as queries:
                self.assertEqual(self.client.get(self.paths["docx"]).status_code, 200)
            counts.append(len(queries))
        self.assertEqual(counts[0], counts[1])
