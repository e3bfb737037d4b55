"""Replacing a wrongly uploaded scan (POST /reports/<id>/scans/replace/) until the city confirms it
(POST /reports/<id>/scans/confirm/), and the scans and amendment offered on the report page."""

from datetime import date

from reports import workflow
from reports.models import EventKind, Report, ReportStatus, SignedScan
from tests.reports.workflow_helpers import TempMediaMixin, WorkflowTestCase, pdf_bytes, upload

REASON = "Tải nhầm bản chưa đóng dấu."


class ScanTestCase(TempMediaMixin, WorkflowTestCase):
    def setUp(self) -> None:
        super().setUp()
        self.report = self.drive(self.report_a, ReportStatus.ISSUED, issued_on=date(2026, 5, 15))
        self.first = workflow.upload_signed_scan(self.report, by=self.officer_a, upload=upload(pdf_bytes(), "sai.pdf"))

    def scans(self) -> list[tuple[str, bool]]:
        return [(scan.original_name, scan.replaced_at is None) for scan in SignedScan.objects.order_by("pk")]


class ScanReplaceTests(ScanTestCase):
    def post(self, reason: str = REASON, data: bytes | None = None):  # type: ignore[no-untyped-def]
        file = upload(pdf_bytes(2) if data is None else data, "dung.pdf")
        return self.client.post(f"/reports/{self.report.pk}/scans/replace/", {"file": file, "reason": reason})

    def test_anonymous_outsiders_and_city_roles_cannot_replace(self) -> None:
        self.assertLoginRedirect(self.post(), f"/reports/{self.report.pk}/scans/replace/")
        for user, status in ((self.officer_b, 404), (self.reviewer, 403), (self.city_admin, 403)):
            self.login(user)
            self.assertEqual(self.post().status_code, status)
        self.assertEqual(self.scans(), [("sai.pdf", True)])

    def test_get_is_not_allowed(self) -> None:
        self.login(self.officer_a)
        self.assertEqual(self.client.get(f"/reports/{self.report.pk}/scans/replace/").status_code, 405)

    def test_the_commune_replaces_a_wrong_scan_and_keeps_the_old_one(self) -> None:
        self.login(self.officer_a)
        response = self.post()
        self.assertRedirects(response, f"/reports/{self.report.pk}/issue/")
        self.assertEqual(self.scans(), [("sai.pdf", False), ("dung.pdf", True)])
        self.first.refresh_from_db()
        self.assertEqual((self.first.replacement_reason, self.first.replaced_by), (REASON, self.officer_a))
        self.assertTrue(self.report.events.filter(kind=EventKind.SCAN_REPLACED).exists())
        # The one in force downloads under the issue's number; the old one stays downloadable.
        response = self.client.get(f"/reports/{self.report.pk}/scans/0/")
        self.assertEqual(b"".join(response.streaming_content), pdf_bytes(2))
        self.assertIn("-lan-1.pdf", response["Content-Disposition"])
        response = self.client.get(f"/reports/{self.report.pk}/scans/0/{self.first.pk}/")
        self.assertEqual(b"".join(response.streaming_content), pdf_bytes())
        self.assertIn(f"-lan-1-da-thay-{self.first.pk}.pdf", response["Content-Disposition"])

    def test_a_replacement_needs_a_reason_a_pdf_and_a_different_file(self) -> None:
        self.login(self.officer_a)
        cases = (
            (" ", None, "Phải nêu lý do thay bản ký."),
            (REASON, b"not a pdf", "Tệp không phải là PDF."),
            (REASON, pdf_bytes(), "Tệp mới giống hệt bản ký đang lưu."),
        )
        for reason, data, message in cases:
            with self.subTest(message):
                response = self.post(reason, data)
                self.assertContains(response, message)
        self.assertEqual(self.scans(), [("sai.pdf", True)])

    def test_a_confirmed_scan_can_no_longer_be_replaced(self) -> None:
        workflow.confirm_signed_scan(self.report, by=self.reviewer)
        self.login(self.officer_a)
        self.assertContains(self.post(), "Thành phố đã xác nhận bản ký này nên không thể thay")
        self.assertEqual(self.scans(), [("sai.pdf", True)])


class ScanConfirmTests(ScanTestCase):
    def post(self):  # type: ignore[no-untyped-def]
        return self.client.post(f"/reports/{self.report.pk}/scans/confirm/")

    def test_only_the_provinces_reviewer_confirms(self) -> None:
        for user, status in ((self.other_reviewer, 404), (self.officer_a, 403), (self.city_admin, 403)):
            self.login(user)
            self.assertEqual(self.post().status_code, status)
        self.first.refresh_from_db()
        self.assertIsNone(self.first.confirmed_at)

    def test_the_reviewer_confirms_once_and_a_second_click_changes_nothing(self) -> None:
        self.login(self.reviewer)
        self.assertRedirects(self.post(), f"/reports/{self.report.pk}/")
        self.first.refresh_from_db()
        confirmed_at = self.first.confirmed_at
        self.assertIsNotNone(confirmed_at)
        self.assertRedirects(self.post(), f"/reports/{self.report.pk}/")
        self.first.refresh_from_db()
        self.assertEqual(self.first.confirmed_at, confirmed_at)
        self.assertEqual(self.report.events.filter(kind=EventKind.SCAN_CONFIRMED).count(), 1)


class ReportPageScanAndAmendTests(ScanTestCase):
    def test_the_reviewer_sees_downloads_and_confirms_the_scan_from_the_report_page(self) -> None:
        self.login(self.reviewer)
        response = self.client.get(f"/reports/{self.report.pk}/")
        self.assertContains(response, f'href="/reports/{self.report.pk}/scans/0/"')
        self.assertContains(response, 'id="confirm-scan-button"')
        self.assertNotContains(response, 'id="amend-form"')

    def test_the_leader_is_offered_the_amendment_on_the_report_page(self) -> None:
        self.login(self.leader_a)
        response = self.client.get(f"/reports/{self.report.pk}/")
        self.assertContains(response, f'action="/reports/{self.report.pk}/amend/"')
        self.assertNotContains(response, 'id="confirm-scan-button"')
        self.login(self.officer_a)
        self.assertNotContains(self.client.get(f"/reports/{self.report.pk}/"), 'id="amend-form"')


class ReportPageAuthorsTests(ScanTestCase):
    def test_the_report_page_says_who_changed_the_content_and_who_sent_it_apart(self) -> None:
        Report.objects.filter(pk=self.report.pk).update(updated_by=self.officer_a)
        self.login(self.reviewer)
        response = self.client.get(f"/reports/{self.report.pk}/")
        self.assertContains(
            response, f"Nội dung sửa lần cuối: {self.officer_a.get_full_name() or self.officer_a.username}"
        )
        self.assertContains(response, 'id="last-submission"')
        self.assertContains(response, f"Gửi lên thành phố: {self.leader_a.get_full_name() or self.leader_a.username}")
