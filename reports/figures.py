"""Every number of a report: its shape, the computed totals and rates, and the consistency checks.

Pure functions over plain values (the `Report.figures` JSON document), so forms, services,
documents and city totals share one implementation. The document's shape:

    {"results": [ResultRow...], "sector_agencies": [...], "directives": [...], "values": {key: number}}

The 13-column results table (standards.md §2, Biểu 06/VPCP/KSTT) is stored by its leaf columns
only; its totals (columns 3, 7, 11) are computed and never typed.
"""

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from enum import StrEnum
from functools import cached_property
from operator import add, attrgetter
from statistics import median
from typing import Any

from reports.rendering.formatting import format_int, format_percent, round_percent

HUNDRED = Decimal(100)
# The largest count any door stores (reports/content.py): far above any commune's monthly count,
# far below anything that could strain arithmetic or a PostgreSQL numeric.
COUNT_MAX = 1_000_000_000


class SourceKind(StrEnum):
    CITY = "city"  # the province's TTHC information system
    MINISTRY = "ministry"  # a ministry's own system


SOURCE_KIND_LABELS = {SourceKind.CITY: "Hệ thống của thành phố", SourceKind.MINISTRY: "Hệ thống của bộ, ngành"}

# Leaf columns of a results row, in the order of the official form, with their Vietnamese names.
# Format version 2 separates dossiers received by post from those handed in directly (together
# column 5 of the form) and counts dossiers returned or withdrawn, which leave the balance
# "received = resolved + in progress" otherwise unexplained. A version-1 row has neither: its
# "direct" is column 5 whole and nothing was returned.
RESULT_COLUMNS: tuple[tuple[str, str], ...] = (
    ("online", "tiếp nhận trực tuyến"),
    ("direct", "tiếp nhận trực tiếp"),
    ("postal", "tiếp nhận qua dịch vụ bưu chính"),
    ("carried_over", "kỳ trước chuyển sang"),
    ("early", "giải quyết trước hạn"),
    ("on_time", "giải quyết đúng hạn"),
    ("overdue", "giải quyết quá hạn"),
    ("pending_on_time", "đang giải quyết trong hạn"),
    ("pending_overdue", "đang giải quyết quá hạn"),
    ("returned", "trả lại, rút hồ sơ"),
)
RESULT_FIELDS = tuple(name for name, _ in RESULT_COLUMNS)
# Leaf columns a file may leave out (version 1 has none of them); absent means 0.
OPTIONAL_RESULT_FIELDS = ("postal", "returned")
# Totals a file may carry; they are checked against the leaves, then dropped (they are computed).
RESULT_TOTAL_FIELDS = ("received", "resolved", "in_progress")
RESULT_TOTAL_LABELS = ("tổng số tiếp nhận", "tổng số đã giải quyết", "tổng số đang giải quyết")


class Unit(StrEnum):
    COUNT = "count"
    PERCENT = "percent"


@dataclass(frozen=True)
class ValueSpec:
    key: str
    label: str
    unit: Unit
    group: str
    # A rate is computed from these two counts when both are in the report.
    numerator: str | None = None
    denominator: str | None = None


GROUP_CATALOGUE = "Thủ tục hành chính và dịch vụ công trực tuyến"
GROUP_RATES = "Tỷ lệ (%)"
GROUP_RATE_COUNTS = "Số liệu để tính tỷ lệ (nếu có)"
GROUP_PAKN = "Phản ánh, kiến nghị"
GROUP_OTHER = "Số liệu khác"

