"""Reads for the review screens: what changed since the last submission and since last period,
the comments, and the archive of issued versions. A fixed number of queries per report."""

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from reports import figures as figures_module
from reports.diff import diff_content
from reports.models import EventKind, Report, ReportEvent, ReportStatus, ReviewComment, Submission
from reports.outline import build_outline, iter_nodes
from reports.periods import Frequency, PeriodKey
from reports.rendering.formatting import format_decimal, format_int

# Parts of a submission's content a reviewer compares; the regime's outline rarely changes.
COMPARED_PARTS = ("figures", "narrative", "explanations", "document")
RESULT_LABELS = {**dict(figures_module.RESULT_COLUMNS), "source": "tên hệ thống", "kind": "loại hệ thống"}
TABLE_LABELS = {
    "sector_agencies": (
        "Cơ quan ngành dọc",
        {"name": "tên cơ quan", "received": "tiếp nhận", "resolved": "đã giải quyết"},
    ),
    "directives": (
        "Văn bản chỉ đạo, điều hành",
        {"doc_type": "loại văn bản", "number": "số, ký hiệu", "issued_on": "ngày ban hành", "subject": "trích yếu"},
    ),
}
DOCUMENT_LABELS = {
    "signer_authority": "Thẩm quyền ký",
    "signer_position": "Chức vụ người ký",
    "signer_name": "Người ký",
    "recipients": "Nơi nhận",
    "number": "Số văn bản",
    "issued_on": "Ngày ban hành",
}
WHOLE_REPORT = "Toàn bộ báo cáo"


@dataclass(frozen=True)
class ChangeRow:
    label: str
    old: str
    new: str


def _text(value: Any) -> str:
    """A changed value as the reviewer reads it: Vietnamese numbers (1.909; 93,5), "—" for nothing."""
    if value is None or value == "":
        return "—"
    if isinstance(value, bool):
        return "có" if value else "không"
    if isinstance(value, int):
        return format_int(value)
    if isinstance(value, float):
        return format_decimal(Decimal(str(value)))
    if isinstance(value, list):
        return "; ".join(_text(item) for item in value)
    if isinstance(value, dict):
        return ", ".join(f"{key}: {_text(item)}" for key, item in value.items())
    return str(value)


def section_titles(report: Report) -> dict[str, str]:
    nodes = build_outline(report.period.regime.sections.all())
    return {node.key: f"{node.number} {node.title}".strip() for node in iter_nodes(nodes)}


def _row(parts: list[str]) -> int | None:
    return int(parts[2]) if len(parts) > 2 and parts[2].isdigit() else None


def describe_path(path: str, titles: dict[str, str], content: dict) -> str:
    """A Vietnamese label for a content path such as "figures.values.pakn_received"."""
    parts = path.split(".")
    group = parts[1] if parts[0] == "figures" and len(parts) > 1 else ""
    index = _row(parts)
    column = parts[3] if len(parts) > 3 else ""
    if group == "values" and len(parts) > 2:
        spec = figures_module.VALUE_SPEC_BY_KEY.get(parts[2])
        return spec.label if spec else parts[2]
    if group == "results" and index is not None:
        rows = content.get("figures", {}).get("results", [])
        source = rows[index].get("source", "") if index < len(rows) else ""
        where = f"Kết quả giải quyết TTHC, dòng {index + 1}" + (f" ({source})" if source else "")
        return f"{where}: {RESULT_LABELS.get(column, column)}" if column else f"{where} (cả dòng)"
    if group in TABLE_LABELS and index is not None:
        title, labels = TABLE_LABELS[group]
        where = f"{title}, dòng {index + 1}"
        return f"{where}: {labels.get(column, column)}" if column else f"{where} (cả dòng)"
    if parts[0] == "figures":
        return "Số liệu"
    if parts[0] == "narrative" and len(parts) > 1:
        title = titles.get(parts[1], parts[1])
        if len(parts) == 2:
            return title
        return f"{title} – " + ("phần sau số liệu" if parts[2] == "after" else "nội dung")
    if parts[0] == "explanations":
        return "Giải trình: " + ".".join(parts[1:])
    if parts[0] == "document" and len(parts) > 1:
        return DOCUMENT_LABELS.get(parts[1], parts[1])
    return path


def compare(old: dict | None, new: dict | None, titles: dict[str, str]) -> list[ChangeRow] | None:
    """Rows of what changed from `old` to `new` (None when there is nothing to compare with)."""
    if old is None or new is None:
        return None
    old_part = {part: old.get(part) for part in COMPARED_PARTS}
    new_part = {part: new.get(part) for part in COMPARED_PARTS}
    changes = sorted(diff_content(old_part, new_part), key=lambda change: _reading_order(change.path, titles))
    return [
        ChangeRow(label=describe_path(change.path, titles, new), old=_text(change.old), new=_text(change.new))
        for change in changes
    ]


VALUE_ORDER = {spec.key: index for index, spec in enumerate(figures_module.VALUE_SPECS)}
RESULT_ORDER = {name: index for index, name in enumerate(figures_module.RESULT_FIELDS)}
FIGURE_PARTS = ("results", "sector_agencies", "directives", "values")


