"""Tests for reports.reminders and the send_reminders command: who is reminded, when, and only once.

Dates worked out by hand from the 2026 calendar (holidays from reports.periods):
- May 2026 period: due Monday 18/5. Three working days before is Wednesday 13/5 (Thu 14, Fri 15,
  Mon 18); one before is Friday 15/5; the day after is Tuesday 19/5.
- February 2026: due Tuesday 24/2 (Tết 16–20/2). One working day before is Monday 23/2; three
  before is Thursday 12/2 (Fri 13, Mon 23, Tue 24); the day after is Wednesday 25/2.
- A deadline of Monday 24/8/2026: Saturday 22/8 is worked in exchange for Monday 31/8, so it is
  the working day before; three before is Thursday 20/8 (Fri 21, Sat 22, Mon 24).
- A deadline of Friday 28/8/2026: 31/8, 1/9 and 2/9 are days off, so the day after is Thursday 3/9.
"""

from datetime import date, datetime
from io import StringIO

from django.core import mail
from django.core.management import CommandError, call_command
from django.test import SimpleTestCase

from communes.models import Role
from reports import reminders, workflow
from reports.models import Period, ReminderKind, ReminderLog, Report, ReportStatus
from tests import factories
from tests.reports.workflow_helpers import VN, WorkflowTestCase, add_submission, at

Kind = ReminderKind


class ReminderKindTests(SimpleTestCase):
    def assertKinds(self, deadline: date, expected: dict[date, ReminderKind | None]) -> None:  # noqa: N802
        for today, kind in expected.items():
            with self.subTest(today=today):
                self.assertEqual(reminders.reminder_kind(today, deadline), kind)

    def test_an_ordinary_week(self) -> None:
        self.assertKinds(
            date(2026, 5, 18),
            {
                date(2026, 5, 12): None,
                date(2026, 5, 13): Kind.THREE_DAYS_BEFORE,
                date(2026, 5, 14): None,
                date(2026, 5, 15): Kind.ONE_DAY_BEFORE,
                date(2026, 5, 16): None,  # Saturday
                date(2026, 5, 17): None,  # Sunday
                date(2026, 5, 18): Kind.DUE_TODAY,
                date(2026, 5, 19): Kind.OVERDUE,
                date(2026, 5, 20): None,
            },
        )

    def test_tet_holidays_are_skipped(self) -> None:
        self.assertKinds(
            date(2026, 2, 24),
            {
                date(2026, 2, 11): None,
                date(2026, 2, 12): Kind.THREE_DAYS_BEFORE,
                date(2026, 2, 13): None,
                date(2026, 2, 17): None,  # mùng 1 Tết
                date(2026, 2, 20): None,
                date(2026, 2, 23): Kind.ONE_DAY_BEFORE,
                date(2026, 2, 24): Kind.DUE_TODAY,
                date(2026, 2, 25): Kind.OVERDUE,
                date(2026, 2, 26): None,
            },
        )

    def test_a_saturday_worked_in_a_day_swap_counts(self) -> None:
        self.assertKinds(
            date(2026, 8, 24),
            {
                date(2026, 8, 20): Kind.THREE_DAYS_BEFORE,
                date(2026, 8, 21): None,
                date(2026, 8, 22): Kind.ONE_DAY_BEFORE,
                date(2026, 8, 23): None,
                date(2026, 8, 24): Kind.DUE_TODAY,
                date(2026, 8, 25): Kind.OVERDUE,
            },
        )

    def test_the_day_after_skips_national_day_holidays(self) -> None:
        self.assertKinds(
            date(2026, 8, 28),
            {
                date(2026, 8, 31): None,
                date(2026, 9, 1): None,
                date(2026, 9, 2): None,
                date(2026, 9, 3): Kind.OVERDUE,
                date(2026, 9, 4): None,
            },
        )


