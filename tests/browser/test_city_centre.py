"""The city Centre's journey over a period with the demo accounts, as the reviewer does it in the
browser: trungtam.haiphong opens May 2026 from the home page, filters the late communes, opens one
from the grid, then follows a city total to the communes behind it.

Later steps of the same journey (the Excel file, the Centre's report, the ZIP of every PDF) extend
CityCentreJourneyTests with their own methods over the same data."""

import io
import shutil
import subprocess
import tempfile
import zipfile
import zoneinfo
from datetime import datetime, timedelta
from pathlib import Path

import time_machine
from django.core.management import call_command
from django.test import override_settings
from openpyxl import load_workbook

from communes.demo import DEMO_PASSWORD, create_demo_accounts
from communes.models import Commune
from reports.demo import load_demo_reports
from reports.models import ExportStatus, PeriodExport, Report, ReportStatus, Submission
from tests import factories
from tests.browser.base import BrowserTestCase
from tests.reports.city_helpers import results_figures
from tests.reports.test_task_worker import DATABASE_TASKS, run_db_worker

HANOI = zoneinfo.ZoneInfo("Asia/Ho_Chi_Minh")
# May 2026 is due Monday 18/5; on Wednesday 20/5 every commune that has not sent is late.
TODAY = datetime(2026, 5, 20, 10, 0, tzinfo=HANOI)
PERIOD = "tháng 5 năm 2026"
REVIEWER = "trungtam.haiphong"