VALUE_SPECS: tuple[ValueSpec, ...] = (
    ValueSpec(
        "procedures_fully_online", "Số TTHC cung cấp dịch vụ công trực tuyến toàn trình", Unit.COUNT, GROUP_CATALOGUE
    ),
    ValueSpec(
        "procedures_partly_online", "Số TTHC cung cấp dịch vụ công trực tuyến một phần", Unit.COUNT, GROUP_CATALOGUE
    ),
    ValueSpec("procedures_commune", "Số TTHC cấp xã", Unit.COUNT, GROUP_CATALOGUE),
    ValueSpec("procedures_provincial", "Số TTHC cấp tỉnh", Unit.COUNT, GROUP_CATALOGUE),
    ValueSpec("procedures_city_total", "Tổng số TTHC thuộc thẩm quyền của thành phố", Unit.COUNT, GROUP_CATALOGUE),
    ValueSpec(
        "dossiers_time_cut", "Số hồ sơ được cắt giảm từ 50% thời gian giải quyết trở lên", Unit.COUNT, GROUP_OTHER
    ),
    ValueSpec(
        "dossiers_own_authority",
        "Số hồ sơ thuộc thẩm quyền giải quyết của UBND cấp xã (trong tổng số hồ sơ tiếp nhận)",
        Unit.COUNT,
        GROUP_OTHER,
    ),
    ValueSpec("pakn_received", "Số phản ánh, kiến nghị đã tiếp nhận", Unit.COUNT, GROUP_PAKN),
    ValueSpec("pakn_resolved", "Số phản ánh, kiến nghị đã xử lý", Unit.COUNT, GROUP_PAKN),
    ValueSpec("pakn_in_progress", "Số phản ánh, kiến nghị đang xử lý", Unit.COUNT, GROUP_PAKN),
    ValueSpec(
        "pakn_business_received",
        "Số phản ánh, kiến nghị về quy định kinh doanh (mục IX Nghị quyết 97/NQ-CP)",
        Unit.COUNT,
        GROUP_PAKN,
    ),
    ValueSpec("payments_online", "Số hồ sơ thanh toán trực tuyến", Unit.COUNT, GROUP_RATE_COUNTS),
    ValueSpec("payments_total", "Số hồ sơ phải nộp phí, lệ phí", Unit.COUNT, GROUP_RATE_COUNTS),
    ValueSpec("dossiers_digitised", "Số hồ sơ được số hóa hồ sơ, kết quả", Unit.COUNT, GROUP_RATE_COUNTS),
    ValueSpec("dossiers_for_digitisation", "Số hồ sơ phải số hóa", Unit.COUNT, GROUP_RATE_COUNTS),
    ValueSpec("inputs_digitised", "Số hồ sơ được số hóa thành phần hồ sơ đầu vào", Unit.COUNT, GROUP_RATE_COUNTS),
    ValueSpec("inputs_for_digitisation", "Số hồ sơ phải số hóa thành phần hồ sơ", Unit.COUNT, GROUP_RATE_COUNTS),
    ValueSpec("results_digitised", "Số kết quả giải quyết được số hóa", Unit.COUNT, GROUP_RATE_COUNTS),
    ValueSpec("results_for_digitisation", "Số kết quả giải quyết phải số hóa", Unit.COUNT, GROUP_RATE_COUNTS),
    ValueSpec("results_electronic", "Số hồ sơ được cấp kết quả điện tử", Unit.COUNT, GROUP_RATE_COUNTS),
    ValueSpec("results_required", "Số hồ sơ phải cấp kết quả", Unit.COUNT, GROUP_RATE_COUNTS),
    ValueSpec("dossiers_reused", "Số hồ sơ khai thác, sử dụng lại dữ liệu số hóa", Unit.COUNT, GROUP_RATE_COUNTS),
    ValueSpec("dossiers_reuse_base", "Số hồ sơ tiếp nhận có thể tái sử dụng dữ liệu", Unit.COUNT, GROUP_RATE_COUNTS),
    ValueSpec("pakn_satisfied", "Số phản ánh, kiến nghị được đánh giá hài lòng", Unit.COUNT, GROUP_RATE_COUNTS),
    ValueSpec("pakn_rated", "Số phản ánh, kiến nghị được đánh giá", Unit.COUNT, GROUP_RATE_COUNTS),
    ValueSpec("rate_online_submission", "Tỷ lệ nộp hồ sơ trực tuyến", Unit.PERCENT, GROUP_RATES),
    ValueSpec("rate_on_time", "Tỷ lệ hồ sơ giải quyết trước hạn, đúng hạn", Unit.PERCENT, GROUP_RATES),
    ValueSpec(
        "rate_online_payment",
        "Tỷ lệ hồ sơ thanh toán trực tuyến",
        Unit.PERCENT,
        GROUP_RATES,
        "payments_online",
        "payments_total",
    ),
    ValueSpec(
        "rate_digitisation",
        "Tỷ lệ số hóa hồ sơ, kết quả giải quyết TTHC",
        Unit.PERCENT,
        GROUP_RATES,
        "dossiers_digitised",
        "dossiers_for_digitisation",
    ),
    ValueSpec(
        "rate_digitisation_inputs",
        "Tỷ lệ số hóa hồ sơ (thành phần hồ sơ đầu vào)",
        Unit.PERCENT,
        GROUP_RATES,
        "inputs_digitised",
        "inputs_for_digitisation",
    ),
    ValueSpec(
        "rate_digitisation_results",
        "Tỷ lệ số hóa kết quả giải quyết TTHC",
        Unit.PERCENT,
        GROUP_RATES,
        "results_digitised",
        "results_for_digitisation",
    ),
    ValueSpec(
        "rate_electronic_results",
        "Tỷ lệ hồ sơ cấp kết quả điện tử",
        Unit.PERCENT,
        GROUP_RATES,
        "results_electronic",
        "results_required",
    ),
    ValueSpec(
        "rate_data_reuse",
        "Tỷ lệ khai thác, sử dụng lại thông tin, dữ liệu số hóa",
        Unit.PERCENT,
        GROUP_RATES,
        "dossiers_reused",
        "dossiers_reuse_base",
    ),
    ValueSpec(
        "rate_pakn_satisfaction",
        "Tỷ lệ hài lòng trong xử lý phản ánh, kiến nghị",
        Unit.PERCENT,
        GROUP_RATES,
        "pakn_satisfied",
        "pakn_rated",
    ),
)
VALUE_SPEC_BY_KEY = {spec.key: spec for spec in VALUE_SPECS}
RATE_KEYS = tuple(spec.key for spec in VALUE_SPECS if spec.unit == Unit.PERCENT)
# Rates whose counts always come from the results table when it has rows.
RESULTS_RATE_KEYS = ("rate_online_submission", "rate_on_time")


# --- Shape -----------------------------------------------------------------------------------


