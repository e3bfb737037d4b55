"""Replacing a wrongly uploaded signed scan in the browser, then the city reviewer downloading and
confirming it from the report page."""

import shutil
import tempfile
from pathlib import Path

from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings
from django.utils import timezone
from pypdf import PdfWriter

from communes.models import Role
from reports import workflow
from reports.models import SignedScan
from tests import factories
from tests.browser.base import BrowserTestCase

REASON = "Tải nhầm bản chưa đóng dấu."


def blank_pdf(pages: int) -> bytes:
    writer = PdfWriter()
    for _ in range(pages):
        writer.add_blank_page(595, 842)
    path = Path(tempfile.mkstemp(suffix=".pdf")[1])
    writer.write(path)
    data = path.read_bytes()
    path.unlink()
    return data


class ScanReplaceJourneyTests(BrowserTestCase):
    def setUp(self) -> None:
        self.media_root = tempfile.mkdtemp(prefix="scan-media-")
        self.addCleanup(shutil.rmtree, self.media_root, ignore_errors=True)
        media = override_settings(MEDIA_ROOT=self.media_root)
        media.enable()
        self.addCleanup(media.disable)
        super().setUp()
        province = factories.make_province(31, "Thành phố Hải Phòng")
        commune = factories.make_commune(11809, "Xã Hùng Thắng", province)
        officer = factories.make_user("canbo", Role.COMMUNE_OFFICER, commune=commune)
        leader = factories.make_user("lanhdao", Role.COMMUNE_LEADER, commune=commune)
        reviewer = factories.make_user("trungtam", Role.CITY_REVIEWER, province=province)
        period = factories.make_period(factories.make_regime(province), "2026-05")
        report = factories.make_report(commune, period)
        workflow.submit_report(report, by=leader)
        workflow.accept_report(report, by=reviewer)
        workflow.issue_report(report, by=leader, issued_on=timezone.localdate())
        self.report = report
        workflow.upload_signed_scan(report, by=officer, upload=SimpleUploadedFile("chua-dong-dau.pdf", blank_pdf(1)))

    def test_the_officer_replaces_a_wrong_scan_and_the_reviewer_confirms_the_right_one(self) -> None:
        page = self.page
        self.login("canbo")
        page.goto(self.url(f"/reports/{self.report.pk}/issue/"))
        page.get_by_text("Tải nhầm tệp? Thay bản ký").click()
        right = Path(self.media_root) / "da-ky-dong-dau.pdf"
        right.write_bytes(blank_pdf(2))
        page.set_input_files("#id_replace_file", str(right))
        page.fill("#id_replace_reason", REASON)
        page.click("#replace-button")
        page.locator("#confirm-dialog").get_by_role("button", name="Thay bản ký").click()
        page.locator(".alert-success", has_text="Đã thay bản ký").wait_for()
        self.assertEqual(page.inner_text("#scan-link"), "da-ky-dong-dau.pdf")
        history = page.inner_text("#signed-scans")
        self.assertIn("chua-dong-dau.pdf", history)
        self.assertIn(REASON, history)

        self.context.clear_cookies()
        self.login("trungtam")
        page.goto(self.url(f"/reports/{self.report.pk}/"))
        with page.expect_download() as download:
            page.locator("#signed-scans a.scan-link", has_text="da-ky-dong-dau.pdf").click()
        self.assertTrue(download.value.suggested_filename.endswith("-lan-1.pdf"))
        self.assertEqual(Path(download.value.path()).read_bytes(), right.read_bytes())
        page.click("#confirm-scan-button")
        page.locator("#confirm-dialog").get_by_role("button", name="Xác nhận").click()
        page.locator(".alert-success", has_text="Đã xác nhận bản ký").wait_for()
        current = SignedScan.objects.get(report=self.report, replaced_at__isnull=True)
        self.assertEqual(current.original_name, "da-ky-dong-dau.pdf")
        self.assertIsNotNone(current.confirmed_at)
