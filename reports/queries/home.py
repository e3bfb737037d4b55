"""The home pages (commune, city, superuser) and everyone's inbox: a fixed number of queries per role."""

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.db.models import Count, Exists, OuterRef, Q, QuerySet
from django.utils import timezone

from communes.models import Commune, Membership, Province, Role
from reports.figures import Severity, check_figures
from reports.models import (
    EDITABLE_STATUSES,
    Period,
    Report,
    ReportingRegime,
    ReportStatus,
    SignedScan,
    first_submission_on_time,
)
from reports.periods import is_late
from reports.queries.entry import openable_periods_for_commune, owed_periods


def recent_periods(regimes: QuerySet[ReportingRegime], *, today: date, limit: int = 6) -> list[Period]:
    """The latest periods that have started, newest first, across the given regimes."""
    return list(
        Period.objects.filter(regime__in=regimes, start__lte=today)
        .select_related("regime")
        .order_by("-end", "regime__name")[:limit]
    )


def commune_home(commune: Commune, *, membership: Membership) -> dict[str, Any]:
    """The commune's recent periods of every active regime with their reports, and its inbox."""
    openable = openable_periods_for_commune(commune, today=timezone.localdate())
    return {
        "commune": commune,
        "openable": openable,
        "owed": owed_periods(openable),
        "inbox": inbox_for(membership),
    }


def city_home(province: Province, *, membership: Membership) -> dict[str, Any]:
    today = timezone.localdate()
    regimes = ReportingRegime.objects.filter(province=province, is_active=True)
    # Two regimes over four months fit on one screen; older periods stay reachable from the admin.
    periods = recent_periods(regimes, today=today, limit=8)
    counts = (
        Period.objects.filter(pk__in=[p.pk for p in periods])
        .annotate(
            submitted=Count("reports", filter=Q(reports__status=ReportStatus.SUBMITTED)),
            accepted=Count("reports", filter=Q(reports__status=ReportStatus.ACCEPTED)),
            issued=Count("reports", filter=Q(reports__status=ReportStatus.ISSUED)),
            returned=Count("reports", filter=Q(reports__status=ReportStatus.RETURNED)),
            drafts=Count("reports", filter=Q(reports__status=ReportStatus.DRAFT)),
        )
        .select_related("regime")
        .order_by("-end", "regime__name")
    )
    return {
        "province": province,
        "commune_count": Commune.objects.filter(province=province).count(),
        "period_counts": list(counts),
        "inbox": inbox_for(membership),
    }


def provinces_for_superuser_home() -> list[Province]:
    return list(Province.objects.annotate(commune_count=Count("communes")).order_by("code"))


def reports_for_commune_detail(commune: Commune) -> list[Report]:
    return list(Report.objects.filter(commune=commune).select_related("period__regime").order_by("-period__end")[:24])


INBOX_SHOWN = 10


@dataclass(frozen=True)
class InboxNote:
    text: str
    blocked: bool  # the figures break a rule that blocks sending


@dataclass(frozen=True)
class InboxItem:
    title: str
    reports: Sequence[Report]
    tone: str = "primary"  # Bootstrap colour of the badge
    # A short remark per report id ("bị trả lại", "chưa gửi được: …"), shown beside its line.
    notes: Mapping[int, InboxNote] = field(default_factory=dict)

    @property
    def shown_with_notes(self) -> list[tuple[Report, InboxNote | None]]:
        return [(report, self.notes.get(report.pk)) for report in self.shown]

    @property
    def count(self) -> int:
        return len(self.reports)

    @property
    def shown(self) -> Sequence[Report]:
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


def _send_note(report: Report, *, overdue: bool) -> InboxNote | None:
    """Why a report waits for the sender, and whether it can be sent as it stands (hard rules only:
    the ones that block sending whatever is explained)."""
    parts = []
    if report.status == ReportStatus.RETURNED:
        parts.append("bị trả lại")
    elif overdue:
        parts.append("quá hạn")
    errors = [f for f in check_figures(report.figures) if f.severity == Severity.ERROR]
    if errors:
        parts.append(f"chưa gửi được: còn {len(errors)} lỗi số liệu")
    return InboxNote(", ".join(parts), bool(errors)) if parts else None


def inbox_for(membership: Membership | None) -> list[InboxItem]:
    """What needs this user now: a fixed number of queries per role."""
    if membership is None:
        return []
    today = timezone.localdate()
    # The scope constraint on Membership gives commune roles a commune and city roles a province.
    if membership.is_commune_role and membership.commune_id is not None:
        mine = _with_relations(Report.objects.filter(commune_id=membership.commune_id))
        # The figures come along (a commune has a handful of open reports) to tell which cannot be sent.
        open_reports = list(
            mine.filter(status__in=EDITABLE_STATUSES)
            .only(*INBOX_FIELDS, "figures")
            .annotate(first_on_time=first_submission_on_time(report=OuterRef("pk")))
        )
        returned = [r for r in open_reports if r.status == ReportStatus.RETURNED]
        drafts = [r for r in open_reports if r.status == ReportStatus.DRAFT]
        # An amended report (a draft again) that was first sent on time is due, not overdue.
        overdue = [r for r in drafts if is_late(r.period.deadline, today=today, first_on_time=r.first_on_time)]
        due = [r for r in drafts if r not in overdue]
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
        archive = [
            InboxItem("Đã tiếp nhận, chờ cấp số", accepted, "success"),
            InboxItem("Đã cấp số, chờ tải bản đã ký", unsigned, "dark"),
        ]
        if membership.role == Role.COMMUNE_LEADER or membership.can_submit:
            # One list for whoever sends, each report once, saying why it is there and whether
            # its figures still break a rule that blocks sending.
            to_send = [*returned, *overdue, *due]
            notes = {r.pk: note for r in to_send if (note := _send_note(r, overdue=r in overdue)) is not None}
            items = [InboxItem("Chờ bạn xem và gửi", to_send, "info", notes), *archive]
        else:
            items = [
                InboxItem("Bị trả lại, cần chỉnh sửa", returned, "warning"),
                InboxItem("Quá hạn gửi", overdue, "danger"),
                InboxItem("Đến hạn gửi", due, "primary"),
                *archive,
            ]
        return [item for item in items if item.reports]
    if membership.role == Role.CITY_REVIEWER and membership.province_id is not None:
        waiting = list(
            _with_relations(
                Report.objects.filter(commune__province_id=membership.province_id, status=ReportStatus.SUBMITTED)
            )
        )
        return [InboxItem("Chờ thẩm định", waiting, "primary")] if waiting else []
    return []