@dataclass(frozen=True, kw_only=True)
class ResultCounts:
    """The leaf columns of the results table and the totals derived from them (standards.md §2)."""

    online: int = 0
    direct: int = 0
    postal: int = 0
    carried_over: int = 0
    early: int = 0
    on_time: int = 0
    overdue: int = 0
    pending_on_time: int = 0
    pending_overdue: int = 0
    returned: int = 0

    @property
    def direct_or_postal(self) -> int:
        """Column (5): received directly or by post."""
        return self.direct + self.postal

    @property
    def received_new(self) -> int:
        return self.online + self.direct + self.postal

    @property
    def received(self) -> int:
        """Column (3) = (4) + (5) + (6)."""
        return self.received_new + self.carried_over

    @property
    def resolved(self) -> int:
        """Column (7) = (8) + (9) + (10)."""
        return self.early + self.on_time + self.overdue

    @property
    def in_progress(self) -> int:
        """Column (11) = (12) + (13)."""
        return self.pending_on_time + self.pending_overdue

    @property
    def early_or_on_time(self) -> int:
        return self.early + self.on_time

    def form_columns(self) -> tuple[int, ...]:
        """Columns (3) to (13) of the official form, in its order."""
        return (
            self.received,
            self.online,
            self.direct_or_postal,
            self.carried_over,
            self.resolved,
            self.early,
            self.on_time,
            self.overdue,
            self.in_progress,
            self.pending_on_time,
            self.pending_overdue,
        )


@dataclass(frozen=True, kw_only=True)
class ResultRow(ResultCounts):
    source: str
    kind: SourceKind


@dataclass(frozen=True)
class SectorAgencyRow:
    name: str
    received: int = 0
    resolved: int = 0


@dataclass(frozen=True)
class Directive:
    doc_type: str
    number: str
    issued_on: str  # ISO date
    subject: str


@dataclass(frozen=True)
class Figures:
    results: tuple[ResultRow, ...] = ()
    sector_agencies: tuple[SectorAgencyRow, ...] = ()
    directives: tuple[Directive, ...] = ()
    values: Mapping[str, Decimal] = field(default_factory=dict)

    def value(self, key: str) -> Decimal | None:
        return self.values.get(key)

    @cached_property
    def totals(self) -> "ResultTotals":
        """The total row of the results table, computed once: rates, checks and sums all read it."""
        return result_totals(self.results)


def to_decimal(raw: Any) -> Decimal | None:
    """A JSON number or numeric string as Decimal; None for blank; raises ValueError otherwise."""
    # Stored figures are JSON integers (normalise_figures); the city screens parse thousands of
    # reports per request, so they skip the string round trip. bool is an int subclass: not here.
    if type(raw) is int:
        return Decimal(raw)
    if raw is None or raw == "":
        return None
    if isinstance(raw, bool):
        raise ValueError(raw)
    try:
        number = Decimal(str(raw).strip().replace(",", "."))
    except InvalidOperation:
        raise ValueError(raw) from None
    if not number.is_finite():
        raise ValueError(raw)
    return number


def _count(raw: Any) -> int:
    if type(raw) is int:
        return raw
    number = to_decimal(raw)
    return int(number) if number is not None else 0


def parse_figures(data: Mapping[str, Any] | None) -> Figures:
    """Read the JSON document leniently (drafts may be incomplete); checks report what is wrong."""
    data = data or {}
    rows = tuple(
        ResultRow(
            source=str(row.get("source", "")),
            kind=SourceKind(row.get("kind", SourceKind.CITY)),
            **{name: _count(row.get(name)) for name in RESULT_FIELDS},
        )
        for row in data.get("results", ())
    )
    agencies = tuple(
        SectorAgencyRow(
            name=str(row.get("name", "")), received=_count(row.get("received")), resolved=_count(row.get("resolved"))
        )
        for row in data.get("sector_agencies", ())
    )
    directives = tuple(
        Directive(
            doc_type=str(row.get("doc_type", "")),
            number=str(row.get("number", "")),
            issued_on=str(row.get("issued_on", "")),
            subject=str(row.get("subject", "")),
        )
        for row in data.get("directives", ())
    )
    values: dict[str, Decimal] = {}
    for key, raw in (data.get("values") or {}).items():
        number = to_decimal(raw)
        if number is not None:
            values[key] = number
    return Figures(results=rows, sector_agencies=agencies, directives=directives, values=values)


# --- Totals and rates ------------------------------------------------------------------------


@dataclass(frozen=True, kw_only=True)
class ResultTotals(ResultCounts):
    """The total row of the results table, plus the city / ministry split the narrative quotes."""

    received_new_city: int = 0
    received_new_ministries: int = 0
    rows: int = 0


def result_totals(rows: Iterable[ResultRow]) -> ResultTotals:
    sums = dict.fromkeys(RESULT_FIELDS, 0)
    city = ministries = count = 0
    for row in rows:
        count += 1
        for name in RESULT_FIELDS:
            sums[name] += getattr(row, name)
        if row.kind == SourceKind.CITY:
            city += row.received_new
        else:
            ministries += row.received_new
    return ResultTotals(**sums, received_new_city=city, received_new_ministries=ministries, rows=count)


def percent(numerator: int | Decimal, denominator: int | Decimal) -> Decimal | None:
    """A rate in percent with two decimals, rounded half up; None when the denominator is 0."""
    if not denominator:
        return None
    return round_percent(Decimal(numerator) * HUNDRED / Decimal(denominator))


