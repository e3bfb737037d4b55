"""Tests for the comment_answer view: POST /reports/comments/<id>/answer/."""

from django.contrib.messages import get_messages

from reports import workflow
from reports.models import EventKind, ReportStatus, ReviewComment
from tests.reports.workflow_helpers import WorkflowTestCase

OUTSIDERS = ("officer_b", "leader_b", "officer_c", "other_reviewer", "outsider")
CITY = ("reviewer", "city_admin", "superuser")


class CommentAnswerTests(WorkflowTestCase):
    def setUp(self) -> None:
        super().setUp()
        report = self.drive(self.report_a, ReportStatus.SUBMITTED)
        workflow.return_report(
            report,
            by=self.reviewer,
            reason="Xem lại số liệu.",
            comments=[workflow.CommentInput("figure:values.pakn_received", "Số PAKN chưa khớp.")],
        )
        self.report = self.fresh(report)
        self.comment = ReviewComment.objects.get(report=self.report)
        self.url = f"/reports/comments/{self.comment.pk}/answer/"
        self.valid = {"answer": "Đã đối chiếu, số liệu đúng."}
        self.before = self.snapshot(self.report)

    def assertUnchanged(self) -> None:  # noqa: N802
        self.assertEqual(self.snapshot(self.report), self.before)

    def test_anonymous_is_sent_to_log_in(self) -> None:
        self.assertLoginRedirect(self.client.post(self.url, self.valid), self.url)
        self.assertUnchanged()

    def test_outsiders_get_404_and_city_roles_403(self) -> None:
        for names, status in ((OUTSIDERS, 404), (CITY, 403)):
            for name in names:
                with self.subTest(user=name):
                    self.login(getattr(self, name))
                    self.assertEqual(self.client.post(self.url, self.valid).status_code, status)
        self.assertUnchanged()

    def test_a_report_that_left_the_commune_gives_403(self) -> None:
        workflow.submit_report(self.report, by=self.leader_a)
        before = self.snapshot(self.report)
        self.login(self.officer_a)
        response = self.client.post(self.url, self.valid)
        self.assertContains(response, "Chỉ trả lời ý kiến khi báo cáo đang được chỉnh sửa.", status_code=403)
        self.assertEqual(self.snapshot(self.report), before)

    def test_get_is_not_allowed(self) -> None:
        self.login(self.officer_a)
        self.assertEqual(self.client.get(self.url).status_code, 405)

    def test_an_unknown_comment_is_404(self) -> None:
        self.login(self.officer_a)
        self.assertEqual(self.client.post("/reports/comments/999999/answer/", self.valid).status_code, 404)

    def test_an_empty_answer_is_refused(self) -> None:
        self.login(self.officer_a)
        for data in ({}, {"answer": ""}, {"answer": "   "}):
            with self.subTest(data=data):
                response = self.client.post(self.url, data, follow=True)
                self.assertEqual(response.status_code, 200)
                self.assertContains(response, "Nội dung trả lời không được để trống.")
        self.assertUnchanged()

    def test_the_officer_answers(self) -> None:
        self.login(self.officer_a)
        response = self.client.post(self.url, self.valid)
        self.assertRedirects(response, f"/reports/{self.report.pk}/", fetch_redirect_response=False)
        self.assertEqual([str(m) for m in get_messages(response.wsgi_request)], ["Đã lưu trả lời ý kiến."])
        self.comment.refresh_from_db()
        self.assertEqual((self.comment.answer, self.comment.answered_by), (self.valid["answer"], self.officer_a))
        event = self.report.events.get(kind=EventKind.COMMENT_ANSWERED)
        self.assertEqual((event.by, event.note), (self.officer_a, self.valid["answer"]))

    def test_a_second_answer_does_not_overwrite_the_first(self) -> None:
        self.login(self.officer_a)
        self.client.post(self.url, self.valid)
        self.login(self.leader_a)
        response = self.client.post(self.url, {"answer": "Khác."}, follow=True)
        self.assertContains(response, "Ý kiến này đã được trả lời")
        self.comment.refresh_from_db()
        self.assertEqual(self.comment.answer, self.valid["answer"])

    def test_the_report_page_shows_the_reason_for_returning_only_while_returned(self) -> None:
        self.login(self.officer_a)
        response = self.client.get(f"/reports/{self.report.pk}/")
        self.assertContains(response, 'id="return-reason"')
        self.assertContains(response, "Lý do: Xem lại số liệu.")
        self.assertContains(response, "Số PAKN chưa khớp.")
        workflow.submit_report(self.report, by=self.leader_a)
        self.assertNotContains(self.client.get(f"/reports/{self.report.pk}/"), 'id="return-reason"')

    def test_the_edit_page_shows_the_comments_and_answers_them_there(self) -> None:
        self.login(self.officer_a)
        response = self.client.get(f"/reports/{self.report.pk}/edit/")
        self.assertContains(response, "Ý kiến thẩm định cần xử lý")
        self.assertContains(response, "Số PAKN chưa khớp.")
        # The answer form comes before the report form, never nested inside it.
        page = response.content.decode()
        self.assertLess(page.index(f"/reports/comments/{self.comment.pk}/answer/"), page.index('id="report-form"'))
        response = self.client.post(
            f"/reports/comments/{self.comment.pk}/answer/", {"answer": "Đã sửa.", "next": "edit"}
        )
        self.assertRedirects(response, f"/reports/{self.report.pk}/edit/", fetch_redirect_response=False)


class IssuedReportHeaderTests(WorkflowTestCase):
    def test_the_report_page_shows_the_number_and_date_once_issued(self) -> None:
        report = self.drive(self.report_a, ReportStatus.ISSUED)
        self.login(self.officer_a)
        response = self.client.get(f"/reports/{report.pk}/")
        self.assertContains(response, f"Số: 01/BC-UBND, ngày {report.issued_on:%d/%m/%Y}")
