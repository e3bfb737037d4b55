"""The officer creates an owed month from the home page's to-do list with one button."""

import zoneinfo
from datetime import datetime

import time_machine

from communes.models import Role
from reports.models import Report
from tests import factories
from tests.browser.base import BrowserTestCase

HANOI = zoneinfo.ZoneInfo("Asia/Ho_Chi_Minh")
# June 2026 runs 15/5–14/6 and is due on 16/6: on the 20th it is owed and overdue.
TODAY = datetime(2026, 6, 20, 9, 0, tzinfo=HANOI)


class OpenOwedPeriodTests(BrowserTestCase):
    def setUp(self) -> None:
        traveller = time_machine.travel(TODAY, tick=True)
        traveller.start()
        self.addCleanup(traveller.stop)
        super().setUp()
        province = factories.make_province(31, "Thành phố Hải Phòng")
        self.commune = factories.make_commune(11809, "Xã Hùng Thắng", province)
        factories.make_user("canbo", Role.COMMUNE_OFFICER, commune=self.commune)
        self.regime = factories.make_regime(province)
        factories.make_report(self.commune, factories.make_period(self.regime, "2026-04"))

    def test_an_owed_month_is_created_and_opened_from_the_home_page(self) -> None:
        page = self.page
        self.login("canbo")
        owed = page.locator("#owed")
        self.assertIn("Tháng 6 năm 2026", owed.inner_text())
        self.assertIn("Quá hạn", owed.inner_text())
        owed.get_by_role("button", name="Lập và mở báo cáo tháng 6 năm 2026").click()
        page.wait_for_url("**/reports/*/edit/")
        report = Report.objects.get(commune=self.commune, period__number=6)
        self.assertEqual(page.url, self.url(f"/reports/{report.pk}/edit/"))
        # May was never made, so April's report pre-filled June, and the page says so.
        self.assertIn("lấy dữ liệu từ báo cáo tháng 4 năm 2026", page.inner_text(".alert-success"))