class RateSource(StrEnum):
    COMPUTED = "computed"
    TYPED = "typed"


@dataclass(frozen=True)
class Rate:
    key: str
    value: Decimal | None
    source: RateSource


def compute_rates(figures: Figures) -> dict[str, Rate]:
    """Every rate of the report: computed from its counts when they are present, else as typed."""
    rates: dict[str, Rate] = {}
    for key in RATE_KEYS:
        counts = rate_counts(figures, key)
        computed = percent(*counts) if counts is not None else None
        if computed is not None:
            rates[key] = Rate(key, computed, RateSource.COMPUTED)
        else:
            rates[key] = Rate(key, figures.value(key), RateSource.TYPED)
    return rates


def rate_counts(figures: Figures, key: str) -> tuple[Decimal, Decimal] | None:
    """The numerator and denominator a report carries for rate `key`, or None if it can only type it."""
    if key in RESULTS_RATE_KEYS:
        totals = figures.totals
        if not totals.rows:
            return None
        if key == "rate_online_submission":
            return Decimal(totals.online), Decimal(totals.received_new)
        return Decimal(totals.early_or_on_time), Decimal(totals.resolved)
    spec = VALUE_SPEC_BY_KEY[key]
    if spec.numerator is None or spec.denominator is None:
        return None
    numerator, denominator = figures.value(spec.numerator), figures.value(spec.denominator)
    if numerator is None or denominator is None:
        return None
    return numerator, denominator


# --- Checks ----------------------------------------------------------------------------------


class Severity(StrEnum):
    ERROR = "error"  # hard rule: blocks submission
    WARNING = "warning"  # soft rule: needs a written explanation before submission


@dataclass(frozen=True)
class Finding:
    code: str
    severity: Severity
    message: str
    paths: tuple[str, ...] = ()
    # A hard rule on figures quoted from another system (e.g. the national TTHC database) may be
    # kept with a written explanation, since the commune cannot correct the source.
    explainable: bool = False

    @property
    def needs_explanation(self) -> bool:
        return self.severity == Severity.WARNING or self.explainable


def _n(value: int | Decimal) -> str:
    return format_int(value) if Decimal(value) == Decimal(int(value)) else str(value).replace(".", ",")


def _row_name(row: ResultRow, index: int) -> str:
    return f"Dòng {index + 1} ({row.source})" if row.source else f"Dòng {index + 1}"


def check_structure(data: Mapping[str, Any] | None) -> list[Finding]:
    """Values that are not non-negative numbers (or whole numbers where counts are expected)."""
    findings: list[Finding] = []
    data = data or {}

    def check_count(path: str, label: str, raw: Any, *, integer: bool = True) -> None:
        try:
            number = to_decimal(raw)
        except ValueError:
            findings.append(Finding(f"invalid:{path}", Severity.ERROR, f"{label}: “{raw}” không phải là số.", (path,)))
            return
        if number is None:
            return
        if number < 0:
            findings.append(
                Finding(f"negative:{path}", Severity.ERROR, f"{label} không được âm ({_n(number)}).", (path,))
            )
        elif integer and number != number.to_integral_value():
            findings.append(Finding(f"integer:{path}", Severity.ERROR, f"{label} phải là số nguyên.", (path,)))

    for index, row in enumerate(data.get("results", ())):
        name = f"Dòng {index + 1}"
        for column, label in RESULT_COLUMNS:
            check_count(f"results.{index}.{column}", f"{name}: {label}", row.get(column))
        for column, label in zip(RESULT_TOTAL_FIELDS, RESULT_TOTAL_LABELS, strict=True):
            check_count(f"results.{index}.{column}", f"{name}: {label}", row.get(column))
        try:
            SourceKind(row.get("kind", SourceKind.CITY))
        except ValueError:
            findings.append(
                Finding(
                    f"invalid:results.{index}.kind",
                    Severity.ERROR,
                    f"{name}: loại hệ thống “{row.get('kind')}” không hợp lệ (city hoặc ministry).",
                    (f"results.{index}.kind",),
                )
            )
    for index, row in enumerate(data.get("sector_agencies", ())):
        for column, label in (("received", "tiếp nhận"), ("resolved", "đã giải quyết")):
            check_count(f"sector_agencies.{index}.{column}", f"Cơ quan ngành dọc {index + 1}: {label}", row.get(column))
    for key, raw in (data.get("values") or {}).items():
        spec = VALUE_SPEC_BY_KEY.get(key)
        if spec is None:
            findings.append(
                Finding(f"unknown:values.{key}", Severity.ERROR, f"Chỉ tiêu “{key}” không có trong danh mục.")
            )
            continue
        check_count(f"values.{key}", spec.label, raw, integer=spec.unit == Unit.COUNT)
    return findings


