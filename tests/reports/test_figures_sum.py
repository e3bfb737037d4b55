"""Tests for the city aggregation in reports.figures: sums, recomputed rates, targets.

Every expected number is worked out by hand in the comments; rates are never averaged.
"""

from decimal import Decimal

from django.test import SimpleTestCase

from reports.figures import (
    FIGURE_LABELS,
    RATE_KEYS,
    VALUE_SPECS,
    RateSource,
    TargetOutcome,
    compute_rates,
    evaluate_targets,
    figure_value,
    merge_sums,
    parse_figures,
    sum_figures,
)

CITY = "Hệ thống thông tin giải quyết TTHC thành phố"
MINISTRIES = "Hệ thống thông tin giải quyết TTHC của các bộ"


def row(source: str, kind: str = "city", **counts: int) -> dict[str, object]:
    return {"source": source, "kind": kind, **counts}


# Commune A: 90 online of 100 new (+10 carried over: 110 received); 100 resolved, 95 early or on time.
A = parse_figures(
    {
        "results": [
            row(CITY, online=60, direct=0, carried_over=10, early=5, on_time=60, overdue=2, pending_on_time=3),
            row(MINISTRIES, "ministry", online=30, direct=10, on_time=30, overdue=3, pending_on_time=7),
        ],
        "sector_agencies": [{"name": "Bảo hiểm xã hội", "received": 15, "resolved": 15}],
        "values": {"pakn_received": 4, "payments_online": 8, "payments_total": 10, "rate_digitisation": 100},
    }
)
# Commune B: 1 online of 50 new; 40 resolved, 20 on time.
B = parse_figures(
    {
        "results": [row(CITY, online=1, direct=49, on_time=20, overdue=20, pending_on_time=10)],
        "sector_agencies": [{"name": "Bảo hiểm xã hội", "received": 5, "resolved": 4}],
        "values": {
            "pakn_received": 6,
            "payments_online": 1,
            "payments_total": 30,
            "dossiers_digitised": 10,
            "dossiers_for_digitisation": 40,
        },
    }
)


class SumFiguresTests(SimpleTestCase):
    def test_the_results_table_is_summed_column_by_column_per_source_system(self) -> None:
        summed = sum_figures([A, B])
        city, ministries = summed.figures.results
        self.assertEqual((city.source, city.online, city.direct, city.carried_over), (CITY, 61, 49, 10))
        self.assertEqual((city.early, city.on_time, city.overdue, city.pending_on_time), (5, 80, 22, 13))
        self.assertEqual((ministries.source, ministries.online, ministries.direct), (MINISTRIES, 30, 10))
        # Received: A 70 (city, 10 carried over) + 40 (ministries) = 110, B 50: 160.
        self.assertEqual(summed.totals.received, 160)
        self.assertEqual(summed.totals.resolved, 100 + 40)
        self.assertEqual(summed.totals.in_progress, 10 + 10)
        self.assertEqual(summed.figures.sector_agencies[0].received, 20)
        self.assertEqual(summed.figures.sector_agencies[0].resolved, 19)
        self.assertEqual(summed.reports, 2)

    def test_rates_are_recomputed_from_the_summed_counts_never_averaged(self) -> None:
        summed = sum_figures([A, B])
        # Online submission: (90 + 1) / (100 + 50) = 60.67 %; the average of 90 % and 2 % is 46 %.
        self.assertEqual(summed.rates["rate_online_submission"].value, Decimal("60.67"))
        # On time: (95 + 20) / (100 + 40) = 82.14 %.
        self.assertEqual(summed.rates["rate_on_time"].value, Decimal("82.14"))
        # Online payment: (8 + 1) / (10 + 30) = 22.50 %.
        self.assertEqual(summed.rates["rate_online_payment"].value, Decimal("22.50"))
        self.assertEqual(summed.rates["rate_online_payment"].source, RateSource.COMPUTED)
        self.assertEqual(summed.coverage["rate_online_payment"].counted, 2)
        self.assertTrue(summed.coverage["rate_online_payment"].summable)

    def test_a_rate_typed_without_counts_is_not_summed_into_the_city_rate(self) -> None:
        summed = sum_figures([A, B])
        coverage = summed.coverage["rate_digitisation"]
        # A typed 100 % without counts; B gave 10 of 40: the city rate is B's alone, marked partial.
        self.assertEqual((coverage.counted, coverage.typed), (1, 1))
        self.assertFalse(coverage.summable)
        self.assertTrue(coverage.partial)
        self.assertEqual(summed.rates["rate_digitisation"].value, Decimal("25.00"))
        self.assertEqual(summed.value_reports["dossiers_digitised"], 1)

    def test_only_typed_rates_give_no_city_rate(self) -> None:
        typed = parse_figures({"values": {"rate_data_reuse": 80}})
        summed = sum_figures([typed, typed])
        self.assertIsNone(summed.rates["rate_data_reuse"].value)
        self.assertEqual((summed.coverage["rate_data_reuse"].counted, summed.coverage["rate_data_reuse"].typed), (0, 2))
        self.assertIsNone(summed.rates["rate_online_submission"].value)

    def test_counts_are_summed_over_the_reports_giving_them(self) -> None:
        summed = sum_figures([A, B, parse_figures({})])
        self.assertEqual(summed.figures.value("pakn_received"), Decimal(10))
        self.assertEqual(summed.value_reports["pakn_received"], 2)
        self.assertIsNone(summed.figures.value("procedures_commune"))
        self.assertEqual(summed.reports, 3)

    def test_a_rate_part_without_its_partner_is_left_out_of_both(self) -> None:
        half = parse_figures({"values": {"payments_online": 50}})
        summed = sum_figures([A, half])
        self.assertEqual(summed.figures.value("payments_online"), Decimal(8))
        self.assertEqual(summed.rates["rate_online_payment"].value, Decimal("80.00"))

    def test_nothing_to_sum(self) -> None:
        summed = sum_figures([])
        self.assertEqual(summed.reports, 0)
        self.assertEqual(summed.totals.received, 0)
        self.assertTrue(all(rate.value is None for rate in summed.rates.values()))

    def test_one_report_summed_has_its_own_rates(self) -> None:
        own = compute_rates(B)
        summed = sum_figures([B])
        for key in RATE_KEYS:
            self.assertEqual(summed.rates[key].value, own[key].value, key)


