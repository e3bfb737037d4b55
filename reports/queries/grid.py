"""The city's period grid: every commune of a period's province with its report.

Three queries whatever the number of communes (pinned in tests/reports/test_queries_grid.py).
"""

from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime

from django.db.models import OuterRef
from django.utils import timezone

from communes.models import Commune
from reports.models import Period, Report, ReportStatus, first_submission_on_time
from reports.periods import is_late

# What the grid can be filtered by: a report status, no report yet, or late.
GRID_FILTERS = frozenset({*ReportStatus.values, "missing", "late"})
STATUS_LABELS = dict(ReportStatus.choices)


@dataclass(frozen=True, slots=True)
class GridReport:
    """What the grid shows of a report: the link to it, its status and when it was sent."""

    pk: int
    status: str
    submitted_at: datetime | None
    first_on_time: bool | None  # of its first submission; None if it was never submitted


@dataclass(frozen=True, slots=True)
class GridRow:
    commune: Commune
    report: GridReport | None
    late: bool  # periods.is_late

    @property
    def status(self) -> str:
        return self.report.status if self.report else "missing"

    @property
    def status_label(self) -> str:
        return STATUS_LABELS[self.report.status] if self.report else "Chưa lập"


@dataclass(frozen=True)
class PeriodGrid:
    period: Period
    rows: list[GridRow]
    counts: dict[str, int] = field(default_factory=dict)

    @property
    def total(self) -> int:
        return len(self.rows)


# The commune columns a grid row reads; other fields would cost a query each.
GRID_COMMUNE_FIELDS = ("code", "province_id", "name", "kind")


def period_grid(period: Period, *, status: str = "") -> PeriodGrid:
    """Every commune of the period's province with its report: three queries, whatever the size."""
    # Small dataclasses from tuples rather than Report instances: at 3,321 communes, decoding
    # every report's JSON content, then building and garbage-collecting model instances took
    # most of the page's time (bench/city_scale_bench.py). No ORDER BY: the rows go into a dict,
    # and Report's default ordering would join the periods and communes only to sort.
    reports = {
        commune_id: GridReport(pk=pk, status=report_status, submitted_at=submitted_at, first_on_time=first_on_time)
        for commune_id, pk, report_status, submitted_at, first_on_time in Report.objects.filter(period=period)
        .annotate(first_on_time=first_submission_on_time(report=OuterRef("pk")))
        .order_by()
        .values_list("commune_id", "pk", "status", "submitted_at", "first_on_time")
    }
    today = timezone.localdate()
    rows = []
    for commune in period.regime.bound_communes().only(*GRID_COMMUNE_FIELDS).order_by("name"):
        report = reports.get(commune.pk)
        first_on_time = report.first_on_time if report is not None else None
        late = is_late(period.deadline, today=today, first_on_time=first_on_time)
        rows.append(GridRow(commune=commune, report=report, late=late))
    counts = Counter(row.status for row in rows)
    counts["late"] = sum(1 for row in rows if row.late)
    if status in GRID_FILTERS:
        rows = [row for row in rows if row.status == status or (status == "late" and row.late)]
    return PeriodGrid(period=period, rows=rows, counts=dict(counts))
