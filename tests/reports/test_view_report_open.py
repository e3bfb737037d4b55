"""Tests for opening a report: "/reports/open/<commune code>/" (GET the choices, POST to open)."""

import time_machine

from reports.models import EventKind, Period, Report, ReportEvent, ReportStatus
from tests import factories
from tests.base import BaseTestCase
from tests.reports.entry_fixtures import HUNG_THANG, load_seed, make_seed_regime

# Wednesday 20/5/2026: May's window (15/4–14/5) has ended, June's (15/5–14/6) has begun.
DURING_MAY_2026 = "2026-05-20 09:00 +0700"
URL = "/reports/open/11809/"


@time_machine.travel(DURING_MAY_2026, tick=False)
class ReportOpenTests(BaseTestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        cls.regime = make_seed_regime(HUNG_THANG, cls.province)
        cls.other_province_regime = factories.make_regime(cls.other_province, name="Báo cáo Hà Nội")

    def assertNothingCreated(self) -> None:  # noqa: N802
        self.assertFalse(Period.objects.exists())
        self.assertFalse(Report.objects.exists())
        self.assertFalse(ReportEvent.objects.exists())

    def test_anonymous_is_sent_to_the_login_page(self) -> None:
        self.assertRedirects(self.client.get(URL), f"/accounts/login/?next={URL}")
        response = self.client.post(URL, {"regime": self.regime.pk, "period": "2026-05"})
        self.assertRedirects(response, f"/accounts/login/?next={URL}")
        self.assertNothingCreated()

    def test_staff_of_another_commune_get_404(self) -> None:
        for user in (self.officer_b, self.leader_b, self.officer_c, self.other_reviewer, self.outsider):
            with self.subTest(user=user.username):
                self.login(user)
                self.assertEqual(self.client.get(URL).status_code, 404)
                response = self.client.post(URL, {"regime": self.regime.pk, "period": "2026-05"})
                self.assertEqual(response.status_code, 404)
        self.assertNothingCreated()

    def test_an_unknown_commune_gives_404(self) -> None:
        self.login(self.officer_a)
        self.assertEqual(self.client.get("/reports/open/99999/").status_code, 404)

    def test_city_staff_get_403(self) -> None:
        for user in (self.reviewer, self.city_admin):
            with self.subTest(user=user.username):
                self.login(user)
                response = self.client.get(URL)
                self.assertContains(
                    response, "Chỉ cán bộ, lãnh đạo UBND cấp xã được lập báo cáo của xã, phường.", status_code=403
                )
                response = self.client.post(URL, {"regime": self.regime.pk, "period": "2026-05"})
                self.assertEqual(response.status_code, 403)
        self.assertNothingCreated()

    def test_wrong_method_gives_405(self) -> None:
        self.login(self.officer_a)
        self.assertEqual(self.client.put(URL).status_code, 405)
        self.assertEqual(self.client.delete(URL).status_code, 405)

    def test_lists_the_latest_started_periods(self) -> None:
        self.login(self.officer_a)
        response = self.client.get(URL)
        self.assertContains(response, "Lập báo cáo tháng 6 năm 2026")  # begun 15/5
        self.assertContains(response, "Lập báo cáo tháng 5 năm 2026")
        self.assertContains(response, "Lập báo cáo tháng 4 năm 2026")
        self.assertNotContains(response, "tháng 7 năm 2026")
        self.assertContains(response, "15/4/2026 – 14/5/2026")
        self.assertNothingCreated()

    def test_an_existing_report_is_linked_instead(self) -> None:
        period = factories.make_period(self.regime, "2026-05")
        report = factories.make_report(self.commune_a, period, status=ReportStatus.SUBMITTED)
        self.login(self.officer_a)
        response = self.client.get(URL)
        self.assertContains(response, f'href="/reports/{report.pk}/"')
        self.assertNotContains(response, "Lập báo cáo tháng 5 năm 2026")

    def test_opening_creates_the_period_and_the_draft(self) -> None:
        self.login(self.officer_a)
        response = self.client.post(URL, {"regime": self.regime.pk, "period": "2026-05"})
        report = Report.objects.get()
        self.assertRedirects(response, f"/reports/{report.pk}/edit/", fetch_redirect_response=False)
        period = report.period
        self.assertEqual((period.regime, period.year, period.number), (self.regime, 2026, 5))
        self.assertEqual((period.start, period.end), (factories.day("15/4/2026"), factories.day("14/5/2026")))
        # Two working days after Thursday 14/5: Friday 15/5 and Monday 18/5.
        self.assertEqual(period.deadline, factories.day("18/5/2026"))
        self.assertEqual((report.commune, report.status, report.created_by), (self.commune_a, "draft", self.officer_a))
        self.assertEqual(ReportEvent.objects.get().kind, EventKind.CREATED)
        response = self.client.get(f"/reports/{report.pk}/edit/")
        self.assertContains(
            response, "Đã lập dự thảo báo cáo tháng 5 năm 2026 (chưa có báo cáo kỳ trước để lấy dữ liệu)."
        )

    def test_the_period_is_picked_from_the_regimes_started_periods(self) -> None:
        self.login(self.officer_a)
        response = self.client.get(URL)
        self.assertContains(response, '<select name="period"')
        self.assertContains(response, '<option value="2026-05">Tháng 5 năm 2026</option>')
        self.assertNotContains(response, 'value="2026-07"')

    def test_without_last_periods_report_the_latest_earlier_one_prefills_and_is_named(self) -> None:
        february = factories.make_period(self.regime, "2026-02")
        factories.make_report(self.commune_a, february, figures=load_seed(HUNG_THANG)["figures"])
        self.login(self.leader_a)
        response = self.client.post(URL, {"regime": self.regime.pk, "period": "2026-05"}, follow=True)
        report = Report.objects.get(period__number=5)
        self.assertEqual([row["carried_over"] for row in report.figures["results"]], [3, 9])
        self.assertContains(response, "lấy dữ liệu từ báo cáo tháng 02 năm 2026")
        self.assertContains(response, "kỳ liền trước chưa có báo cáo")

    def test_opening_prefills_from_last_period(self) -> None:
        april = factories.make_period(self.regime, "2026-04")
        factories.make_report(self.commune_a, april, figures=load_seed(HUNG_THANG)["figures"])
        self.login(self.leader_a)
        self.client.post(URL, {"regime": self.regime.pk, "period": "2026-05"})
        report = Report.objects.get(period__number=5)
        self.assertEqual([row["carried_over"] for row in report.figures["results"]], [3, 9])

    def test_opening_again_goes_to_the_same_report(self) -> None:
        self.login(self.officer_a)
        self.client.post(URL, {"regime": self.regime.pk, "period": "2026-05"})
        report = Report.objects.get()
        response = self.client.post(URL, {"regime": self.regime.pk, "period": "2026-05"})
        self.assertRedirects(response, f"/reports/{report.pk}/edit/", fetch_redirect_response=False)
        self.assertEqual(Report.objects.count(), 1)
        self.assertEqual(ReportEvent.objects.count(), 1)

    def test_a_report_no_longer_editable_opens_read_only(self) -> None:
        period = factories.make_period(self.regime, "2026-05")
        report = factories.make_report(self.commune_a, period, status=ReportStatus.SUBMITTED)
        self.login(self.officer_a)
        response = self.client.post(URL, {"regime": self.regime.pk, "period": "2026-05"})
        self.assertRedirects(response, f"/reports/{report.pk}/", fetch_redirect_response=False)

    def test_the_superuser_may_open_a_report(self) -> None:
        self.login(self.superuser)
        response = self.client.post(URL, {"regime": self.regime.pk, "period": "2026-04"})
        self.assertEqual(response.status_code, 302)
        self.assertEqual(Report.objects.get().period.number, 4)

    def test_invalid_choices_show_a_vietnamese_message_and_create_nothing(self) -> None:
        cases = [
            # The period is picked from a list of started periods; anything else is refused.
            (
                {"regime": self.regime.pk, "period": "2026-13"},
                "Kỳ báo cáo “2026-13” không có trong danh sách: chỉ lập báo cáo cho kỳ đã bắt đầu.",
            ),
            (
                {"regime": self.regime.pk, "period": "2026-Q1"},
                "Kỳ báo cáo “2026-Q1” không có trong danh sách: chỉ lập báo cáo cho kỳ đã bắt đầu.",
            ),
            (
                {"regime": self.regime.pk, "period": "2026-07"},
                "Kỳ báo cáo “2026-07” không có trong danh sách: chỉ lập báo cáo cho kỳ đã bắt đầu.",
            ),
            ({"regime": self.other_province_regime.pk, "period": "2026-05"}, "Chế độ báo cáo không hợp lệ."),
            ({"regime": "abc", "period": "2026-05"}, "Chế độ báo cáo không hợp lệ."),
            ({"period": "2026-05"}, "Vui lòng chọn chế độ báo cáo."),
            ({"regime": self.regime.pk}, "Vui lòng chọn kỳ báo cáo."),
            ({}, "Vui lòng chọn chế độ báo cáo."),
            ({"regime": self.regime.pk, "period": "x" * 500}, "không có trong danh sách"),
        ]
        self.login(self.officer_a)
        for data, message in cases:
            with self.subTest(data=data):
                response = self.client.post(URL, data)
                self.assertContains(response, message)
        self.assertNothingCreated()

    def test_an_inactive_regime_cannot_be_opened(self) -> None:
        self.regime.is_active = False
        self.regime.save(update_fields=["is_active"])
        self.login(self.officer_a)
        response = self.client.post(URL, {"regime": self.regime.pk, "period": "2026-05"})
        self.assertContains(response, "Chế độ báo cáo không hợp lệ.")
        self.assertNothingCreated()
