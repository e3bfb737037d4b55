"""Two threads racing through the workflow on PostgreSQL: one claim wins, numbers never repeat or skip.

Run with DATABASE_URL pointing at PostgreSQL; on SQLite, which serialises every write transaction
(transaction_mode IMMEDIATE), these races cannot happen and the tests are skipped.
"""

import threading
import unittest
from collections.abc import Callable
from datetime import date, datetime, time, timedelta
from functools import partial
from typing import Any

from django.core.exceptions import ValidationError
from django.db import connection
from django.test import TransactionTestCase

from communes.models import Role
from reports import workflow
from reports.models import DocumentNumberCounter, EventKind, Report, ReportStatus, Submission
from tests import factories
from tests.reports.workflow_helpers import VN, at

ISSUED_ON = date(2026, 5, 15)
ROUNDS = 5  # each race is run a few times, with fresh rows, to give the interleavings a chance


def race(*calls: Callable[[], Any]) -> list[Any]:
    """Start every call at the same moment, each in its own thread with its own connection;
    return what each returned or raised, in order."""
    barrier = threading.Barrier(len(calls))
    results: list[Any] = [None] * len(calls)

    def run(index: int, call: Callable[[], Any]) -> None:
        try:
            barrier.wait(timeout=10)
            results[index] = call()
        except Exception as error:  # the loser's ValidationError is a result, not a failure
            results[index] = error
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i, call)) for i, call in enumerate(calls)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
        if thread.is_alive():
            raise AssertionError("a racing thread did not finish: a deadlock?")
    return results


def outcome(results: list[Any]) -> tuple[int, list[Exception]]:
    errors = [r for r in results if isinstance(r, Exception)]
    unexpected = [e for e in errors if not isinstance(e, ValidationError)]
    if unexpected:
        raise unexpected[0]
    return len(results) - len(errors), errors


