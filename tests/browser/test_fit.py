"""Fit: no page is wider than the screen at 1366×800 and 390×844 (home, entry, report, review
and grid), the 13-column table fits 1366 px, and on a phone the save button stays on screen."""

import io

from django.core.management import call_command

from communes.demo import DEMO_PASSWORD, create_demo_accounts
from reports import workflow
from reports.demo import load_demo_reports
from reports.models import Report
from tests.browser.base import BrowserTestCase

SIZES = ((1366, 800), (390, 844))


class FitTests(BrowserTestCase):
    def setUp(self) -> None:
        super().setUp()
        # The demo data as `make run` creates it; Bình Giang's report is sent so the city reviews it.
        call_command("load_communes", "--province", "31", stdout=io.StringIO())
        create_demo_accounts()
        load_demo_reports()
        self.draft = Report.objects.get(commune_id=11809)
        self.sent = Report.objects.get(commune_id=10966)
        leader = self.sent.commune.memberships.get(role="commune_leader").user
        workflow.submit_report(self.sent, by=leader)

    def assertFits(self, path: str) -> None:  # noqa: N802
        self.page.goto(self.url(path))
        self.page.wait_for_load_state()
        width, inner = self.eval("[document.documentElement.scrollWidth, window.innerWidth]")
        self.assertLessEqual(width, inner, f"{path} is {width} px wide on a {inner} px screen: {self.overflowing()}")

    def overflowing(self) -> str:
        """The elements reaching past the screen's right edge outside any scrolling box (for the message)."""
        return str(
            self.eval(
                """(() => { const out = []; const edge = document.documentElement.clientWidth;
                for (const el of document.querySelectorAll("body *")) {
                  const right = el.getBoundingClientRect().right;
                  let parent = el.parentElement, clipped = false;
                  while (parent) { if (getComputedStyle(parent).overflowX !== "visible") { clipped = true; break; } parent = parent.parentElement; }
                  if (right > edge + 1 && !clipped) out.push(`${el.tagName}.${el.className} ${Math.round(right)}`);
                } return out.slice(0, 5); })()"""
            )
        )

    def test_no_page_is_wider_than_the_screen(self) -> None:
        officer_pages = ["/", f"/reports/{self.draft.pk}/edit/", f"/reports/{self.draft.pk}/"]
        reviewer_pages = ["/", f"/reports/{self.sent.pk}/review/", f"/reports/{self.sent.pk}/", self.grid_path()]
        for width, height in SIZES:
            self.page.set_viewport_size({"width": width, "height": height})
            for username, paths in (("canbo.hungthang", officer_pages), ("trungtam.haiphong", reviewer_pages)):
                self.context.clear_cookies()
                self.login(username, DEMO_PASSWORD)
                for path in paths:
                    with self.subTest(width=width, user=username, path=path):
                        self.assertFits(path)

    def test_the_results_table_fits_1366_and_the_save_button_stays_on_a_phone(self) -> None:
        self.login("canbo.hungthang", DEMO_PASSWORD)
        self.page.set_viewport_size({"width": 1366, "height": 800})
        self.page.goto(self.url(f"/reports/{self.draft.pk}/edit/"))
        table, box = self.eval(
            "(() => { const t = document.getElementById('results-table'); return [t.scrollWidth, t.parentElement.clientWidth]; })()"
        )
        self.assertLessEqual(table, box)
        self.page.set_viewport_size({"width": 390, "height": 844})
        self.page.goto(self.url(f"/reports/{self.draft.pk}/edit/"))
        self.page.mouse.wheel(0, 3000)
        save = self.page.locator("#save-button")
        self.assertTrue(save.is_visible())
        top, bottom = self.eval(
            "(() => { const r = document.getElementById('save-button').getBoundingClientRect(); return [r.top, r.bottom]; })()"
        )
        self.assertGreaterEqual(top, 0)
        self.assertLessEqual(bottom, 844)

    def grid_path(self) -> str:
        return f"/reports/periods/{self.sent.period_id}/"