def _identity_findings(figures: Figures) -> list[Finding]:
    findings: list[Finding] = []
    for index, row in enumerate(figures.results):
        if row.received != row.resolved + row.in_progress + row.returned:
            prefix = _row_name(row, index) + ": " if len(figures.results) > 1 else ""
            returned = f" cộng trả lại, rút hồ sơ ({_n(row.returned)})" if row.returned else ""
            findings.append(
                Finding(
                    f"results.{index}.balance",
                    Severity.ERROR,
                    f"{prefix}Tổng số tiếp nhận ({_n(row.received)}) phải bằng đã giải quyết ({_n(row.resolved)}) "
                    f"cộng đang giải quyết ({_n(row.in_progress)}){returned}.",
                    tuple(f"results.{index}.{name}" for name in RESULT_FIELDS),
                )
            )
    for index, agency in enumerate(figures.sector_agencies):
        if agency.resolved > agency.received:
            findings.append(
                Finding(
                    f"sector_agencies.{index}.resolved",
                    Severity.ERROR,
                    f"{agency.name or 'Cơ quan ngành dọc'}: số đã giải quyết ({_n(agency.resolved)}) "
                    f"không được lớn hơn số tiếp nhận ({_n(agency.received)}).",
                    (f"sector_agencies.{index}.resolved", f"sector_agencies.{index}.received"),
                )
            )
    return findings


def _declared_total_findings(data: Mapping[str, Any]) -> list[Finding]:
    """Totals a file states for a results row must equal the sum of their parts."""
    findings: list[Finding] = []
    parts = {
        "received": (
            ("online", "direct", "postal", "carried_over"),
            "trực tuyến ({online}) cộng trực tiếp ({direct}) cộng bưu chính ({postal}) cộng kỳ trước chuyển sang "
            "({carried_over})",
            "Tổng số tiếp nhận",
        ),
        "resolved": (
            ("early", "on_time", "overdue"),
            "trước hạn ({early}) cộng đúng hạn ({on_time}) cộng quá hạn ({overdue})",
            "Tổng số đã giải quyết",
        ),
        "in_progress": (
            ("pending_on_time", "pending_overdue"),
            "trong hạn ({pending_on_time}) cộng quá hạn ({pending_overdue})",
            "Tổng số đang giải quyết",
        ),
    }
    for index, row in enumerate(data.get("results", ())):
        for total_name, (names, wording, label) in parts.items():
            if row.get(total_name) is None:
                continue
            try:
                declared = to_decimal(row.get(total_name))
                numbers = {name: _count(row.get(name)) for name in names}
            except ValueError:
                continue
            if declared != sum(numbers.values()):
                shown = {name: _n(value) for name, value in numbers.items()}
                findings.append(
                    Finding(
                        f"results.{index}.{total_name}",
                        Severity.ERROR,
                        f"Dòng {index + 1}: {label} ({_n(declared or 0)}) phải bằng {wording.format(**shown)}.",
                        (f"results.{index}.{total_name}",),
                    )
                )
    return findings


def _value_findings(figures: Figures, rates: Mapping[str, Rate]) -> list[Finding]:
    findings: list[Finding] = []
    v = figures.value
    city, provincial, commune = v("procedures_city_total"), v("procedures_provincial"), v("procedures_commune")
    if city is not None and provincial is not None and commune is not None and city != provincial + commune:
        findings.append(
            Finding(
                "procedures_city_total.balance",
                Severity.ERROR,
                f"Tổng số TTHC của thành phố ({_n(city)}) phải bằng số TTHC cấp tỉnh ({_n(provincial)}) "
                f"cộng cấp xã ({_n(commune)}) = {_n(provincial + commune)}.",
                ("values.procedures_city_total", "values.procedures_provincial", "values.procedures_commune"),
                explainable=True,
            )
        )
    fully, partly = v("procedures_fully_online"), v("procedures_partly_online")
    if commune is not None and fully is not None and partly is not None and fully + partly > commune:
        findings.append(
            Finding(
                "procedures_online.exceeds",
                Severity.ERROR,
                f"Số TTHC trực tuyến toàn trình ({_n(fully)}) cộng một phần ({_n(partly)}) không được lớn hơn "
                f"số TTHC cấp xã ({_n(commune)}).",
                ("values.procedures_fully_online", "values.procedures_partly_online", "values.procedures_commune"),
            )
        )
    received, resolved, in_progress = v("pakn_received"), v("pakn_resolved"), v("pakn_in_progress")
    if received is not None and (resolved or 0) + (in_progress or 0) > received:
        findings.append(
            Finding(
                "pakn.exceeds",
                Severity.ERROR,
                f"Số phản ánh, kiến nghị đã xử lý ({_n(resolved or 0)}) cộng đang xử lý ({_n(in_progress or 0)}) "
                f"không được lớn hơn số đã tiếp nhận ({_n(received)}).",
                ("values.pakn_received", "values.pakn_resolved", "values.pakn_in_progress"),
            )
        )
    own = v("dossiers_own_authority")
    if own is not None and figures.results:
        received_all = result_totals(figures.results).received
        if own > received_all:
            findings.append(
                Finding(
                    "dossiers_own_authority.exceeds",
                    Severity.ERROR,
                    f"Số hồ sơ thuộc thẩm quyền của UBND cấp xã ({_n(own)}) không được lớn hơn tổng số hồ sơ "
                    f"tiếp nhận ({_n(received_all)}).",
                    ("values.dossiers_own_authority",),
                )
            )
    business = v("pakn_business_received")
    if received is not None and business is not None and business > received:
        findings.append(
            Finding(
                "pakn_business.exceeds",
                Severity.ERROR,
                f"Số phản ánh, kiến nghị về quy định kinh doanh ({_n(business)}) không được lớn hơn tổng số "
                f"phản ánh, kiến nghị ({_n(received)}).",
                ("values.pakn_business_received", "values.pakn_received"),
            )
        )
    time_cut = v("dossiers_time_cut")
    totals = result_totals(figures.results)
    if time_cut is not None and totals.rows and time_cut > totals.received:
        findings.append(
            Finding(
                "dossiers_time_cut.exceeds",
                Severity.ERROR,
                f"Số hồ sơ được cắt giảm thời gian ({_n(time_cut)}) không được lớn hơn tổng số hồ sơ tiếp nhận "
                f"({_n(totals.received)}).",
                ("values.dossiers_time_cut",),
            )
        )
    for spec in VALUE_SPECS:
        if spec.unit != Unit.PERCENT:
            continue
        if spec.numerator and spec.denominator:
            numerator, denominator = v(spec.numerator), v(spec.denominator)
            if numerator is not None and denominator is not None and numerator > denominator:
                findings.append(
                    Finding(
                        f"{spec.key}.parts",
                        Severity.ERROR,
                        f"{VALUE_SPEC_BY_KEY[spec.numerator].label} ({_n(numerator)}) không được lớn hơn "
                        f"{VALUE_SPEC_BY_KEY[spec.denominator].label.lower()} ({_n(denominator)}).",
                        (f"values.{spec.numerator}", f"values.{spec.denominator}"),
                    )
                )
        rate = rates[spec.key]
        if rate.source == RateSource.TYPED and rate.value is not None and rate.value > HUNDRED:
            findings.append(
                Finding(
                    f"{spec.key}.range",
                    Severity.ERROR,
                    f"{spec.label} ({format_percent(rate.value)}) không được lớn hơn 100%.",
                    (f"values.{spec.key}",),
                )
            )
    return findings


