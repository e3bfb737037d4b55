"""Tests for the national view: GET /reports/national/ (superusers only)."""

from reports.models import ReportStatus
from tests import factories
from tests.reports.city_helpers import CityTestCase, results_figures

NOT_SUPERUSERS = (
    "officer_a",
    "leader_a",
    "officer_b",
    "leader_b",
    "officer_c",
    "reviewer",
    "city_admin",
    "other_reviewer",
    "outsider",
)
URL = "/reports/national/"


class NationalViewTests(CityTestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        cls.other_period = factories.make_period(factories.make_regime(cls.other_province), "2026-05")
        cls.report_c = factories.make_report(cls.commune_c, cls.other_period)

    def test_anonymous_is_sent_to_log_in(self) -> None:
        self.assertLoginRedirect(self.client.get(URL), URL)

    def test_everyone_but_superusers_gets_403(self) -> None:
        for name in NOT_SUPERUSERS:
            with self.subTest(user=name):
                self.login(getattr(self, name))
                self.assertEqual(self.client.get(URL).status_code, 403)

    def test_post_is_not_allowed(self) -> None:
        self.login(self.superuser)
        self.assertEqual(self.client.post(URL).status_code, 405)

    def test_one_row_per_province_drilling_down_to_its_grid(self) -> None:
        self.sent(self.report_a, ReportStatus.ACCEPTED, results_figures(90, 10, 100, 0))
        self.sent(self.report_c, ReportStatus.SUBMITTED, results_figures(10, 90, 100, 0))
        self.login(self.superuser)
        response = self.client.get(URL)
        self.assertContains(response, "Tình hình báo cáo toàn quốc tháng 5 năm 2026")
        provinces = response.context["data"].provinces
        self.assertEqual([p.province_name for p in provinces], ["Thành phố Hà Nội", "Thành phố Hải Phòng"])
        self.assertContains(response, f'href="/reports/periods/{self.period.pk}/"')
        self.assertContains(response, f'href="/reports/periods/{self.other_period.pk}/totals/?basis=sent"')
        self.assertContains(response, '<td class="text-end text-nowrap">1/2</td>', html=True)
        # Nation: (90 + 10) / 200 = 50 %.
        self.assertContains(response, '<td class="text-end text-nowrap">50%</td>', html=True)
        self.assertContains(response, '<td class="text-end text-nowrap">2/3</td>', html=True)

    def test_the_superusers_home_links_here(self) -> None:
        self.login(self.superuser)
        self.assertContains(self.client.get("/"), f'href="{URL}"')

    def test_the_period_and_basis_are_chosen(self) -> None:
        factories.make_period(self.regime, "2026-04")
        self.login(self.superuser)
        self.assertEqual(self.client.get(URL).context["key"].slug(), "2026-05")
        response = self.client.get(URL, {"period": "2026-04", "basis": "accepted"})
        self.assertEqual(response.context["key"].slug(), "2026-04")
        self.assertEqual(response.context["basis"], "accepted")
        self.assertEqual(self.client.get(URL, {"period": "hôm qua"}).context["key"].slug(), "2026-05")
        empty = self.client.get(URL, {"period": "2030-01"})
        self.assertEqual(empty.context["data"].provinces, [])

    def test_the_query_count_is_the_same_for_3_and_33_communes(self) -> None:
        self.login(self.superuser)
        self.add_sent_communes(1, start=20000)
        self.client.get(URL)
        with self.assertNumQueries(9) as small:
            self.client.get(URL)
        self.add_sent_communes(30, start=30000)
        with self.assertNumQueries(len(small.captured_queries)):
            response = self.client.get(URL)
        self.assertEqual(response.context["data"].counts.total, 34)
