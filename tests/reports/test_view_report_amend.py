"""Tests for the report_amend view: POST /reports/<id>/amend/."""

from datetime import date

from django.contrib.messages import get_messages

from reports.models import Report, ReportStatus, ReportVersion
from tests.reports.workflow_helpers import WorkflowTestCase

OUTSIDERS = ("officer_b", "leader_b", "officer_c", "other_reviewer", "outsider")
NOT_ALLOWED = ("officer_a", "reviewer", "city_admin", "superuser")


class ReportAmendTests(WorkflowTestCase):
    def setUp(self) -> None:
        super().setUp()
        self.report = self.drive(self.report_a, ReportStatus.ISSUED, issued_on=date(2026, 5, 15))
        self.url = f"/reports/{self.report.pk}/amend/"
        self.before = self.snapshot(self.report)
        self.valid = {"reason": "Đính chính số liệu PAKN theo cổng quốc gia."}

    def assertUnchanged(self) -> None:  # noqa: N802
        self.assertEqual(self.snapshot(self.report), self.before)
        self.assertFalse(ReportVersion.objects.exists())

    def test_anonymous_is_sent_to_log_in(self) -> None:
        self.assertLoginRedirect(self.client.post(self.url, self.valid), self.url)
        self.assertUnchanged()

    def test_outsiders_get_404(self) -> None:
        for name in OUTSIDERS:
            with self.subTest(user=name):
                self.login(getattr(self, name))
                self.assertEqual(self.client.post(self.url, self.valid).status_code, 404)
        self.assertUnchanged()

    def test_an_officer_without_permission_and_city_roles_get_403(self) -> None:
        for name in NOT_ALLOWED:
            with self.subTest(user=name):
                self.login(getattr(self, name))
                self.assertEqual(self.client.post(self.url, self.valid).status_code, 403)
        self.assertUnchanged()

    def test_a_report_neither_accepted_nor_issued_gives_403(self) -> None:
        report = self.drive(self.report_b, ReportStatus.SUBMITTED)
        self.login(self.leader_b)
        response = self.client.post(f"/reports/{report.pk}/amend/", self.valid)
        self.assertContains(response, "Chỉ đính chính báo cáo đã được tiếp nhận hoặc đã ban hành.", status_code=403)
        self.assertEqual(Report.objects.get(pk=report.pk).status, ReportStatus.SUBMITTED)

    def test_get_is_not_allowed(self) -> None:
        self.login(self.leader_a)
        self.assertEqual(self.client.get(self.url).status_code, 405)
        self.assertUnchanged()

    def test_a_reason_is_mandatory(self) -> None:
        self.login(self.leader_a)
        for data in ({}, {"reason": ""}, {"reason": "  \r\n "}):
            with self.subTest(data=data):
                response = self.client.post(self.url, data, follow=True)
                self.assertEqual(response.status_code, 200)
                self.assertContains(response, "Phải nêu lý do đính chính.")
        self.assertUnchanged()

    def test_the_leader_amends_an_issued_report(self) -> None:
        self.login(self.leader_a)
        response = self.client.post(self.url, self.valid)
        self.assertRedirects(response, f"/reports/{self.report.pk}/", fetch_redirect_response=False)
        self.assertEqual(
            [str(m) for m in get_messages(response.wsgi_request)],
            ["Đã mở đính chính: báo cáo trở lại dự thảo, phiên bản cũ được lưu giữ."],
        )
        stored = Report.objects.get(pk=self.report.pk)
        self.assertEqual((stored.status, stored.revision, stored.number, stored.issued_on), ("draft", 1, None, None))
        version = ReportVersion.objects.get()
        self.assertEqual(
            (version.number, version.issued_on, version.reason), (1, date(2026, 5, 15), self.valid["reason"])
        )

    def test_an_officer_allowed_to_submit_amends_an_accepted_report(self) -> None:
        report = self.drive(self.report_b, ReportStatus.ACCEPTED)
        self.login(self.leader_b)
        response = self.client.post(f"/reports/{report.pk}/amend/", self.valid)
        self.assertEqual(response.status_code, 302)
        self.assertEqual(Report.objects.get(pk=report.pk).status, ReportStatus.DRAFT)
        self.login(self.submitting_officer_a)
        self.assertEqual(self.client.post(self.url, self.valid).status_code, 302)
        self.assertEqual(Report.objects.get(pk=self.report.pk).revision, 1)
