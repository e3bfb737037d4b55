"""The reference computation and the database aggregation, on hand-built dossier sets."""

import random
from datetime import timedelta
from decimal import Decimal

from django.test import SimpleTestCase

from dossiers import aggregation
from dossiers.computation import FIGURE_KEYS, DossierFacts, count_dossiers, rates, total_counts
from dossiers.models import Dossier, DossierImport
from tests.base import BaseTestCase
from tests.dossiers.cases import BOUNDARY_CASES, CITY, MAY_2026, MINISTRY, at, city, ministry, store

CITY_EXPECTED = {
    "carried_over": 3,
    "received_online": 3,
    "received_direct": 3,
    "received_post": 1,
    "received_own_authority": 6,
    "resolved_early": 1,
    "resolved_on_time": 2,
    "resolved_overdue": 1,
    "withdrawn": 2,
    "pending_on_time": 2,
    "pending_overdue": 2,
    "received_input_digitised": 1,
    "resolved_result_electronic": 1,
    "resolved_digitised": 1,
    "received_data_reused": 1,
    "received_fee_bearing": 2,
    "received_paid_online": 1,
}
MINISTRY_EXPECTED = dict.fromkeys(FIGURE_KEYS, 0) | {"carried_over": 1, "pending_overdue": 1}


def figures_of(counts_values: dict[str, int]) -> set[str]:
    return {key for key, value in counts_values.items() if value}


class ReferenceComputationTests(SimpleTestCase):
    def test_each_boundary_case_counts_exactly_where_worked_out(self) -> None:
        for name, (facts, expected) in BOUNDARY_CASES.items():
            with self.subTest(name):
                (counts,) = count_dossiers([facts], MAY_2026)
                self.assertEqual(figures_of(dict(counts.values)), expected)
                self.assertTrue(all(value in (0, 1) for value in counts.values.values()))

    def test_whole_set_by_source_system(self) -> None:
        rows = count_dossiers([facts for facts, _ in BOUNDARY_CASES.values()], MAY_2026)
        by_source = {row.source_system: row for row in rows}
        self.assertEqual(dict(by_source[CITY].values), CITY_EXPECTED)
        self.assertEqual(dict(by_source[MINISTRY].values), MINISTRY_EXPECTED)

    def test_received_equals_resolved_plus_in_progress_plus_withdrawn(self) -> None:
        rows = count_dossiers([facts for facts, _ in BOUNDARY_CASES.values()], MAY_2026)
        for row in [*rows, total_counts(rows)]:
            self.assertEqual(row.received_total, row["resolved"] + row["pending"] + row["withdrawn"])
        self.assertEqual(total_counts(rows).received_total, 11)

    def test_766_rates_worked_out_by_hand(self) -> None:
        rows = count_dossiers([facts for facts, _ in BOUNDARY_CASES.values()], MAY_2026)
        city_rates = rates(next(r for r in rows if r.source_system == CITY))
        self.assertEqual(city_rates["online_submission"], Decimal("42.86"))  # 3 of 7
        self.assertEqual(city_rates["on_time"], Decimal("75.00"))  # early 1 + on time 2 of 4
        self.assertEqual(city_rates["digitisation_inputs"], Decimal("14.29"))  # 1 of 7
        self.assertEqual(city_rates["digitisation_results"], Decimal("25.00"))  # 1 of 4
        self.assertEqual(city_rates["digitisation"], Decimal("25.00"))
        self.assertEqual(city_rates["electronic_results"], Decimal("25.00"))
        self.assertEqual(city_rates["data_reuse"], Decimal("14.29"))
        self.assertEqual(city_rates["online_payment"], Decimal("50.00"))  # 1 of 2 fee-bearing
        ministry_rates = rates(next(r for r in rows if r.source_system == MINISTRY))
        self.assertIsNone(ministry_rates["online_submission"])  # nothing received: no rate

    def test_finishing_on_the_appointment_day_after_hours_is_late_before_is_early(self) -> None:
        due = at("5/5/2026 9:00")
        cases = {
            at("4/5/2026 23:59:59"): "resolved_early",
            at("5/5/2026 0:00"): "resolved_on_time",
            at("5/5/2026 9:00"): "resolved_on_time",
            at("5/5/2026 9:00:01"): "resolved_overdue",
        }
        for finished, expected in cases.items():
            with self.subTest(finished=finished):
                (counts,) = count_dossiers(
                    [city(received_at=at("1/5/2026 8:00"), due_at=due, finished_at=finished)], MAY_2026
                )
                self.assertEqual(
                    figures_of(dict(counts.values)) - {"received_online", "received_own_authority"}, {expected}
                )


