"""Tests for reports.queries.home: everyone's inbox and its query counts."""

from reports import workflow
from reports.models import Report, ReportStatus
from reports.queries import home
from tests import factories
from tests.reports.workflow_helpers import AFTER_DEADLINE, BEFORE_DEADLINE, DashboardTestCase, at, unbalanced_figures


class InboxTests(DashboardTestCase):
    def test_nobody_without_a_role_has_an_inbox(self) -> None:
        self.assertEqual(home.inbox_for(None), [])
        self.assertEqual(home.inbox_for(self.city_admin.membership), [])

    def titles(self, user) -> dict[str, list[int]]:  # type: ignore[no-untyped-def]
        return {item.title: [r.pk for r in item.reports] for item in home.inbox_for(user.membership)}

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
                    items = home.inbox_for(user.membership)
                    self.assertEqual(items[0].title, "Chờ bạn xem và gửi")
                    self.assertEqual([r.pk for r in items[0].reports], [returned.pk])
                    self.assertEqual(items[0].count, 1)
            self.assertNotIn("Chờ bạn xem và gửi", self.titles(self.officer_a))

    def test_the_leader_sees_each_report_once_with_why_and_whether_it_can_be_sent(self) -> None:
        returned = self.drive(self.report_a, ReportStatus.RETURNED)
        april = factories.make_report(self.commune_a, factories.make_period(self.regime, "2026-04"))
        blocked = factories.make_report(self.commune_a, factories.make_period(self.regime, "2026-06"))
        Report.objects.filter(pk=blocked.pk).update(figures=unbalanced_figures())
        with at(BEFORE_DEADLINE):
            items = home.inbox_for(self.leader_a.membership)
        shown = [r.pk for item in items for r in item.reports]
        self.assertEqual(sorted(shown), sorted({returned.pk, april.pk, blocked.pk}))
        self.assertEqual([item.title for item in items], ["Chờ bạn xem và gửi"])
        notes = {report.pk: note for report, note in items[0].shown_with_notes}
        self.assertEqual(notes[returned.pk].text, "bị trả lại")
        self.assertEqual(notes[april.pk].text, "quá hạn")
        self.assertTrue(notes[blocked.pk].blocked)
        self.assertIn("chưa gửi được: còn 1 lỗi số liệu", notes[blocked.pk].text)
        self.assertFalse(notes[returned.pk].blocked)

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
                items = home.inbox_for(membership)
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

    def test_an_amended_report_first_sent_on_time_is_due_not_overdue(self) -> None:
        accepted = self.drive(self.report_a, ReportStatus.ACCEPTED)
        workflow.amend_report(accepted, by=self.leader_a, reason="Đính chính số liệu.")
        with at(AFTER_DEADLINE):
            titles = self.titles(self.officer_a)
        self.assertEqual(titles.get("Đến hạn gửi"), [self.report_a.pk])
        self.assertNotIn("Quá hạn gửi", titles)
