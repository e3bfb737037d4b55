"""Tests for the city's trend page: "/reports/periods/<id>/trends/"."""

from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.reports.city_report_fixtures import CityReportTestCase


class PeriodTrendsViewTests(CityReportTestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        cls.path = f"/reports/periods/{cls.period.pk}/trends/"

    def test_anonymous_is_sent_to_the_login_page(self) -> None:
        self.assertRedirects(self.client.get(self.path), f"/accounts/login/?next={self.path}")

    def test_outsiders_get_404_and_commune_staff_403(self) -> None:
        for user in (self.outsider, self.other_reviewer, self.officer_c):
            self.login(user)
            with self.subTest(user=user.username):
                self.assertContains(self.client.get(self.path), "Không tìm thấy trang", status_code=404)
        for user in (self.officer_a, self.leader_b):
            self.login(user)
            with self.subTest(user=user.username):
                self.assertEqual(self.client.get(self.path).status_code, 403)

    def test_writes_are_refused(self) -> None:
        self.login(self.reviewer)
        self.assertEqual(self.client.post(self.path).status_code, 405)

    def test_city_staff_see_charts_beside_the_numbers(self) -> None:
        for user in (self.reviewer, self.city_admin, self.superuser):
            with self.subTest(user=user.username):
                self.login(user)
                response = self.client.get(self.path)
                self.assertContains(response, "Thành phố Hải Phòng: xu hướng 12 kỳ đến tháng 5 năm 2026")
                self.assertContains(response, '<svg xmlns="http://www.w3.org/2000/svg" class="bc-chart"', count=5)
                self.assertContains(response, "T6/2025")
                self.assertContains(response, '<th scope="row" class="text-start">T5/2026</th><td>210</td>', html=False)
                self.assertContains(response, "91,43%")
                self.assertContains(response, "/static/css/trends.css")

    def test_basis_switch_and_bad_values(self) -> None:
        self.login(self.reviewer)
        response = self.client.get(self.path, {"basis": "accepted"})
        self.assertContains(response, '<th scope="row" class="text-start">T5/2026</th><td>110</td>')
        response = self.client.get(self.path, {"basis": "<x>"})
        self.assertContains(response, '<th scope="row" class="text-start">T5/2026</th><td>210</td>')

    def test_the_period_grid_links_here(self) -> None:
        self.login(self.reviewer)
        self.assertContains(self.client.get(f"/reports/periods/{self.period.pk}/"), f'href="{self.path}"')

    def test_query_count_does_not_grow_with_communes(self) -> None:
        self.login(self.reviewer)
        counts = []
        for extra in (0, 27):
            self.add_communes(extra, start=30000)
            with CaptureQueriesContext(connection) as queries:
                self.assertEqual(self.client.get(self.path).status_code, 200)
            counts.append(len(queries))
        self.assertEqual(counts[0], counts[1])
