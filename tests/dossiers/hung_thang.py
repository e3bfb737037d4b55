"""A generated dossier list whose May 2026 figures are Hùng Thắng's seed report (standards.md §2:
179 received, 63 through the city system and 116 through ministry systems, all online; 167
resolved on time; 12 in progress within the deadline; nothing carried over or overdue)."""

from datetime import timedelta

from dossiers.computation import DossierFacts
from tests.dossiers.cases import CITY, MAY_2026, MINISTRY

# (source, kind, received, resolved on time, in progress within the deadline)
SOURCES = ((CITY, "city", 63, 60, 3), (MINISTRY, "ministry", 116, 107, 9))


def hung_thang_may_2026() -> list[DossierFacts]:
    dossiers = []
    for source, kind, received, resolved, _pending in SOURCES:
        for index in range(received):
            done = index < resolved
            if done:
                # Spread over the first 25 days, office hours; resolved on the appointment day
                # itself (đúng hạn, not trước hạn): due 17:00 three days later, done at 10:00.
                arrived = MAY_2026.start + timedelta(days=index % 25, hours=8 + index % 9)
                due = arrived.replace(hour=17, minute=0) + timedelta(days=3)
            else:
                # Still in progress: received in the last minutes of the cut-off day, due after it.
                arrived = MAY_2026.end - timedelta(minutes=1 + index - resolved)
                due = MAY_2026.end + timedelta(days=5)
            fee = index % 3 == 0
            dossiers.append(
                DossierFacts(
                    source_system=source,
                    source_kind=kind,
                    channel="online",
                    received_at=arrived,
                    due_at=due,
                    finished_at=due.replace(hour=10) if done else None,
                    input_digitised=True,
                    result_electronic=done,
                    data_reused=True,
                    fee_bearing=fee,
                    paid_online=fee,
                )
            )
    return dossiers