class RemindersTestCase(WorkflowTestCase):
    """Commune A has a draft, B submitted; D has no report, E was returned, F accepted, G issued."""

    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        cls.commune_d = factories.make_commune(10001, "Xã Đại Sơn", cls.province)
        cls.commune_e = factories.make_commune(10002, "Xã Eo Biển", cls.province)
        cls.commune_f = factories.make_commune(10003, "Xã Phù Ninh", cls.province)
        cls.commune_g = factories.make_commune(10004, "Xã Gia Viên", cls.province)
        for commune in (cls.commune_d, cls.commune_e, cls.commune_f, cls.commune_g):
            factories.make_user(f"canbo.{commune.pk}", Role.COMMUNE_OFFICER, commune=commune)
        Report.objects.filter(pk=cls.report_b.pk).update(status=ReportStatus.SUBMITTED)
        factories.make_report(cls.commune_e, cls.period, status=ReportStatus.RETURNED)
        factories.make_report(cls.commune_f, cls.period, status=ReportStatus.ACCEPTED)
        factories.make_report(cls.commune_g, cls.period, status=ReportStatus.ISSUED)

    def recipients(self) -> set[str]:
        return {address for message in mail.outbox for address in message.to}

    def reminder_mails(self) -> list:  # type: ignore[type-arg]
        return [m for m in mail.outbox if "Tình hình nộp báo cáo" not in m.subject]

    def digests(self) -> list:  # type: ignore[type-arg]
        return [m for m in mail.outbox if "Tình hình nộp báo cáo" in m.subject]


class CommunesOwingTests(RemindersTestCase):
    def test_draft_returned_and_missing_owe_and_the_rest_do_not(self) -> None:
        period = Period.objects.select_related("regime").get(pk=self.period.pk)
        with self.assertNumQueries(1):
            owing = reminders.communes_owing(period)
        self.assertEqual({c.pk for c in owing}, {self.commune_a.pk, self.commune_d.pk, self.commune_e.pk})


