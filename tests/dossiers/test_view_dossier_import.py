"""POST /communes/<code>/dossiers/import/ and /import/map/: upload, match columns, import."""

from django.core.files.uploadedfile import SimpleUploadedFile

from dossiers import services
from dossiers.models import ColumnMapping, Dossier, DossierImport, DossierImportJob, JobStatus
from tests.base import BaseTestCase
from tests.dossiers.test_import import EXAMPLE, HEADER, OTHER_HEADER, OTHER_ROW, csv_bytes
from tests.reports.workflow_helpers import TempMediaMixin

SOURCE = "Hệ thống của Bộ Công an"


def upload(
    data: bytes, name: str = "ho-so.csv", source: str = services.CITY_SOURCE, kind: str = "city"
) -> dict[str, object]:
    return {"file": SimpleUploadedFile(name, data), "source_system": source, "source_kind": kind}


class DossierImportTests(TempMediaMixin, BaseTestCase):
    url = "/communes/11809/dossiers/import/"

    def assertNothingStored(self) -> None:  # noqa: N802
        self.assertFalse(Dossier.objects.exists())
        self.assertFalse(DossierImport.objects.exists())

    def test_anonymous_is_sent_to_login(self) -> None:
        self.assertLoginRedirect(self.client.post(self.url, upload(EXAMPLE.read_bytes())), self.url)
        self.assertNothingStored()

    def test_other_communes_get_404_and_city_staff_403(self) -> None:
        for user, status in (
            (self.officer_b, 404),
            (self.other_reviewer, 404),
            (self.reviewer, 403),
            (self.city_admin, 403),
        ):
            with self.subTest(user=user.username):
                self.login(user)
                self.assertEqual(self.client.post(self.url, upload(EXAMPLE.read_bytes())).status_code, status)
        self.assertNothingStored()

    def test_wrong_method_is_405(self) -> None:
        self.login(self.officer_a)
        self.assertEqual(self.client.get(self.url).status_code, 405)

    def test_success_imports_and_redirects(self) -> None:
        self.login(self.officer_a)
        response = self.client.post(self.url, upload(EXAMPLE.read_bytes(), "ho-so-mau.csv"), follow=True)
        self.assertRedirects(response, "/communes/11809/dossiers/")
        self.assertContains(response, "Đã nhập 4 hồ sơ (4 hồ sơ mới, 0 hồ sơ cập nhật).")
        record = DossierImport.objects.get()
        self.assertEqual((record.source_system, record.imported_by), (services.CITY_SOURCE, self.officer_a))
        self.assertEqual(Dossier.objects.filter(commune=self.commune_a).count(), 4)

    def test_bad_rows_show_vietnamese_reasons_and_store_nothing(self) -> None:
        self.login(self.officer_a)
        data = csv_bytes(HEADER, "HS-1,Khai sinh,Fax,16/04/2026,,", "HS-2,Khai sinh,Trực tiếp,16/04/2026,,")
        response = self.client.post(self.url, upload(data))
        self.assertEqual(response.status_code, 200)
        self.assertContains(
            response, "Dòng 2, cột “Hình thức nộp”: “Fax” phải là “Trực tiếp”, “Trực tuyến” hoặc “Bưu chính”."
        )
        self.assertContains(response, "Không hồ sơ nào được lưu.")
        self.assertNothingStored()

    def test_unreadable_file_and_missing_fields_are_refused(self) -> None:
        self.login(self.officer_a)
        response = self.client.post(self.url, upload(b"%PDF-1.7", "ho-so.pdf"))
        self.assertContains(response, "Chỉ nhận tệp CSV hoặc Excel (.xlsx).")
        response = self.client.post(self.url, {"source_system": "", "source_kind": "city"})
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, "Trường này là bắt buộc")
        response = self.client.post(self.url, upload(EXAMPLE.read_bytes(), kind="province"))
        self.assertEqual(response.status_code, 200)
        self.assertNothingStored()

    def test_other_headers_lead_to_the_mapping_step_then_import_and_reuse(self) -> None:
        self.login(self.officer_a)
        data = csv_bytes(OTHER_HEADER, OTHER_ROW, "X-2,Kết hôn,1,17/04/2026 09:00,")
        response = self.client.post(self.url, upload(data, "khac.csv", SOURCE, "ministry"))
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, 'id="mapping-form"')
        self.assertContains(response, "<td>Khai sinh</td>", html=True)  # the preview of the first rows
        self.assertContains(response, '<option value="Kenh nop" selected>Kenh nop</option>', html=True)
        self.assertNothingStored()
        token = response.context["upload"]["token"]
        post = {
            "token": token,
            "file_name": "khac.csv",
            "source_system": SOURCE,
            "source_kind": "ministry",
            "map_code": "So ho so",
            "map_procedure_name": "Thu tuc",
            "map_channel": "Kenh nop",
            "map_received_at": "Thoi diem nhan",
        }
        # A missing required column is refused on the same page, nothing stored.
        response = self.client.post("/communes/11809/dossiers/import/map/", post | {"map_channel": ""})
        self.assertContains(response, "Chưa chọn cột cho “Hình thức nộp” (bắt buộc).")
        self.assertNothingStored()
        self.assertFalse(ColumnMapping.objects.exists())
        # Another commune cannot use this commune's staged file.
        self.login(self.officer_b)
        self.client.post("/communes/10966/dossiers/import/map/", post)
        self.assertNothingStored()
        self.login(self.officer_a)
        response = self.client.post("/communes/11809/dossiers/import/map/", post, follow=True)
        self.assertContains(response, "Đã nhập 2 hồ sơ (2 hồ sơ mới, 0 hồ sơ cập nhật).")
        self.assertEqual(set(Dossier.objects.values_list("channel", flat=True)), {"online", "direct"})
        self.assertEqual(Dossier.objects.first().source_kind, "ministry")
        # The next file of that system imports at once with the saved matching.
        response = self.client.post(self.url, upload(data, "khac-2.csv", SOURCE, "ministry"), follow=True)
        self.assertContains(response, "Đã nhập 2 hồ sơ (0 hồ sơ mới, 2 hồ sơ cập nhật).")

    def test_mapping_with_a_stale_token_asks_to_upload_again(self) -> None:
        self.login(self.officer_a)
        response = self.client.post("/communes/11809/dossiers/import/map/", {"token": "0" * 64}, follow=True)
        self.assertContains(response, "Tệp đã tải lên không còn trên máy chủ; vui lòng tải lại tệp.")
        self.assertEqual(self.client.get("/communes/11809/dossiers/import/map/").status_code, 405)
        self.client.logout()
        self.assertLoginRedirect(
            self.client.post("/communes/11809/dossiers/import/map/", {"token": "0" * 64}),
            "/communes/11809/dossiers/import/map/",
        )

    def over_the_bound(self, rows: list[str]) -> object:
        original = services.MAX_REQUEST_ROWS
        services.MAX_REQUEST_ROWS = 3
        self.addCleanup(setattr, services, "MAX_REQUEST_ROWS", original)
        with self.captureOnCommitCallbacks(execute=True):
            return self.client.post(self.url, upload(csv_bytes(HEADER, *rows)))

    def test_over_the_request_bound_the_worker_imports_with_progress(self) -> None:
        self.login(self.officer_a)
        response = self.over_the_bound([f"HS-{i},Khai sinh,Trực tiếp,16/04/2026,," for i in range(4)])
        job = DossierImportJob.objects.get()
        self.assertRedirects(response, f"/communes/11809/dossiers/jobs/{job.pk}/")
        self.assertEqual((job.status, job.done, job.total), (JobStatus.DONE, 4, 4))
        self.assertEqual(Dossier.objects.count(), 4)
        page = self.client.get(f"/communes/11809/dossiers/jobs/{job.pk}/")
        self.assertContains(page, "Đã nhập 4 hồ sơ (4 hồ sơ mới, 0 hồ sơ cập nhật).")
        self.assertNotContains(page, 'http-equiv="refresh"')
        # The job's page is the commune's own.
        self.login(self.officer_b)
        self.assertEqual(self.client.get(f"/communes/10966/dossiers/jobs/{job.pk}/").status_code, 404)
        self.assertEqual(self.client.get(f"/communes/11809/dossiers/jobs/{job.pk}/").status_code, 404)
        self.login(self.reviewer)
        self.assertEqual(self.client.get(f"/communes/11809/dossiers/jobs/{job.pk}/").status_code, 403)
        self.client.logout()
        self.assertLoginRedirect(
            self.client.get(f"/communes/11809/dossiers/jobs/{job.pk}/"), f"/communes/11809/dossiers/jobs/{job.pk}/"
        )

    def test_a_background_import_with_bad_rows_stores_nothing(self) -> None:
        self.login(self.officer_a)
        rows = [f"HS-{i},Khai sinh,Trực tiếp,16/04/2026,," for i in range(3)] + ["HS-9,Khai sinh,Fax,16/04/2026,,"]
        self.over_the_bound(rows)
        job = DossierImportJob.objects.get()
        self.assertEqual(job.status, JobStatus.FAILED)
        self.assertNothingStored()
        page = self.client.get(f"/communes/11809/dossiers/jobs/{job.pk}/")
        self.assertContains(page, "Dòng 5, cột “Hình thức nộp”: “Fax” phải là")
        self.assertContains(page, "Không hồ sơ nào được lưu.")
        self.assertEqual(self.client.post(f"/communes/11809/dossiers/jobs/{job.pk}/").status_code, 405)

    def test_a_queued_job_page_refreshes_itself(self) -> None:
        self.login(self.officer_a)
        job = services.queue_import(
            commune=self.commune_a,
            data=EXAMPLE.read_bytes(),
            file_name="lon.csv",
            source_system="A",
            source_kind=None,
            by=None,
        )
        page = self.client.get(f"/communes/11809/dossiers/jobs/{job.pk}/")
        self.assertContains(page, 'http-equiv="refresh"')
        self.assertContains(page, "Đang chờ")
