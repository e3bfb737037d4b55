"""The officer's journey with dossier lists: upload the month's list, fill the report from it,
and follow a computed figure to the dossiers behind it."""

import shutil
import tempfile
from pathlib import Path

from communes.models import Role
from dossiers.exporting import dossiers_csv
from dossiers.models import Dossier, DossierImport
from reports import services
from reports.models import Report
from tests import factories
from tests.browser.base import BrowserTestCase
from tests.dossiers.cases import CITY, store
from tests.dossiers.hung_thang import hung_thang_may_2026
from tests.reports.entry_fixtures import HUNG_THANG, make_seed_regime


class DossierJourneyTests(BrowserTestCase):
    def setUp(self) -> None:
        super().setUp()
        province = factories.make_province(31, "Thành phố Hải Phòng")
        self.commune = factories.make_commune(11809, "Xã Hùng Thắng", province)
        officer = factories.make_user("canbo.a", Role.COMMUNE_OFFICER, commune=self.commune)
        regime = make_seed_regime(HUNG_THANG, province)
        period = factories.make_period(regime, "2026-05")
        self.report = services.create_draft(commune=self.commune, period=period, by=officer)
        # The month's city-system list, as a file the officer downloads from the system.
        other = factories.make_commune(10966, "Xã Bình Giang", province)
        store(other, [d for d in hung_thang_may_2026() if d.source_system == CITY])
        folder = Path(tempfile.mkdtemp(prefix="tthc-dossiers-"))
        self.addCleanup(shutil.rmtree, folder, ignore_errors=True)
        self.file = folder / "ho-so-thang-5.csv"
        self.file.write_bytes(dossiers_csv(Dossier.objects.filter(commune=other).order_by("pk")))
        Dossier.objects.all().delete()
        DossierImport.objects.all().delete()

    def test_upload_fill_the_report_and_open_the_dossiers_of_a_figure(self) -> None:
        page = self.page
        self.login("canbo.a")
        page.goto(self.url("/communes/11809/dossiers/"))
        page.set_input_files("input[name=file]", str(self.file))
        self.click_and_wait("#upload-form button[type=submit]")
        self.assertIn("Đã nhập 63 hồ sơ (63 hồ sơ mới, 0 hồ sơ cập nhật).", page.inner_text("body"))

        page.goto(self.url(f"/reports/{self.report.pk}/edit/"))
        self.click_and_wait("#compute-from-dossiers")
        self.assertIn("Đã tính số liệu từ danh sách hồ sơ", page.inner_text("body"))
        self.assertEqual(page.input_value("input[name=results-0-online]"), "63")
        self.assertEqual(page.input_value("input[name=results-0-pending_on_time]"), "3")
        stored = Report.objects.get(pk=self.report.pk)
        self.assertEqual(stored.figures["results"][0]["on_time"], 60)

        page.locator("#dossier-figures summary").click()
        row = page.locator("#computed-figures tr", has_text="đang giải quyết trong hạn").first
        self.click_and_wait(row.locator("a"))
        self.assertEqual(page.locator("#dossiers tbody tr").count(), 3)
        self.assertIn("Đang giải quyết trong hạn", page.inner_text("h1"))
