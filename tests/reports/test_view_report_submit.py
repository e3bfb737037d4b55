"""Tests for the report_submit view: POST /reports/<id>/submit/."""

from django.contrib.messages import get_messages

from reports import services
from reports.models import Report, ReportStatus, Submission
from tests.reports.workflow_helpers import AFTER_DEADLINE, BEFORE_DEADLINE, WorkflowTestCase, at, unbalanced_figures


class ReportSubmitTests(WorkflowTestCase):
    def setUp(self) -> None:
        super().setUp()
        self.url = f"/reports/{self.report_a.pk}/submit/"
        self.before = self.snapshot(self.report_a)

    def assertUnchanged(self) -> None:  # noqa: N802
        self.assertEqual(self.snapshot(self.report_a), self.before)

    def test_anonymous_is_sent_to_log_in(self) -> None:
        for method in (self.client.post, self.client.get):
            with self.subTest(method=method.__name__):
                self.assertLoginRedirect(method(self.url), self.url)
        self.assertUnchanged()

    def test_staff_of_another_commune_or_province_get_404(self) -> None:
        for user in (self.officer_b, self.leader_b, self.officer_c, self.other_reviewer, self.outsider):
            with self.subTest(user=user.username):
                self.login(user)
                self.assertEqual(self.client.post(self.url).status_code, 404)
        self.assertUnchanged()

    def test_an_officer_without_permission_and_city_roles_get_403(self) -> None:
        for user in (self.officer_a, self.reviewer, self.city_admin, self.superuser):
            with self.subTest(user=user.username):
                self.login(user)
                response = self.client.post(self.url)
                self.assertEqual(response.status_code, 403)
        self.assertContains(response, "Chỉ lãnh đạo UBND cấp xã hoặc cán bộ được giao", status_code=403)
        self.assertUnchanged()

    def test_a_repeated_send_is_told_it_was_sent_and_changes_nothing(self) -> None:
        self.drive(self.report_a, ReportStatus.SUBMITTED)
        before = self.snapshot(self.report_a)
        self.login(self.leader_a)
        response = self.client.post(self.url)
        self.assertRedirects(response, f"/reports/{self.report_a.pk}/", fetch_redirect_response=False)
        (message,) = get_messages(response.wsgi_request)
        self.assertEqual(message.level_tag, "success")
        self.assertIn("Báo cáo đã được gửi lên thành phố lúc", str(message))
        self.assertEqual(self.snapshot(self.report_a), before)

    def test_an_accepted_report_cannot_be_sent_again(self) -> None:
        self.drive(self.report_a, ReportStatus.ACCEPTED)
        self.login(self.leader_a)
        self.assertContains(self.client.post(self.url), "không thể gửi", status_code=403)

    def test_get_is_not_allowed(self) -> None:
        self.login(self.leader_a)
        self.assertEqual(self.client.get(self.url).status_code, 405)
        self.assertUnchanged()

    def test_hard_rule_findings_keep_the_report_and_show_why(self) -> None:
        report = Report.objects.select_related("period__regime", "commune").get(pk=self.report_a.pk)
        services.save_draft(
            report,
            figures=unbalanced_figures(),
            narrative={},
            explanations={},
            expected_version=report.version,
            by=self.officer_a,
        )
        before = self.snapshot(self.report_a)
        self.login(self.leader_a)
        with at(BEFORE_DEADLINE):
            response = self.client.post(self.url, follow=True)
        self.assertEqual(response.redirect_chain, [(f"/reports/{self.report_a.pk}/", 302)])
        self.assertContains(response, "Chưa gửi được báo cáo: Tổng số tiếp nhận (5) phải bằng đã giải quyết (0)")
        self.assertEqual(self.snapshot(self.report_a), before)

    def test_the_leader_submits_on_time(self) -> None:
        self.login(self.leader_a)
        with at(BEFORE_DEADLINE):
            response = self.client.post(self.url)
        self.assertRedirects(response, f"/reports/{self.report_a.pk}/", fetch_redirect_response=False)
        self.assertEqual(
            [str(m) for m in get_messages(response.wsgi_request)],
            ["Đã gửi báo cáo lên Trung tâm Phục vụ hành chính công thành phố (đúng hạn)."],
        )
        self.assertEqual(Report.objects.get(pk=self.report_a.pk).status, ReportStatus.SUBMITTED)
        submission = Submission.objects.get(report=self.report_a)
        self.assertEqual((submission.submitted_by, submission.on_time), (self.leader_a, True))

    def test_an_officer_allowed_to_submit_submits_late(self) -> None:
        self.login(self.submitting_officer_a)
        with at(AFTER_DEADLINE):
            response = self.client.post(self.url, follow=True)
        self.assertContains(response, "(quá hạn)")
        submission = Submission.objects.get(report=self.report_a)
        self.assertEqual((submission.submitted_by, submission.on_time), (self.submitting_officer_a, False))

    def test_a_returned_report_is_resubmitted(self) -> None:
        self.drive(self.report_a, ReportStatus.RETURNED)
        self.login(self.leader_a)
        with at(BEFORE_DEADLINE):
            response = self.client.post(self.url)
        self.assertEqual(response.status_code, 302)
        self.assertEqual(Submission.objects.filter(report=self.report_a).count(), 2)
        self.assertEqual(Report.objects.get(pk=self.report_a.pk).status, ReportStatus.SUBMITTED)

    def test_an_unknown_report_is_404(self) -> None:
        self.login(self.leader_a)
        self.assertEqual(self.client.post("/reports/999999/submit/").status_code, 404)
