"""Tests for the period ZIP views: POST /reports/periods/<id>/zip/, GET .../zip/status/ and
GET .../zip/<export_id>/, and the panel on the period page."""

import io
import zipfile

from reports.models import ExportStatus, PeriodExport
from reports.period_files import period_fingerprint
from tests.reports.test_period_files import PeriodFilesTestCase

OUTSIDERS = ("officer_c", "other_reviewer", "outsider")
COMMUNE_STAFF = ("officer_a", "leader_a", "officer_b", "leader_b")
CITY_STAFF = ("reviewer", "city_admin", "superuser")


class PeriodZipViewTests(PeriodFilesTestCase):
    def setUp(self) -> None:
        super().setUp()
        base = f"/reports/periods/{self.period.pk}"
        self.grid_url = f"{base}/"
        self.start_url = f"{base}/zip/"
        self.status_url = f"{base}/zip/status/"

    def start(self):  # type: ignore[no-untyped-def]
        with self.captureOnCommitCallbacks(execute=True):
            return self.client.post(self.start_url)

    def ready_export(self) -> PeriodExport:
        self.login(self.reviewer)
        self.start()
        return PeriodExport.objects.get()

    def test_anonymous_is_sent_to_log_in(self) -> None:
        export = self.ready_export()
        self.client.logout()
        for url in (self.start_url, self.status_url, f"{self.start_url}{export.pk}/"):
            with self.subTest(url=url):
                response = self.client.post(url) if url == self.start_url else self.client.get(url)
                self.assertLoginRedirect(response, url)

    def test_other_provinces_get_404_and_commune_staff_403_and_nothing_is_queued(self) -> None:
        export = self.ready_export()
        for names, status in ((OUTSIDERS, 404), (COMMUNE_STAFF, 403)):
            for name in names:
                self.login(getattr(self, name))
                with self.subTest(user=name):
                    self.assertEqual(self.start().status_code, status)
                    self.assertEqual(self.client.get(self.status_url).status_code, status)
                    self.assertEqual(self.client.get(f"{self.start_url}{export.pk}/").status_code, status)
        self.assertEqual(PeriodExport.objects.count(), 1)

    def test_wrong_methods_are_refused(self) -> None:
        self.login(self.reviewer)
        self.assertEqual(self.client.get(self.start_url).status_code, 405)
        self.assertEqual(self.client.post(self.status_url).status_code, 405)
        self.assertEqual(PeriodExport.objects.count(), 0)

    def test_unknown_period_or_export_is_404(self) -> None:
        self.login(self.reviewer)
        self.assertEqual(self.client.post("/reports/periods/999999/zip/").status_code, 404)
        self.assertEqual(self.client.get(f"{self.start_url}999999/").status_code, 404)

    def test_city_staff_start_the_build_and_download_the_file(self) -> None:
        for name in CITY_STAFF:
            PeriodExport.objects.all().delete()
            self.login(getattr(self, name))
            with self.subTest(user=name):
                response = self.start()
                self.assertRedirects(response, f"{self.grid_url}#tep-ca-ky", fetch_redirect_response=False)
                export = PeriodExport.objects.get()
                self.assertEqual((export.status, export.requested_by), (ExportStatus.READY, getattr(self, name)))
                status = self.client.get(self.status_url).json()
                download = f"{self.start_url}{export.pk}/"
                self.assertEqual(
                    {key: status[key] for key in ("status", "done", "total", "percent", "download_url")},
                    {"status": "ready", "done": 3, "total": 3, "percent": 100, "download_url": download},
                )
                response = self.client.get(download)
                self.assertEqual(response["Content-Type"], "application/zip")
                self.assertIn('filename="Bao-cao-CCHC-thang-05-2026-Hai-Phong.zip"', response["Content-Disposition"])
                archive = zipfile.ZipFile(io.BytesIO(b"".join(response.streaming_content)))
                self.assertEqual(len(archive.namelist()), 3)

    def test_asking_again_for_an_unchanged_period_goes_straight_to_the_file(self) -> None:
        export = self.ready_export()
        response = self.start()
        self.assertRedirects(response, f"{self.start_url}{export.pk}/", fetch_redirect_response=False)
        self.assertEqual(PeriodExport.objects.count(), 1)

    def test_a_period_without_reports_has_nothing_to_download(self) -> None:
        self.period.reports.all().delete()
        self.login(self.reviewer)
        response = self.start()
        self.assertRedirects(response, f"{self.grid_url}#tep-ca-ky", fetch_redirect_response=False)
        self.assertContains(self.client.get(self.grid_url), "Kỳ báo cáo này chưa có báo cáo nào để tải.")
        self.assertEqual(PeriodExport.objects.count(), 0)

    def test_the_status_before_any_build(self) -> None:
        self.login(self.reviewer)
        status = self.client.get(self.status_url).json()
        self.assertEqual((status["status"], status["percent"]), ("none", 0))
        self.assertNotIn("download_url", status)

    def test_the_page_shows_the_button_progress_and_download(self) -> None:
        self.login(self.reviewer)
        page = self.client.get(self.grid_url)
        self.assertContains(page, "Tải tất cả PDF (ZIP)")
        self.assertContains(page, 'src="/static/js/period_zip.js"')
        self.assertContains(page, 'data-state="none" hidden')
        PeriodExport.objects.create(
            period=self.period,
            fingerprint=period_fingerprint(self.period),
            status=ExportStatus.RUNNING,
            done=1,
            total=3,
        )
        page = self.client.get(self.grid_url)
        self.assertContains(page, 'data-state="running"')
        self.assertContains(page, '<progress class="w-100" max="100" value="33"')
        self.assertContains(page, "Đang tạo tệp ZIP: 1/3 báo cáo (33%).")
        self.assertNotContains(page, "<script>")
        PeriodExport.objects.all().delete()
        export = self.ready_export()
        page = self.client.get(self.grid_url)
        self.assertContains(page, 'data-state="ready"')
        self.assertContains(page, f'href="{self.start_url}{export.pk}/"')
        self.assertContains(page, "Tệp ZIP đã sẵn sàng: 3 báo cáo.")

    def test_a_missing_file_is_404(self) -> None:
        export = self.ready_export()
        (self.media_root / export.file.name).unlink()
        self.assertEqual(self.client.get(f"{self.start_url}{export.pk}/").status_code, 404)
