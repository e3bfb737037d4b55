"""Tests for issuing and the signed scan: GET/POST /reports/<id>/issue/,
POST /reports/<id>/scans/upload/ and GET /reports/<id>/scans/<revision>/."""

import contextlib
import hashlib
from datetime import date
from pathlib import Path

from django.contrib.messages import get_messages

from reports import workflow
from reports.models import DocumentNumberCounter, Report, ReportStatus, SignedScan
from tests.reports.workflow_helpers import (
    BEFORE_DEADLINE,
    PNG_BYTES,
    TempMediaMixin,
    WorkflowTestCase,
    at,
    encrypted_pdf_bytes,
    pdf_bytes,
    upload,
)

COMMUNE_A_STAFF = ("officer_a", "leader_a", "submitting_officer_a")
CITY = ("reviewer", "city_admin", "superuser")
OUTSIDERS = ("officer_b", "leader_b", "officer_c", "other_reviewer", "outsider")


def multipart(filename: str, data: bytes) -> tuple[bytes, str]:
    """A raw multipart body, so the file name reaches Django exactly as a hostile client sends it."""
    boundary = "tthc-boundary-7MA4YWxkTrZu0gW"
    head = (
        f"--{boundary}\r\n"
        f'Content-Disposition: form-data; name="file"; filename="{filename}"\r\n'
        "Content-Type: application/pdf\r\n\r\n"
    ).encode()
    return head + data + f"\r\n--{boundary}--\r\n".encode(), f"multipart/form-data; boundary={boundary}"


class IssueViewTestCase(TempMediaMixin, WorkflowTestCase):
    def assertStatusFor(self, names: tuple[str, ...], call, status: int) -> None:  # type: ignore[no-untyped-def]  # noqa: N802
        for name in names:
            with self.subTest(user=name):
                self.login(getattr(self, name))
                self.assertEqual(call().status_code, status)


