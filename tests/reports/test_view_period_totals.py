"""Tests for the period_totals view: GET /reports/periods/<id>/totals/ (the city totals)."""

from reports.models import Report, ReportStatus
from tests.reports.city_helpers import CityPageAccessTests, CityTestCase, results_figures


class PeriodTotalsViewTests(CityPageAccessTests, CityTestCase):
    def setUp(self) -> None:
        super().setUp()
        self.url = f"/reports/periods/{self.period.pk}/totals/"
        # A accepted: 90 of 100 online, all on time, 1 of 4 paid online. B sent: 30 of 100
        # online, 50 of 100 on time, 2 of 6 paid online. Hand sums below.
        self.sent(
            self.report_a, ReportStatus.ACCEPTED, results_figures(90, 10, 100, 0, payments_online=1, payments_total=4)
        )
        self.sent(
            self.report_b, ReportStatus.SUBMITTED, results_figures(30, 70, 50, 50, payments_online=2, payments_total=6)
        )

    def test_an_unknown_period_is_404(self) -> None:
        self.login(self.reviewer)
        self.assertEqual(self.client.get("/reports/periods/999999/totals/").status_code, 404)

    def test_every_sent_report_summed_with_recomputed_rates(self) -> None:
        for name in ("reviewer", "city_admin", "superuser"):
            with self.subTest(user=name):
                self.login(getattr(self, name))
                response = self.client.get(self.url)
                self.assertContains(response, "Cộng số liệu của <strong>2</strong> báo cáo")
                # Received 100 + 100 = 200; online 90 + 30 = 120: 60 %, on time 150 / 200 = 75 %,
                # payments (1 + 2) / (4 + 6) = 30 %.
                self.assertContains(
                    response,
                    f'<a href="/reports/periods/{self.period.pk}/totals/results.received/?basis=sent">200</a>',
                    html=True,
                )
                self.assertContains(response, ">60%</a>")
                self.assertContains(response, ">75%</a>")
                self.assertContains(response, ">30%</a>")
                # Targets: online submission met by A, missed by B; online payment missed by both.
                self.assertContains(
                    response,
                    f'href="/reports/periods/{self.period.pk}/totals/rates.rate_online_submission/?basis=sent&amp;outcome=met">1</a>',
                )
                self.assertContains(
                    response,
                    f'href="/reports/periods/{self.period.pk}/totals/rates.rate_online_payment/?basis=sent&amp;outcome=missed">2</a>',
                )

    def test_accepted_reports_only(self) -> None:
        self.login(self.reviewer)
        response = self.client.get(self.url, {"basis": "accepted"})
        self.assertContains(response, "Cộng số liệu của <strong>1</strong> báo cáo")
        self.assertContains(response, ">90%</a>")
        self.assertContains(response, 'class="btn btn-sm btn-primary" href="?basis=accepted" aria-current="true"')
        self.assertEqual(self.client.get(self.url, {"basis": "x" * 300}).context["basis"], "sent")

    def test_a_typed_rate_is_shown_as_not_summable(self) -> None:
        figures = results_figures(90, 10, 100, 0)
        figures["values"] = {"rate_digitisation": 100}
        Report.objects.filter(pk=self.report_a.pk).update(figures=figures)
        self.login(self.reviewer)
        response = self.client.get(self.url)
        self.assertContains(response, "Không cộng được: 1 xã chỉ nhập tỷ lệ, không có số liệu để tính.")

    def test_the_query_count_is_the_same_for_3_and_33_communes(self) -> None:
        self.login(self.reviewer)
        self.add_sent_communes(1, start=20000)
        self.client.get(self.url)
        with self.assertNumQueries(7):
            self.client.get(self.url)
        self.add_sent_communes(30, start=30000)
        with self.assertNumQueries(7):
            response = self.client.get(self.url)
        self.assertGreater(response.context["data"].totals.reports, 10)
