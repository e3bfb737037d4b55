"""The whole review journey with the demo accounts, as people do it in the browser: the officer
edits the seeded May 2026 report of Hùng Thắng, the leader submits it, the city reviewer returns
it with a comment pinned to a figure, the officer answers and fixes it, the leader resubmits, the
reviewer sees the change and accepts, the commune gives it a number and uploads the signed scan,
and the final PDF carries the number and date and no "DỰ THẢO"."""

import hashlib
import io
import shutil
import subprocess
import tempfile
import zoneinfo
from datetime import date, datetime
from pathlib import Path

import time_machine
from django.core.management import call_command
from django.test import override_settings
from pypdf import PdfWriter

from communes.demo import DEMO_PASSWORD, create_demo_accounts
from reports.demo import load_demo_reports
from reports.models import EventKind, Report, ReportStatus, ReviewComment, SignedScan
from tests.browser.base import SERVER_TIMEOUT_MS, BrowserTestCase

HANOI = zoneinfo.ZoneInfo("Asia/Ho_Chi_Minh")
# The May 2026 period covers 15/4–14/5 with the deadline on 18/5: on the 15th it is open.
TODAY = datetime(2026, 5, 15, 10, 0, tzinfo=HANOI)
ISSUED_ON = date(2026, 5, 15)
PERIOD = "tháng 5 năm 2026"
REGIME = "Báo cáo CCHC hằng tháng (mẫu Hùng Thắng)"
OFFICER, LEADER, REVIEWER = "canbo.hungthang", "lanhdao.hungthang", "trungtam.haiphong"
PAKN_LABEL = "Số phản ánh, kiến nghị đã tiếp nhận"
RETURN_REASON = "Số liệu phản ánh, kiến nghị chưa khớp với Hệ thống xử lý phản ánh, kiến nghị."
COMMENT = "Hệ thống ghi nhận 3 phản ánh, kiến nghị trong kỳ, trong đó 1 đang xử lý; đề nghị rà soát."
ANSWER = "Xã đã rà soát, bổ sung 1 phản ánh, kiến nghị đang xử lý."


