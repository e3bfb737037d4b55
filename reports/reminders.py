"""Deadline reminders: which communes still owe a report, and when to tell them.

Communes hear at 3 and 1 working days before the deadline, on the day, and the day after; the
city Centre gets one digest a day while a period is open. Run daily (see README).
"""

from dataclasses import dataclass
from datetime import date, timedelta
from typing import TYPE_CHECKING, TypedDict

from django.core.mail import EmailMessage, mailers
from django.core.mail.backends.base import BaseEmailBackend
from django.db import IntegrityError, transaction
from django.db.models import OuterRef

from communes.models import Commune
from reports import notifications, periods
from reports.models import Period, ReminderKind, ReminderLog, Report, ReportStatus, first_submission_on_time

if TYPE_CHECKING:  # django-stubs-ext is a type-checking aid, not a runtime dependency
    from django_stubs_ext import WithAnnotations

# Reports in these statuses are done as far as the commune's duty to send goes.
DONE_STATUSES = (ReportStatus.SUBMITTED, ReportStatus.ACCEPTED, ReportStatus.ISSUED)
# The Centre's digest covers periods whose deadline is at most this many days away or past.
DIGEST_WINDOW_DAYS = 10


def reminder_kind(today: date, deadline: date) -> ReminderKind | None:
    """Which reminder, if any, falls on `today` for a period due on `deadline`."""
    if not periods.is_working_day(today):
        return None
    if today == deadline:
        return ReminderKind.DUE_TODAY
    if today < deadline:
        if periods.add_working_days(today, 1) == deadline:
            return ReminderKind.ONE_DAY_BEFORE
        if periods.add_working_days(today, 3) == deadline:
            return ReminderKind.THREE_DAYS_BEFORE
        return None
    if periods.add_working_days(deadline, 1) == today:
        return ReminderKind.OVERDUE
    return None


class Owing(TypedDict):
    first_on_time: bool | None


def communes_owing(period: Period) -> "list[WithAnnotations[Commune, Owing]]":
    """Communes of the period's province without a submitted, accepted or issued report (one query).

    Each carries `first_on_time` (of its report's first submission, None if never sent) for
    periods.is_late(): only late communes get the reminder after the deadline.
    """
    done = Report.objects.filter(period=period, status__in=DONE_STATUSES).values("commune_id")
    return list(
        period.regime.bound_communes()
        .exclude(pk__in=done)
        .annotate(first_on_time=first_submission_on_time(report__period=period, report__commune=OuterRef("pk")))
        .order_by("name")
    )


def _send_once(
    connection: BaseEmailBackend | None,
    message: EmailMessage,
    *,
    period: Period,
    commune: Commune | None,
    kind: ReminderKind,
    today: date,
) -> bool:
    """Send `message` unless this reminder went out today already; True if it was sent (or, in a
    dry run without `connection`, would be).

    The log row and the sending share one transaction: if the mail server refuses, the log is
    rolled back and the next run tries again; a second run the same day finds the row and skips.
    """
    if not message.to:
        return False
    key = {"period": period, "commune": commune, "kind": kind, "sent_on": today}
    if connection is None:
        return not ReminderLog.objects.filter(**key).exists()
    try:
        with transaction.atomic():
            ReminderLog.objects.create(**key)
            connection.send_messages([message])
    except IntegrityError:
        return False
    return True


@dataclass(frozen=True)
class ReminderResult:
    commune_mails: int
    digests: int