class SendRemindersTests(RemindersTestCase):
    OWING_STAFF = {
        "canbo.a@example.invalid",
        "lanhdao.a@example.invalid",
        "canbo.a.duocgui@example.invalid",
        "canbo.10001@example.invalid",
        "canbo.10002@example.invalid",
    }

    def test_three_days_before_only_the_communes_that_owe_are_mailed(self) -> None:
        result = reminders.send_reminders(date(2026, 5, 13))
        self.assertEqual(result, reminders.ReminderResult(commune_mails=3, digests=1))
        commune_mails = self.reminder_mails()
        self.assertEqual(len(commune_mails), 3)
        self.assertEqual({a for m in commune_mails for a in m.to}, self.OWING_STAFF)
        # Each commune hears only about itself.
        by_commune = {m.body.splitlines()[0]: set(m.to) for m in commune_mails}
        self.assertEqual(by_commune["Kính gửi Ủy ban nhân dân xã Eo Biển,"], {"canbo.10002@example.invalid"})
        for message in commune_mails:
            self.assertEqual(message.subject, "[Báo cáo CCHC] Nhắc hạn gửi báo cáo tháng 5 năm 2026")
            self.assertIn("Còn 3 ngày làm việc đến hạn gửi", message.body)
            self.assertIn("hạn gửi: ngày 18/05/2026", message.body)
        for done in ("canbo.b@example.invalid", "lanhdao.b@example.invalid", "canbo.10003@example.invalid"):
            self.assertNotIn(done, self.recipients())
        self.assertNotIn("canbo.10004@example.invalid", self.recipients())
        self.assertNotIn("canbo.c@example.invalid", self.recipients())

    def test_each_province_reminds_its_own_communes_and_tells_its_own_centre(self) -> None:
        other_regime = factories.make_regime(self.other_province, name="Báo cáo Hà Nội")
        factories.make_report(self.commune_c, factories.make_period(other_regime, "2026-05"))
        result = reminders.send_reminders(date(2026, 5, 13))
        self.assertEqual(result, reminders.ReminderResult(commune_mails=4, digests=2))
        ha_noi = [m for m in mail.outbox if "trungtam.hn@example.invalid" in m.to or "canbo.c@example.invalid" in m.to]
        self.assertEqual(len(ha_noi), 2)
        for message in ha_noi:
            self.assertIn(message.to, (["trungtam.hn@example.invalid"], ["canbo.c@example.invalid"]))
        (digest,) = [m for m in ha_noi if m.to == ["trungtam.hn@example.invalid"]]
        self.assertIn("+ Phường Ba Đình", digest.body)
        self.assertNotIn("Hùng Thắng", digest.body)

    def test_the_centre_gets_one_digest_listing_who_still_owes(self) -> None:
        reminders.send_reminders(date(2026, 5, 13))
        (digest,) = self.digests()
        self.assertEqual(digest.to, ["trungtam@example.invalid"])
        self.assertEqual(digest.subject, "[Báo cáo CCHC] Tình hình nộp báo cáo tháng 5 năm 2026 ngày 13/05/2026")
        self.assertIn("- Đang chờ thẩm định: 1 báo cáo.", digest.body)
        self.assertIn("- Chưa gửi: 3 xã, phường:", digest.body)
        for name in ("Xã Hùng Thắng", "Xã Đại Sơn", "Xã Eo Biển"):
            self.assertIn(f"+ {name}", digest.body)
        self.assertNotIn("Bình Giang", digest.body)

    def test_each_reminder_day_has_its_own_wording(self) -> None:
        expected = {
            date(2026, 5, 15): ("Nhắc hạn", "Còn 1 ngày làm việc đến hạn gửi"),
            date(2026, 5, 18): ("Nhắc hạn", "Hôm nay là hạn gửi"),
            date(2026, 5, 19): ("Quá hạn", "Đã quá hạn gửi"),
        }
        for today, (subject_word, body_text) in expected.items():
            with self.subTest(today=today):
                mail.outbox.clear()
                result = reminders.send_reminders(today)
                self.assertEqual(result.commune_mails, 3)
                for message in self.reminder_mails():
                    self.assertIn(subject_word, message.subject)
                    self.assertIn(body_text, message.body)

    def test_on_other_working_days_only_the_digest_goes(self) -> None:
        for today in (date(2026, 5, 14), date(2026, 5, 20)):
            with self.subTest(today=today):
                mail.outbox.clear()
                self.assertEqual(reminders.send_reminders(today), reminders.ReminderResult(0, 1))
                self.assertEqual(len(self.digests()), 1)

    def test_nothing_goes_out_at_the_weekend(self) -> None:
        self.assertEqual(reminders.send_reminders(date(2026, 5, 16)), reminders.ReminderResult(0, 0))
        self.assertEqual(mail.outbox, [])

    def test_nothing_goes_out_long_before_or_after_the_deadline(self) -> None:
        for today in (date(2026, 4, 10), date(2026, 6, 10)):
            with self.subTest(today=today):
                self.assertEqual(reminders.send_reminders(today), reminders.ReminderResult(0, 0))
        self.assertEqual(mail.outbox, [])

    def test_running_twice_the_same_day_sends_nothing_twice(self) -> None:
        reminders.send_reminders(date(2026, 5, 13))
        sent = len(mail.outbox)
        self.assertEqual(reminders.send_reminders(date(2026, 5, 13)), reminders.ReminderResult(0, 0))
        self.assertEqual(len(mail.outbox), sent)
        self.assertEqual(ReminderLog.objects.filter(sent_on=date(2026, 5, 13)).count(), 4)
        # The next reminder day is a new reminder.
        self.assertEqual(reminders.send_reminders(date(2026, 5, 15)).commune_mails, 3)

    def test_a_commune_that_submitted_in_the_meantime_is_not_reminded(self) -> None:
        reminders.send_reminders(date(2026, 5, 13))
        with at(datetime(2026, 5, 14, 9, 0, tzinfo=VN)):
            workflow.submit_report(self.fresh(self.report_a), by=self.leader_a)
        mail.outbox.clear()
        result = reminders.send_reminders(date(2026, 5, 15))
        self.assertEqual(result.commune_mails, 2)
        self.assertFalse(self.recipients() & {"canbo.a@example.invalid", "lanhdao.a@example.invalid"})

    def test_staff_without_an_address_or_inactive_are_not_mailed(self) -> None:
        self.officer_a.is_active = False
        self.officer_a.save(update_fields=["is_active"])
        type(self.leader_a).objects.filter(pk=self.leader_a.pk).update(email="")
        reminders.send_reminders(date(2026, 5, 13))
        self.assertNotIn("canbo.a@example.invalid", self.recipients())
        self.assertIn("canbo.a.duocgui@example.invalid", self.recipients())

    def test_a_dry_run_counts_but_sends_and_logs_nothing(self) -> None:
        result = reminders.send_reminders(date(2026, 5, 13), dry_run=True)
        self.assertEqual(result, reminders.ReminderResult(commune_mails=3, digests=1))
        self.assertEqual(mail.outbox, [])
        self.assertFalse(ReminderLog.objects.exists())

    def test_a_mail_server_failure_leaves_no_log_so_the_next_run_retries(self) -> None:
        with (
            self.settings(MAILERS={"default": {"BACKEND": "tests.reports.test_workflow.BrokenEmailBackend"}}),
            self.assertRaises(ConnectionRefusedError),
        ):
            reminders.send_reminders(date(2026, 5, 13))
        self.assertFalse(ReminderLog.objects.exists())
        self.assertEqual(reminders.send_reminders(date(2026, 5, 13)).commune_mails, 3)

    def test_an_inactive_regime_sends_nothing(self) -> None:
        self.regime.is_active = False
        self.regime.save(update_fields=["is_active"])
        self.assertEqual(reminders.send_reminders(date(2026, 5, 13)), reminders.ReminderResult(0, 0))

    def test_after_the_deadline_a_report_first_sent_on_time_gets_no_overdue_reminder(self) -> None:
        returned = Report.objects.get(commune=self.commune_e, period=self.period)
        add_submission(returned, on_time=True)
        result = reminders.send_reminders(date(2026, 5, 19))
        self.assertEqual(result.commune_mails, 2)
        self.assertNotIn("canbo.10002@example.invalid", self.recipients())
        # The Centre's digest still lists it: it owes a resubmission.
        (digest,) = self.digests()
        self.assertIn("+ Xã Eo Biển", digest.body)


