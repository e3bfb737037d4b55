"""Tests for reports.queries.trends: 12 periods of a commune and of the city, sums worked out by
hand, and three queries whatever the number of communes and periods."""

from decimal import Decimal

from reports.models import Period, Report, ReportStatus
from reports.periods import Frequency, PeriodKey
from reports.queries.city import Basis
from reports.queries.trends import city_trends, commune_trends, trend_keys
from reports.rendering.charts import trend_charts
from tests import factories
from tests.reports.city_report_fixtures import FIGURES_A, FIGURES_B, CityReportTestCase

MAY = PeriodKey(Frequency.MONTHLY, 2026, 5)


def scaled(figures: dict, factor: int) -> dict:  # type: ignore[type-arg]
    """The same figures with every count of the results table multiplied."""
    rows = [
        {name: value * factor if isinstance(value, int) else value for name, value in row.items()}
        for row in figures["results"]
    ]
    return {**figures, "results": rows}


class TrendKeysTests(CityReportTestCase):
    def test_twelve_periods_oldest_first(self) -> None:
        keys = trend_keys(MAY)
        self.assertEqual(len(keys), 12)
        self.assertEqual((keys[0].year, keys[0].number), (2025, 6))
        self.assertEqual(keys[-1], MAY)


class TrendsTests(CityReportTestCase):
    """May 2026 as in city_report_fixtures; April 2026: A accepted with twice May's counts, B a
    draft (not shown); March 2026 never opened."""

    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        cls.april = factories.make_period(cls.regime, "2026-04")
        factories.make_report(cls.commune_a, cls.april, status=ReportStatus.ACCEPTED, figures=scaled(FIGURES_A, 2))
        factories.make_report(cls.commune_b, cls.april, status=ReportStatus.DRAFT, figures=FIGURES_B)

    def test_city_points_sum_the_sent_reports(self) -> None:
        trends = city_trends(self.loaded_period())
        self.assertEqual(trends.labels[-3:], ("T3/2026", "T4/2026", "T5/2026"))
        march, april, may = trends.points[-3:]
        self.assertIsNone(march.period_id)
        self.assertIsNone(march.counts)
        self.assertEqual(april.reports, 1)
        self.assertEqual(april.counts, {"received": 220, "resolved": 190, "early_or_on_time": 180, "in_progress": 30})
        self.assertEqual(may.reports, 2)
        self.assertEqual(may.counts, {"received": 210, "resolved": 175, "early_or_on_time": 160, "in_progress": 35})
        # Recomputed from the summed counts: 160 / 175, not the average of 94,74% and 87,5%.
        self.assertEqual(may.rates["rate_on_time"], Decimal("91.43"))
        self.assertEqual(may.rates["rate_online_submission"], Decimal("40.00"))
        self.assertEqual(april.rates["rate_online_submission"], Decimal("60.00"))
        self.assertEqual(trends.targets["rate_online_submission"], Decimal(60))
        self.assertEqual(
            trends.rate_keys, ("rate_online_submission", "rate_on_time", "rate_online_payment", "rate_digitisation")
        )

    def test_accepted_basis(self) -> None:
        may = city_trends(self.loaded_period(), basis=Basis.ACCEPTED).points[-1]
        self.assertEqual((may.reports, may.counts["received"] if may.counts else None), (1, 110))

    def test_commune_points_leave_out_drafts(self) -> None:
        trends = commune_trends(self.commune_b, self.regime, end=MAY)
        april, may = trends.points[-2:]
        self.assertIsNone(april.counts)
        self.assertEqual(may.counts, {"received": 100, "resolved": 80, "early_or_on_time": 70, "in_progress": 20})
        self.assertEqual(may.rates["rate_digitisation"], Decimal(50))  # typed, kept for one commune

    def test_table_is_newest_first_and_formatted(self) -> None:
        table = city_trends(self.loaded_period()).table()
        self.assertEqual(
            table.header[:5], ("Kỳ", "Tiếp nhận", "Đã giải quyết", "Giải quyết trước hạn, đúng hạn", "Đang giải quyết")
        )
        self.assertEqual(table.rows[0][:7], ("T5/2026", "210", "175", "160", "35", "40%", "91,43%"))
        self.assertEqual(table.rows[2][:3], ("T3/2026", "", ""))

    def test_charts_name_every_period_and_target(self) -> None:
        charts = trend_charts(city_trends(self.loaded_period()), prefix="city")
        self.assertEqual(charts[0].title, "Hồ sơ thủ tục hành chính")
        self.assertEqual(
            [chart.title for chart in charts[1:3]],
            ["Tỷ lệ nộp hồ sơ trực tuyến", "Tỷ lệ hồ sơ giải quyết trước hạn, đúng hạn"],
        )
        self.assertIn("T6/2025", charts[0].svg)
        self.assertIn("Chỉ tiêu 60%", charts[1].svg)
        self.assertIn("91,43%", charts[2].svg)

    def test_three_queries_whatever_the_number_of_communes_and_periods(self) -> None:
        period = self.loaded_period()
        with self.assertNumQueries(3):
            city_trends(period)
        with self.assertNumQueries(3):
            commune_trends(self.commune_a, self.regime, end=MAY)
        self.add_communes(27)
        for slug in ("2025-09", "2025-10", "2025-11", "2025-12", "2026-01"):
            opened = factories.make_period(self.regime, slug)
            for commune in (self.commune_a, self.commune_b):
                factories.make_report(commune, opened, status=ReportStatus.SUBMITTED, figures=FIGURES_A)
        with self.assertNumQueries(3):
            trends = city_trends(period)
        with self.assertNumQueries(3):
            commune_trends(self.commune_a, self.regime, end=MAY)
        self.assertEqual(trends.points[-5].reports, 2)  # January 2026
        self.assertGreater(Report.objects.filter(period=period).count(), 20)
        self.assertEqual(Period.objects.filter(regime=self.regime).count(), 7)
