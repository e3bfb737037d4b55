"""Tests for reports.queries.city: the grid with figures, city totals, drill-downs and the national
view, with their query counts pinned at two sizes."""

from decimal import Decimal

from reports import figures as fig
from reports import workflow
from reports.models import Report, ReportStatus
from reports.periods import Frequency, PeriodKey
from reports.queries import city
from tests import factories
from tests.reports.city_helpers import CityTestCase, results_figures
from tests.reports.workflow_helpers import AFTER_DEADLINE, BEFORE_DEADLINE, add_submission, at, balanced_figures

MAY = PeriodKey(Frequency.MONTHLY, 2026, 5)


class CityQueryTestCase(CityTestCase):
    pass


class PeriodFiguresTests(CityQueryTestCase):
    def test_rows_counts_and_figures(self) -> None:
        extra = factories.make_commune(10001, "Xã An Lư", self.province)
        # A: 90 of 100 online (met), 1 of 4 paid online (25 %, missed). B: 30 of 100 online (missed).
        self.sent(
            self.report_a, ReportStatus.ACCEPTED, results_figures(90, 10, 100, 0, payments_online=1, payments_total=4)
        )
        self.sent(self.report_b, ReportStatus.SUBMITTED, results_figures(30, 70, 50, 50), on_time=False)
        with at(AFTER_DEADLINE):
            data = city.period_figures(self.period_with_regime())
        names = [row.commune_name for row in data.rows]
        self.assertEqual(names, ["Xã An Lư", "Xã Bình Giang", "Xã Hùng Thắng"])
        missing, b, a = data.rows
        self.assertEqual((missing.status, missing.report_id, missing.days_late), ("missing", None, 2))
        self.assertEqual(missing.status_label, "Chưa lập")
        self.assertEqual((b.status, b.days_late, b.late, b.on_time), ("submitted", 2, True, False))
        self.assertEqual((a.status, a.days_late, a.on_time), ("accepted", 0, True))
        self.assertEqual(a.value("rates.rate_online_submission"), Decimal("90.00"))
        self.assertEqual(a.outcomes, {"rate_online_submission": "met", "rate_online_payment": "missed"})
        self.assertEqual(b.outcomes["rate_online_payment"], fig.TargetOutcome.NO_DATA)
        self.assertEqual(a.missed, ("rate_online_payment",))
        self.assertEqual(b.missed, ("rate_online_submission",))
        counts = data.counts
        self.assertEqual((counts.total, counts.sent, counts.on_time, counts.late), (3, 2, 1, 2))
        self.assertEqual((counts.accepted, counts.returned, counts.not_started, counts.missed_target), (1, 0, 1, 2))
        self.assertEqual(data.rate_keys, ("rate_online_submission", "rate_on_time", "rate_online_payment"))
        self.assertIsNone(extra.reports.first())

    def test_late_flags(self) -> None:
        on_time_then_returned = factories.make_commune(10001, "Xã Một", self.province)
        late_submission = factories.make_commune(10002, "Xã Hai", self.province)
        amended = factories.make_commune(10003, "Xã Ba", self.province)
        factories.make_commune(10004, "Xã Bốn", self.province)
        returned = factories.make_report(on_time_then_returned, self.period, status=ReportStatus.RETURNED)
        add_submission(returned, on_time=True)
        submitted_late = factories.make_report(late_submission, self.period, status=ReportStatus.SUBMITTED)
        add_submission(submitted_late, on_time=False)
        # An amendment reopens an accepted report as a draft: its first submission was on time.
        reopened = self.drive(factories.make_report(amended, self.period), ReportStatus.ACCEPTED)
        workflow.amend_report(reopened, by=self.leader_a, reason="Đính chính.")
        # Days late: the late submission was sent two days after the deadline; the others count
        # from the deadline (18/5) to the day (20/5).
        expected_before = {"Xã Một": 0, "Xã Hai": 2, "Xã Ba": 0, "Xã Bốn": 0}
        expected_after = expected_before | {"Xã Bốn": 2, self.commune_a.name: 2, self.commune_b.name: 2}
        for moment, expected in ((BEFORE_DEADLINE, expected_before), (AFTER_DEADLINE, expected_after)):
            with self.subTest(moment=moment), at(moment):
                late = {row.commune_name: row.days_late for row in city.period_figures(self.period_with_regime()).rows}
                for name, days in expected.items():
                    self.assertEqual(late[name], days, name)

    def test_drafts_show_no_figures_to_the_city(self) -> None:
        Report.objects.filter(pk=self.report_a.pk).update(figures=balanced_figures(10))
        with at(BEFORE_DEADLINE):
            data = city.period_figures(self.period_with_regime())
        row = next(r for r in data.rows if r.commune_code == self.commune_a.pk)
        self.assertIsNone(row.figures)
        self.assertIsNone(row.value("results.received"))
        self.assertFalse(row.late)
        self.assertEqual(data.totals.reports, 0)

    def test_totals_by_basis_with_recomputed_rates_and_target_tallies(self) -> None:
        self.sent(self.report_a, ReportStatus.ACCEPTED, results_figures(90, 10, 100, 0))
        self.sent(self.report_b, ReportStatus.SUBMITTED, results_figures(30, 70, 50, 50))
        every = city.period_figures(self.period_with_regime())
        accepted = city.period_figures(self.period_with_regime(), basis=city.Basis.ACCEPTED)
        # Every sent report: (90 + 30) / 200 = 60 %, not the average of 90 % and 30 %... also 60 %;
        # on time differs: (100 + 50) / (100 + 100) = 75 %.
        self.assertEqual(every.totals.value("rates.rate_online_submission"), Decimal("60.00"))
        self.assertEqual(every.totals.value("rates.rate_on_time"), Decimal("75.00"))
        self.assertEqual(every.totals.value("results.received"), Decimal(200))
        self.assertEqual(accepted.totals.value("results.received"), Decimal(100))
        self.assertEqual(accepted.totals.reports, 1)
        online = every.totals.targets[0]
        self.assertEqual((online.key, online.met, online.missed, online.no_data), ("rate_online_submission", 1, 1, 0))
        self.assertEqual(online.label, "Tỷ lệ nộp hồ sơ trực tuyến")
        payment = every.totals.targets[1]
        self.assertEqual((payment.met, payment.missed, payment.no_data), (0, 0, 2))

    def test_contributions_behind_a_city_figure_largest_first(self) -> None:
        self.sent(self.report_a, ReportStatus.ACCEPTED, results_figures(10, 0, 10, 0))
        self.sent(self.report_b, ReportStatus.SUBMITTED, results_figures(30, 70, 50, 50))
        data = city.period_figures(self.period_with_regime())
        items = data.totals.contributions("results.received")
        self.assertEqual([(i.commune_name, i.value) for i in items], [("Xã Bình Giang", 100), ("Xã Hùng Thắng", 10)])
        self.assertEqual(items[0].report_id, self.report_b.pk)
        self.assertEqual(sum(i.value or 0 for i in items), data.totals.value("results.received"))

    def test_the_query_count_does_not_grow_with_communes(self) -> None:
        period = self.period_with_regime()
        self.add_communes(1)
        with self.assertNumQueries(3):
            small = city.period_figures(period)
        self.add_communes(30, start=30000)
        Report.objects.filter(period=self.period, status__in=city.SENT_STATUSES).update(figures=balanced_figures(10))
        with self.assertNumQueries(3):
            large = city.period_figures(period)
        self.assertEqual((small.counts.total, large.counts.total), (3, 33))
        self.assertGreater(large.totals.reports, 10)

    def test_a_regime_naming_its_communes_binds_only_those(self) -> None:
        self.regime.applies_to_all = False
        self.regime.save(update_fields=["applies_to_all"])
        self.regime.communes.add(self.commune_a)
        data = city.period_figures(self.period_with_regime())
        self.assertEqual([row.commune_name for row in data.rows], ["Xã Hùng Thắng"])