class ReportIssueTests(IssueViewTestCase):
    def setUp(self) -> None:
        super().setUp()
        self.report = self.drive(self.report_a, ReportStatus.ACCEPTED)
        self.url = f"/reports/{self.report.pk}/issue/"
        self.before = self.snapshot(self.report)

    def assertUnchanged(self) -> None:  # noqa: N802
        self.assertEqual(self.snapshot(self.report), self.before)
        self.assertFalse(DocumentNumberCounter.objects.filter(last_number__gt=0).exists())

    def post(self, issued_on: str = "2026-05-15"):  # type: ignore[no-untyped-def]
        with at(BEFORE_DEADLINE):
            return self.client.post(self.url, {"issued_on": issued_on, "number": "1"})

    def test_anonymous_is_sent_to_log_in(self) -> None:
        self.assertLoginRedirect(self.client.get(self.url), self.url)
        self.assertLoginRedirect(self.post(), self.url)
        self.assertUnchanged()

    def test_outsiders_get_404_and_city_roles_403(self) -> None:
        self.assertStatusFor(OUTSIDERS, self.post, 404)
        self.assertStatusFor(CITY, self.post, 403)
        self.assertStatusFor(CITY, lambda: self.client.get(self.url), 403)
        self.assertUnchanged()

    def test_only_an_accepted_report_takes_a_number(self) -> None:
        for status in (ReportStatus.DRAFT, ReportStatus.SUBMITTED, ReportStatus.RETURNED):
            with self.subTest(status=status):
                Report.objects.filter(pk=self.report.pk).update(status=status)
                self.login(self.leader_a)
                response = self.post()
                self.assertContains(response, "Chỉ cấp số cho báo cáo đã được thành phố tiếp nhận.", status_code=403)
        self.assertFalse(DocumentNumberCounter.objects.exists())

    def test_other_methods_are_not_allowed(self) -> None:
        self.login(self.leader_a)
        self.assertEqual(self.client.put(self.url).status_code, 405)
        self.assertEqual(self.client.delete(self.url).status_code, 405)
        self.assertUnchanged()

    def test_the_page_shows_the_form_for_an_accepted_report(self) -> None:
        self.login(self.officer_a)
        with at(BEFORE_DEADLINE):
            response = self.client.get(self.url)
        self.assertContains(response, 'id="issue-button"')
        self.assertContains(response, 'value="2026-05-15"')
        self.assertContains(response, "Tải bản ký lên sau khi đã cấp số.")

    def test_the_amendment_form_is_offered_to_those_who_may_amend(self) -> None:
        for user, shown in ((self.leader_a, True), (self.submitting_officer_a, True), (self.officer_a, False)):
            with self.subTest(user=user.username):
                self.login(user)
                response = self.client.get(self.url)
                self.assertEqual('id="amend-form"' in response.content.decode(), shown)
                self.assertEqual(response.context["can_amend"], shown)

    def test_the_page_is_readable_in_any_status(self) -> None:
        Report.objects.filter(pk=self.report.pk).update(status=ReportStatus.DRAFT)
        self.login(self.officer_a)
        response = self.client.get(self.url)
        self.assertContains(response, "Chỉ cấp số sau khi Trung tâm Phục vụ hành chính công thành phố tiếp nhận")

    def test_invalid_dates_are_refused_with_a_message(self) -> None:
        cases = {
            "": "Vui lòng nhập ngày ban hành.",
            "hôm qua": "Ngày ban hành không hợp lệ.",
            "2026-02-30": "Ngày ban hành không hợp lệ.",
            "2026-05-16": "Ngày ban hành không được sau ngày hôm nay.",
            "2026-05-13": "Ngày ban hành không được trước ngày kết thúc kỳ báo cáo (14/5/2026).",
        }
        self.login(self.leader_a)
        for value, message in cases.items():
            with self.subTest(value=value):
                response = self.post(value)
                self.assertContains(response, message)
        self.assertUnchanged()

    def test_an_empty_post_is_reported(self) -> None:
        self.login(self.leader_a)
        response = self.client.post(self.url, {})
        self.assertContains(response, "Vui lòng nhập ngày ban hành.")
        self.assertUnchanged()

    def test_the_commune_records_the_number_and_date(self) -> None:
        self.login(self.officer_a)
        response = self.post("15/05/2026")
        self.assertRedirects(response, self.url, fetch_redirect_response=False)
        self.assertEqual([str(m) for m in get_messages(response.wsgi_request)], ["Đã cấp số 01/BC-UBND."])
        stored = Report.objects.get(pk=self.report.pk)
        self.assertEqual((stored.status, stored.number, stored.issued_on), ("issued", 1, date(2026, 5, 15)))
        page = self.client.get(self.url)
        self.assertContains(page, '<strong id="issued-number">01/BC-UBND</strong>, ngày 15/05/2026.', html=False)
        self.assertContains(page, 'id="upload-button"')

    def test_a_second_post_cannot_number_it_again(self) -> None:
        self.login(self.leader_a)
        self.post()
        response = self.post()
        # A repeated "Cấp số" is told the number already given, never an error.
        self.assertRedirects(response, self.url, fetch_redirect_response=False)
        self.assertEqual(
            [str(m) for m in get_messages(response.wsgi_request)][-1], "Báo cáo đã được cấp số 01/BC-UBND."
        )
        self.assertEqual(DocumentNumberCounter.objects.get().last_number, 1)


