"""Deadline reminders: which communes still owe a report, and when to tell them.

Communes hear at 3 and 1 working days before the deadline, on the day, and the day after; the
city Centre gets one digest a day while a period is open. Run daily (see README).
"""

from dataclasses import dataclass
from datetime import date, timedelta

from django.db import IntegrityError, transaction

from communes.models import Commune
from reports import notifications, periods
from reports.models import Period, ReminderKind, ReminderLog, Report, ReportStatus

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


def communes_owing(period: Period) -> list[Commune]:
    """Communes of the period's province without a submitted, accepted or issued report (one query)."""
    done = Report.objects.filter(period=period, status__in=DONE_STATUSES).values("commune_id")
    return list(Commune.objects.filter(province_id=period.regime.province_id).exclude(pk__in=done).order_by("name"))


def _log_once(period: Period, commune: Commune | None, kind: ReminderKind, today: date) -> bool:
    try:
        with transaction.atomic():
            ReminderLog.objects.create(period=period, commune=commune, kind=kind, sent_on=today)
    except IntegrityError:
        return False
    return True


@dataclass(frozen=True)
class ReminderResult:
    commune_mails: int
    digests: int


def send_reminders(today: date, *, dry_run: bool = False) -> ReminderResult:
    commune_mails = digests = 0
    candidates = Period.objects.filter(
        regime__is_active=True,
        deadline__gte=today - timedelta(days=DIGEST_WINDOW_DAYS),
        deadline__lte=today + timedelta(days=DIGEST_WINDOW_DAYS),
        start__lte=today,
    ).select_related("regime__province")
    for period in candidates:
        owing = communes_owing(period)
        kind = reminder_kind(today, period.deadline)
        if kind is not None and owing:
            addresses = notifications.commune_addresses(c.pk for c in owing)
            messages = []
            for commune in owing:
                to = addresses.get(commune.pk, [])
                if not to or (not dry_run and not _log_once(period, commune, kind, today)):
                    continue
                context = {"period": period, "commune": commune, "kind": kind, "today": today}
                messages.append(notifications.build_message("reminder", context, to))
            commune_mails += len(messages) if dry_run else notifications.send(messages)
        if periods.is_working_day(today) and (dry_run or _log_once(period, None, ReminderKind.CITY_DIGEST, today)):
            to = notifications.reviewer_addresses(period.regime.province_id)
            waiting = Report.objects.filter(period=period, status=ReportStatus.SUBMITTED).count()
            context = {"period": period, "owing": owing, "waiting": waiting, "today": today}
            message = notifications.build_message("digest", context, to)
            digests += (1 if to else 0) if dry_run else notifications.send([message])
    return ReminderResult(commune_mails=commune_mails, digests=digests)