class GridHelperTests(CityQueryTestCase):
    def rows(self) -> list[city.CommuneFigures]:
        factories.make_commune(10001, "Xã Đông Hải", self.province)
        self.sent(self.report_a, ReportStatus.ACCEPTED, results_figures(90, 10, 100, 0))
        self.sent(self.report_b, ReportStatus.SUBMITTED, results_figures(30, 70, 50, 50), on_time=False)
        with at(AFTER_DEADLINE):
            return city.period_figures(self.period_with_regime()).rows

    def test_search_ignores_accents_and_case(self) -> None:
        rows = self.rows()
        self.assertEqual([r.commune_name for r in city.filter_rows(rows, search="hung thang")], ["Xã Hùng Thắng"])
        self.assertEqual([r.commune_name for r in city.filter_rows(rows, search="DONG hai")], ["Xã Đông Hải"])
        self.assertEqual(len(city.filter_rows(rows, search="  ")), 3)
        self.assertEqual(city.filter_rows(rows, search="không có"), [])

    def test_filters(self) -> None:
        rows = self.rows()

        def names(**filters: str) -> list[str]:
            return [r.commune_name for r in city.filter_rows(rows, **filters)]

        self.assertEqual(names(status="late"), ["Xã Bình Giang", "Xã Đông Hải"])
        self.assertEqual(names(status="sent"), ["Xã Bình Giang", "Xã Hùng Thắng"])
        self.assertEqual(names(status="missing"), ["Xã Đông Hải"])
        self.assertEqual(names(status="bogus"), ["Xã Bình Giang", "Xã Đông Hải", "Xã Hùng Thắng"])
        self.assertEqual(names(missed="any"), ["Xã Bình Giang"])
        self.assertEqual(names(missed="rate_online_submission"), ["Xã Bình Giang"])
        self.assertEqual(names(missed="rate_online_payment"), [])
        self.assertEqual(names(status="late", search="binh"), ["Xã Bình Giang"])

    def test_sorting(self) -> None:
        rows = self.rows()

        def names(key: str, descending: bool = False) -> list[str]:
            return [r.commune_name for r in city.sort_rows(rows, key, descending=descending)]

        self.assertEqual(names("commune"), ["Xã Bình Giang", "Xã Đông Hải", "Xã Hùng Thắng"])
        self.assertEqual(names("commune", True), ["Xã Hùng Thắng", "Xã Đông Hải", "Xã Bình Giang"])
        # Communes without the figure go last in both directions.
        self.assertEqual(names("rates.rate_online_submission"), ["Xã Bình Giang", "Xã Hùng Thắng", "Xã Đông Hải"])
        self.assertEqual(names("rates.rate_online_submission", True), ["Xã Hùng Thắng", "Xã Bình Giang", "Xã Đông Hải"])
        self.assertEqual(names("late", True), ["Xã Bình Giang", "Xã Đông Hải", "Xã Hùng Thắng"])
        self.assertEqual(names("status"), ["Xã Đông Hải", "Xã Bình Giang", "Xã Hùng Thắng"])
        self.assertEqual(names("sent")[-1], "Xã Đông Hải")
        self.assertEqual(names("drop table"), names("commune"))

    def test_parse_basis(self) -> None:
        self.assertEqual(city.parse_basis("accepted"), city.Basis.ACCEPTED)
        self.assertEqual(city.parse_basis(None), city.Basis.SENT)
        self.assertEqual(city.parse_basis("x" * 100), city.Basis.SENT)


