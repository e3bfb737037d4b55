"""Hand-built dossier sets for May 2026 (window 15/4/2026 00:00 to 14/5/2026 23:59:59.999999)."""

from datetime import datetime
from typing import Any

from communes.models import Commune
from dossiers.computation import LOCAL_ZONE, DossierFacts, Window
from dossiers.models import Dossier, DossierImport
from reports.periods import Frequency, PeriodKey, period_window

MAY_2026 = Window.for_days(*period_window(PeriodKey(Frequency.MONTHLY, 2026, 5), 14))
CITY = "Hệ thống thông tin giải quyết TTHC thành phố"
MINISTRY = "Hệ thống thông tin giải quyết TTHC của các bộ"


def at(text: str) -> datetime:
    """ "14/5/2026 23:59:59" -> that moment in Asia/Ho_Chi_Minh (microseconds after a dot)."""
    day_part, _, time_part = text.partition(" ")
    d, m, y = (int(p) for p in day_part.split("/"))
    hms, _, micro = (time_part or "0:0:0").partition(".")
    parts = [int(p) for p in hms.split(":")] + [0, 0]
    return datetime(y, m, d, parts[0], parts[1], parts[2], int(micro or 0), tzinfo=LOCAL_ZONE)


def city(**fields: Any) -> DossierFacts:
    return DossierFacts(source_system=CITY, source_kind="city", **fields)


def ministry(**fields: Any) -> DossierFacts:
    return DossierFacts(source_system=MINISTRY, source_kind="ministry", **fields)


# Each case names the figures it must count in, worked out by hand from the definitions.
BOUNDARY_CASES: dict[str, tuple[DossierFacts, set[str]]] = {
    "A before start, finished early in the period": (
        city(received_at=at("10/4/2026 8:00"), due_at=at("25/4/2026 17:00"), finished_at=at("20/4/2026 9:00")),
        {"carried_over", "resolved_early"},
    ),
    "B received 23:59:59 the day before start, finished 00:00 on the first day, due that day": (
        city(received_at=at("14/4/2026 23:59:59"), due_at=at("15/4/2026 23:59:59"), finished_at=at("15/4/2026 0:00")),
        {"carried_over", "resolved_on_time"},
    ),
    "C finished 23:59 the day before start: nowhere": (
        city(received_at=at("1/4/2026 8:00"), finished_at=at("14/4/2026 23:59:59.999999")),
        set(),
    ),
    "D received online 23:59 on the cut-off day, due later": (
        city(received_at=at("14/5/2026 23:59:59"), due_at=at("20/5/2026 17:00")),
        {"received_online", "received_own_authority", "pending_on_time"},
    ),
    "E received 00:00 the day after the cut-off: out": (
        city(received_at=at("15/5/2026 0:00"), due_at=at("20/5/2026 17:00")),
        set(),
    ),
    "F finished 00:00 the day after the cut-off: still in progress, overdue at the end": (
        city(
            channel="direct",
            received_at=at("20/4/2026 8:00"),
            due_at=at("10/5/2026 17:00"),
            finished_at=at("15/5/2026 0:00"),
        ),
        {"received_direct", "received_own_authority", "pending_overdue"},
    ),
    "G by post, finished an hour after the appointment": (
        city(
            channel="post",
            received_at=at("20/4/2026 8:00"),
            due_at=at("5/5/2026 9:00"),
            finished_at=at("5/5/2026 10:00"),
            fee_bearing=True,
        ),
        {"received_post", "received_own_authority", "resolved_overdue", "received_fee_bearing"},
    ),
    "H withdrawn in the period": (
        city(received_at=at("20/4/2026 8:00"), due_at=at("5/5/2026 17:00"), withdrawn_at=at("25/4/2026 10:00")),
        {"received_online", "received_own_authority", "withdrawn"},
    ),
    "I withdrawn before the period: nowhere": (
        city(received_at=at("1/4/2026 8:00"), withdrawn_at=at("14/4/2026 16:00")),
        set(),
    ),
    "J withdrawn 00:00 on the first day": (
        city(received_at=at("1/4/2026 8:00"), withdrawn_at=at("15/4/2026 0:00")),
        {"carried_over", "withdrawn"},
    ),
    "K ministry, carried over and still overdue": (
        ministry(received_at=at("1/3/2026 8:00"), due_at=at("1/4/2026 17:00")),
        {"carried_over", "pending_overdue"},
    ),
    "L other authority, all flags, no appointment": (
        city(
            authority="other",
            received_at=at("16/4/2026 8:00"),
            finished_at=at("30/4/2026 8:00"),
            input_digitised=True,
            result_electronic=True,
            data_reused=True,
            fee_bearing=True,
            paid_online=True,
        ),
        {
            "received_online",
            "resolved_on_time",
            "received_input_digitised",
            "resolved_result_electronic",
            "resolved_digitised",
            "received_data_reused",
            "received_fee_bearing",
            "received_paid_online",
        },
    ),
    "M due on the cut-off day and unfinished: overdue at the end": (
        city(channel="direct", received_at=at("14/5/2026 10:00"), due_at=at("14/5/2026 23:59:59.999999")),
        {"received_direct", "received_own_authority", "pending_overdue"},
    ),
    "N due at 00:00 the day after the cut-off: within the deadline": (
        city(channel="direct", received_at=at("14/5/2026 10:00"), due_at=at("15/5/2026 0:00")),
        {"received_direct", "received_own_authority", "pending_on_time"},
    ),
}


def store(commune: Commune, dossiers: list[DossierFacts]) -> DossierImport:
    """The facts as Dossier rows of one import (codes numbered in order)."""
    record = DossierImport.objects.create(
        commune=commune,
        source_system="test",
        source_kind="city",
        file_name="test.csv",
        sha256="0" * 64,
        rows=len(dossiers),
        created=len(dossiers),
        updated=0,
    )
    Dossier.objects.bulk_create(
        Dossier(
            commune=commune,
            code=f"HS-{index}",
            procedure_name="Chứng thực bản sao từ bản chính",
            last_import=record,
            **{name: getattr(facts, name) for name in facts.__dataclass_fields__},
        )
        for index, facts in enumerate(dossiers)
    )
    return record
