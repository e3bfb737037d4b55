"""Every count a period needs from a dossier list, defined once as plain Python over plain values.

This is the reference: dossiers/aggregation.py computes the same counts in one database query,
and the tests cross-check the two on hand-built sets. A window is [start of the first day, start
of the day after the last day) in Asia/Ho_Chi_Minh, so a dossier received at 23:59 on the cut-off
day is in and one finished at 00:00 the day after is out.
"""

from collections import Counter
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

from reports.figures import percent

LOCAL_ZONE = ZoneInfo("Asia/Ho_Chi_Minh")


@dataclass(frozen=True)
class Window:
    start: datetime  # included
    end: datetime  # excluded: midnight after the period's last day

    @classmethod
    def for_days(cls, first: date, last: date) -> "Window":
        start = datetime.combine(first, time.min, tzinfo=LOCAL_ZONE)
        end = datetime.combine(last + timedelta(days=1), time.min, tzinfo=LOCAL_ZONE)
        return cls(start, end)


@dataclass(frozen=True, kw_only=True)
class DossierFacts:
    """What the computation reads of one dossier (a Dossier row or a hand-built test case)."""

    source_system: str = "Hệ thống thông tin giải quyết TTHC thành phố"
    source_kind: str = "city"
    channel: str = "online"  # online, direct, post
    authority: str = "own"  # own, other
    received_at: datetime
    due_at: datetime | None = None
    finished_at: datetime | None = None
    withdrawn_at: datetime | None = None
    input_digitised: bool = False
    result_electronic: bool = False
    data_reused: bool = False
    fee_bearing: bool = False
    paid_online: bool = False


def local_day(moment: datetime) -> date:
    return moment.astimezone(LOCAL_ZONE).date()


def _in(moment: datetime | None, window: Window) -> bool:
    return moment is not None and window.start <= moment < window.end


def _open_at(d: DossierFacts, instant: datetime) -> bool:
    """Received before `instant` and neither finished nor withdrawn before it."""
    return (
        d.received_at < instant
        and (d.finished_at is None or d.finished_at >= instant)
        and (d.withdrawn_at is None or d.withdrawn_at >= instant)
    )


def _received(d: DossierFacts, w: Window) -> bool:
    return _in(d.received_at, w)


def _resolved(d: DossierFacts, w: Window) -> bool:
    return _in(d.finished_at, w)


def _overdue(d: DossierFacts) -> bool:
    return d.due_at is not None and d.finished_at is not None and d.finished_at > d.due_at


def _early(d: DossierFacts) -> bool:
    # Before the appointment day itself (trước hạn); finishing on that day by the hour is on time.
    return d.due_at is not None and d.finished_at is not None and local_day(d.finished_at) < local_day(d.due_at)


def _pending(d: DossierFacts, w: Window) -> bool:
    return _open_at(d, w.end)


def _pending_overdue(d: DossierFacts, w: Window) -> bool:
    return _pending(d, w) and d.due_at is not None and d.due_at < w.end


# Every figure: its key, its Vietnamese label and its rule. Keys are stable (URLs and provenance use them).
FIGURE_RULES: tuple[tuple[str, str, Callable[[DossierFacts, Window], bool]], ...] = (
    ("carried_over", "Kỳ trước chuyển sang", lambda d, w: _open_at(d, w.start)),
    ("received_online", "Tiếp nhận trực tuyến", lambda d, w: _received(d, w) and d.channel == "online"),
    ("received_direct", "Tiếp nhận trực tiếp", lambda d, w: _received(d, w) and d.channel == "direct"),
    ("received_post", "Tiếp nhận qua dịch vụ bưu chính", lambda d, w: _received(d, w) and d.channel == "post"),
    (
        "received_own_authority",
        "Tiếp nhận thuộc thẩm quyền của xã",
        lambda d, w: _received(d, w) and d.authority == "own",
    ),
    ("resolved_early", "Giải quyết trước hạn", lambda d, w: _resolved(d, w) and _early(d)),
    (
        "resolved_on_time",
        "Giải quyết đúng hạn",
        lambda d, w: _resolved(d, w) and not _early(d) and not _overdue(d),
    ),
    ("resolved_overdue", "Giải quyết quá hạn", lambda d, w: _resolved(d, w) and _overdue(d)),
    ("withdrawn", "Trả lại, rút hồ sơ", lambda d, w: _in(d.withdrawn_at, w)),
    ("pending_on_time", "Đang giải quyết trong hạn", lambda d, w: _pending(d, w) and not _pending_overdue(d, w)),
    ("pending_overdue", "Đang giải quyết quá hạn", lambda d, w: _pending_overdue(d, w)),
    (
        "received_input_digitised",
        "Tiếp nhận có số hóa thành phần hồ sơ",
        lambda d, w: _received(d, w) and d.input_digitised,
    ),
    (
        "resolved_result_electronic",
        "Giải quyết có kết quả điện tử",
        lambda d, w: _resolved(d, w) and d.result_electronic,
    ),
    (
        "resolved_digitised",
        "Giải quyết có số hóa hồ sơ và kết quả",
        lambda d, w: _resolved(d, w) and d.input_digitised and d.result_electronic,
    ),
    ("received_data_reused", "Tiếp nhận có tái sử dụng dữ liệu số hóa", lambda d, w: _received(d, w) and d.data_reused),
    ("received_fee_bearing", "Tiếp nhận có phí, lệ phí", lambda d, w: _received(d, w) and d.fee_bearing),
    (
        "received_paid_online",
        "Thanh toán phí, lệ phí trực tuyến",
        lambda d, w: _received(d, w) and d.fee_bearing and d.paid_online,
    ),
)
FIGURE_KEYS = tuple(key for key, _, _ in FIGURE_RULES)
FIGURE_LABELS = {key: label for key, label, _ in FIGURE_RULES}
# Derived figures a link may also point at (lists are the union of their parts).
DERIVED_FIGURES: dict[str, tuple[str, tuple[str, ...]]] = {
    "received_new": ("Tiếp nhận mới trong kỳ", ("received_online", "received_direct", "received_post")),
    "resolved": ("Đã giải quyết", ("resolved_early", "resolved_on_time", "resolved_overdue")),
    "pending": ("Đang giải quyết", ("pending_on_time", "pending_overdue")),
    "received_direct_or_post": ("Tiếp nhận trực tiếp, bưu chính", ("received_direct", "received_post")),
    "resolved_on_time_or_withdrawn": ("Giải quyết đúng hạn (kể cả trả lại, rút)", ("resolved_on_time", "withdrawn")),
}