class ScanUploadTests(IssueViewTestCase):
    def setUp(self) -> None:
        super().setUp()
        self.report = self.drive(self.report_a, ReportStatus.ISSUED, issued_on=date(2026, 5, 15))
        self.url = f"/reports/{self.report.pk}/scans/upload/"
        self.before = self.snapshot(self.report)

    def assertNothingStored(self) -> None:  # noqa: N802
        self.assertEqual(self.snapshot(self.report), self.before)
        self.assertFalse(SignedScan.objects.exists())
        self.assertEqual([p for p in self.media_root.rglob("*") if p.is_file()], [])

    def post(self, data: bytes | None = None, name: str = "ban-ky.pdf"):  # type: ignore[no-untyped-def]
        return self.client.post(self.url, {"file": upload(pdf_bytes() if data is None else data, name)})

    def test_anonymous_is_sent_to_log_in(self) -> None:
        self.assertLoginRedirect(self.post(), self.url)
        self.assertNothingStored()

    def test_outsiders_get_404_and_city_roles_403(self) -> None:
        self.assertStatusFor(OUTSIDERS, self.post, 404)
        self.assertStatusFor(CITY, self.post, 403)
        self.assertNothingStored()

    def test_only_an_issued_report_takes_a_scan(self) -> None:
        report = self.drive(self.report_b, ReportStatus.ACCEPTED)
        self.login(self.officer_b)
        response = self.client.post(f"/reports/{report.pk}/scans/upload/", {"file": upload(pdf_bytes())})
        self.assertContains(response, "Chỉ tải bản ký cho báo cáo đã cấp số ban hành.", status_code=403)
        self.assertNothingStored()

    def test_get_is_not_allowed(self) -> None:
        self.login(self.officer_a)
        self.assertEqual(self.client.get(self.url).status_code, 405)

    def test_files_that_are_not_a_readable_pdf_are_refused_with_a_message(self) -> None:
        cases = {
            "png": (PNG_BYTES, "Tệp không phải là PDF."),
            "text": (b"day la van ban, khong phai PDF", "Tệp không phải là PDF."),
            "fake": (b"%PDF-1.7\n" + b"garbage " * 200, "Tệp PDF bị hỏng hoặc không đọc được."),
            "encrypted": (encrypted_pdf_bytes(), "Tệp PDF đang được đặt mật khẩu"),
            "empty": (b"", "Tệp tải lên rỗng."),
        }
        self.login(self.officer_a)
        for label, (data, message) in cases.items():
            with self.subTest(label), contextlib.ExitStack() as stack:
                if label == "fake":
                    stack.enter_context(self.assertLogs("pypdf", level="WARNING"))
                response = self.post(data, "scan.pdf")
                self.assertContains(response, message)
        self.assertNothingStored()

    def test_a_file_over_twenty_megabytes_is_refused(self) -> None:
        self.login(self.officer_a)
        response = self.post(b"%PDF-1.4\n" + b"0" * workflow.MAX_SCAN_BYTES)
        self.assertContains(response, "Tệp quá lớn: tối đa 20 MB.")
        self.assertNothingStored()

    def test_no_file_at_all_is_refused(self) -> None:
        self.login(self.officer_a)
        response = self.client.post(self.url, {})
        self.assertContains(response, "Vui lòng chọn tệp PDF.")
        self.assertNothingStored()

    def test_a_real_pdf_is_stored_under_its_hash(self) -> None:
        data = pdf_bytes()
        self.login(self.leader_a)
        response = self.post(data, "Bản ký số 01.pdf")
        self.assertRedirects(response, f"/reports/{self.report.pk}/issue/", fetch_redirect_response=False)
        scan = SignedScan.objects.get()
        digest = hashlib.sha256(data).hexdigest()
        self.assertEqual((scan.sha256, scan.size, scan.revision), (digest, len(data), 0))
        self.assertEqual(scan.original_name, "Bản ký số 01.pdf")
        self.assertEqual(scan.file.name, f"signed/11809/2026/{digest}.pdf")
        self.assertEqual((self.media_root / scan.file.name).read_bytes(), data)
        page = self.client.get(f"/reports/{self.report.pk}/issue/")
        self.assertContains(page, f"<code>{digest}</code>", html=False)

    def test_path_tricks_in_the_file_name_are_stored_safely(self) -> None:
        names = ["../../etc/passwd.pdf", "C:\\x\\y.pdf", "..\\..\\boot.ini.pdf", "a\tb\x01c.pdf"]
        self.login(self.officer_a)
        for revision, name in enumerate(names):
            with self.subTest(name=name):
                Report.objects.filter(pk=self.report.pk).update(revision=revision)
                data = pdf_bytes(revision + 1)
                body, content_type = multipart(name, data)
                response = self.client.post(self.url, body, content_type=content_type)
                self.assertEqual(response.status_code, 302)
                scan = SignedScan.objects.get(revision=revision)
                self.assertEqual(scan.file.name, f"signed/11809/2026/{hashlib.sha256(data).hexdigest()}.pdf")
                self.assertTrue((self.media_root / scan.file.name).resolve().is_relative_to(self.media_root.resolve()))
                for bad in ("/", "\\", ".."):
                    self.assertNotIn(bad, scan.original_name)
                self.assertTrue(scan.original_name.isprintable())
        self.assertEqual(
            list(SignedScan.objects.order_by("revision").values_list("original_name", flat=True)),
            ["passwd.pdf", "y.pdf", "boot.ini.pdf", "abc.pdf"],
        )
        self.assertFalse(Path(self.media_root.parent, "etc").exists())

    def test_a_second_upload_for_the_same_revision_is_refused(self) -> None:
        self.login(self.officer_a)
        self.post()
        response = self.post(pdf_bytes(2))
        self.assertEqual(response.status_code, 200)
        self.assertEqual(SignedScan.objects.count(), 1)
        # The page now shows the stored scan instead of the form; the refusal is the archive itself.
        self.assertContains(response, 'id="scan-link"')
        self.assertEqual(
            response.context["scan_form"].errors["file"],
            ["Báo cáo này đã có bản ký lưu trữ; nếu tải nhầm tệp, dùng “Thay bản ký” và nêu lý do."],
        )


