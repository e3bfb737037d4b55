"""Tests for the report history page "/reports/<id>/history/"."""

from django.db import connection
from django.test.utils import CaptureQueriesContext

from reports import services
from reports.models import EventKind
from tests.reports.entry_fixtures import EntryViewTestCase, form_data


class ReportHistoryTests(EntryViewTestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        cls.url = f"/reports/{cls.report.pk}/history/"

    def save(self, **overrides: object) -> None:
        self.client.post(f"/reports/{self.report.pk}/edit/", form_data(self.stored(), **overrides))

    def test_anonymous_is_sent_to_the_login_page(self) -> None:
        self.assertRedirects(self.client.get(self.url), f"/accounts/login/?next={self.url}")

    def test_other_communes_and_provinces_get_404(self) -> None:
        for user in (self.officer_b, self.officer_c, self.other_reviewer, self.outsider):
            with self.subTest(user=user.username):
                self.login(user)
                self.assertNotFound(self.client.get(self.url))

    def test_wrong_method_gives_405(self) -> None:
        self.login(self.officer_a)
        self.assertEqual(self.client.post(self.url).status_code, 405)

    def test_commune_and_city_staff_see_the_history(self) -> None:
        for user in (self.officer_a, self.leader_a, self.reviewer, self.city_admin, self.superuser):
            with self.subTest(user=user.username):
                self.login(user)
                response = self.client.get(self.url)
                self.assertContains(response, "Tạo dự thảo")
                self.assertContains(response, "Lập dự thảo mới (không có báo cáo kỳ trước).")

    def test_each_save_lists_who_and_what_changed(self) -> None:
        self.login(self.officer_a)
        self.save(**{"results-0-online": "1909", "narrative-danh-gia.text": "Tốt.", "values-rate_digitisation": "99,5"})
        self.login(self.leader_a)
        self.save(**{"signer_name": "Trần Đình Nhuận"})
        response = self.client.get(self.url)
        self.assertContains(response, "Lưu nội dung", count=2)
        self.assertContains(response, "canbo.a")
        self.assertContains(response, "lanhdao.a")
        self.assertContains(response, "Bảng kết quả giải quyết TTHC, dòng 1: tiếp nhận trực tuyến")
        self.assertContains(response, "1.909")
        self.assertContains(response, "Tỷ lệ số hóa hồ sơ, kết quả giải quyết TTHC")
        self.assertContains(response, "99,5")
        self.assertContains(response, "II. ĐÁNH GIÁ CHUNG")
        self.assertContains(response, "Họ và tên người ký")
        self.assertContains(response, "Trần Đình Nhuận")

    def test_an_added_row_is_shown_with_vietnamese_column_names(self) -> None:
        self.login(self.officer_a)
        rows = len(self.stored().figures.get("sector_agencies", []))
        self.save(
            **{
                "agencies-TOTAL_FORMS": rows + 1,
                f"agencies-{rows}-name": "Công an xã",
                f"agencies-{rows}-received": "3",
                f"agencies-{rows}-resolved": "2",
            }
        )
        response = self.client.get(self.url)
        self.assertContains(response, f"Cơ quan ngành dọc, dòng {rows + 1} (cả dòng)")
        self.assertContains(response, "tên cơ quan: Công an xã; tiếp nhận: 3; đã giải quyết: 2")
        for raw in ("name:", "received:", "resolved:", "sector_agencies", "figures."):
            self.assertNotContains(response, raw)

    def test_queries_do_not_grow_with_the_history(self) -> None:
        self.login(self.officer_a)
        self.client.get(self.url)
        with CaptureQueriesContext(connection) as small:
            self.client.get(self.url)
        for number in range(30):
            services.record_event(
                self.report,
                kind=EventKind.SAVED,
                by=self.leader_a if number % 2 else self.officer_a,
                changes=[{"path": "figures.values.pakn_received", "old": number, "new": number + 1}],
            )
        with CaptureQueriesContext(connection) as large:
            response = self.client.get(self.url)
        self.assertContains(response, "Số phản ánh, kiến nghị đã tiếp nhận", count=30)
        self.assertEqual(len(large), len(small))
        # session, user, membership, report, outline, events with their authors
        self.assertEqual(len(small), 6, [q["sql"] for q in small.captured_queries])