def _reading_order(path: str, titles: dict[str, str]) -> tuple:
    """Changes in the order a reader meets them: figures as in the form, then sections as in the
    outline; stored content has no reliable key order (PostgreSQL's jsonb reorders keys)."""
    parts = path.split(".")
    part_rank = COMPARED_PARTS.index(parts[0]) if parts[0] in COMPARED_PARTS else len(COMPARED_PARTS)
    rest: tuple = tuple(parts[1:])
    if parts[0] == "figures" and len(parts) > 1:
        group = FIGURE_PARTS.index(parts[1]) if parts[1] in FIGURE_PARTS else len(FIGURE_PARTS)
        row = int(parts[2]) if len(parts) > 2 and parts[2].isdigit() else -1
        if parts[1] == "values":
            rest = (group, VALUE_ORDER.get(parts[2], len(VALUE_ORDER)) if len(parts) > 2 else -1, path)
        else:
            column = RESULT_ORDER.get(parts[3], len(RESULT_ORDER)) if len(parts) > 3 else -1
            rest = (group, row, column, path)
    elif parts[0] == "narrative" and len(parts) > 1:
        order = list(titles)
        rest = (order.index(parts[1]) if parts[1] in order else len(order), path)
    else:
        rest = (0, path)
    return (part_rank, *rest)


def previous_period_content(report: Report) -> dict | None:
    """Last period's accepted or issued report of the same commune and regime, as submitted."""
    try:
        key = PeriodKey(Frequency(report.period.regime.frequency), report.period.year, report.period.number).previous()
    except ValueError:
        return None  # the first period the calendar knows
    submission = (
        Submission.objects.filter(
            report__commune_id=report.commune_id,
            report__period__regime_id=report.period.regime_id,
            report__period__year=key.year,
            report__period__number=key.number,
            report__status__in=(ReportStatus.ACCEPTED, ReportStatus.ISSUED),
        )
        .order_by("-sequence")
        .first()
    )
    return submission.content if submission else None


@dataclass(frozen=True)
class PinnedComment:
    """A review comment with a Vietnamese label of where it is pinned."""

    comment: ReviewComment
    where: str


def anchor_label(anchor: str, titles: dict[str, str], figures: dict) -> str:
    kind, _, target = anchor.partition(":")
    if kind == "section" and target:
        return f"Mục {titles.get(target, target)}"
    if kind == "figure" and target:
        return "Số liệu: " + describe_path(f"figures.{target}", titles, {"figures": figures or {}})
    return WHOLE_REPORT


def pinned_comments(report: Report, titles: dict[str, str] | None = None) -> list[PinnedComment]:
    """The report's review comments, oldest first, each with where it applies (two queries)."""
    titles = section_titles(report) if titles is None else titles
    comments = ReviewComment.objects.filter(report=report).select_related("author", "answered_by")
    return [PinnedComment(comment, anchor_label(comment.anchor, titles, report.figures)) for comment in comments]


def latest_return(report: Report) -> ReportEvent | None:
    """The city's last return (its note is the reason) while the report is back with the commune."""
    if report.status != ReportStatus.RETURNED:
        return None
    return report.events.filter(kind=EventKind.RETURNED).select_related("by").order_by("-at", "-id").first()


def review_context(report: Report) -> dict[str, Any]:
    submissions = list(report.submissions.select_related("submitted_by").order_by("-sequence")[:2])
    latest = submissions[0] if submissions else None
    earlier = submissions[1] if len(submissions) > 1 else None
    titles = section_titles(report)
    latest_content = latest.content if latest else None
    return {
        "latest_submission": latest,
        "earlier_submission": earlier,
        "changes_since_submission": compare(earlier.content if earlier else None, latest_content, titles),
        "changes_since_last_period": compare(previous_period_content(report), latest_content, titles),
        "comments": pinned_comments(report, titles),
        "returns": list(report.events.filter(kind=EventKind.RETURNED).select_related("by").order_by("-at", "-id")),
        "anchors": anchor_choices(report, titles),
        "can_decide": report.status == ReportStatus.SUBMITTED,
    }


def anchor_choices(report: Report, titles: dict[str, str] | None = None) -> list[tuple[str, str]]:
    """Where a reviewer may pin a comment: each section, then each typed figure of the report."""
    titles = section_titles(report) if titles is None else titles
    choices = [(f"section:{key}", f"Mục {title}") for key, title in titles.items()]
    content = report.figures or {}
    for index, row in enumerate(content.get("results", [])):
        choices.append((f"figure:results.{index}", f"Số liệu: kết quả giải quyết – {row.get('source', '')}"))
    for key in sorted(content.get("values", {})):
        spec = figures_module.VALUE_SPEC_BY_KEY.get(key)
        if spec:
            choices.append((f"figure:values.{key}", f"Số liệu: {spec.label}"))
    return choices


def archive_context(report: Report) -> dict[str, Any]:
    return {
        "scans": list(report.scans.select_related("uploaded_by").order_by("-revision")),
        "versions": list(report.versions.select_related("amended_by").order_by("-revision")),
        "current_scan": report.scans.filter(revision=report.revision).first(),
    }
