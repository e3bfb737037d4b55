"""The Vietnamese label of every part of a report's content shown to people.

History, review diffs, save conflicts, pinned comments and form errors name a figure, a table
cell, a section or a signer field through this module, and show stored values through
`value_text`, so no raw key ("name", "received", "figures.values.x") ever reaches a screen.
"""

from collections.abc import Iterable, Mapping
from decimal import Decimal
from typing import Any

from reports.figures import RESULT_COLUMNS, VALUE_SPEC_BY_KEY
from reports.outline import OutlineNode, iter_nodes
from reports.rendering.formatting import format_decimal, format_int

FIGURES = "Số liệu"
WHOLE_REPORT = "Toàn bộ báo cáo"
EXPLANATIONS = "Giải trình"
WHOLE_ROW = "cả dòng"
AFTER_FIGURES = "phần sau số liệu"
REMOVED_SECTION = "Mục không còn trong đề cương"
NOTHING = "—"

# The three tables of the figures document, with their columns as a reader names them.
TABLE_TITLES = {
    "results": "Bảng kết quả giải quyết TTHC",
    "sector_agencies": "Cơ quan ngành dọc",
    "directives": "Văn bản chỉ đạo, điều hành",
}
TABLE_COLUMNS: dict[str, dict[str, str]] = {
    "results": {"source": "tên hệ thống", "kind": "loại hệ thống", **dict(RESULT_COLUMNS)},
    "sector_agencies": {"name": "tên cơ quan", "received": "tiếp nhận", "resolved": "đã giải quyết"},
    "directives": {
        "doc_type": "loại văn bản",
        "number": "số, ký hiệu",
        "issued_on": "ngày ban hành",
        "subject": "trích yếu",
    },
}
# The signer block, stored on the report and under "document" in a submission.
SIGNER_LABELS = {
    "signer_authority": "Thẩm quyền ký",
    "signer_position": "Chức vụ người ký",
    "signer_name": "Họ và tên người ký",
    "recipients": "Nơi nhận",
}
DOCUMENT_LABELS = {**SIGNER_LABELS, "number": "Số văn bản", "issued_on": "Ngày ban hành"}


def section_title(node: OutlineNode) -> str:
    return f"{node.number} {node.title}".strip()


def section_titles(outline: Iterable[OutlineNode]) -> dict[str, str]:
    """Numbered titles of the outline's sections by key, in reading order."""
    return {node.key: section_title(node) for node in iter_nodes(outline)}


def _row_index(parts: list[str]) -> int | None:
    return int(parts[2]) if len(parts) > 2 and parts[2].isdigit() else None


def table_row_label(table: str, index: int, source: str = "") -> str:
    """ "Cơ quan ngành dọc, dòng 2", with the system's name for a results row when known."""
    where = f"{TABLE_TITLES[table]}, dòng {index + 1}"
    return f"{where} ({source})" if source else where


def _figures_label(parts: list[str], content: Mapping[str, Any]) -> str:
    group = parts[1] if len(parts) > 1 else ""
    if group == "values" and len(parts) > 2:
        spec = VALUE_SPEC_BY_KEY.get(parts[2])
        return spec.label if spec else FIGURES
    index = _row_index(parts)
    if group not in TABLE_TITLES or index is None:
        return FIGURES
    source = ""
    if group == "results":
        figures = content.get("figures")
        rows = figures.get("results") if isinstance(figures, Mapping) else None
        row = rows[index] if isinstance(rows, list) and index < len(rows) else None
        source = str(row.get("source") or "") if isinstance(row, Mapping) else ""
    where = table_row_label(group, index, source)
    if len(parts) < 4:
        return f"{where} ({WHOLE_ROW})"
    return f"{where}: {TABLE_COLUMNS[group].get(parts[3], parts[3])}"


def path_label(path: str, titles: Mapping[str, str], content: Mapping[str, Any] | None = None) -> str:
    """The label of a content path ("figures.results.0.online", "narrative.x.after", "signer_name").

    `titles` are the outline's section titles (section_titles); `content`, when given, lets a
    results row be named by its system as well as its number.
    """
    parts = path.split(".")
    head = parts[0]
    if head == "figures":
        return _figures_label(parts, content or {})
    if head == "narrative" and len(parts) > 1:
        title = titles.get(parts[1], REMOVED_SECTION)
        return f"{title} – {AFTER_FIGURES}" if parts[2:3] == ["after"] else title
    if head == "explanations":
        return EXPLANATIONS
    if head == "document" and len(parts) > 1:
        return DOCUMENT_LABELS.get(parts[1], parts[1])
    return SIGNER_LABELS.get(head, path)


def _row_text(row: Mapping[str, Any], columns: Mapping[str, str]) -> str:
    return "; ".join(f"{columns[key]}: {value_text(item)}" for key, item in row.items() if key in columns)


def value_text(value: Any, *, path: str = "") -> str:
    """A stored value as people read it: Vietnamese numbers (1.909; 93,5), "—" for nothing, and a
    whole table row (when `path` names one) as its labelled cells."""
    if value is None or value == "":
        return NOTHING
    if isinstance(value, bool):
        return "có" if value else "không"
    if isinstance(value, int):
        return format_int(value)
    if isinstance(value, float):
        return format_decimal(Decimal(str(value)))
    if isinstance(value, list):
        return "; ".join(value_text(item) for item in value)
    if isinstance(value, Mapping):
        parts = path.split(".")
        table = parts[1] if parts[0] == "figures" and len(parts) > 1 else ""
        columns = TABLE_COLUMNS.get(table)
        if columns is not None:
            return _row_text(value, columns)
        # Not a table row (a whole section, say): its texts, without keys.
        return "; ".join(value_text(item) for item in value.values() if item not in (None, ""))
    return str(value)


def anchor_label(anchor: str, titles: Mapping[str, str], figures: Mapping[str, Any] | None) -> str:
    """Where a review comment is pinned: "Mục I. …", "Số liệu: …" or the whole report."""
    kind, _, target = anchor.partition(":")
    if kind == "section" and target:
        return f"Mục {titles.get(target, target)}"
    if kind == "figure" and target:
        return f"{FIGURES}: " + path_label(f"figures.{target}", titles, {"figures": figures or {}})
    return WHOLE_REPORT