def random_dossiers(seed: int, count: int) -> list[DossierFacts]:
    """Dossiers scattered around the window's edges, with every combination of states."""
    rng = random.Random(seed)  # noqa: S311 (test data)
    edges = [MAY_2026.start, MAY_2026.end]
    result = []
    for _ in range(count):
        received = rng.choice(edges) + timedelta(hours=rng.randint(-24 * 40, 24 * 20), seconds=rng.choice([-1, 0, 1]))
        due = received + timedelta(days=rng.randint(0, 15), hours=rng.randint(0, 23)) if rng.random() < 0.9 else None
        done = received + timedelta(days=rng.randint(0, 25), minutes=rng.randint(0, 1440))
        state = rng.random()
        make = city if rng.random() < 0.6 else ministry
        result.append(
            make(
                channel=rng.choice(["online", "direct", "post"]),
                authority=rng.choice(["own", "other"]),
                received_at=received,
                due_at=due,
                finished_at=done if state < 0.6 else None,
                withdrawn_at=done if 0.6 <= state < 0.7 else None,
                input_digitised=rng.random() < 0.8,
                result_electronic=rng.random() < 0.7,
                data_reused=rng.random() < 0.5,
                fee_bearing=(fee := rng.random() < 0.4),
                paid_online=fee and rng.random() < 0.5,
            )
        )
    return result


class DatabaseAggregationTests(BaseTestCase):
    def assertSameCounts(self, dossiers: list[DossierFacts]) -> None:  # noqa: N802
        store(self.commune_a, dossiers)
        with self.assertNumQueries(1):
            from_db = aggregation.count_for_commune(self.commune_a.pk, MAY_2026)
        reference = count_dossiers(dossiers, MAY_2026)
        self.assertEqual(
            {(r.source_system, r.source_kind): dict(r.values) for r in from_db},
            {(r.source_system, r.source_kind): dict(r.values) for r in reference},
        )

    def test_boundary_cases_counted_by_the_database_as_by_hand(self) -> None:
        self.assertSameCounts([facts for facts, _ in BOUNDARY_CASES.values()])
        by_source = {row.source_system: row for row in aggregation.count_for_commune(self.commune_a.pk, MAY_2026)}
        self.assertEqual(dict(by_source[CITY].values), CITY_EXPECTED)

    def test_random_sets_agree_with_the_reference(self) -> None:
        for seed in range(3):
            with self.subTest(seed=seed):
                self.assertSameCounts(random_dossiers(seed, 300))
                Dossier.objects.all().delete()
                DossierImport.objects.all().delete()

    def test_each_figure_lists_exactly_the_dossiers_it_counts(self) -> None:
        store(self.commune_a, [facts for facts, _ in BOUNDARY_CASES.values()])
        names = list(BOUNDARY_CASES)
        for key in FIGURE_KEYS:
            expected = {f"HS-{i}" for i, name in enumerate(names) if key in BOUNDARY_CASES[name][1]}
            listed = set(aggregation.dossiers_behind(self.commune_a.pk, MAY_2026, key).values_list("code", flat=True))
            self.assertEqual(listed, expected, key)

    def test_other_communes_dossiers_are_not_counted(self) -> None:
        store(self.commune_b, [facts for facts, _ in BOUNDARY_CASES.values()])
        self.assertEqual(aggregation.count_for_commune(self.commune_a.pk, MAY_2026), [])
