"""Reads for the city Centre's screens and everyone's inbox; query counts do not grow with communes."""

from collections import Counter
from dataclasses import dataclass, field

from django.db.models import Exists, OuterRef, Q, QuerySet, Subquery
from django.utils import timezone

from communes.models import Commune, Membership, Role
from reports.models import EDITABLE_STATUSES, Period, Report, ReportStatus, SignedScan, Submission

# What the grid can be filtered by: a report status, no report yet, or late.
GRID_FILTERS = frozenset({*ReportStatus.values, "missing", "late"})
STATUS_LABELS = dict(ReportStatus.choices)


@dataclass(frozen=True)
class GridRow:
    commune: Commune
    report: Report | None
    late: bool  # not submitted by the deadline, or submitted after it

    @property
    def status(self) -> str:
        return self.report.status if self.report else "missing"

    @property
    def status_label(self) -> str:
        # A dict lookup: get_status_display() costs ~0.1 ms a row, too much for 3,321 rows.
        return STATUS_LABELS[self.report.status] if self.report else "Chưa lập"


@dataclass(frozen=True)
class PeriodGrid:
    period: Period
    rows: list[GridRow]
    counts: dict[str, int] = field(default_factory=dict)

    @property
    def total(self) -> int:
        return len(self.rows)


# What a grid row reads; other fields of these rows would cost a query each.
GRID_REPORT_FIELDS = ("id", "commune_id", "period_id", "status", "submitted_at")
GRID_COMMUNE_FIELDS = ("code", "province_id", "name", "kind")


def period_grid(period: Period, *, status: str = "") -> PeriodGrid:
    """Every commune of the period's province with its report: three queries, whatever the size."""
    first_submission = Submission.objects.filter(report=OuterRef("pk")).order_by("sequence")
    # Only the columns the grid shows: loading and decoding every report's JSON content took
    # most of the time at 3,321 communes (bench/city_scale_bench.py).
    reports = {
        report.commune_id: report
        for report in Report.objects.filter(period=period)
        .only(*GRID_REPORT_FIELDS)
        .annotate(first_on_time=Subquery(first_submission.values("on_time")[:1]))
    }
    today = timezone.localdate()
    rows = []
    for commune in period.regime.bound_communes().only(*GRID_COMMUNE_FIELDS).order_by("name"):
        report = reports.get(commune.pk)
        # Lateness is judged by the first submission; an amendment reopening a report later
        # does not make it late. Without any submission, it is late once the deadline passed.
        first_on_time = report.first_on_time if report is not None else None
        late = period.deadline < today if first_on_time is None else not first_on_time
        rows.append(GridRow(commune=commune, report=report, late=late))
    counts = Counter(row.status for row in rows)
    counts["late"] = sum(1 for row in rows if row.late)
    if status in GRID_FILTERS:
        rows = [row for row in rows if row.status == status or (status == "late" and row.late)]
    return PeriodGrid(period=period, rows=rows, counts=dict(counts))


INBOX_SHOWN = 10


@dataclass(frozen=True)
class InboxItem:
    title: str
    reports: list[Report]
    tone: str = "primary"  # Bootstrap colour of the badge

    @property
    def count(self) -> int:
        return len(self.reports)

    @property
    def shown(self) -> list[Report]:
        return self.reports[:INBOX_SHOWN]

    @property
    def more(self) -> int:
        return max(0, self.count - INBOX_SHOWN)


def _with_relations(reports: QuerySet[Report]) -> QuerySet[Report]:
    return reports.select_related("commune", "period__regime").order_by("period__deadline", "commune__name")


def inbox_for(membership: Membership | None) -> list[InboxItem]:
    """What needs this user now: a fixed number of queries per role."""
    if membership is None:
        return []
    today = timezone.localdate()
    if membership.is_commune_role:
        mine = _with_relations(Report.objects.filter(commune_id=membership.commune_id))
        open_reports = list(mine.filter(status__in=EDITABLE_STATUSES))
        returned = [r for r in open_reports if r.status == ReportStatus.RETURNED]
        overdue = [r for r in open_reports if r.status == ReportStatus.DRAFT and r.period.deadline < today]
        due = [r for r in open_reports if r.status == ReportStatus.DRAFT and r.period.deadline >= today]
        # Accepted reports await their number; issued ones without the signed scan of their
        # current revision await the upload (one query for both).
        unscanned = SignedScan.objects.filter(report=OuterRef("pk"), revision=OuterRef("revision"))
        to_archive = list(
            mine.filter(status__in=(ReportStatus.ACCEPTED, ReportStatus.ISSUED)).exclude(
                Q(status=ReportStatus.ISSUED) & Exists(unscanned)
            )
        )
        accepted = [r for r in to_archive if r.status == ReportStatus.ACCEPTED]
        unsigned = [r for r in to_archive if r.status == ReportStatus.ISSUED]
        items = [
            InboxItem("Bị trả lại, cần chỉnh sửa", returned, "warning"),
            InboxItem("Quá hạn gửi", overdue, "danger"),
            InboxItem("Đến hạn gửi", due, "primary"),
            InboxItem("Đã tiếp nhận, chờ cấp số", accepted, "success"),
            InboxItem("Đã cấp số, chờ tải bản đã ký", unsigned, "dark"),
        ]
        if membership.role == Role.COMMUNE_LEADER or membership.can_submit:
            items.insert(0, InboxItem("Chờ bạn xem và gửi", returned + overdue + due, "info"))
        return [item for item in items if item.reports]
    if membership.role == Role.CITY_REVIEWER:
        waiting = list(
            _with_relations(
                Report.objects.filter(commune__province_id=membership.province_id, status=ReportStatus.SUBMITTED)
            )
        )
        return [InboxItem("Chờ thẩm định", waiting, "primary")] if waiting else []
    return []
