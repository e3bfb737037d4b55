"""The reviewer's return form shows one comment box at a time and adds more on request."""

from communes.models import Role
from reports import workflow
from tests import factories
from tests.browser.base import BrowserTestCase
from tests.reports.entry_fixtures import HUNG_THANG, make_seed_regime


class ReturnFormTests(BrowserTestCase):
    def setUp(self) -> None:
        super().setUp()
        province = factories.make_province(31, "Thành phố Hải Phòng")
        commune = factories.make_commune(11809, "Xã Hùng Thắng", province)
        leader = factories.make_user("lanhdao.a", Role.COMMUNE_LEADER, commune=commune)
        factories.make_user("trungtam", Role.CITY_REVIEWER, province=province)
        period = factories.make_period(make_seed_regime(HUNG_THANG, province), "2025-05")
        self.report = factories.make_report(commune, period)
        workflow.submit_report(self.report, by=leader)

    def test_one_empty_comment_box_then_more_on_request(self) -> None:
        page = self.page
        self.login("trungtam")
        page.goto(self.url(f"/reports/{self.report.pk}/review/"))
        rows = page.locator("#return-form .comment-row")
        self.assertEqual(rows.count(), 5)
        self.assertEqual(page.locator("#return-form .comment-row:visible").count(), 1)
        page.click("#add-comment")
        self.assertEqual(page.locator("#return-form .comment-row:visible").count(), 2)
        self.assertEqual(self.eval("document.activeElement.name"), "body_1")
        for _ in range(3):
            page.click("#add-comment")
        self.assertEqual(page.locator("#return-form .comment-row:visible").count(), 5)
        self.assertFalse(page.is_visible("#add-comment"))