class SendRemindersCommandTests(RemindersTestCase):
    def test_the_date_option_picks_the_day(self) -> None:
        out = StringIO()
        call_command("send_reminders", "--date", "2026-05-13", stdout=out)
        self.assertEqual(out.getvalue().strip(), "Đã gửi 3 thư nhắc hạn và 1 thư tổng hợp.")
        self.assertEqual(len(mail.outbox), 4)

    def test_without_a_date_it_is_today_in_vietnam(self) -> None:
        out = StringIO()
        # 18:30 UTC on 14/5 is already Friday 15/5 in Hà Nội: the one-day reminder.
        with at(datetime(2026, 5, 15, 1, 30, tzinfo=VN)):
            call_command("send_reminders", stdout=out)
        self.assertIn("Còn 1 ngày làm việc", self.reminder_mails()[0].body)

    def test_dry_run(self) -> None:
        out = StringIO()
        call_command("send_reminders", "--date", "2026-05-13", "--dry-run", stdout=out)
        self.assertEqual(out.getvalue().strip(), "Chạy thử: sẽ gửi 3 thư nhắc hạn và 1 thư tổng hợp.")
        self.assertEqual(mail.outbox, [])

    def test_a_bad_date_is_refused(self) -> None:
        for bad in ("13/05/2026", "2026-02-30", "hôm nay"):
            with self.subTest(bad=bad), self.assertRaisesMessage(CommandError, "Ngày không hợp lệ"):
                call_command("send_reminders", "--date", bad, stdout=StringIO())
        self.assertEqual(mail.outbox, [])

    def test_running_twice_sends_nothing_the_second_time(self) -> None:
        call_command("send_reminders", "--date", "2026-05-13", stdout=StringIO())
        out = StringIO()
        call_command("send_reminders", "--date", "2026-05-13", stdout=out)
        self.assertEqual(out.getvalue().strip(), "Đã gửi 0 thư nhắc hạn và 0 thư tổng hợp.")
        self.assertEqual(len(mail.outbox), 4)
