"""Figure kinds of exchange format version 2: dossiers by post, returned or withdrawn dossiers,
digitisation of inputs and of results, the commune's own-authority dossiers; version-1 files and
stored snapshots keep working."""

import copy
import importlib
from typing import Any

from django.test import SimpleTestCase

from communes.access import get_report_for_view
from reports.demo import SEED_FILES
from reports.exchange import export_report_data, import_report_data, read_report_file, schema_problems
from reports.figures import Severity, check_figures, compute_rates, parse_figures
from reports.models import Report
from reports.rendering.document import build_report_document
from tests.base import BaseTestCase

CITY = "Hệ thống thông tin giải quyết TTHC thành phố"
upgrade_snapshot = importlib.import_module("reports.migrations.0013_exchange_format_version_2").upgrade_snapshot


def row(**counts: int) -> dict[str, Any]:
    return {"source": CITY, "kind": "city", **counts}


def doc(*rows: dict[str, Any], **values: float) -> dict[str, Any]:
    return {"results": list(rows), "sector_agencies": [], "directives": [], "values": values}


def codes(data: dict[str, Any]) -> list[str]:
    return [finding.code for finding in check_figures(data) if finding.severity == Severity.ERROR]


class FigureKindTests(SimpleTestCase):
    def test_returned_dossiers_balance_the_row(self) -> None:
        balanced = row(online=6, direct=2, postal=2, on_time=7, pending_on_time=2, returned=1)
        self.assertEqual(codes(doc(balanced)), [])
        unexplained = {**balanced, "returned": 0}
        findings = [f for f in check_figures(doc(unexplained)) if f.code == "results.0.balance"]
        self.assertEqual(
            findings[0].message,
            "Tổng số tiếp nhận (10) phải bằng đã giải quyết (7) cộng đang giải quyết (2).",
        )
        too_many = {**balanced, "returned": 3}
        message = next(f.message for f in check_figures(doc(too_many)) if f.code == "results.0.balance")
        self.assertIn("cộng trả lại, rút hồ sơ (3)", message)

    def test_postal_counts_with_direct_in_column_5_and_in_the_online_rate(self) -> None:
        figures = parse_figures(doc(row(online=6, direct=2, postal=2, on_time=10)))
        total = figures.results[0]
        self.assertEqual((total.direct_or_postal, total.received_new, total.form_columns()[2]), (4, 10, 4))
        self.assertEqual(compute_rates(figures)["rate_online_submission"].value, 60)

    def test_own_authority_dossiers_cannot_exceed_all_received(self) -> None:
        rows = row(online=10, on_time=10)
        self.assertEqual(codes(doc(rows, dossiers_own_authority=10)), [])
        self.assertEqual(codes(doc(rows, dossiers_own_authority=11)), ["dossiers_own_authority.exceeds"])

    def test_digitisation_of_inputs_and_of_results_are_separate_rates(self) -> None:
        rates = compute_rates(
            parse_figures(
                doc(inputs_digitised=45, inputs_for_digitisation=50, results_digitised=30, results_for_digitisation=40)
            )
        )
        self.assertEqual(rates["rate_digitisation_inputs"].value, 90)
        self.assertEqual(rates["rate_digitisation_results"].value, 75)


class VersionTests(BaseTestCase):
    def document_texts(self, report: Report) -> list[str]:
        document = build_report_document(get_report_for_view(self.superuser, report.pk))
        return [document.subject, *(block.text for block in document.body)]

    def test_a_version_1_file_imports_and_renders_as_before(self) -> None:
        for path in SEED_FILES:
            with self.subTest(path=path.name):
                data = read_report_file(path)
                version_1 = copy.deepcopy(data)
                version_1["format_version"] = 1
                self.assertEqual(schema_problems(version_1), [])
                old = import_report_data(version_1)
                texts = self.document_texts(old)
                exported = export_report_data(old)
                self.assertEqual(exported["format_version"], 2)
                self.assertEqual({**exported, "format_version": 1}, version_1)
                old.delete()
                self.assertEqual(self.document_texts(import_report_data(data)), texts)

    def test_postal_and_returned_travel_in_version_2_files(self) -> None:
        data = read_report_file(SEED_FILES[0])
        first = data["figures"]["results"][0]
        first.update(direct=first["direct"] + 3, postal=2, pending_on_time=first["pending_on_time"] + 4, returned=1)
        self.assertEqual(schema_problems(data), [])
        report = import_report_data(data)
        exported = export_report_data(report)["figures"]["results"][0]
        self.assertEqual((exported["postal"], exported["returned"]), (2, 1))
        self.assertNotIn("postal", export_report_data(report)["figures"]["results"][1])

    def test_stored_version_1_snapshots_are_migrated_to_version_2(self) -> None:
        snapshot = {"format": "bao-cao-cchc", "format_version": 1, "figures": {"results": []}}
        self.assertEqual(upgrade_snapshot(snapshot), {**snapshot, "format_version": 2})
        current = {**snapshot, "format_version": 2}
        self.assertIs(upgrade_snapshot(current), current)
        self.assertEqual(upgrade_snapshot(None), None)
