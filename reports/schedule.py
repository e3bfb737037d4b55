"""Writes to periods after they were opened: a regime's new cut-off, offset or deadline rule, and
a corrected deadline, each recorded in the period's history (PeriodChange).

A period's window is what its reports' figures cover, so it only follows new rules while none of
its reports has been sent; once one has, the window stays and only the deadline may be corrected
(while some report of the period is still not issued).
"""

from dataclasses import dataclass
from datetime import date

from django.contrib.auth.models import AnonymousUser, User
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from reports.models import Period, PeriodChange, Report, ReportingRegime, ReportStatus, Submission
from reports.periods import MAX_YEAR, MIN_YEAR, Frequency, PeriodKey, ScheduledPeriod, upcoming_periods
from reports.rendering.formatting import format_date

type Actor = User | AnonymousUser | None


@dataclass(frozen=True)
class ScheduleChange:
    """One existing period whose window or deadline differs under a regime's new rules."""

    period: Period
    start: date
    end: date
    deadline: date
    # True when a report of the period was already sent: it keeps its stored window and deadline.
    kept: bool

    def describe(self) -> str:
        period = self.period
        old = f"{format_date(period.start)}–{format_date(period.end)}, hạn {format_date(period.deadline)}"
        new = f"{format_date(self.start)}–{format_date(self.end)}, hạn {format_date(self.deadline)}"
        return f"{period.key.label()}: {old} → {new}"


def preview(regime: ReportingRegime, *, today: date | None = None, count: int = 4) -> list[ScheduledPeriod]:
    """The next periods under the regime's (possibly unsaved) rules, for the admin form."""
    return upcoming_periods(
        regime.frequency,
        regime.cutoff_day,
        regime.deadline_working_days,
        regime.month_offset,
        today=today or timezone.localdate(),
        count=count,
    )


def schedule_changes(regime: ReportingRegime) -> list[ScheduleChange]:
    """The regime's stored periods that its current (unsaved) rules would compute differently."""
    if regime.pk is None:
        return []
    stored = list(Period.objects.filter(regime_id=regime.pk).order_by("year", "number"))
    sent = set(
        Submission.objects.filter(report__period__regime_id=regime.pk).values_list("report__period_id", flat=True)
    )
    changes = []
    for period in stored:
        period.regime = regime
        key = PeriodKey(Frequency(regime.frequency), period.year, period.number)
        start, end = regime.window(key)
        deadline = regime.deadline_for(key)
        if (start, end, deadline) != (period.start, period.end, period.deadline):
            changes.append(ScheduleChange(period, start, end, deadline, kept=period.pk in sent))
    return changes


def _changed_fields(period: Period, values: dict[str, date]) -> list[dict[str, str]]:
    return [
        {"path": name, "old": getattr(period, name).isoformat(), "new": value.isoformat()}
        for name, value in values.items()
        if getattr(period, name) != value
    ]


@transaction.atomic
def apply_schedule_changes(changes: list[ScheduleChange], *, by: Actor, reason: str) -> int:
    """Move the periods nobody has sent a report for to the regime's new rules; returns how many."""
    applied = 0
    for change in changes:
        if change.kept:
            continue
        # Re-checked under the row lock: a report may have been sent since the form was shown.
        period = Period.objects.select_for_update().get(pk=change.period.pk)
        if Submission.objects.filter(report__period=period).exists():
            continue
        values = {"start": change.start, "end": change.end, "deadline": change.deadline}
        PeriodChange.objects.create(period=period, by=_user(by), changes=_changed_fields(period, values), reason=reason)
        Period.objects.filter(pk=period.pk).update(**values)
        applied += 1
    return applied


def is_open(period: Period) -> bool:
    """A period stays open while some report bound to it may still be sent or issued."""
    bound = period.regime.bound_communes().count()
    issued = Report.objects.filter(period=period, status=ReportStatus.ISSUED).count()
    return issued < bound


@transaction.atomic
def correct_deadline(*, period: Period, deadline: date, reason: str, by: Actor, dry_run: bool = False) -> Period:
    """Set an open period's deadline (e.g. the city extended it), recording the old one.

    `dry_run` only checks (for a form's clean()), writing nothing.
    """
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": "Hãy ghi lý do điều chỉnh hạn gửi."})
    periods = Period.objects.select_related("regime")
    locked = (periods if dry_run else periods.select_for_update()).get(pk=period.pk)
    if not is_open(locked):
        raise ValidationError({"deadline": "Mọi báo cáo của kỳ này đã ban hành; không điều chỉnh hạn gửi được nữa."})
    if deadline <= locked.end:
        raise ValidationError({"deadline": f"Hạn gửi phải sau ngày chốt số liệu của kỳ ({format_date(locked.end)})."})
    if not MIN_YEAR <= deadline.year <= MAX_YEAR + 1:
        raise ValidationError({"deadline": "Hạn gửi không hợp lệ."})
    if deadline == locked.deadline or dry_run:
        return locked
    PeriodChange.objects.create(
        period=locked, by=_user(by), changes=_changed_fields(locked, {"deadline": deadline}), reason=reason
    )
    Period.objects.filter(pk=locked.pk).update(deadline=deadline)
    locked.deadline = deadline
    return locked


def _user(by: Actor) -> User | None:
    return by if isinstance(by, User) else None


def refresh_period_directives(regime: ReportingRegime) -> int:
    """Each period of the regime cites the directive in force on its last day; returns how many
    periods changed. Issued reports keep the one frozen with them (reports/frozen.py)."""
    directives = list(regime.directives.all())
    changed = []
    for period in Period.objects.filter(regime=regime):
        citation = regime.directive_on(period.end, directives)
        if period.directive != citation:
            period.directive = citation
            changed.append(period)
    Period.objects.bulk_update(changed, ["directive"])
    return len(changed)
