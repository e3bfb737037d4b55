"""Reads for the city Centre's screens and everyone's inbox; query counts do not grow with communes."""

from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime

from django.db.models import Exists, OuterRef, Q, QuerySet, Subquery
from django.utils import timezone

from communes.models import Commune, Membership, Role
from reports.models import EDITABLE_STATUSES, Period, Report, ReportStatus, SignedScan, Submission

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
    late: bool  # not submitted by the deadline, or submitted after it

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
    first_submission = Submission.objects.filter(report=OuterRef("pk")).order_by("sequence")
    # Small dataclasses from tuples rather than Report instances: at 3,321 communes, decoding
    # every report's JSON content, then building and garbage-collecting model instances took
    # most of the page's time (bench/city_scale_bench.py). No ORDER BY: the rows go into a dict,
    # and Report's default ordering would join the periods and communes only to sort.
    reports = {
        commune_id: GridReport(pk=pk, status=report_status, submitted_at=submitted_at, first_on_time=first_on_time)
        for commune_id, pk, report_status, submitted_at, first_on_time in Report.objects.filter(period=period)
        .annotate(first_on_time=Subquery(first_submission.values("on_time")[:1]))
        .order_by()
        .values_list("commune_id", "pk", "status", "submitted_at", "first_on_time")
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


# What an inbox line shows (commune name, period label and deadline) and what sorts it. A city
# reviewer's inbox holds every submitted report of the province (about a thousand at national
# scale); loading their JSON content and the regimes' templates took most of the home page's time.
INBOX_FIELDS = (
    "id",
    "status",
    "revision",
    "commune",
    "commune__name",
    "period",
    "period__year",
    "period__number",
    "period__deadline",
    "period__regime",
    "period__regime__frequency",
)


def _with_relations(reports: QuerySet[Report]) -> QuerySet[Report]:
    return (
        reports.select_related("commune", "period__regime")
        .only(*INBOX_FIELDS)
        .order_by("period__deadline", "commune__name")
    )


def inbox_for(membership: Membership | None) -> list[InboxItem]:
    """What needs this user now: a fixed number of queries per role."""
    if membership is None:
        return []
    today = timezone.localdate()
    # The scope constraint on Membership gives commune roles a commune and city roles a province.
    if membership.is_commune_role and membership.commune_id is not None:
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
    if membership.role == Role.CITY_REVIEWER and membership.province_id is not None:
        waiting = list(
            _with_relations(
                Report.objects.filter(commune__province_id=membership.province_id, status=ReportStatus.SUBMITTED)
            )
        )
        return [InboxItem("Chờ thẩm định", waiting, "primary")] if waiting else []
    return []
