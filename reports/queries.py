"""Reads for screens. Each function's query count does not grow with the number of communes."""

from dataclasses import dataclass
from datetime import date

from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from communes.models import Commune, Province
from reports.models import Period, Report, ReportingRegime, ReportStatus


@dataclass(frozen=True)
class PeriodRow:
    period: Period
    report: Report | None

    @property
    def is_overdue(self) -> bool:
        done = self.report is not None and self.report.status not in (ReportStatus.DRAFT, ReportStatus.RETURNED)
        return not done and self.period.deadline < timezone.localdate()


def recent_periods(regimes: QuerySet[ReportingRegime], *, today: date, limit: int = 6) -> list[Period]:
    """The latest periods that have started, newest first, across the given regimes."""
    return list(
        Period.objects.filter(regime__in=regimes, start__lte=today)
        .select_related("regime")
        .order_by("-end", "regime__name")[:limit]
    )


def commune_home(commune: Commune, *, user: object) -> dict:
    today = timezone.localdate()
    regimes = ReportingRegime.objects.filter(province_id=commune.province_id, is_active=True)
    periods = recent_periods(regimes, today=today)
    reports = {
        r.period_id: r
        for r in Report.objects.filter(commune=commune, period__in=periods).select_related("period__regime")
    }
    rows = [PeriodRow(period=p, report=reports.get(p.pk)) for p in periods]
    return {
        "commune": commune,
        "period_rows": rows,
        "returned_count": sum(1 for r in reports.values() if r.status == ReportStatus.RETURNED),
    }


def city_home(province: Province) -> dict:
    today = timezone.localdate()
    regimes = ReportingRegime.objects.filter(province=province, is_active=True)
    periods = recent_periods(regimes, today=today, limit=3)
    counts = (
        Period.objects.filter(pk__in=[p.pk for p in periods])
        .annotate(
            submitted=Count("reports", filter=Q(reports__status=ReportStatus.SUBMITTED)),
            accepted=Count("reports", filter=Q(reports__status__in=[ReportStatus.ACCEPTED, ReportStatus.ISSUED])),
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
    }


def provinces_for_superuser_home() -> list[Province]:
    return list(Province.objects.annotate(commune_count=Count("communes")).order_by("code"))


def reports_for_commune_detail(commune: Commune) -> list[Report]:
    return list(Report.objects.filter(commune=commune).select_related("period__regime").order_by("-period__end")[:24])