class CityCentreJourneyTests(BrowserTestCase):
    def setUp(self) -> None:
        # time_machine patches the clock of the whole process, the live server thread included.
        traveller = time_machine.travel(TODAY, tick=True)
        traveller.start()
        self.addCleanup(traveller.stop)
        super().setUp()
        call_command("load_communes", "--province", "31", stdout=io.StringIO())
        create_demo_accounts()
        load_demo_reports()
        self.hung_thang = Report.objects.select_related("period").get(
            commune_id=11809, period__year=2026, period__number=5
        )
        self.period = self.hung_thang.period
        others = list(Commune.objects.filter(province_id=31).exclude(pk__in=(11809, 10966)).order_by("code")[:2])
        self.on_time_commune, self.late_commune = others
        # Hùng Thắng (the seed: 179 received) sent a day late; one commune sent on time and was
        # accepted (40 received); another sent two days late (25 received).
        self.send(self.hung_thang, ReportStatus.SUBMITTED, days=1)
        self.on_time = factories.make_report(self.on_time_commune, self.period, figures=results_figures(30, 10, 40, 0))
        self.send(self.on_time, ReportStatus.ACCEPTED, days=-1)
        self.late = factories.make_report(self.late_commune, self.period, figures=results_figures(20, 5, 25, 0))
        self.send(self.late, ReportStatus.SUBMITTED, days=2)

    def send(self, report: Report, status: str, *, days: int) -> None:
        """`report` first sent `days` after the deadline (before it when negative), now in `status`."""
        moment = datetime.combine(self.period.deadline + timedelta(days=days), datetime.min.time(), tzinfo=HANOI)
        moment += timedelta(hours=9)
        Report.objects.filter(pk=report.pk).update(status=status, submitted_at=moment)
        Submission.objects.create(
            report=report,
            sequence=1,
            submitted_at=moment,
            submitted_by=factories.make_user(f"gui.{report.pk}"),
            deadline=self.period.deadline,
            on_time=days <= 0,
            content={},
        )

    def open_grid(self) -> None:
        """From the Centre's home page, May 2026 of Hùng Thắng's regime."""
        self.login(REVIEWER, DEMO_PASSWORD)
        row = self.page.locator("tr", has_text="mẫu Hùng Thắng").filter(has_text=PERIOD.capitalize())
        row.get_by_role("link", name=PERIOD.capitalize()).click()
        self.page.wait_for_url(self.url(f"/reports/periods/{self.period.pk}/"))

    def test_filter_late_open_a_commune_and_follow_a_total_to_its_communes(self) -> None:
        page = self.page
        self.open_grid()
        counts = page.locator("#grid-counts")
        self.assertIn("3/113", counts.inner_text())

        # Late communes: the two that sent after the deadline and the 110 that have not sent.
        page.get_by_role("link", name="Chậm, quá hạn (112)").click()
        page.wait_for_url("**status=late**")
        grid = page.locator("#period-grid tbody tr")
        self.assertEqual(grid.count(), 112)
        self.assertEqual(page.locator("#period-grid tbody tr", has_text=self.on_time_commune.name).count(), 0)
        late_row = page.locator("#period-grid tbody tr", has_text=self.late_commune.name)
        self.assertIn("Trễ 2 ngày", late_row.inner_text())

        # Search within the late ones, without accents, then open the commune from the grid.
        page.fill("#grid-search", "hung thang")
        page.get_by_role("button", name="Lọc").click()
        page.wait_for_url("**q=hung+thang**")
        self.assertEqual(grid.count(), 1)
        self.assertIn("Trễ 1 ngày", grid.first.inner_text())
        self.assertIn("179", grid.first.inner_text())
        page.get_by_role("link", name="Xã Hùng Thắng").click()
        page.wait_for_url(self.url(f"/reports/{self.hung_thang.pk}/review/"))

        # Back to the grid, then the city totals: 179 + 40 + 25 = 244 dossiers received.
        page.go_back()
        page.get_by_role("link", name="Tổng hợp số liệu toàn Hải Phòng").click()
        page.wait_for_url(self.url(f"/reports/periods/{self.period.pk}/totals/"))
        self.assertIn("Cộng số liệu của 3 báo cáo", page.locator("#totals-basis").inner_text())
        total_row = page.locator("#totals-results tbody tr").last
        total_row.get_by_role("link", name="244").click()
        page.wait_for_url("**/totals/results.received/**")
        self.assertEqual(page.locator("#drill-city-value").inner_text(), "244")
        rows = page.locator("#drill-down tbody tr")
        self.assertEqual(rows.count(), 3)
        self.assertIn("Xã Hùng Thắng", rows.nth(0).inner_text())
        self.assertIn("179", rows.nth(0).inner_text())
        self.assertIn(self.on_time_commune.name, rows.nth(1).inner_text())
        self.assertIn(self.late_commune.name, rows.nth(2).inner_text())

        # Accepted reports only: the one accepted commune.
        page.get_by_role("link", name="Tổng hợp số liệu").click()
        page.get_by_role("link", name="Chỉ báo cáo đã tiếp nhận").click()
        page.wait_for_url("**basis=accepted**")
        self.assertIn("Cộng số liệu của 1 báo cáo", page.locator("#totals-basis").inner_text())

    def test_download_the_excel_file_then_build_the_zip_of_every_pdf_and_download_it(self) -> None:
        media = tempfile.mkdtemp(prefix="tthc-media-browser-")
        self.addCleanup(shutil.rmtree, media, ignore_errors=True)
        stored = override_settings(MEDIA_ROOT=media)
        stored.enable()
        self.addCleanup(stored.disable)
        page = self.page
        self.open_grid()

        # The Excel summary: a row per commune, totals by formula (179 + 40 + 25 = 244 received).
        with page.expect_download() as excel:
            page.get_by_role("link", name="Tải bảng tổng hợp (Excel)").click()
        self.assertEqual(excel.value.suggested_filename, "Tong-hop-CCHC-thang-05-2026-Hai-Phong.xlsx")
        book = load_workbook(io.BytesIO(Path(excel.value.path()).read_bytes()), data_only=True)
        sheet = book["Tổng hợp"]
        totals = sheet.max_row
        self.assertEqual((sheet.cell(totals, 1).value, sheet.cell(totals, 7).value), ("Tổng cộng", 244))
        self.assertEqual(sheet.max_row - 5, 113 + 1)
        self.assertEqual(book.sheetnames, ["Tổng hợp", "Chỉ tiêu"])

        # The ZIP is queued for the real worker; the page polls its progress until it is ready.
        reports = Report.objects.filter(period=self.period).count()
        with override_settings(TASKS=DATABASE_TASKS):
            page.get_by_role("button", name="Tải tất cả PDF (ZIP)").click()
            page.wait_for_url("**#tep-ca-ky")
            self.assertEqual(PeriodExport.objects.get().status, ExportStatus.QUEUED)
            progress = page.locator("#period-zip progress")
            self.assertEqual(progress.get_attribute("value"), "0")
            self.assertTrue(page.locator("#period-zip-download").is_hidden())
            run_db_worker()
        page.locator("#period-zip-download").wait_for(state="visible")
        self.assertEqual(progress.evaluate("bar => bar.value"), 100)
        self.assertIn(f"Tệp ZIP đã sẵn sàng: {reports} báo cáo.", page.locator("#period-zip-text").inner_text())
        with page.expect_download() as download:
            page.locator("#period-zip-download").click()
        self.assertEqual(download.value.suggested_filename, "Bao-cao-CCHC-thang-05-2026-Hai-Phong.zip")
        names = zipfile.ZipFile(Path(download.value.path())).namelist()
        self.assertEqual(len(names), reports)
        self.assertIn("Bao-cao-CCHC-thang-05-2026-xa-Hung-Thang.pdf", names)

    def test_write_the_centres_report_and_download_its_pdf(self) -> None:
        page = self.page
        self.open_grid()
        page.get_by_role("link", name="Xu hướng 12 kỳ").click()
        page.wait_for_url(self.url(f"/reports/periods/{self.period.pk}/trends/"))
        # The key counts, then one chart per rate the demo regime targets or the reports carry.
        self.assertGreaterEqual(page.locator("svg.bc-chart").count(), 5)
        self.assertIn("244", page.locator("#trend-table tbody tr").first.inner_text())

        page.go_back()
        page.get_by_role("link", name="Báo cáo của Trung tâm").click()
        page.wait_for_url(self.url(f"/reports/periods/{self.period.pk}/city-report/"))
        page.fill("#id_assessment", "Các xã cơ bản gửi báo cáo đầy đủ.")
        page.click("#city-report-save")
        page.wait_for_selector("text=Đã lưu báo cáo của Trung tâm.")
        with page.expect_download() as download_info:
            page.click("#city-report-pdf")
        download = download_info.value
        self.assertEqual(download.suggested_filename, "Bao-cao-TTPVHCC-thang-05-2026-Hai-Phong.pdf")
        with tempfile.TemporaryDirectory() as folder:
            path = Path(folder) / download.suggested_filename
            download.save_as(path)
            text = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True, check=True).stdout
        flat = " ".join(text.split())
        self.assertIn("TRUNG TÂM PHỤC VỤ", flat)
        self.assertIn("3/113 xã, phường, đặc khu đã gửi báo cáo", flat)
        self.assertIn("Xã Hùng Thắng (1 ngày)", flat)
        self.assertIn("Tổng số hồ sơ tiếp nhận: 244 hồ sơ", flat)
        self.assertIn("Các xã cơ bản gửi báo cáo đầy đủ.", flat)