class ReviewJourneyTests(BrowserTestCase):
    def setUp(self) -> None:
        self.media_root = tempfile.mkdtemp(prefix="journey-media-")
        self.addCleanup(shutil.rmtree, self.media_root, ignore_errors=True)
        media = override_settings(MEDIA_ROOT=self.media_root)
        media.enable()
        self.addCleanup(media.disable)
        # time_machine patches the clock of the whole process, the live server thread included.
        traveller = time_machine.travel(TODAY, tick=True)
        traveller.start()
        self.addCleanup(traveller.stop)
        super().setUp()
        # The demo data exactly as `make run` creates it.
        call_command("load_communes", "--province", "31", stdout=io.StringIO())
        create_demo_accounts()
        load_demo_reports()
        self.report = Report.objects.get(commune_id=11809, period__year=2026, period__number=5)
        self.assertEqual(self.report.status, ReportStatus.DRAFT)

    # --- Helpers: what a person does --------------------------------------------------------------

    def log_in_as(self, username: str) -> None:
        """Log out through the menu if someone is logged in, then log in through the form."""
        menu = self.page.locator("#mainNav .dropdown-toggle")
        if self.page.url.startswith(self.live_server_url) and menu.count():
            menu.click()
            self.page.get_by_role("button", name="Đăng xuất").click()
            self.page.wait_for_url("**/accounts/login/**")
        self.login(username, DEMO_PASSWORD)

    def confirm(self, action: str) -> None:
        """The confirmation says what will happen; its button names the action."""
        dialog = self.page.locator("#confirm-dialog")
        dialog.wait_for()
        self.assertTrue(dialog.locator("#confirm-dialog-message").inner_text())
        self.click_and_wait(dialog.get_by_role("button", name=action))

    def open_report_from_home(self) -> None:
        """From the commune's home page, the May report in the list of recent periods."""
        row = self.page.locator("tr", has_text=PERIOD.capitalize())
        row.get_by_role("link", name="Mở báo cáo").click()
        self.page.wait_for_url(self.url(f"/reports/{self.report.pk}/"))

    def edit_figures(self, values: dict[str, str]) -> None:
        page = self.page
        page.get_by_role("link", name="Sửa báo cáo").click()
        page.wait_for_selector("#report-form[data-ready=true]")
        for key, value in values.items():
            page.fill(f"input[name=values-{key}]", value)
        self.checked()
        self.click_and_wait("#save-button")
        page.locator(".alert-success", has_text="Đã lưu báo cáo").wait_for()
        page.get_by_role("link", name="Xem báo cáo").click()
        page.wait_for_url(self.url(f"/reports/{self.report.pk}/"))

    def status_is(self, label: str) -> None:
        self.page.locator("#report-status", has_text=label).wait_for()

    def screenshot(self, step: int, *, full_page: bool = False) -> None:
        """For a person to look at after a run; the test does not read them."""
        self.page.screenshot(path=f"/tmp/journey-{step}.png", full_page=full_page)

    # --- The journey -------------------------------------------------------------------------------

    def test_draft_to_issued_with_a_return_and_the_signed_scan(self) -> None:
        page = self.page

        # 1. The officer opens the seeded draft from the home page and records two PAKN figures.
        self.log_in_as(OFFICER)
        self.open_report_from_home()
        self.status_is("Dự thảo")
        self.edit_figures({"pakn_received": "2", "pakn_resolved": "2"})
        self.report.refresh_from_db()
        self.assertEqual(self.report.figures["values"]["pakn_received"], 2)
        self.screenshot(1)

        # 2. The leader finds it waiting for submission and sends it to the city.
        self.log_in_as(LEADER)
        page.locator("#inbox", has_text="Chờ bạn xem và gửi").get_by_role("link", name=PERIOD).first.click()
        page.wait_for_url(self.url(f"/reports/{self.report.pk}/"))
        page.get_by_role("button", name="Gửi báo cáo lên thành phố").click()
        self.confirm("Gửi báo cáo")
        page.locator(".alert-success", has_text="Đã gửi báo cáo lên Trung tâm").wait_for()
        self.status_is("Đã gửi")
        self.screenshot(2)

        # 3. The reviewer finds it in the inbox and returns it with a comment pinned to the figure.
        self.log_in_as(REVIEWER)
        self.screenshot(3, full_page=True)
        page.locator("#inbox", has_text="Chờ thẩm định").get_by_role("link", name=f"Xã Hùng Thắng – {PERIOD}").click()
        page.wait_for_url(self.url(f"/reports/{self.report.pk}/review/"))
        page.get_by_text("Đây là lần gửi đầu tiên.").wait_for()
        page.fill("#return-form textarea[name=reason]", RETURN_REASON)
        first_comment = page.locator("#return-form .comment-row").first
        anchor = first_comment.locator("select")
        labels = anchor.locator("option").all_inner_texts()
        pakn_option = next(label for label in labels if label.startswith("Số liệu:") and PAKN_LABEL in label)
        anchor.select_option(label=pakn_option)
        first_comment.locator("textarea").fill(COMMENT)
        self.screenshot(4, full_page=True)
        page.click("#return-button")
        self.confirm("Trả lại")
        page.locator(".alert-success", has_text="Đã trả lại báo cáo").wait_for()
        self.status_is("Bị trả lại")
        page.locator(".review-comment", has_text=COMMENT).wait_for()

        # 4. The officer sees the comment where it applies, answers it, fixes the figures and saves;
        # the leader resubmits.
        self.log_in_as(OFFICER)
        page.locator("#inbox", has_text="Bị trả lại, cần chỉnh sửa").get_by_role("link", name=PERIOD).first.click()
        page.wait_for_url(self.url(f"/reports/{self.report.pk}/"))
        self.status_is("Bị trả lại")
        comment = page.locator("#review-comments .review-comment", has_text=COMMENT)
        comment.wait_for()
        self.assertIn(PAKN_LABEL, comment.inner_text())
        self.assertIn(f"Lý do: {RETURN_REASON}", page.inner_text("#return-reason"))
        self.screenshot(5)
        comment.locator("textarea[name=answer]").fill(ANSWER)
        self.click_and_wait(comment.get_by_role("button", name="Trả lời"))
        page.locator(".alert-success", has_text="Đã lưu trả lời ý kiến").wait_for()
        page.locator("#review-comments .review-comment", has_text=ANSWER).wait_for()
        self.edit_figures({"pakn_received": "3", "pakn_in_progress": "1"})

        self.log_in_as(LEADER)
        self.open_report_from_home()
        page.get_by_role("button", name="Gửi báo cáo lên thành phố").click()
        self.confirm("Gửi báo cáo")
        page.locator(".alert-success", has_text="Đã gửi báo cáo lên Trung tâm").wait_for()
        self.status_is("Đã gửi")

        # 5. The reviewer sees what changed since the first submission, through the period grid
        # this time, and accepts.
        self.log_in_as(REVIEWER)
        period_row = page.locator("tr", has_text=PERIOD.capitalize()).filter(has_text=REGIME)
        period_row.get_by_role("link", name=PERIOD.capitalize(), exact=True).click()
        page.wait_for_selector("#period-grid")
        self.click_and_wait(page.get_by_role("link", name="Chờ thẩm định (1)"))
        # The commune's name in the grid opens its report for review.
        page.locator("#period-grid tr", has_text="Xã Hùng Thắng").get_by_role("link", name="Xã Hùng Thắng").click()
        page.wait_for_url(self.url(f"/reports/{self.report.pk}/review/"))
        changes = page.locator(".card", has=page.get_by_text("Thay đổi so với lần gửi trước", exact=True))
        changed_row = changes.locator("tr", has_text=PAKN_LABEL)
        changed_row.wait_for()
        self.assertEqual(changed_row.locator("td").all_inner_texts(), [PAKN_LABEL, "2", "3"])
        changes.locator("tr", has_text="Số phản ánh, kiến nghị đang xử lý").wait_for()
        page.locator(".review-comment", has_text=ANSWER).wait_for()
        self.screenshot(6, full_page=True)
        page.click("#accept-button")
        self.confirm("Tiếp nhận")
        page.locator(".alert-success", has_text="Đã tiếp nhận báo cáo").wait_for()
        self.status_is("Đã tiếp nhận")

        # 6. The officer records the issue date, gets number 01, and uploads the signed scan.
        self.log_in_as(OFFICER)
        page.locator("#inbox", has_text="Đã tiếp nhận, chờ cấp số").get_by_role("link", name=PERIOD).first.click()
        page.wait_for_url(self.url(f"/reports/{self.report.pk}/"))
        page.get_by_role("link", name="Cấp số, lưu bản ký").click()
        page.wait_for_url(self.url(f"/reports/{self.report.pk}/issue/"))
        page.fill("#id_issued_on", ISSUED_ON.isoformat())
        page.click("#issue-button")
        self.confirm("Cấp số")
        page.locator(".alert-success", has_text="Đã cấp số 01/BC-UBND").wait_for()
        self.assertEqual(page.inner_text("#issued-number"), "01/BC-UBND")
        page.get_by_text("Số: 01/BC-UBND, ngày 15/05/2026.").wait_for()

        scan = Path(self.media_root) / "upload" / "Bao-cao-thang-5-2026-da-ky.pdf"
        scan.parent.mkdir()
        writer = PdfWriter()
        writer.add_blank_page(595, 842)
        writer.write(scan)
        digest = hashlib.sha256(scan.read_bytes()).hexdigest()
        page.set_input_files("#id_file", str(scan))
        self.click_and_wait("#upload-button")
        page.locator(".alert-success", has_text="Đã lưu bản ký số hóa").wait_for()
        self.assertEqual(page.inner_text("#scan-link"), scan.name)
        page.locator("code", has_text=digest).first.wait_for()
        self.screenshot(7)
        # The stored scan comes back unchanged (its hash is verified on the way out).
        with page.expect_download(timeout=SERVER_TIMEOUT_MS) as scan_download:
            page.click("#scan-link")
        self.assertEqual(hashlib.sha256(Path(scan_download.value.path()).read_bytes()).hexdigest(), digest)

        # 7. The final PDF, downloaded from the report page: the number, the date, no draft mark.
        page.get_by_role("link", name="Về báo cáo").click()
        page.wait_for_url(self.url(f"/reports/{self.report.pk}/"))
        self.status_is("Đã ban hành")
        self.screenshot(8)
        with page.expect_download(timeout=SERVER_TIMEOUT_MS) as download_info:
            page.get_by_role("link", name="Tải PDF").click()
        final_pdf = Path(self.media_root) / "download" / download_info.value.suggested_filename
        download_info.value.save_as(final_pdf)
        text = subprocess.run(
            ["pdftotext", "-layout", str(final_pdf), "-"], capture_output=True, text=True, check=True
        ).stdout
        self.assertIn("Số: 01/BC-UBND", text)
        self.assertIn("Hùng Thắng, ngày 15 tháng 5 năm 2026", text)
        self.assertNotIn("DỰ THẢO", text)

        # And in the database.
        self.report.refresh_from_db()
        self.assertEqual((self.report.status, self.report.number), (ReportStatus.ISSUED, 1))
        self.assertEqual(self.report.issued_on, ISSUED_ON)
        self.assertEqual(self.report.figures["values"]["pakn_received"], 3)
        # Both submissions on time: the live server thread saw the travelled clock too.
        self.assertEqual(list(self.report.submissions.values_list("on_time", flat=True)), [True, True])
        stored_scan = SignedScan.objects.get(report=self.report)
        self.assertEqual(stored_scan.sha256, digest)
        comment_row = ReviewComment.objects.get(report=self.report)
        self.assertEqual(comment_row.anchor, "figure:values.pakn_received")
        self.assertEqual(comment_row.answer, ANSWER)
        self.assertEqual(comment_row.answered_by.username, OFFICER)
        workflow_kinds = [
            EventKind.SUBMITTED,
            EventKind.RETURNED,
            EventKind.SUBMITTED,
            EventKind.ACCEPTED,
            EventKind.ISSUED,
            EventKind.SCAN_UPLOADED,
        ]
        kinds = list(self.report.events.order_by("pk").values_list("kind", flat=True))
        self.assertEqual([kind for kind in kinds if kind in workflow_kinds], workflow_kinds)
        # The answer came while the report was back with the commune, before the second submission.
        answered = kinds.index(EventKind.COMMENT_ANSWERED)
        resubmitted = len(kinds) - 1 - kinds[::-1].index(EventKind.SUBMITTED)
        self.assertTrue(kinds.index(EventKind.RETURNED) < answered < resubmitted)