def _target_findings(rates: Mapping[str, Rate], targets: Mapping[str, Decimal]) -> list[Finding]:
    findings = []
    for key, minimum in targets.items():
        rate = rates.get(key)
        if rate is None or rate.value is None or rate.value >= minimum:
            continue
        label = VALUE_SPEC_BY_KEY[key].label
        findings.append(
            Finding(
                f"{key}.below_target",
                Severity.WARNING,
                f"{label} ({format_percent(rate.value)}) thấp hơn chỉ tiêu thành phố giao ({format_percent(minimum)}). "
                "Vui lòng giải trình nguyên nhân.",
                (f"values.{key}",),
            )
        )
    return findings


def _carried_over_findings(figures: Figures, previous: Figures | None) -> list[Finding]:
    if previous is None or not previous.results or not figures.results:
        return []
    carried = result_totals(figures.results).carried_over
    expected = result_totals(previous.results).in_progress
    if carried == expected:
        return []
    return [
        Finding(
            "carried_over.mismatch",
            Severity.WARNING,
            f"Số hồ sơ kỳ trước chuyển sang ({_n(carried)}) khác số hồ sơ đang giải quyết cuối kỳ trước "
            f"({_n(expected)}). Vui lòng kiểm tra lại hoặc giải trình.",
            tuple(f"results.{i}.carried_over" for i in range(len(figures.results))),
        )
    ]


# Figures compared with the commune's own recent history, and how far is "far".
OUTLIER_FIGURES: tuple[tuple[str, str], ...] = (
    ("received", "Tổng số hồ sơ tiếp nhận"),
    ("resolved", "Tổng số hồ sơ đã giải quyết"),
    ("pakn_received", "Số phản ánh, kiến nghị"),
)
OUTLIER_FACTOR = Decimal(3)
OUTLIER_MIN_HISTORY = 3
OUTLIER_MIN_LEVEL = 10


def _outlier_value(figures: Figures, name: str) -> Decimal | None:
    if name in ("received", "resolved"):
        if not figures.results:
            return None
        return Decimal(getattr(result_totals(figures.results), name))
    return figures.value(name)


def _outlier_findings(figures: Figures, history: Sequence[Figures]) -> list[Finding]:
    """A figure more than three times above, or below a third of, the median of the last 12 periods."""
    findings = []
    for name, label in OUTLIER_FIGURES:
        current = _outlier_value(figures, name)
        past = [value for value in (_outlier_value(h, name) for h in history[-12:]) if value is not None]
        if current is None or len(past) < OUTLIER_MIN_HISTORY:
            continue
        typical = Decimal(median(past))
        if typical < OUTLIER_MIN_LEVEL:
            continue
        if current > typical * OUTLIER_FACTOR or current < typical / OUTLIER_FACTOR:
            findings.append(
                Finding(
                    f"{name}.outlier",
                    Severity.WARNING,
                    f"{label} ({_n(current)}) khác xa mức thường thấy của xã trong {len(past)} kỳ gần nhất "
                    f"(trung vị {_n(typical.to_integral_value())}). Vui lòng kiểm tra lại hoặc giải trình.",
                )
            )
    return findings


