"""The officer's journey: open a new report from empty, type figures, see a hard rule appear
without a reload, fix it, save, and find the figures in the database.

Waits on the server (the live check, an autosave, a save) wait for its answer, however long the
machine takes; what the page shows is then checked at once."""

import zoneinfo
from datetime import datetime

import time_machine

from communes.models import Role
from reports.models import Report
from tests import factories
from tests.browser.base import SERVER_TIMEOUT_MS, BrowserTestCase
from tests.reports.entry_fixtures import HUNG_THANG, make_seed_regime

# The hard rule of the results table for these numbers: 179 received, 167 resolved, 11 in progress.
IMBALANCE = "Tổng số tiếp nhận (179) phải bằng đã giải quyết (167) cộng đang giải quyết (11)."


class ReportEntryJourneyTests(BrowserTestCase):
    def setUp(self) -> None:
        # The period is picked from the last two years' list: fix "today" so May 2025 stays on it.
        traveller = time_machine.travel(
            datetime(2026, 6, 10, 9, 0, tzinfo=zoneinfo.ZoneInfo("Asia/Ho_Chi_Minh")), tick=True
        )
        traveller.start()
        self.addCleanup(traveller.stop)
        super().setUp()
        province = factories.make_province(31, "Thành phố Hải Phòng")
        self.commune = factories.make_commune(11809, "Xã Hùng Thắng", province)
        factories.make_user("canbo.a", Role.COMMUNE_OFFICER, commune=self.commune)
        self.regime = make_seed_regime(HUNG_THANG, province)

    def open_new_report(self) -> None:
        # A period long past, so the journey does not depend on today's date.
        self.page.goto(self.url("/reports/open/11809/"))
        self.page.select_option("#id_period", "2025-05")
        self.page.get_by_role("button", name="Lập báo cáo", exact=True).click()
        self.page.wait_for_url("**/edit/")
        self.page.wait_for_selector("#report-form[data-ready=true]")

    def autosaved_after(self, key: str) -> None:
        """Press a key that leaves the field, and wait for the autosave it starts to answer."""
        with self.page.expect_response(lambda r: r.url.endswith("/autosave/"), timeout=SERVER_TIMEOUT_MS):
            self.page.keyboard.press(key)

    def test_fill_from_empty_see_the_hard_rule_fix_it_and_save(self) -> None:
        page = self.page
        self.login("canbo.a")
        self.open_new_report()
        report = Report.objects.get()
        self.assertEqual(report.figures["results"][0]["online"], 0)

        # Tab moves across the cells of a row.
        page.focus("input[name=results-0-online]")
        page.keyboard.press("Tab")
        self.assertEqual(self.eval("document.activeElement.name"), "results-0-direct")

        # A marker that a page load would wipe out.
        self.eval("window.sameDocument = true")
        page.fill("input[name=results-0-online]", "179")
        page.fill("input[name=results-0-on_time]", "167")
        page.fill("input[name=results-0-pending_on_time]", "11")
        self.checked()

        message = page.locator("#slot-results-0 .finding-message")
        self.assertEqual(message.inner_text(), f"Dòng 1 (Hệ thống thông tin giải quyết TTHC thành phố): {IMBALANCE}")
        self.assertIn(IMBALANCE, page.inner_text("#findings-list"))
        self.assertIn("finding-error", page.get_attribute("input[name=results-0-online]", "class") or "")
        self.assertEqual(page.inner_text("#results-total [data-total=received]"), "179")
        self.assertEqual(page.inner_text("#results-total [data-total=in_progress]"), "11")
        self.assertTrue(self.eval("window.sameDocument === true"))

        page.fill("input[name=results-0-pending_on_time]", "12")
        self.checked()
        self.assertTrue(page.is_visible("#findings-ok"))
        self.assertEqual(message.count(), 0)
        self.assertEqual(page.inner_text("#results-total [data-total=in_progress]"), "12")
        self.assertTrue(self.eval("window.sameDocument === true"))

        self.click_and_wait("#save-button")
        page.locator(".alert-success", has_text="Đã lưu báo cáo").wait_for()
        report.refresh_from_db()
        row = report.figures["results"][0]
        self.assertEqual((row["online"], row["on_time"], row["pending_on_time"]), (179, 167, 12))
        self.assertEqual(report.figures["results"][1]["online"], 0)
        self.assertEqual(page.input_value("input[name=results-0-online]"), "179")

    def test_totals_and_messages_update_while_typing(self) -> None:
        page = self.page
        self.login("canbo.a")
        self.open_new_report()
        self.eval("window.sameDocument = true")
        online = page.locator("input[name=results-0-online]")
        row_total = page.locator("tr[data-prefix=results-0] [data-row-total=received]")

        # Received without resolved breaks the balance rule of the row.
        online.fill("")
        online.press_sequentially("1.209")
        self.checked()
        imbalance = "Tổng số tiếp nhận (1.209) phải bằng đã giải quyết (0) cộng đang giải quyết (0)."
        self.assertIn(imbalance, page.inner_text("#slot-results-0"))
        self.assertIn(imbalance, page.inner_text("#findings-list"))
        self.assertIn("finding-error", online.get_attribute("class") or "")
        self.assertEqual(row_total.inner_text(), "1.209")
        self.assertEqual(page.inner_text("#results-total [data-total=received]"), "1.209")
        self.assertEqual(page.inner_text("#results-total [data-total=online]"), "1.209")
        self.assertIn("Tổng số 1.209 hồ sơ", page.inner_text("#generated-giai-quyet"))

        # A typing mistake: the cell is marked with the form's message, nothing is computed from it.
        on_time = page.locator("input[name=results-0-on_time]")
        on_time.fill("")
        on_time.press_sequentially("12x")
        self.checked()
        self.assertIn("không phải là số nguyên", page.inner_text("#slot-results-0"))
        self.assertIn("is-invalid", on_time.get_attribute("class") or "")

        # Fixed: the message goes away and the totals follow.
        on_time.press("Backspace")
        on_time.press_sequentially("09")
        self.checked()
        self.assertEqual(page.inner_text("#slot-results-0"), "")
        self.assertTrue(page.is_visible("#findings-ok"))
        self.assertNotIn("finding-error", online.get_attribute("class") or "")
        self.assertNotIn("is-invalid", on_time.get_attribute("class") or "")
        self.assertEqual(page.inner_text("#results-total [data-total=resolved]"), "1.209")
        self.assertEqual(page.inner_text("#results-total [data-total=on_time]"), "1.209")
        self.assertTrue(self.eval("window.sameDocument === true"))

    def test_a_check_answering_while_save_is_pressed_does_not_lose_the_save(self) -> None:
        # The save button once sat below the findings: a finding arriving between mouse down and
        # mouse up moved it away, the click never happened and nothing was saved (the flaky
        # journey of issue 8). It now sits above everything a check changes.
        page = self.page
        self.login("canbo.a")
        self.open_new_report()
        page.fill("input[name=results-0-online]", "179")
        button = page.locator("#save-button")
        before = button.bounding_box()
        assert before is not None
        page.mouse.move(before["x"] + before["width"] / 2, before["y"] + before["height"] / 2)
        page.mouse.down()
        self.checked()
        page.locator("#findings-list", has_text="Tổng số tiếp nhận (179)").wait_for()
        self.assertEqual(button.bounding_box(), before)
        with page.expect_navigation():
            page.mouse.up()
        page.locator(".alert-success", has_text="Đã lưu báo cáo").wait_for()
        self.assertEqual(Report.objects.get().figures["results"][0]["online"], 179)

    def test_autosave_on_leaving_a_field_and_the_conflict_banner(self) -> None:
        page = self.page
        self.login("canbo.a")
        self.open_new_report()
        page.fill("textarea[name='narrative-danh-gia.text']", "Bản nháp của cán bộ.")
        self.autosaved_after("Tab")
        page.locator("#autosave-status", has_text="Đã tự động lưu lúc").wait_for()
        report = Report.objects.get()
        self.assertEqual((report.version, report.narrative["danh-gia"]["text"]), (2, "Bản nháp của cán bộ."))
        self.assertEqual(page.input_value("input[name=version]"), "2")

        # Someone else saves meanwhile.
        Report.objects.filter(pk=report.pk).update(
            version=3, narrative={"danh-gia": {"text": "Bản của lãnh đạo.", "after": ""}}
        )
        page.fill("textarea[name='narrative-danh-gia.text']", "Bản sửa tiếp của cán bộ.")
        self.autosaved_after("Tab")
        banner = page.locator("#conflict-banner")
        banner.locator("td", has_text="Bản của lãnh đạo.").wait_for()
        self.assertIn("Bản sửa tiếp của cán bộ.", banner.inner_text())
        page.locator("#autosave-status", has_text="Đã dừng tự động lưu").wait_for()
        # Nothing was overwritten, and the officer's text is still in the box.
        report.refresh_from_db()
        self.assertEqual(report.narrative["danh-gia"]["text"], "Bản của lãnh đạo.")
        self.assertEqual(page.input_value("textarea[name='narrative-danh-gia.text']"), "Bản sửa tiếp của cán bộ.")

    def test_prefilled_marks_and_an_added_row(self) -> None:
        page = self.page
        april = factories.make_period(self.regime, "2025-04")
        factories.make_report(
            self.commune,
            april,
            figures={
                "results": [
                    {
                        "source": "Hệ thống thông tin giải quyết TTHC thành phố",
                        "kind": "city",
                        "online": 10,
                        "on_time": 6,
                        "pending_on_time": 4,
                    }
                ],
                "values": {"procedures_commune": 379},
            },
        )
        self.login("canbo.a")
        self.open_new_report()
        carried = page.locator("input[name=results-0-carried_over]")
        self.assertEqual(carried.input_value(), "4")
        self.assertIn("prefilled", carried.get_attribute("class") or "")
        page.locator(".prefilled-legend", has_text="lấy từ kỳ trước").wait_for()
        carried.fill("5")
        self.checked()
        self.assertNotIn("prefilled", carried.get_attribute("class") or "")
        self.assertIn("prefilled", page.get_attribute("input[name=values-procedures_commune]", "class") or "")

        page.get_by_role("button", name="Thêm dòng hệ thống").click()
        page.fill("input[name=results-1-source]", "Hệ thống của Bộ Công an")
        page.select_option("select[name=results-1-kind]", "ministry")
        page.fill("input[name=results-1-online]", "7")
        page.fill("input[name=results-1-on_time]", "7")
        self.checked()
        self.assertEqual(page.inner_text("#results-total [data-total=received]"), "12")  # 5 + 7
        # Carried over 5 against 4 still in progress last period: a warning asking for an explanation.
        page.locator("#explanations .explanation", has_text="Số hồ sơ kỳ trước chuyển sang (5)").wait_for()
        page.fill("textarea[name='explanation.carried_over.mismatch']", "Một hồ sơ chuyển từ kỳ trước nữa.")
        # The first row still does not balance (5 received, 0 resolved); save anyway: it is a draft.
        self.click_and_wait("#save-button")
        page.locator(".alert-success", has_text="Đã lưu báo cáo").wait_for()
        report = Report.objects.get(period__number=5)
        self.assertEqual([row["source"] for row in report.figures["results"]][1], "Hệ thống của Bộ Công an")
        self.assertEqual(report.figures["results"][1]["kind"], "ministry")
        self.assertEqual(report.explanations, {"carried_over.mismatch": "Một hồ sơ chuyển từ kỳ trước nữa."})
        self.assertNotIn("figures.results.0.carried_over", report.prefilled)
        self.assertIn("figures.values.procedures_commune", report.prefilled)
