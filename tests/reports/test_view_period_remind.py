"""Tests for the period_remind view: POST /reports/periods/<id>/remind/ ("Nhắc các xã chưa gửi"),
and remind_owing_communes behind it."""

from datetime import date

from django.contrib.messages import get_messages
from django.core import mail

from reports import reminders
from reports.models import Period, ReminderKind, ReminderLog, Report, ReportStatus
from tests import factories
from tests.reports.workflow_helpers import AFTER_DEADLINE, BEFORE_DEADLINE, DashboardTestCase, at

FORBIDDEN = ("officer_a", "leader_a", "officer_b", "leader_b", "city_admin", "superuser")
OUTSIDERS = ("officer_c", "other_reviewer", "outsider")


class RemindTestCase(DashboardTestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        # Owing: A (draft), the commune without a report, and the one whose staff have no address.
        # Not owing: B (submitted).
        cls.no_report = factories.make_commune(10001, "Xã Đại Sơn", cls.province)
        factories.make_user("canbo.daison", "commune_officer", commune=cls.no_report)
        cls.no_address = factories.make_commune(10002, "Xã Eo Biển", cls.province)
        Report.objects.filter(pk=cls.report_b.pk).update(status=ReportStatus.SUBMITTED)


class PeriodRemindViewTests(RemindTestCase):
    def setUp(self) -> None:
        super().setUp()
        self.url = f"/reports/periods/{self.period.pk}/remind/"

    def messages_of(self, response) -> list[str]:  # type: ignore[no-untyped-def]
        return [str(message) for message in get_messages(response.wsgi_request)]

    def assertNothingSent(self) -> None:  # noqa: N802
        self.assertEqual(mail.outbox, [])
        self.assertFalse(ReminderLog.objects.exists())

    def test_anonymous_is_sent_to_log_in(self) -> None:
        self.assertLoginRedirect(self.client.post(self.url), self.url)
        self.assertNothingSent()

    def test_get_is_not_allowed(self) -> None:
        self.login(self.reviewer)
        self.assertEqual(self.client.get(self.url).status_code, 405)
        self.assertNothingSent()

    def test_outsiders_get_404_and_everyone_else_but_the_reviewer_403(self) -> None:
        for names, status in ((OUTSIDERS, 404), (FORBIDDEN, 403)):
            for name in names:
                with self.subTest(user=name):
                    self.login(getattr(self, name))
                    self.assertEqual(self.client.post(self.url).status_code, status)
        self.assertEqual(self.client.post("/reports/periods/999999/remind/").status_code, 404)
        self.assertNothingSent()

    @at(AFTER_DEADLINE)
    def test_mails_exactly_the_communes_that_owe_once_a_day(self) -> None:
        self.login(self.reviewer)
        response = self.client.post(self.url)
        self.assertRedirects(response, f"/reports/periods/{self.period.pk}/", fetch_redirect_response=False)
        self.assertEqual(
            self.messages_of(response),
            ["Đã gửi thư nhắc tới 2 xã, phường chưa gửi báo cáo. 1 xã, phường chưa có địa chỉ thư điện tử của cán bộ."],
        )
        recipients = sorted(address for message in mail.outbox for address in message.to)
        self.assertEqual(
            recipients,
            [
                "canbo.a.duocgui@example.invalid",
                "canbo.a@example.invalid",
                "canbo.daison@example.invalid",
                "lanhdao.a@example.invalid",
            ],
        )
        self.assertIn("Quá hạn", mail.outbox[0].subject)
        self.assertIn("Đã quá hạn gửi", mail.outbox[0].body)
        self.assertEqual(
            set(ReminderLog.objects.values_list("commune_id", "kind", "sent_on")),
            {
                (self.commune_a.pk, ReminderKind.MANUAL, AFTER_DEADLINE.date()),
                (self.no_report.pk, ReminderKind.MANUAL, AFTER_DEADLINE.date()),
            },
        )
        mail.outbox.clear()
        again = self.client.post(self.url)
        self.assertEqual(mail.outbox, [])
        self.assertEqual(
            self.messages_of(again)[-1:],
            [
                "Đã gửi thư nhắc tới 0 xã, phường chưa gửi báo cáo. "
                "2 xã, phường đã được nhắc hôm nay nên không gửi lại. "
                "1 xã, phường chưa có địa chỉ thư điện tử của cán bộ."
            ],
        )

    def test_before_the_deadline_the_mail_says_when_it_is_due(self) -> None:
        self.login(self.reviewer)
        with at(BEFORE_DEADLINE):
            self.client.post(self.url)
        self.assertIn("Nhắc hạn", mail.outbox[0].subject)
        self.assertIn("nhắc hạn gửi báo cáo kết quả cải cách thủ tục hành chính tháng 5 năm 2026", mail.outbox[0].body)

    def test_nobody_owes(self) -> None:
        Report.objects.filter(period=self.period).update(status=ReportStatus.ACCEPTED)
        for commune in (self.no_report, self.no_address):
            factories.make_report(commune, self.period, status=ReportStatus.SUBMITTED)
        self.login(self.reviewer)
        response = self.client.post(self.url)
        self.assertEqual(self.messages_of(response), ["Tất cả xã, phường đã gửi báo cáo, không có xã nào cần nhắc."])
        self.assertNothingSent()


class RemindersShareTheLogTests(RemindTestCase):
    """The daily run and the button never mail the same commune twice on one day."""

    def test_a_commune_reminded_by_the_daily_run_is_not_mailed_again(self) -> None:
        # Friday 15/5 is one working day before the deadline: the daily run reminds the owing.
        today = date(2026, 5, 15)
        with at(BEFORE_DEADLINE):
            reminders.send_reminders(today)
            mail.outbox.clear()
            period = Period.objects.select_related("regime").get(pk=self.period.pk)
            result = reminders.remind_owing_communes(period, today=today)
        self.assertEqual((result.owing, result.mailed, result.already, result.without_address), (3, 0, 2, 1))
        self.assertEqual([m for m in mail.outbox if "Nhắc hạn" in m.subject], [])

    def test_the_daily_run_skips_a_commune_reminded_by_the_button(self) -> None:
        today = date(2026, 5, 15)
        period = Period.objects.select_related("regime").get(pk=self.period.pk)
        reminders.remind_owing_communes(period, today=today)
        mail.outbox.clear()
        result = reminders.send_reminders(today)
        self.assertEqual(result.commune_mails, 0)
