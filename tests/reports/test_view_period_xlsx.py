"""Tests for the period_xlsx view: GET /reports/periods/<id>/xlsx/."""

from io import BytesIO

from openpyxl import load_workbook

from reports.models import ReportStatus
from tests.reports.city_helpers import CityTestCase, results_figures

OUTSIDERS = ("officer_c", "other_reviewer", "outsider")
COMMUNE_STAFF = ("officer_a", "leader_a", "officer_b", "leader_b")
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


class PeriodXlsxViewTests(CityTestCase):
    def setUp(self) -> None:
        super().setUp()
        self.url = f"/reports/periods/{self.period.pk}/xlsx/"
        self.sent(self.report_a, ReportStatus.ACCEPTED, results_figures(90, 10, 100, 0))

    def test_anonymous_is_sent_to_log_in(self) -> None:
        self.assertLoginRedirect(self.client.get(self.url), self.url)

    def test_other_provinces_get_404_and_commune_staff_403(self) -> None:
        for names, status in ((OUTSIDERS, 404), (COMMUNE_STAFF, 403)):
            for name in names:
                with self.subTest(user=name):
                    self.login(getattr(self, name))
                    self.assertEqual(self.client.get(self.url).status_code, status)

    def test_writes_are_refused_and_unknown_periods_are_404(self) -> None:
        self.login(self.reviewer)
        self.assertEqual(self.client.post(self.url).status_code, 405)
        self.assertEqual(self.client.get("/reports/periods/999999/xlsx/").status_code, 404)

    def test_city_staff_download_the_workbook(self) -> None:
        for name in ("reviewer", "city_admin", "superuser"):
            with self.subTest(user=name):
                self.login(getattr(self, name))
                response = self.client.get(self.url)
                self.assertEqual(response["Content-Type"], XLSX)
                self.assertIn('filename="Tong-hop-CCHC-thang-05-2026-Hai-Phong.xlsx"', response["Content-Disposition"])
                book = load_workbook(BytesIO(b"".join(response.streaming_content)))
                self.assertEqual(book.sheetnames, ["Tổng hợp", "Chỉ tiêu"])

    def test_the_basis_is_chosen_in_the_query_string(self) -> None:
        self.sent(self.report_b, ReportStatus.SUBMITTED, results_figures(30, 70, 50, 50))
        self.login(self.reviewer)
        for query, reports in (("", "2 báo cáo"), ("?basis=accepted", "1 báo cáo"), ("?basis=x", "2 báo cáo")):
            with self.subTest(query=query):
                response = self.client.get(self.url + query)
                sheet = load_workbook(BytesIO(b"".join(response.streaming_content)))["Tổng hợp"]
                self.assertEqual(sheet["D8"].value, reports)

    def test_the_page_links_to_the_workbook(self) -> None:
        self.login(self.reviewer)
        response = self.client.get(f"/reports/periods/{self.period.pk}/")
        self.assertContains(response, f'href="{self.url}"')
        self.assertContains(response, "Tải bảng tổng hợp (Excel)")

    def test_the_query_count_is_the_same_for_3_and_33_communes(self) -> None:
        self.login(self.reviewer)
        self.add_sent_communes(1, start=20000)
        self.client.get(self.url)  # warm the session
        with self.assertNumQueries(7):
            response = self.client.get(self.url)
            b"".join(response.streaming_content)
        self.add_sent_communes(30, start=30000)
        with self.assertNumQueries(7):
            response = self.client.get(self.url)
            sheet = load_workbook(BytesIO(b"".join(response.streaming_content)))["Tổng hợp"]
        self.assertEqual(sheet.max_row, 5 + 33 + 1)
