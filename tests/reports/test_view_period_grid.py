"""Tests for the period_grid view: GET /reports/periods/<id>/."""

from unittest import mock

from reports.models import Report, ReportStatus
from tests import factories
from tests.reports.workflow_helpers import AFTER_DEADLINE, DashboardTestCase, at

OUTSIDERS = ("officer_c", "other_reviewer", "outsider")
COMMUNE_STAFF = ("officer_a", "leader_a", "officer_b", "leader_b")


class PeriodGridViewTests(DashboardTestCase):
    def setUp(self) -> None:
        super().setUp()
        self.url = f"/reports/periods/{self.period.pk}/"

    def test_anonymous_is_sent_to_log_in(self) -> None:
        self.assertLoginRedirect(self.client.get(self.url), self.url)

    def test_other_provinces_get_404_and_commune_staff_403(self) -> None:
        for names, status in ((OUTSIDERS, 404), (COMMUNE_STAFF, 403)):
            for name in names:
                with self.subTest(user=name):
                    self.login(getattr(self, name))
                    self.assertEqual(self.client.get(self.url).status_code, status)

    def test_post_is_not_allowed(self) -> None:
        self.login(self.reviewer)
        self.assertEqual(self.client.post(self.url).status_code, 405)

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
                for commune in ("Xã An Lư", "Xã Bình Giang", "Xã Hùng Thắng"):
                    self.assertContains(response, f"<td>{commune}</td>", html=False)
                self.assertContains(response, f'href="/reports/{self.report_a.pk}/review/"')

    def test_the_status_filter(self) -> None:
        self.drive(self.report_a, ReportStatus.SUBMITTED)
        self.login(self.reviewer)
        response = self.client.get(self.url, {"status": "submitted"})
        self.assertEqual([row.commune.name for row in response.context["grid"].rows], ["Xã Hùng Thắng"])
        response = self.client.get(self.url, {"status": "x" * 500})
        self.assertEqual(len(response.context["grid"].rows), 2)

    def test_the_query_count_is_the_same_for_3_and_33_communes(self) -> None:
        self.login(self.reviewer)
        self.add_communes(1)
        self.client.get(self.url)  # warm the session
        with self.assertNumQueries(6) as small:
            response = self.client.get(self.url)
        self.assertEqual(response.context["grid"].total, 3)
        self.add_communes(30, start=30000)
        with self.assertNumQueries(len(small.captured_queries)):
            response = self.client.get(self.url)
        self.assertEqual(response.context["grid"].total, 33)
        self.assertGreater(Report.objects.filter(period=self.period).count(), 20)


class PeriodGridPaginationTests(DashboardTestCase):
    def test_rows_are_paginated_while_the_counts_cover_every_commune(self) -> None:
        for code in range(20000, 20004):
            factories.make_commune(code, f"Xã Thử {code}", self.province)
        url = f"/reports/periods/{self.period.pk}/"
        self.login(self.reviewer)
        with mock.patch("reports.views.review.GRID_PAGE_SIZE", 2):
            first = self.client.get(url + "?status=missing")
            last = self.client.get(url + "?status=missing&page=999")
        # Six communes (Hùng Thắng and Bình Giang have reports): four without one, two a page.
        self.assertContains(first, "Chưa lập (4)")
        self.assertContains(first, "Trang 1/2 · 4 xã, phường")
        self.assertContains(first, "?status=missing&amp;page=2")
        self.assertContains(last, "Trang 2/2")
        self.assertNotContains(first, "Xã Thử 20002")
        self.assertContains(last, "Xã Thử 20003")