def send_reminders(today: date, *, dry_run: bool = False) -> ReminderResult:
    """Mail the communes that still owe a report on their reminder days, and the Centre its digest."""
    commune_mails = digests = 0
    candidates = Period.objects.filter(
        regime__is_active=True,
        deadline__gte=today - timedelta(days=DIGEST_WINDOW_DAYS),
        deadline__lte=today + timedelta(days=DIGEST_WINDOW_DAYS),
        start__lte=today,
    ).select_related("regime__province")
    # Not opened here: each send opens the backend's connection itself, so a day with nothing to
    # send never touches the mail server.
    connection = None if dry_run else mailers.default
    for period in candidates:
        owing = communes_owing(period)
        kind = reminder_kind(today, period.deadline)
        reminded = owing
        if kind == ReminderKind.OVERDUE:
            # A returned report first sent on time owes a resubmission but is not late.
            reminded = [
                c for c in owing if periods.is_late(period.deadline, today=today, first_on_time=c.first_on_time)
            ]
        if kind is not None and reminded:
            addresses = notifications.commune_addresses(c.pk for c in reminded)
            # A commune the Centre reminded from the grid today is not mailed again.
            already = reminded_today(period, today)
            for commune in reminded:
                if commune.pk in already:
                    continue
                context = {"period": period, "commune": commune, "kind": kind, "today": today}
                message = notifications.build_message("reminder", context, addresses.get(commune.pk, []))
                commune_mails += _send_once(connection, message, period=period, commune=commune, kind=kind, today=today)
        if periods.is_working_day(today):
            waiting = Report.objects.filter(period=period, status=ReportStatus.SUBMITTED).count()
            context = {"period": period, "owing": owing, "waiting": waiting, "today": today}
            to = notifications.reviewer_addresses(period.regime.province_id)
            message = notifications.build_message("digest", context, to)
            digests += _send_once(
                connection, message, period=period, commune=None, kind=ReminderKind.CITY_DIGEST, today=today
            )
    return ReminderResult(commune_mails=commune_mails, digests=digests)


def reminded_today(period: Period, today: date) -> set[int]:
    """Communes already reminded of `period` on `today`, by any kind of reminder (one query)."""
    return set(
        ReminderLog.objects.filter(period=period, sent_on=today, commune__isnull=False).values_list(
            "commune_id", flat=True
        )
    )


@dataclass(frozen=True)
class ManualReminderResult:
    owing: int  # communes that still owe the report
    mailed: int  # communes mailed now
    already: int  # communes reminded earlier today, not mailed again
    without_address: int  # communes whose staff have no e-mail address

    @property
    def summary(self) -> str:
        """What the Centre is told after pressing the button."""
        if not self.owing:
            return "Tất cả xã, phường đã gửi báo cáo, không có xã nào cần nhắc."
        parts = [f"Đã gửi thư nhắc tới {self.mailed} xã, phường chưa gửi báo cáo."]
        if self.already:
            parts.append(f"{self.already} xã, phường đã được nhắc hôm nay nên không gửi lại.")
        if self.without_address:
            parts.append(f"{self.without_address} xã, phường chưa có địa chỉ thư điện tử của cán bộ.")
        return " ".join(parts)


def remind_owing_communes(period: Period, *, today: date) -> ManualReminderResult:
    """Mail every commune that still owes the period's report now (the Centre's button), by the
    same rules as send_reminders: who owes comes from communes_owing, and a commune already
    reminded today (by the daily run or an earlier click) is not mailed again."""
    owing = communes_owing(period)
    reminded = reminded_today(period, today)
    addresses = notifications.commune_addresses(c.pk for c in owing)
    overdue = today > period.deadline
    already = sum(1 for commune in owing if commune.pk in reminded)
    to_mail = [commune for commune in owing if commune.pk not in reminded and addresses.get(commune.pk)]
    without_address = len(owing) - already - len(to_mail)
    mailed = 0
    if to_mail:
        # One connection for the whole batch: a city has over a hundred communes, and opening the
        # mail server's connection for each would keep the reviewer waiting.
        with mailers.default as connection:
            for commune in to_mail:
                context = {"period": period, "commune": commune, "kind": ReminderKind.MANUAL, "overdue": overdue}
                message = notifications.build_message("reminder", context, addresses[commune.pk])
                if _send_once(
                    connection, message, period=period, commune=commune, kind=ReminderKind.MANUAL, today=today
                ):
                    mailed += 1
                else:
                    already += 1
    return ManualReminderResult(owing=len(owing), mailed=mailed, already=already, without_address=without_address)
