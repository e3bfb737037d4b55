"""The counts of dossiers/computation.py as database aggregation: one query per commune and window,
grouped by source system, with a conditional Count per figure (no Python loop over rows).

The same Q objects select the dossiers behind a figure for its list and CSV export.
"""

from datetime import datetime
from typing import Any

from django.db.models import Count, F, Q, QuerySet
from django.db.models.functions import TruncDate

from dossiers.computation import DERIVED_FIGURES, FIGURE_KEYS, LOCAL_ZONE, Counts, Window
from dossiers.models import Dossier


def _open_at(instant: datetime) -> Q:
    return (
        Q(received_at__lt=instant)
        & (Q(finished_at__isnull=True) | Q(finished_at__gte=instant))
        & (Q(withdrawn_at__isnull=True) | Q(withdrawn_at__gte=instant))
    )


def figure_q(key: str, w: Window) -> Q:
    """The dossiers counted in figure `key` over window `w` (needs `with_days()` on the queryset)."""
    if key in DERIVED_FIGURES:
        combined = Q(pk__in=[])
        for part in DERIVED_FIGURES[key][1]:
            combined |= figure_q(part, w)
        return combined
    received = Q(received_at__gte=w.start, received_at__lt=w.end)
    resolved = Q(finished_at__gte=w.start, finished_at__lt=w.end)
    overdue = Q(due_at__isnull=False, finished_at__gt=F("due_at"))
    early = Q(due_at__isnull=False, finished_day__lt=F("due_day"))
    pending = _open_at(w.end)
    pending_overdue = pending & Q(due_at__isnull=False, due_at__lt=w.end)
    rules = {
        "carried_over": _open_at(w.start),
        "received_online": received & Q(channel="online"),
        "received_direct": received & Q(channel="direct"),
        "received_post": received & Q(channel="post"),
        "received_own_authority": received & Q(authority="own"),
        "resolved_early": resolved & early,
        "resolved_on_time": resolved & ~early & ~overdue,
        "resolved_overdue": resolved & overdue,
        "withdrawn": Q(withdrawn_at__gte=w.start, withdrawn_at__lt=w.end),
        "pending_on_time": pending & ~Q(due_at__isnull=False, due_at__lt=w.end),
        "pending_overdue": pending_overdue,
        "received_input_digitised": received & Q(input_digitised=True),
        "resolved_result_electronic": resolved & Q(result_electronic=True),
        "resolved_digitised": resolved & Q(input_digitised=True, result_electronic=True),
        "received_data_reused": received & Q(data_reused=True),
        "received_fee_bearing": received & Q(fee_bearing=True),
        "received_paid_online": received & Q(fee_bearing=True, paid_online=True),
    }
    if key not in rules:
        raise KeyError(key)
    return rules[key]


def with_days(queryset: QuerySet[Dossier]) -> QuerySet[Dossier]:
    """Local calendar days of finishing and appointment, which decide "trước hạn"."""
    return queryset.annotate(
        finished_day=TruncDate("finished_at", tzinfo=LOCAL_ZONE), due_day=TruncDate("due_at", tzinfo=LOCAL_ZONE)
    )


def relevant(commune_id: int, w: Window) -> QuerySet[Dossier]:
    """Dossiers that can count in window `w`: received before its end, not done before its start."""
    return with_days(Dossier.objects.filter(commune_id=commune_id)).filter(
        Q(received_at__lt=w.end),
        Q(finished_at__isnull=True) | Q(finished_at__gte=w.start),
        Q(withdrawn_at__isnull=True) | Q(withdrawn_at__gte=w.start),
    )


def count_for_commune(commune_id: int, w: Window) -> list[Counts]:
    """One Counts per source system (city systems first, then by name); one query."""
    rows = (
        relevant(commune_id, w)
        .order_by()
        .values("source_system", "source_kind")
        .annotate(**{key: Count("pk", filter=figure_q(key, w)) for key in FIGURE_KEYS})
    )
    counts = []
    for row in rows:
        data: dict[str, Any] = dict(row)
        counts.append(
            Counts(
                source_system=data["source_system"],
                source_kind=data["source_kind"],
                values={key: int(data[key]) for key in FIGURE_KEYS},
            )
        )
    return sorted(counts, key=lambda c: (c.source_kind != "city", c.source_system))


def dossiers_behind(commune_id: int, w: Window, key: str, *, source_system: str | None = None) -> QuerySet[Dossier]:
    queryset = relevant(commune_id, w).filter(figure_q(key, w))
    if source_system is not None:
        queryset = queryset.filter(source_system=source_system)
    return queryset.order_by("received_at", "pk")
