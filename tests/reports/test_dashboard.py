"""Tests for reports.dashboard: the city's period grid and everyone's inbox, and their query counts."""

from reports import dashboard, workflow
from reports.models import Report, ReportStatus
from tests import factories
from tests.reports.workflow_helpers import AFTER_DEADLINE, BEFORE_DEADLINE, DashboardTestCase, add_submission, at


class PeriodGridTests(DashboardTestCase):
    def test_every_commune_of_the_province_has_a_row_in_name_order(self) -> None:
        extra = factories.make_commune(10001, "Xã An Lư", self.province)
        with at(BEFORE_DEADLINE):
            grid = dashboard.period_grid(self.grid_period())
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
            grid = dashboard.period_grid(self.grid_period())
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
                late = {row.commune.name: row.late for row in dashboard.period_grid(self.grid_period()).rows}
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
                grid = dashboard.period_grid(self.grid_period(), status=status)
                self.assertEqual([row.commune.name for row in grid.rows], names)
                # Counts describe the whole period whatever the filter.
                self.assertEqual(grid.counts["missing"], 1)

    def test_the_query_count_does_not_grow_with_communes(self) -> None:
        self.add_communes(1)  # 3 communes in Hải Phòng
        period = self.grid_period()
        with self.assertNumQueries(2):
            small = dashboard.period_grid(period)
        self.add_communes(30, start=30000)  # 33 communes
        with self.assertNumQueries(2):
            large = dashboard.period_grid(period)
        self.assertEqual((small.total, large.total), (3, 33))


class InboxTests(DashboardTestCase):
    def test_nobody_without_a_role_has_an_inbox(self) -> None:
        self.assertEqual(dashboard.inbox_for(None), [])
        self.assertEqual(dashboard.inbox_for(self.city_admin.membership), [])

    def titles(self, user) -> dict[str, list[int]]:  # type: ignore[no-untyped-def]
        return {item.title: [r.pk for r in item.reports] for item in dashboard.inbox_for(user.membership)}

    def test_the_officer_sees_returned_overdue_due_accepted_and_unsigned(self) -> None:
        january = self.drive(
            factories.make_report(self.commune_a, factories.make_period(self.regime, "2026-01")), ReportStatus.ISSUED
        )
        april = factories.make_report(self.commune_a, factories.make_period(self.regime, "2026-04"))
        march = self.drive(
            factories.make_report(self.commune_a, factories.make_period(self.regime, "2026-03")), ReportStatus.RETURNED
        )
        february = self.drive(
            factories.make_report(self.commune_a, factories.make_period(self.regime, "2026-02")), ReportStatus.ACCEPTED
        )
        with at(BEFORE_DEADLINE):
            self.assertEqual(
                self.titles(self.officer_a),
                {
                    "Bị trả lại, cần chỉnh sửa": [march.pk],
                    "Quá hạn gửi": [april.pk],
                    "Đến hạn gửi": [self.report_a.pk],
                    "Đã tiếp nhận, chờ cấp số": [february.pk],
                    "Đã cấp số, chờ tải bản đã ký": [january.pk],
                },
            )

    def test_leaders_and_officers_allowed_to_submit_see_what_waits_for_them(self) -> None:
        returned = self.drive(self.report_a, ReportStatus.RETURNED)
        with at(BEFORE_DEADLINE):
            for user in (self.leader_a, self.submitting_officer_a):
                with self.subTest(user=user.username):
                    items = dashboard.inbox_for(user.membership)
                    self.assertEqual(items[0].title, "Chờ bạn xem và gửi")
                    self.assertEqual([r.pk for r in items[0].reports], [returned.pk])
                    self.assertEqual(items[0].count, 1)
            self.assertNotIn("Chờ bạn xem và gửi", self.titles(self.officer_a))

    def test_the_reviewer_sees_the_submitted_reports_of_their_province_only(self) -> None:
        submitted = self.drive(self.report_a, ReportStatus.SUBMITTED)
        regime_c = factories.make_regime(self.other_province, name="Báo cáo Hà Nội")
        report_c = factories.make_report(self.commune_c, factories.make_period(regime_c), status="submitted")
        self.assertEqual(self.titles(self.reviewer), {"Chờ thẩm định": [submitted.pk]})
        self.assertEqual(self.titles(self.other_reviewer), {"Chờ thẩm định": [report_c.pk]})

    def test_an_empty_inbox_has_no_items(self) -> None:
        Report.objects.filter(commune=self.commune_a).update(status=ReportStatus.SUBMITTED)
        self.assertEqual(self.titles(self.officer_a), {})

    def test_the_query_count_does_not_grow_with_communes_or_reports(self) -> None:
        def count_queries(user) -> None:  # type: ignore[no-untyped-def]
            membership = type(user.membership).objects.get(pk=user.membership.pk)
            with self.assertNumQueries(2 if membership.is_commune_role else 1):
                items = dashboard.inbox_for(membership)
                for item in items:
                    for report in item.reports:
                        str(report.commune), report.period.label  # what the home page shows

        self.add_communes(1)
        for user in (self.officer_a, self.leader_a, self.reviewer):
            count_queries(user)
        self.add_communes(30, start=30000)
        for slug in ("2026-01", "2026-02", "2026-03", "2026-04"):
            factories.make_report(self.commune_a, factories.make_period(self.regime, slug))
        for user in (self.officer_a, self.leader_a, self.reviewer):
            count_queries(user)