class ScanDownloadTests(IssueViewTestCase):
    def setUp(self) -> None:
        super().setUp()
        self.report = self.drive(self.report_a, ReportStatus.ISSUED, issued_on=date(2026, 5, 15))
        self.data = pdf_bytes()
        self.scan = workflow.upload_signed_scan(self.report, by=self.officer_a, upload=upload(self.data))
        self.url = f"/reports/{self.report.pk}/scans/0/"

    def test_anonymous_is_sent_to_log_in(self) -> None:
        self.assertLoginRedirect(self.client.get(self.url), self.url)

    def test_outsiders_get_404(self) -> None:
        self.assertStatusFor(OUTSIDERS, lambda: self.client.get(self.url), 404)

    def test_post_is_not_allowed(self) -> None:
        self.login(self.officer_a)
        self.assertEqual(self.client.post(self.url).status_code, 405)

    def test_an_unknown_revision_is_404(self) -> None:
        self.login(self.officer_a)
        self.assertEqual(self.client.get(f"/reports/{self.report.pk}/scans/1/").status_code, 404)

    def test_the_commune_and_the_city_download_the_verified_bytes(self) -> None:
        for name in (*COMMUNE_A_STAFF, *CITY):
            with self.subTest(user=name):
                self.login(getattr(self, name))
                response = self.client.get(self.url)
                self.assertEqual(response.status_code, 200)
                self.assertEqual(b"".join(response.streaming_content), self.data)
                self.assertEqual(response["Content-Type"], "application/pdf")
                self.assertEqual(
                    response["Content-Disposition"],
                    'attachment; filename="Ban-ky-Bao-cao-CCHC-thang-05-2026-xa-Hung-Thang-lan-1.pdf"',
                )

    def test_a_tampered_file_is_refused_with_409(self) -> None:
        path = self.media_root / self.scan.file.name
        path.write_bytes(self.data + b"%% edited\n")
        self.login(self.reviewer)
        response = self.client.get(self.url)
        self.assertContains(
            response,
            "Tệp lưu trữ không khớp mã băm SHA-256 đã ghi nhận: tệp có thể đã bị thay đổi.",
            status_code=409,
        )

    def test_a_missing_file_is_refused_with_409(self) -> None:
        (self.media_root / self.scan.file.name).unlink()
        self.login(self.officer_a)
        response = self.client.get(self.url)
        self.assertContains(response, "Không đọc được tệp lưu trữ.", status_code=409)
