"""Tests for the period_grid view: GET /reports/periods/<id>/ (the grid with figures)."""

from unittest import mock

from reports.models import Report, ReportStatus
from tests import factories
from tests.reports.city_helpers import CityPageAccessTests, CityTestCase, results_figures
from tests.reports.workflow_helpers import AFTER_DEADLINE, at


class PeriodGridViewTests(CityPageAccessTests, CityTestCase):
    def setUp(self) -> None:
        super().setUp()
        self.url = f"/reports/periods/{self.period.pk}/"

    def names(self, response) -> list[str]:  # type: ignore[no-untyped-def]
        return [line.row.commune_name for line in response.context["lines"]]

    def test_an_unknown_period_is_404(self) -> None:
        self.login(self.reviewer)
        self.assertEqual(self.client.get("/reports/periods/999999/").status_code, 404)

    def test_city_staff_see_every_commune_with_counts(self) -> None:
        self.drive(self.report_a, ReportStatus.SUBMITTED)
        factories.make_commune(10001, "Xã An Lư", self.province)
        for name in ("reviewer", "city_admin", "superuser"):
            with self.subTest(user=name), at(AFTER_DEADLINE):
                self.login(getattr(self, name))
                response = self.client.get(self.url)
                self.assertContains(response, "Tình hình nộp báo cáo tháng 5 năm 2026")
                self.assertContains(response, "hạn gửi 18/5/2026")
                self.assertContains(response, "Chờ thẩm định (1)")
                self.assertContains(response, "Chưa lập (1)")
                self.assertContains(response, "Chậm, quá hạn (2)")
                self.assertContains(response, '<div class="fs-5 fw-semibold">1/3</div>', html=True)
                self.assertEqual(self.names(response), ["Xã An Lư", "Xã Bình Giang", "Xã Hùng Thắng"])
                self.assertContains(response, '<td class="text-nowrap">Xã An Lư</td>', html=True)
                self.assertContains(response, "Trễ 2 ngày")

    def test_commune_names_link_to_the_report(self) -> None:
        self.drive(self.report_a, ReportStatus.SUBMITTED)
        self.login(self.reviewer)
        response = self.client.get(self.url)
        self.assertContains(response, f'<a href="/reports/{self.report_a.pk}/review/">Xã Hùng Thắng</a>', html=True)
        # A city administrator does not review: the name opens the report itself.
        self.login(self.city_admin)
        response = self.client.get(self.url)
        self.assertContains(response, f'<a href="/reports/{self.report_a.pk}/">Xã Hùng Thắng</a>', html=True)

    def test_figures_rates_and_targets_met_or_missed(self) -> None:
        # A: 90 of 100 online (met ≥ 60 %); B: 30 of 100 (missed).
        self.sent(self.report_a, ReportStatus.ACCEPTED, results_figures(90, 10, 100, 0))
        self.sent(self.report_b, ReportStatus.SUBMITTED, results_figures(30, 70, 50, 50))
        self.login(self.reviewer)
        response = self.client.get(self.url)
        self.assertContains(
            response,
            '<a class="link-dark text-decoration-none" href="?sort=rates.rate_online_submission" '
            'title="Tỷ lệ nộp hồ sơ trực tuyến">Nộp trực tuyến</a>'
            '<div class="fw-normal text-body-secondary">chỉ tiêu ≥ 60%</div>',
        )
        self.assertContains(
            response,
            '<td class="text-end text-nowrap">90% <span class="badge text-bg-success">Đạt</span></td>',
            html=True,
        )
        self.assertContains(
            response,
            '<td class="text-end text-nowrap">30% <span class="badge text-bg-danger">Chưa đạt</span></td>',
            html=True,
        )
        self.assertContains(response, "Chưa đạt: Tỷ lệ nộp hồ sơ trực tuyến")
        self.assertContains(response, '<div class="fs-5 fw-semibold">1</div>', html=True)

    @at(AFTER_DEADLINE)
    def test_filters_search_and_sort(self) -> None:
        factories.make_commune(10001, "Xã Đông Hải", self.province)
        self.sent(self.report_a, ReportStatus.ACCEPTED, results_figures(90, 10, 100, 0))
        self.sent(self.report_b, ReportStatus.SUBMITTED, results_figures(30, 70, 50, 50), on_time=False)
        self.login(self.reviewer)
        cases = {
            "status=late": ["Xã Bình Giang", "Xã Đông Hải"],
            "status=missing": ["Xã Đông Hải"],
            "missed=any": ["Xã Bình Giang"],
            "missed=rate_online_submission": ["Xã Bình Giang"],
            "q=hung+thang": ["Xã Hùng Thắng"],
            "q=%C4%91ong": ["Xã Đông Hải"],
            "sort=rates.rate_online_submission&dir=desc": ["Xã Hùng Thắng", "Xã Bình Giang", "Xã Đông Hải"],
            "sort=commune&dir=desc": ["Xã Hùng Thắng", "Xã Đông Hải", "Xã Bình Giang"],
            "sort=sent": ["Xã Hùng Thắng", "Xã Bình Giang", "Xã Đông Hải"],
            "sort=late&dir=desc": ["Xã Bình Giang", "Xã Đông Hải", "Xã Hùng Thắng"],
            # Unknown values are ignored, never an error.
            "status=" + "x" * 500 + "&sort=password&missed=drop": ["Xã Bình Giang", "Xã Đông Hải", "Xã Hùng Thắng"],
        }
        for query, expected in cases.items():
            with self.subTest(query=query[:40]):
                response = self.client.get(f"{self.url}?{query}")
                self.assertEqual(response.status_code, 200)
                self.assertEqual(self.names(response), expected)

    def test_sort_links_keep_the_filters(self) -> None:
        self.login(self.reviewer)
        response = self.client.get(self.url, {"status": "late", "q": "xã"})
        self.assertContains(response, 'href="?status=late&amp;q=x%C3%A3&amp;sort=status"')
        response = self.client.get(self.url, {"sort": "status"})
        self.assertContains(response, 'href="?sort=status&amp;dir=desc"')

    def test_the_reminder_button_is_for_the_reviewer_while_communes_owe(self) -> None:
        for name, shown in (("reviewer", True), ("city_admin", False), ("superuser", False)):
            with self.subTest(user=name):
                self.login(getattr(self, name))
                response = self.client.get(self.url)
                if shown:
                    self.assertContains(response, "Nhắc các xã chưa gửi (2)")
                    self.assertContains(response, f'action="/reports/periods/{self.period.pk}/remind/"')
                else:
                    self.assertNotContains(response, "Nhắc các xã chưa gửi")
        Report.objects.filter(period=self.period).update(status=ReportStatus.SUBMITTED)
        self.login(self.reviewer)
        self.assertNotContains(self.client.get(self.url), "Nhắc các xã chưa gửi")

    def test_the_query_count_is_the_same_for_3_and_33_communes(self) -> None:
        self.login(self.reviewer)
        self.add_sent_communes(1, start=20000)
        self.client.get(self.url)  # warm the session
        # 7 for the grid, 2 for the period files panel (its ZIP's fingerprint and state), 1 for
        # whether each report's figures were computed from dossiers.
        with self.assertNumQueries(10):
            response = self.client.get(self.url + "?sort=rates.rate_on_time")
        self.assertEqual(response.context["data"].counts.total, 3)
        self.add_sent_communes(30, start=30000)
        with self.assertNumQueries(10):
            response = self.client.get(self.url + "?sort=rates.rate_on_time")
        self.assertEqual(response.context["data"].counts.total, 33)
        self.assertGreater(response.context["data"].totals.reports, 10)


class PeriodGridPaginationTests(CityTestCase):
    def test_rows_are_paginated_while_the_counts_cover_every_commune(self) -> None:
        for code in range(20000, 20004):
            factories.make_commune(code, f"Xã Thử {code}", self.province)
        url = f"/reports/periods/{self.period.pk}/"
        self.login(self.reviewer)
        with mock.patch("reports.views.city.GRID_PAGE_SIZE", 2):
            first = self.client.get(url + "?status=missing")
            last = self.client.get(url + "?status=missing&page=999")
        # Six communes (Hùng Thắng and Bình Giang have reports): four without one, two a page.
        self.assertContains(first, "Chưa lập (4)")
        self.assertContains(first, "Trang 1/2 · 4 xã, phường")
        self.assertContains(first, "?status=missing&amp;page=2")
        self.assertContains(last, "Trang 2/2")
        self.assertNotContains(first, "Xã Thử 20002")
        self.assertContains(last, "Xã Thử 20003")