@unittest.skipUnless(
    connection.vendor == "postgresql",
    "Concurrency tests need PostgreSQL: run with DATABASE_URL=postgres://… (SQLite serialises all writes).",
)
class WorkflowConcurrencyTests(TransactionTestCase):
    def setUp(self) -> None:
        province = factories.make_province(31, "Thành phố Hải Phòng")
        self.commune = factories.make_commune(11809, "Xã Hùng Thắng", province)
        self.leader = factories.make_user("lanhdao.a", Role.COMMUNE_LEADER, commune=self.commune)
        self.officer = factories.make_user("canbo.a", Role.COMMUNE_OFFICER, commune=self.commune, can_submit=True)
        self.reviewer = factories.make_user("trungtam", Role.CITY_REVIEWER, province=province)
        self.second_reviewer = factories.make_user("trungtam.2", Role.CITY_REVIEWER, province=province)
        self.regime = factories.make_regime(province)

    def report(self, slug: str, status: str) -> Report:
        """Submitted and accepted on the morning after its period ends."""
        period = factories.make_period(self.regime, slug)
        report = factories.make_report(self.commune, period)
        with at(datetime.combine(period.end + timedelta(days=1), time(9, 0), tzinfo=VN)):
            if status == ReportStatus.DRAFT:
                return report
            workflow.submit_report(report, by=self.leader)
            if status == ReportStatus.SUBMITTED:
                return report
            workflow.accept_report(report, by=self.reviewer)
        return report

    def copy(self, report: Report) -> Report:
        """Each thread loads its own instance, as two requests would."""
        return Report.objects.select_related("commune", "period__regime").get(pk=report.pk)

    def test_two_reviewers_accepting_the_same_report_one_wins(self) -> None:
        for round_ in range(ROUNDS):
            with self.subTest(round=round_):
                report = self.report(f"2026-{round_ + 1:02d}", ReportStatus.SUBMITTED)
                first, second = self.copy(report), self.copy(report)
                results = race(
                    partial(workflow.accept_report, first, by=self.reviewer),
                    partial(workflow.accept_report, second, by=self.second_reviewer),
                )
                winners, errors = outcome(results)
                self.assertEqual(winners, 1)
                # The loser is told the report is accepted: the same answer as a second click.
                self.assertIsInstance(errors[0], workflow.AlreadyDone)
                self.assertEqual(errors[0].messages, ["Báo cáo đã được tiếp nhận."])
                self.assertEqual(Report.objects.get(pk=report.pk).status, ReportStatus.ACCEPTED)
                self.assertEqual(report.events.filter(kind=EventKind.ACCEPTED).count(), 1)

    def test_accepting_and_returning_at_once_one_decision_stands(self) -> None:
        for round_ in range(ROUNDS):
            with self.subTest(round=round_):
                report = self.report(f"2026-{round_ + 1:02d}", ReportStatus.SUBMITTED)
                first, second = self.copy(report), self.copy(report)
                results = race(
                    partial(workflow.accept_report, first, by=self.reviewer),
                    partial(workflow.return_report, second, by=self.second_reviewer, reason="Sửa lại."),
                )
                winners, _ = outcome(results)
                self.assertEqual(winners, 1)
                stored = Report.objects.get(pk=report.pk)
                decisions = report.events.filter(kind__in=(EventKind.ACCEPTED, EventKind.RETURNED))
                self.assertEqual(list(decisions.values_list("kind", flat=True)), [stored.status])

    def test_two_clicks_on_submit_make_one_submission(self) -> None:
        for round_ in range(ROUNDS):
            with self.subTest(round=round_):
                report = self.report(f"2026-{round_ + 1:02d}", ReportStatus.DRAFT)
                first, second = self.copy(report), self.copy(report)
                results = race(
                    partial(workflow.submit_report, first, by=self.leader),
                    partial(workflow.submit_report, second, by=self.officer),
                )
                winners, _ = outcome(results)
                self.assertEqual(winners, 1)
                self.assertEqual(Submission.objects.filter(report=report).count(), 1)

    def test_issuing_two_reports_of_a_commune_at_once_gives_consecutive_numbers(self) -> None:
        for round_ in range(ROUNDS * 2):
            # Even rounds: the year's register does not exist yet and the race creates it.
            # Odd rounds: the register already holds 7 numbers, as it usually does.
            year = 2000 + round_
            start = 0 if round_ % 2 == 0 else 7
            with self.subTest(round=round_, register_before=start):
                if start:
                    DocumentNumberCounter.objects.create(commune=self.commune, year=year, last_number=start)
                february = self.report(f"{year}-02", ReportStatus.ACCEPTED)
                march = self.report(f"{year}-03", ReportStatus.ACCEPTED)
                a, b = self.copy(february), self.copy(march)
                results = race(
                    partial(workflow.issue_report, a, by=self.leader, issued_on=date(year, 3, 20)),
                    partial(workflow.issue_report, b, by=self.officer, issued_on=date(year, 3, 20)),
                )
                winners, _ = outcome(results)
                self.assertEqual(winners, 2)
                numbers = sorted(Report.objects.filter(pk__in=(february.pk, march.pk)).values_list("number", flat=True))
                self.assertEqual(numbers, [start + 1, start + 2])
                counter = DocumentNumberCounter.objects.get(commune=self.commune, year=year)
                self.assertEqual(counter.last_number, start + 2)

    def test_issuing_the_same_report_twice_at_once_uses_one_number(self) -> None:
        for round_ in range(ROUNDS):
            with self.subTest(round=round_):
                report = self.report(f"2026-{round_ + 1:02d}", ReportStatus.ACCEPTED)
                first, second = self.copy(report), self.copy(report)
                counter_before = (
                    DocumentNumberCounter.objects.filter(commune=self.commune, year=2026)
                    .values_list("last_number", flat=True)
                    .first()
                    or 0
                )
                results = race(
                    partial(workflow.issue_report, first, by=self.leader, issued_on=ISSUED_ON),
                    partial(workflow.issue_report, second, by=self.officer, issued_on=ISSUED_ON),
                )
                winners, _ = outcome(results)
                self.assertEqual(winners, 1)
                stored = Report.objects.get(pk=report.pk)
                self.assertEqual(stored.number, counter_before + 1)
                counter = DocumentNumberCounter.objects.get(commune=self.commune, year=2026)
                self.assertEqual(counter.last_number, counter_before + 1)
                self.assertEqual(report.events.filter(kind=EventKind.ISSUED).count(), 1)
