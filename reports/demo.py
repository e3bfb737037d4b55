"""Demo reports: the two real seed reports, imported as data, and the recent periods of their regimes."""

from pathlib import Path
from typing import Any

from django.db import transaction
from django.utils import timezone

from communes.models import Commune
from reports.exchange import import_report_data, read_report_file
from reports.models import Report, ReportingRegime
from reports.periods import Frequency, PeriodKey
from reports.services import get_or_create_period

SEED_DIR = Path(__file__).resolve().parent / "seed_data"
# Hùng Thắng, May 2026 and Bình Giang, February 2026 (../shared/reference/seeds/000_… and 003_…).
SEED_FILES = (SEED_DIR / "hung_thang_2026_05.json", SEED_DIR / "binh_giang_2026_02.json")
# How many monthly periods up to today each regime gets, so the commune pages list current work.
RECENT_PERIODS = 3


def _existing_report(data: dict[str, Any]) -> Report | None:
    regime = data["regime"]
    key = PeriodKey.parse(data["period"], Frequency(regime["frequency"]))
    return (
        Report.objects.select_related("commune", "period__regime")
        .filter(
            commune_id=data["commune"]["code"],
            period__regime__province_id=regime["province"],
            period__regime__name=regime["name"],
            period__year=key.year,
            period__number=key.number,
        )
        .first()
    )


def _open_recent_periods(regime: ReportingRegime) -> None:
    if regime.frequency != Frequency.MONTHLY:
        return
    today = timezone.localdate()
    key = PeriodKey(Frequency.MONTHLY, today.year, today.month)
    for _ in range(RECENT_PERIODS):
        get_or_create_period(regime, key)
        key = key.previous()


def _assign_communes(regimes: list[ReportingRegime]) -> None:
    """Bình Giang reports in its own outline; every other commune of the city in Hùng Thắng's."""
    hung_thang, binh_giang = regimes
    for regime in regimes:
        if regime.applies_to_all:
            regime.applies_to_all = False
            regime.save(update_fields=["applies_to_all"])
    binh_giang_code = 10966
    binh_giang.communes.set([binh_giang_code])
    hung_thang.communes.set(Commune.objects.filter(province_id=hung_thang.province_id).exclude(pk=binh_giang_code))


@transaction.atomic
def load_demo_reports() -> str:
    """Import the seed reports that are not there yet (an existing one is left as it is)."""
    loaded: list[Report] = []
    kept = 0
    for path in SEED_FILES:
        data = read_report_file(path)
        report = _existing_report(data)
        if report is None:
            report = import_report_data(data, source=path.name)
        else:
            kept += 1
        loaded.append(report)
        _open_recent_periods(report.period.regime)
    _assign_communes([report.period.regime for report in loaded])
    names = ", ".join(f"{report.commune.name_in_text} {report.period.label}" for report in loaded)
    summary = f"{len(loaded)} báo cáo ({names})"
    if kept:
        summary += f"; {kept} báo cáo đã có từ trước, giữ nguyên"
    return summary
