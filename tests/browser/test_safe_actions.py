"""Safe actions in the browser: "Gửi" asks first and says what will happen, and a double click
sends the report once and shows its success, never the red "Chưa gửi được báo cáo"."""

from communes.models import Role
from reports.models import Report, ReportStatus, Submission
from tests import factories
from tests.browser.base import BrowserTestCase


class SafeActionTests(BrowserTestCase):
    def setUp(self) -> None:
        super().setUp()
        province = factories.make_province(31, "Thành phố Hải Phòng")
        commune = factories.make_commune(11809, "Xã Hùng Thắng", province)
        factories.make_user("lanhdao", Role.COMMUNE_LEADER, commune=commune)
        self.report = factories.make_report(commune, factories.make_period(factories.make_regime(province), "2026-05"))

    def test_a_double_clicked_send_asks_once_sends_once_and_reports_success(self) -> None:
        page = self.page
        self.login("lanhdao")
        page.goto(self.url(f"/reports/{self.report.pk}/"))
        page.get_by_role("button", name="Gửi báo cáo lên thành phố").dblclick()
        dialog = page.locator("#confirm-dialog")
        dialog.wait_for()
        self.assertIn("Trung tâm Phục vụ hành chính công thành phố", dialog.inner_text())
        self.assertEqual(Submission.objects.count(), 0)
        dialog.get_by_role("button", name="Gửi báo cáo").dblclick()
        page.locator(".alert-success", has_text="Đã gửi báo cáo").wait_for()
        self.assertEqual(page.locator(".alert-danger").count(), 0)
        self.assertEqual(Submission.objects.count(), 1)
        self.assertEqual(Report.objects.get(pk=self.report.pk).status, ReportStatus.SUBMITTED)

    def test_cancelling_sends_nothing(self) -> None:
        page = self.page
        self.login("lanhdao")
        page.goto(self.url(f"/reports/{self.report.pk}/"))
        page.get_by_role("button", name="Gửi báo cáo lên thành phố").click()
        page.locator("#confirm-dialog").get_by_role("button", name="Hủy").click()
        self.assertFalse(page.locator("#confirm-dialog").is_visible())
        self.assertEqual(Submission.objects.count(), 0)
        self.assertTrue(page.get_by_role("button", name="Gửi báo cáo lên thành phố").is_enabled())