def check_figures(
    data: Mapping[str, Any] | None,
    *,
    targets: Mapping[str, Decimal] | None = None,
    previous: Mapping[str, Any] | None = None,
    history: Sequence[Mapping[str, Any]] = (),
) -> list[Finding]:
    """All findings for a figures document: hard rules first, then soft rules.

    `previous` is last period's figures; `history` the commune's earlier periods, oldest first.
    """
    data = data or {}
    structural = check_structure(data)
    if structural:
        return structural
    figures = parse_figures(data)
    rates = compute_rates(figures)
    findings = [
        *_declared_total_findings(data),
        *_identity_findings(figures),
        *_value_findings(figures, rates),
        *_target_findings(rates, targets or {}),
        *_carried_over_findings(figures, parse_figures(previous) if previous is not None else None),
        *_outlier_findings(figures, [parse_figures(h) for h in history]),
    ]
    return findings


def unresolved_findings(findings: Iterable[Finding], explanations: Mapping[str, str]) -> list[Finding]:
    """Findings that still block submission: hard errors, and anything needing an unwritten explanation."""
    blocking = []
    for finding in findings:
        explained = bool((explanations.get(finding.code) or "").strip())
        if finding.needs_explanation and explained:
            continue
        blocking.append(finding)
    return blocking


def normalise_figures(data: Mapping[str, Any] | None) -> dict[str, Any]:
    """The canonical stored form: leaf counts as ints, typed values as numbers, computed totals dropped."""
    figures = parse_figures(data)
    values: dict[str, int | float] = {}
    for key, number in figures.values.items():
        spec = VALUE_SPEC_BY_KEY.get(key)
        if spec is None:
            continue
        values[key] = int(number) if spec.unit == Unit.COUNT else float(round_percent(number))
    return {
        "results": [
            {"source": row.source, "kind": str(row.kind), **{name: getattr(row, name) for name in RESULT_FIELDS}}
            for row in figures.results
        ],
        "sector_agencies": [
            {"name": row.name, "received": row.received, "resolved": row.resolved} for row in figures.sector_agencies
        ],
        "directives": [
            {"doc_type": d.doc_type, "number": d.number, "issued_on": d.issued_on, "subject": d.subject}
            for d in figures.directives
        ],
        "values": {key: values[key] for key in sorted(values)},
    }


# --- City aggregation ------------------------------------------------------------------------
#
# The city's figures are the communes' figures summed column by column; its rates are then
# recomputed from the summed counts by compute_rates (product.md §3.7: never averaged). A rate a
# commune typed without its counts cannot be added into anything, so the city rate built from the
# other communes' counts is marked partial and the typed ones are counted, never blended in.


@dataclass(frozen=True)
class RateCoverage:
    """How the reports summed into a city rate carried it."""

    key: str
    counted: int  # reports whose counts went into the sum
    typed: int  # reports that typed the rate without its counts: not summable

    @property
    def summable(self) -> bool:
        """True when every report that has this rate gave its counts, so the city rate is whole."""
        return self.typed == 0

    @property
    def partial(self) -> bool:
        return self.typed > 0 and self.counted > 0


@dataclass(frozen=True)
class SummedFigures:
    """Figures of many reports added together, with the city rates recomputed from them.

    `figures` has the shape of one report's figures (results rows summed per source system,
    sector agencies per name, counts per key), so a document or a spreadsheet can show it as it
    shows a commune's. `value_reports` says how many reports gave each count.
    """

    reports: int
    figures: Figures
    totals: ResultTotals
    rates: Mapping[str, Rate]
    coverage: Mapping[str, RateCoverage]
    value_reports: Mapping[str, int]


_result_columns = attrgetter(*RESULT_FIELDS)


def _summed_rows(rows: Iterable[ResultRow]) -> tuple[ResultRow, ...]:
    # Tuples rather than getattr per column: the city sums thousands of rows per request.
    sums: dict[tuple[str, SourceKind], tuple[int, ...]] = {}
    for row in rows:
        key = (row.source, row.kind)
        columns = _result_columns(row)
        so_far = sums.get(key)
        sums[key] = columns if so_far is None else tuple(map(add, so_far, columns))
    return tuple(
        ResultRow(source=source, kind=kind, **dict(zip(RESULT_FIELDS, columns, strict=True)))
        for (source, kind), columns in sums.items()
    )


def _summed_agencies(rows: Iterable[SectorAgencyRow]) -> tuple[SectorAgencyRow, ...]:
    sums: dict[str, list[int]] = {}
    for row in rows:
        pair = sums.setdefault(row.name, [0, 0])
        pair[0] += row.received
        pair[1] += row.resolved
    return tuple(SectorAgencyRow(name, received, resolved) for name, (received, resolved) in sums.items())


COUNT_KEYS = tuple(spec.key for spec in VALUE_SPECS if spec.unit == Unit.COUNT)
# Counts that are the two parts of a rate: summed only over reports giving both, so they match.
RATE_PART_KEYS = frozenset(key for spec in VALUE_SPECS for key in (spec.numerator, spec.denominator) if key is not None)
SUMMED_COUNT_KEYS = frozenset(COUNT_KEYS) - RATE_PART_KEYS


