"""Tests for a commune's trend page: "/reports/communes/<code>/trends/"."""

from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests import factories
from tests.reports.city_report_fixtures import CityReportTestCase
from tests.reports.workflow_helpers import AFTER_DEADLINE, at


class CommuneTrendsViewTests(CityReportTestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        cls.path = f"/reports/communes/{cls.commune_a.pk}/trends/"

    def get(self, path: str | None = None, **params: str):  # type: ignore[no-untyped-def]
        with at(AFTER_DEADLINE):
            return self.client.get(path or self.path, params)

    def test_anonymous_is_sent_to_the_login_page(self) -> None:
        self.assertRedirects(self.client.get(self.path), f"/accounts/login/?next={self.path}")

    def test_other_communes_and_provinces_get_404(self) -> None:
        for user in (self.officer_b, self.leader_b, self.officer_c, self.other_reviewer, self.outsider):
            self.login(user)
            with self.subTest(user=user.username):
                self.assertContains(self.get(), "Không tìm thấy trang", status_code=404)

    def test_writes_are_refused(self) -> None:
        self.login(self.officer_a)
        self.assertEqual(self.client.post(self.path).status_code, 405)

    def test_commune_and_city_staff_see_the_communes_trends(self) -> None:
        for user in (self.officer_a, self.leader_a, self.reviewer, self.superuser):
            with self.subTest(user=user.username):
                self.login(user)
                response = self.get()
                self.assertContains(response, "Xã Hùng Thắng: xu hướng 12 kỳ gần nhất")
                self.assertContains(response, '<svg xmlns="http://www.w3.org/2000/svg" class="bc-chart"', count=5)
                self.assertContains(response, '<th scope="row" class="text-start">T5/2026</th><td>110</td>')
                self.assertContains(response, "60%")

    def test_choosing_a_regime_and_a_commune_without_reports(self) -> None:
        other = factories.make_regime(self.province, name="Báo cáo chuyên đề")
        self.login(self.reviewer)
        response = self.get(regime=str(other.pk))
        self.assertContains(response, "Chưa có báo cáo đã gửi nào trong 12 kỳ gần nhất.")
        self.assertContains(response, f'href="?regime={self.regime.pk}"')
        response = self.get(regime="abc")
        self.assertContains(response, "Báo cáo CCHC hằng tháng")

    def test_commune_page_and_report_page_link_here(self) -> None:
        self.login(self.officer_a)
        self.assertContains(self.client.get(f"/communes/{self.commune_a.pk}/"), f'href="{self.path}"')
        self.assertContains(
            self.client.get(f"/reports/{self.report_a.pk}/"), f'href="{self.path}?regime={self.regime.pk}"'
        )

    def test_query_count_does_not_grow_with_periods(self) -> None:
        self.login(self.officer_a)
        counts = []
        for slugs in ((), ("2025-10", "2025-11", "2025-12", "2026-01")):
            for slug in slugs:
                factories.make_report(self.commune_a, factories.make_period(self.regime, slug), status="submitted")
            with CaptureQueriesContext(connection) as queries:
                self.assertEqual(self.get().status_code, 200)
            counts.append(len(queries))
        self.assertEqual(counts[0], counts[1])