class NationalFiguresTests(CityQueryTestCase):
    def test_one_row_per_province_and_national_totals(self) -> None:
        other_regime = factories.make_regime(self.other_province)
        other_period = factories.make_period(other_regime, "2026-05")
        other_report = factories.make_report(self.commune_c, other_period)
        self.sent(self.report_a, ReportStatus.ACCEPTED, results_figures(90, 10, 100, 0))
        self.sent(other_report, ReportStatus.SUBMITTED, results_figures(10, 90, 100, 0))
        with at(AFTER_DEADLINE):
            data = city.national_figures(MAY)
        self.assertEqual([p.province_name for p in data.provinces], ["Thành phố Hà Nội", "Thành phố Hải Phòng"])
        hanoi, haiphong = data.provinces
        self.assertEqual((haiphong.counts.total, haiphong.counts.sent), (2, 1))
        self.assertEqual(haiphong.periods[0].period_id, self.period.pk)
        self.assertEqual(hanoi.totals.value("results.received"), Decimal(100))
        # (90 + 10) / 200 = 50 %.
        self.assertEqual(data.totals.value("rates.rate_online_submission"), Decimal("50.00"))
        self.assertEqual((data.counts.total, data.counts.sent), (3, 2))
        self.assertEqual(data.key, MAY)

    def test_the_query_count_does_not_grow_with_communes(self) -> None:
        self.add_communes(1)
        with self.assertNumQueries(6):
            small = city.national_figures(MAY)
        self.add_communes(30, start=30000)
        other_period = factories.make_period(factories.make_regime(self.other_province), "2026-05")
        factories.make_report(self.commune_c, other_period)
        with self.assertNumQueries(6):
            large = city.national_figures(MAY)
        self.assertEqual((small.counts.total, large.counts.total), (3, 34))

    def test_a_period_key_without_periods(self) -> None:
        data = city.national_figures(PeriodKey(Frequency.MONTHLY, 2030, 1))
        self.assertEqual((data.provinces, data.counts.total, data.totals.reports), ([], 0, 0))