def sum_figures(many: Iterable[Figures]) -> SummedFigures:
    """Add reports' figures column by column and recompute the rates from the sums.

    A count is summed over the reports that give it; the two counts of a rate only over the
    reports giving both. A rate typed without its counts is left out of the sum and counted in
    `coverage[key].typed`; the summed rate is then partial (or None when no report had counts).
    """
    every = list(many)
    rows = _summed_rows(row for figures in every for row in figures.results)
    agencies = _summed_agencies(row for figures in every for row in figures.sector_agencies)
    values: dict[str, Decimal] = {}
    value_reports: dict[str, int] = {}
    for figures in every:
        for key, number in figures.values.items():
            if key in SUMMED_COUNT_KEYS:
                values[key] = values.get(key, Decimal(0)) + number
                value_reports[key] = value_reports.get(key, 0) + 1
    coverage: dict[str, RateCoverage] = {}
    for key in RATE_KEYS:
        spec = VALUE_SPEC_BY_KEY[key]
        counted = typed = 0
        numerator = denominator = Decimal(0)
        for figures in every:
            counts = rate_counts(figures, key)
            if counts is not None:
                counted += 1
                numerator += counts[0]
                denominator += counts[1]
            elif figures.value(key) is not None:
                typed += 1
        coverage[key] = RateCoverage(key, counted, typed)
        if counted and spec.numerator and spec.denominator:
            values[spec.numerator] = numerator
            values[spec.denominator] = denominator
            value_reports[spec.numerator] = value_reports[spec.denominator] = counted
    summed = Figures(results=rows, sector_agencies=agencies, values=values)
    # compute_rates over the summed figures falls back to a typed value for rates without
    # counts; the sum has no typed rates, so those come out as None, never as an average.
    rates = compute_rates(summed)
    return SummedFigures(
        reports=len(every),
        figures=summed,
        totals=result_totals(rows),
        rates=rates,
        coverage=coverage,
        value_reports=value_reports,
    )


def merge_sums(parts: Iterable[SummedFigures]) -> SummedFigures:
    """Sums of separate sets of reports added together: the same as summing all the reports at
    once (a country from its provinces), without going through every report again."""
    every = list(parts)
    values: dict[str, Decimal] = {}
    value_reports: dict[str, int] = {}
    for part in every:
        for key, number in part.figures.values.items():
            values[key] = values.get(key, Decimal(0)) + number
        for key, count in part.value_reports.items():
            value_reports[key] = value_reports.get(key, 0) + count
    coverage = {
        key: RateCoverage(
            key, sum(part.coverage[key].counted for part in every), sum(part.coverage[key].typed for part in every)
        )
        for key in RATE_KEYS
    }
    summed = Figures(
        results=_summed_rows(row for part in every for row in part.figures.results),
        sector_agencies=_summed_agencies(row for part in every for row in part.figures.sector_agencies),
        values=values,
    )
    return SummedFigures(
        reports=sum(part.reports for part in every),
        figures=summed,
        totals=summed.totals,
        rates=compute_rates(summed),
        coverage=coverage,
        value_reports=value_reports,
    )


class TargetOutcome(StrEnum):
    MET = "met"
    MISSED = "missed"
    NO_DATA = "no_data"


TARGET_OUTCOME_LABELS = {
    TargetOutcome.MET: "Đạt",
    TargetOutcome.MISSED: "Chưa đạt",
    TargetOutcome.NO_DATA: "Chưa có số liệu",
}


def evaluate_targets(rates: Mapping[str, Rate], targets: Mapping[str, Decimal]) -> dict[str, TargetOutcome]:
    """Met (at least the minimum), missed, or no data, for each target's rate."""
    outcomes = {}
    for key, minimum in targets.items():
        rate = rates.get(key)
        if rate is None or rate.value is None:
            outcomes[key] = TargetOutcome.NO_DATA
        elif rate.value >= minimum:
            outcomes[key] = TargetOutcome.MET
        else:
            outcomes[key] = TargetOutcome.MISSED
    return outcomes


# Every figure the city screens show for a commune and sum for the city, named "<part>.<key>":
# the results table's columns and totals, the counts of the catalogue and the rates. New value
# specs join through VALUE_SPECS, so the grid, totals and drill-downs need no change for them.
FIGURE_LABELS: dict[str, str] = {
    "results.received": "Tổng số hồ sơ tiếp nhận",
    **{f"results.{name}": f"Hồ sơ {label}" for name, label in RESULT_COLUMNS},
    "results.resolved": "Tổng số hồ sơ đã giải quyết",
    "results.in_progress": "Tổng số hồ sơ đang giải quyết",
    **{f"values.{key}": VALUE_SPEC_BY_KEY[key].label for key in COUNT_KEYS},
    **{f"rates.{key}": VALUE_SPEC_BY_KEY[key].label for key in RATE_KEYS},
}


def figure_value(figures: Figures, name: str, *, rates: Mapping[str, Rate] | None = None) -> Decimal | None:
    """One figure of FIGURE_LABELS from a report's (or a sum's) figures; None when it has none.

    Pass the already computed `rates` to avoid recomputing them for every figure.
    """
    part, _, key = name.partition(".")
    if part == "results":
        totals = figures.totals
        return Decimal(getattr(totals, key)) if totals.rows else None
    if part == "values":
        return figures.value(key)
    if part == "rates":
        rates = rates if rates is not None else compute_rates(figures)
        return rates[key].value
    raise KeyError(name)
