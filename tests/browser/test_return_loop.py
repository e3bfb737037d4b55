"""The return–answer–resend loop on the edit page: the reviewer pins a comment to a row from the
report shown on the review page, the officer sees the reason and the marked row on the edit page
and answers there, and the leader sends the report again."""

import io

from django.core.management import call_command

from communes.demo import DEMO_PASSWORD, create_demo_accounts
from reports import workflow
from reports.demo import load_demo_reports
from reports.models import Report, ReportStatus, ReviewComment
from tests.browser.base import BrowserTestCase

REASON = "Số liệu dòng 1 chưa khớp hệ thống của thành phố."
COMMENT = "Kiểm tra lại số hồ sơ trực tuyến của dòng này."
ANSWER = "Xã đã đối chiếu và sửa lại số liệu."


class ReturnLoopTests(BrowserTestCase):
    def setUp(self) -> None:
        super().setUp()
        call_command("load_communes", "--province", "31", stdout=io.StringIO())
        create_demo_accounts()
        load_demo_reports()
        self.report = Report.objects.get(commune_id=11809)
        leader = self.report.commune.memberships.get(role="commune_leader").user
        workflow.submit_report(self.report, by=leader)

    def log_in(self, username: str) -> None:
        self.context.clear_cookies()
        self.login(username, DEMO_PASSWORD)

    def confirm(self, action: str) -> None:
        dialog = self.page.locator("#confirm-dialog")
        dialog.wait_for()
        self.click_and_wait(dialog.get_by_role("button", name=action))

    def test_return_answer_on_the_edit_page_and_resend(self) -> None:
        page = self.page
        # The reviewer reads the report on the review page and pins a comment to its first row.
        self.log_in("trungtam.haiphong")
        page.goto(self.url(f"/reports/{self.report.pk}/review/"))
        page.locator("#reviewed-report").wait_for()
        self.click_and_wait(page.locator("#reviewed-results tbody tr").first.get_by_role("link", name="Ý kiến"))
        page.fill("#id_reason", REASON)
        page.locator(".comment-row textarea").first.fill(COMMENT)
        page.click("#return-button")
        self.confirm("Trả lại")
        page.locator(".alert-success", has_text="Đã trả lại báo cáo").wait_for()
        comment = ReviewComment.objects.get(report=self.report)
        self.assertEqual(comment.anchor, "figure:results.0")

        # The officer sees the reason and the marked row on the edit page, and answers there.
        self.log_in("canbo.hungthang")
        page.goto(self.url(f"/reports/{self.report.pk}/edit/"))
        self.assertIn(REASON, page.inner_text("#return-reason"))
        self.assertGreater(page.locator("#results-rows tr").first.locator("input.commented").count(), 0)
        page.fill(f"#answer-{comment.pk}", ANSWER)
        self.click_and_wait(page.locator(f"#comment-{comment.pk}").get_by_role("button", name="Trả lời"))
        page.locator(".alert-success", has_text="Đã lưu trả lời ý kiến").wait_for()
        self.assertTrue(page.url.endswith(f"/reports/{self.report.pk}/edit/"))
        self.assertIn(ANSWER, page.inner_text("#review-comments"))

        # The leader sends it again.
        self.log_in("lanhdao.hungthang")
        page.goto(self.url(f"/reports/{self.report.pk}/"))
        page.get_by_role("button", name="Gửi báo cáo lên thành phố").click()
        self.confirm("Gửi báo cáo")
        page.locator(".alert-success", has_text="Đã gửi báo cáo").wait_for()
        self.report.refresh_from_db()
        self.assertEqual(self.report.status, ReportStatus.SUBMITTED)
        self.assertEqual(self.report.submissions.count(), 2)