class MergeSumsTests(SimpleTestCase):
    def test_merged_sums_equal_the_sum_of_every_report(self) -> None:
        typed = parse_figures({"values": {"rate_digitisation": 90, "pakn_received": 1}})
        groups = ([A, typed], [B], [])
        merged = merge_sums(sum_figures(group) for group in groups)
        whole = sum_figures([A, typed, B])
        self.assertEqual(merged.reports, whole.reports)
        self.assertEqual(merged.totals, whole.totals)
        self.assertEqual(merged.figures.results, whole.figures.results)
        self.assertEqual(merged.figures.sector_agencies, whole.figures.sector_agencies)
        self.assertEqual(dict(merged.figures.values), dict(whole.figures.values))
        self.assertEqual(dict(merged.value_reports), dict(whole.value_reports))
        self.assertEqual(dict(merged.coverage), dict(whole.coverage))
        self.assertEqual(dict(merged.rates), dict(whole.rates))


class TargetTests(SimpleTestCase):
    def test_met_missed_and_no_data(self) -> None:
        rates = compute_rates(A)
        targets = {
            "rate_online_submission": Decimal(60),  # 90 %: met
            "rate_on_time": Decimal("95"),  # 95 %: met at exactly the minimum
            "rate_online_payment": Decimal("80.01"),  # 80 %: missed
            "rate_pakn_satisfaction": Decimal(95),  # no counts, not typed: no data
        }
        self.assertEqual(
            evaluate_targets(rates, targets),
            {
                "rate_online_submission": TargetOutcome.MET,
                "rate_on_time": TargetOutcome.MET,
                "rate_online_payment": TargetOutcome.MISSED,
                "rate_pakn_satisfaction": TargetOutcome.NO_DATA,
            },
        )

    def test_a_typed_rate_is_judged_as_typed(self) -> None:
        rates = compute_rates(A)
        self.assertEqual(evaluate_targets(rates, {"rate_digitisation": Decimal(100)}), {"rate_digitisation": "met"})


class FigureValueTests(SimpleTestCase):
    def test_every_catalogue_figure_has_a_label_and_a_value_reader(self) -> None:
        for spec in VALUE_SPECS:
            part = "rates" if spec.key in RATE_KEYS else "values"
            self.assertIn(f"{part}.{spec.key}", FIGURE_LABELS)
        for name in FIGURE_LABELS:
            figure_value(A, name)

    def test_values(self) -> None:
        self.assertEqual(figure_value(A, "results.received"), Decimal(110))
        self.assertEqual(figure_value(A, "results.online"), Decimal(90))
        self.assertEqual(figure_value(A, "values.pakn_received"), Decimal(4))
        self.assertEqual(figure_value(A, "rates.rate_online_submission"), Decimal("90.00"))
        self.assertIsNone(figure_value(parse_figures({}), "results.received"))
        with self.assertRaises(KeyError):
            figure_value(A, "nothing.here")
