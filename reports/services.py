"""Writes: every change to periods and reports goes through a function here.

Services take keyword-only arguments, never see a request, and raise ValidationError with a
Vietnamese message when a rule is broken.
"""

from typing import Any

from django.contrib.auth.models import AbstractBaseUser
from django.db import IntegrityError, transaction

from reports import periods
from reports.models import EventKind, Period, Report, ReportEvent, ReportingRegime


def get_or_create_period(regime: ReportingRegime, key: periods.PeriodKey) -> Period:
    """The regime's period for `key`, created with its window and deadline on first use."""
    existing = Period.objects.filter(regime=regime, year=key.year, number=key.number).first()
    if existing is not None:
        return existing
    start, end = periods.period_window(key, regime.cutoff_day)
    try:
        with transaction.atomic():
            return Period.objects.create(
                regime=regime,
                year=key.year,
                number=key.number,
                start=start,
                end=end,
                deadline=periods.deadline(key, regime.cutoff_day, regime.deadline_working_days),
            )
    except IntegrityError:
        # Another request created it between our read and our insert.
        return Period.objects.get(regime=regime, year=key.year, number=key.number)


def record_event(
    report: Report,
    *,
    kind: EventKind,
    by: AbstractBaseUser | None,
    changes: list[dict[str, Any]] | None = None,
    note: str = "",
) -> ReportEvent:
    return ReportEvent.objects.create(report=report, kind=kind, by=by, changes=changes or [], note=note)