@dataclass(frozen=True, kw_only=True)
class Counts:
    """One source system's counts for a window (or the sum over systems)."""

    source_system: str
    source_kind: str
    values: Mapping[str, int]

    def __getitem__(self, key: str) -> int:
        if key in DERIVED_FIGURES:
            return sum(self.values.get(part, 0) for part in DERIVED_FIGURES[key][1])
        return self.values.get(key, 0)

    @property
    def received_total(self) -> int:
        """Carried over plus received in the period = resolved + in progress + returned/withdrawn."""
        return self["carried_over"] + self["received_new"]


def count_dossiers(dossiers: Iterable[DossierFacts], window: Window) -> list[Counts]:
    """The reference implementation: one Counts per source system, in first-seen order."""
    by_source: dict[tuple[str, str], Counter[str]] = {}
    for dossier in dossiers:
        counter = by_source.setdefault((dossier.source_system, dossier.source_kind), Counter())
        for key, _, rule in FIGURE_RULES:
            if rule(dossier, window):
                counter[key] += 1
    return [
        Counts(source_system=source, source_kind=kind, values={key: counter[key] for key in FIGURE_KEYS})
        for (source, kind), counter in by_source.items()
    ]


def total_counts(rows: Iterable[Counts]) -> Counts:
    sums: Counter[str] = Counter()
    for row in rows:
        sums.update(row.values)
    return Counts(source_system="", source_kind="", values={key: sums[key] for key in FIGURE_KEYS})


# The 766 indicators (standards.md §6.2) over a window: (numerator figure, denominator figure).
RATES: dict[str, tuple[str, str, str]] = {
    "online_submission": ("Tỷ lệ nộp hồ sơ trực tuyến (3.3)", "received_online", "received_new"),
    "on_time": ("Tỷ lệ giải quyết trước hạn, đúng hạn (2.1)", "resolved_early_or_on_time", "resolved"),
    "digitisation_inputs": ("Tỷ lệ số hóa thành phần hồ sơ", "received_input_digitised", "received_new"),
    "digitisation_results": ("Tỷ lệ số hóa kết quả", "resolved_result_electronic", "resolved"),
    "digitisation": ("Tỷ lệ số hóa hồ sơ, kết quả (4.2)", "resolved_digitised", "resolved"),
    "electronic_results": ("Tỷ lệ cấp kết quả điện tử (4.1)", "resolved_result_electronic", "resolved"),
    "data_reuse": ("Tỷ lệ tái sử dụng dữ liệu số hóa (4.3)", "received_data_reused", "received_new"),
    "online_payment": ("Tỷ lệ thanh toán trực tuyến (3.6)", "received_paid_online", "received_fee_bearing"),
}


def _figure(counts: Counts, key: str) -> int:
    if key == "resolved_early_or_on_time":
        return counts["resolved_early"] + counts["resolved_on_time"]
    return counts[key]


def rates(counts: Counts) -> dict[str, Decimal | None]:
    """Each 766 rate in percent with two decimals; None when nothing is in its denominator."""
    return {key: percent(_figure(counts, num), _figure(counts, den)) for key, (_, num, den) in RATES.items()}


def as_mapping(rows: Iterable[Counts]) -> list[dict[str, Any]]:
    return [{"source_system": r.source_system, "source_kind": r.source_kind, **r.values} for r in rows]
