"""Tests for the period_figure view: GET /reports/periods/<id>/totals/<figure>/ (the communes
behind one city figure)."""

from unittest import mock

from reports.models import ReportStatus
from tests.reports.city_helpers import CityPageAccessTests, CityTestCase, results_figures


class PeriodFigureViewTests(CityPageAccessTests, CityTestCase):
    def setUp(self) -> None:
        super().setUp()
        self.base = f"/reports/periods/{self.period.pk}/totals/"
        self.url = self.base + "results.received/"
        self.sent(self.report_a, ReportStatus.ACCEPTED, results_figures(90, 10, 100, 0))
        self.sent(self.report_b, ReportStatus.SUBMITTED, results_figures(30, 170, 50, 50))

    def names(self, response) -> list[str]:  # type: ignore[no-untyped-def]
        return [line.item.commune_name for line in response.context["drill"].lines]

    def test_an_unknown_figure_is_404(self) -> None:
        self.login(self.reviewer)
        for figure in ("results.password", "values.rate_on_time", "x" * 200, "rates"):
            with self.subTest(figure=figure[:20]):
                self.assertEqual(self.client.get(self.base + figure + "/").status_code, 404)

    def test_the_communes_behind_a_figure_largest_first(self) -> None:
        self.login(self.reviewer)
        response = self.client.get(self.url)
        self.assertContains(response, '<strong id="drill-city-value">300</strong>', html=True)
        self.assertEqual(self.names(response), ["Xã Bình Giang", "Xã Hùng Thắng"])
        self.assertContains(response, f'<a href="/reports/{self.report_b.pk}/">Xã Bình Giang</a>', html=True)
        self.assertContains(response, '<td class="text-end">200</td>', html=True)
        accepted = self.client.get(self.url, {"basis": "accepted"})
        self.assertEqual(self.names(accepted), ["Xã Hùng Thắng"])
        self.assertContains(accepted, "Chỉ báo cáo đã tiếp nhận")

    def test_a_rate_with_its_target_outcomes(self) -> None:
        self.login(self.reviewer)
        url = self.base + "rates.rate_online_submission/"
        response = self.client.get(url)
        # (90 + 30) / (100 + 200) = 40 %.
        self.assertContains(response, '<strong id="drill-city-value">40%</strong>', html=True)
        self.assertContains(response, "(chỉ tiêu ≥ 60%)")
        self.assertEqual(self.names(response), ["Xã Hùng Thắng", "Xã Bình Giang"])
        self.assertEqual(self.names(self.client.get(url, {"outcome": "missed"})), ["Xã Bình Giang"])
        self.assertEqual(self.names(self.client.get(url, {"outcome": "met"})), ["Xã Hùng Thắng"])
        self.assertEqual(len(self.names(self.client.get(url, {"outcome": "bogus"}))), 2)

    def test_the_query_count_is_the_same_for_3_and_33_communes(self) -> None:
        self.login(self.reviewer)
        self.add_sent_communes(1, start=20000)
        self.client.get(self.url)
        with self.assertNumQueries(7):
            self.client.get(self.url)
        self.add_sent_communes(30, start=30000)
        with self.assertNumQueries(7):
            response = self.client.get(self.url)
        self.assertGreater(len(response.context["drill"].lines), 10)


class PeriodFigurePaginationTests(CityTestCase):
    def test_long_lists_are_paginated_and_keep_their_ranks(self) -> None:
        self.add_sent_communes(12, start=20000)
        self.login(self.reviewer)
        url = f"/reports/periods/{self.period.pk}/totals/results.received/"
        with mock.patch("reports.views.city.GRID_PAGE_SIZE", 2):
            first = self.client.get(url)
            second = self.client.get(url, {"page": 2})
        self.assertContains(first, "Trang 1/")
        self.assertContains(first, "?page=2")
        self.assertEqual([line.rank for line in second.context["page"]], [3, 4])
