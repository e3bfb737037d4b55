"""Tests for reports.queries.grid: the city's period grid and its query counts."""

from reports import workflow
from reports.models import ReportStatus
from reports.queries.grid import period_grid
from tests import factories
from tests.reports.workflow_helpers import AFTER_DEADLINE, BEFORE_DEADLINE, DashboardTestCase, add_submission, at


class PeriodGridTests(DashboardTestCase):
    def test_every_commune_of_the_province_has_a_row_in_name_order(self) -> None:
        extra = factories.make_commune(10001, "Xã An Lư", self.province)
        with at(BEFORE_DEADLINE):
            grid = period_grid(self.grid_period())
        self.assertEqual([row.commune for row in grid.rows], [extra, self.commune_b, self.commune_a])
        self.assertEqual(grid.total, 3)
        self.assertEqual(
            [(row.status, row.status_label) for row in grid.rows],
            [("missing", "Chưa lập"), ("draft", "Dự thảo"), ("draft", "Dự thảo")],
        )
        self.assertIsNone(grid.rows[0].report)
        self.assertNotIn(self.commune_c, [row.commune for row in grid.rows])

    def test_counts_per_status_and_late(self) -> None:
        self.drive(self.report_a, ReportStatus.ACCEPTED)
        factories.make_commune(10001, "Xã An Lư", self.province)
        with at(AFTER_DEADLINE):
            grid = period_grid(self.grid_period())
        self.assertEqual(grid.counts, {"accepted": 1, "draft": 1, "missing": 1, "late": 2})

    def test_late_flags(self) -> None:
        on_time_then_returned = factories.make_commune(10001, "Xã Một", self.province)
        late_submission = factories.make_commune(10002, "Xã Hai", self.province)
        amended = factories.make_commune(10003, "Xã Ba", self.province)
        missing = factories.make_commune(10004, "Xã Bốn", self.province)
        returned = factories.make_report(on_time_then_returned, self.period, status=ReportStatus.RETURNED)
        add_submission(returned, on_time=True)
        submitted_late = factories.make_report(late_submission, self.period, status=ReportStatus.SUBMITTED)
        add_submission(submitted_late, on_time=False)
        # An amendment reopens an accepted report as a draft: its first submission was on time.
        reopened = self.drive(factories.make_report(amended, self.period), ReportStatus.ACCEPTED)
        workflow.amend_report(reopened, by=self.leader_a, reason="Đính chính.")
        expected_before = {"Xã Một": False, "Xã Hai": True, "Xã Ba": False, "Xã Bốn": False}
        expected_after = expected_before | {"Xã Bốn": True, self.commune_a.name: True, self.commune_b.name: True}
        for moment, expected in ((BEFORE_DEADLINE, expected_before), (AFTER_DEADLINE, expected_after)):
            with self.subTest(moment=moment), at(moment):
                late = {row.commune.name: row.late for row in period_grid(self.grid_period()).rows}
                for name, flag in expected.items():
                    self.assertEqual(late[name], flag, name)
        self.assertTrue(missing)

    def test_the_status_filter(self) -> None:
        self.drive(self.report_a, ReportStatus.SUBMITTED)
        factories.make_commune(10001, "Xã An Lư", self.province)
        expected = {
            "submitted": [self.commune_a.name],
            "draft": [self.commune_b.name],
            "missing": ["Xã An Lư"],
            "late": ["Xã An Lư", self.commune_b.name],
            "issued": [],
            "": ["Xã An Lư", self.commune_b.name, self.commune_a.name],
            "nonsense": ["Xã An Lư", self.commune_b.name, self.commune_a.name],
        }
        for status, names in expected.items():
            with self.subTest(status=status), at(AFTER_DEADLINE):
                grid = period_grid(self.grid_period(), status=status)
                self.assertEqual([row.commune.name for row in grid.rows], names)
                # Counts describe the whole period whatever the filter.
                self.assertEqual(grid.counts["missing"], 1)

    def test_the_query_count_does_not_grow_with_communes(self) -> None:
        self.add_communes(1)  # 3 communes in Hải Phòng
        period = self.grid_period()
        with self.assertNumQueries(2):
            small = period_grid(period)
        self.add_communes(30, start=30000)  # 33 communes
        with self.assertNumQueries(2):
            large = period_grid(period)
        self.assertEqual((small.total, large.total), (3, 33))
