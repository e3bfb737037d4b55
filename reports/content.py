"""The one door into a report's stored content, and the character rules every stored text follows.

`clean_content()` is called by everything that writes a report's content (the entry form and its
autosave through services.save_draft, the JSON import, new drafts). It returns the canonical
stored form or raises ContentError with one Vietnamese message per problem, each naming the field.
`clean_text()` / `validate_text()` apply the same character rules to every other stored text that
reaches a document (commune header lines, regime templates, comments...).
"""

import json
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import ValidationError

from reports import figures, labels
from reports.outline import OutlineNode, iter_nodes
from reports.rendering.formatting import format_int, round_percent
from reports.text import char_problem, length_problem, nfc, normalise_text, strip_forbidden, validate_text

# Re-exported: the character rules are part of this door (communes import them from reports.text).
__all__ = [
    "ContentError",
    "ContentProblem",
    "char_problem",
    "clean_content",
    "nfc",
    "normalise_text",
    "parse_count",
    "parse_rate",
    "strip_forbidden",
    "validate_text",
]

# One limit per kind of text, shared by the entry form, the import and check_content.
TEXT_LIMITS = {
    "narrative": 50_000,
    "explanation": 5_000,
    "signer_authority": 500,
    "signer_position": 100,  # Report.signer_position is a varchar(100)
    "signer_name": 100,  # Report.signer_name is a varchar(100)
    "recipients": 2_000,
    "source": 300,
    "name": 300,
    "doc_type": 100,
    "number": 60,
    "subject": 2_000,
    "issued_on": 10,
}
EXPLANATION_CODE_LIMIT = 200
# The whole content serialised as UTF-8 JSON: a long real report is ~30 KB.
MAX_CONTENT_BYTES = 200_000
# Content is at most four levels deep (figures.results[0].online); anything deeper is not content.
MAX_DEPTH = 8
SIGNER_FIELDS = ("signer_authority", "signer_position", "signer_name", "recipients")
ROW_LIMITS = {"results": 30, "sector_agencies": 30, "directives": 100}
ROW_TEXT_FIELDS = {
    "results": ("source",),
    "sector_agencies": ("name",),
    "directives": ("doc_type", "number", "subject"),
}
ROW_COUNT_FIELDS = {
    "results": (*figures.RESULT_FIELDS, *figures.RESULT_TOTAL_FIELDS),
    "sector_agencies": ("received", "resolved"),
    "directives": (),
}

NOT_INTEGER = "không phải là số nguyên."
NOT_NUMBER = "không phải là số."
NEGATIVE = "không được âm."
RATE_RANGE = "tỷ lệ phải từ 0 đến 100%."
MALFORMED = "không đúng cấu trúc."
TOO_DEEP = "dữ liệu lồng nhau quá sâu."
NARRATIVE = "Nội dung theo mục"


def too_big_message() -> str:
    return f"số quá lớn (tối đa {format_int(figures.COUNT_MAX)})."


# --- Numbers -----------------------------------------------------------------------------------


def _number_problem(code: str) -> ValidationError:
    message = {"invalid": NOT_INTEGER, "not_number": NOT_NUMBER, "negative": NEGATIVE, "range": RATE_RANGE}.get(
        code, too_big_message()
    )
    # Lower case: the message always follows its field's label ("Tiếp nhận mới: số quá lớn ...").
    return ValidationError(message, code=code)


def _as_decimal(raw: Any) -> Decimal | None:
    """A number from JSON or typed text ("1.909", "1 909", "93,01", "1e308"); None when blank."""
    if raw is None:
        return None
    if isinstance(raw, bool):
        raise _number_problem("invalid")
    if isinstance(raw, int):
        # Length first, so a 5,000-digit integer is never turned into a Decimal.
        if raw > figures.COUNT_MAX:
            raise _number_problem("too_big")
        return Decimal(raw)
    if isinstance(raw, float | Decimal):
        number = Decimal(str(raw)) if isinstance(raw, float) else raw
    else:
        # split() also drops non-breaking and thin spaces typed as thousands separators.
        text = "".join(str(raw).split()).rstrip("%")
        if text == "":
            return None
        # ASCII only: Decimal would also read Arabic-Indic or full-width digits.
        if len(text) > 400 or not text.isascii():
            raise _number_problem("invalid")
        digits = text.lstrip("-")
        parts = digits.split(".")
        # "1.909" and "1.909.000" are how Vietnamese group thousands; "1.5" is a decimal point.
        if (
            len(parts) > 1
            and all(p.isdigit() for p in parts)
            and len(parts[0]) <= 3
            and all(len(p) == 3 for p in parts[1:])
        ):
            text = text.replace(".", "")
        try:
            number = Decimal(text.replace(",", "."))
        except InvalidOperation:
            raise _number_problem("invalid") from None
    if not number.is_finite():
        raise _number_problem("invalid")
    return number


def parse_count(raw: Any) -> int | None:
    """A count as an int (0 to figures.COUNT_MAX); blank is None; ValidationError with the shared message."""
    number = _as_decimal(raw)
    if number is None:
        return None
    if number < 0:
        raise _number_problem("negative")
    if number > figures.COUNT_MAX:
        raise _number_problem("too_big")
    if number != number.to_integral_value():
        raise _number_problem("invalid")
    return int(number)


def parse_rate(raw: Any) -> Decimal | None:
    """A percentage 0-100 with two decimals ("93,01", "93.01%", 93.01); blank is None."""
    try:
        number = _as_decimal(raw)
    except ValidationError as error:
        if error.code == "invalid":
            raise _number_problem("not_number") from None
        raise _number_problem("range") from None
    if number is None:
        return None
    if number < 0 or number > 100:
        raise _number_problem("range")
    # abs() turns "-0" into 0, which would otherwise be stored and shown as -0.
    return abs(round_percent(number))


# --- Whole content -----------------------------------------------------------------------------


@dataclass(frozen=True)
class ContentProblem:
    """One refusal: where (content path "figures.values.x" and its parts; "" for the whole) and the message."""

    path: str
    message: str
    parts: tuple[str | int, ...] = ()


class ContentError(ValidationError):
    """Content that cannot be stored; `problems` keep the path of each message."""

    def __init__(self, problems: Sequence[ContentProblem]) -> None:
        super().__init__([problem.message for problem in problems], code="invalid_content")
        self.problems = list(problems)


def field_label(path: str, outline: Sequence[OutlineNode]) -> str:
    """The Vietnamese name of a content path, as the history and the form's errors show it."""
    if not path:
        return "Báo cáo"
    return labels.path_label(path, labels.section_titles(outline))


def too_deep(value: Any, limit: int = MAX_DEPTH) -> list[str | int] | None:
    """The path to the first value nested deeper than `limit`, found without recursion; None if none."""
    stack: list[tuple[Any, list[str | int]]] = [(value, [])]
    while stack:
        item, parts = stack.pop()
        if isinstance(item, dict | list):
            if len(parts) >= limit:
                return parts
            pairs = item.items() if isinstance(item, dict) else enumerate(item)
            stack.extend((child, [*parts, key]) for key, child in pairs)
    return None


class _Cleaner:
    def __init__(self, outline: Sequence[OutlineNode], keep_keys: Iterable[str]) -> None:
        self.outline = outline
        self.section_keys = {node.key for node in iter_nodes(outline)} | set(keep_keys)
        self.problems: list[ContentProblem] = []

    def refuse(self, path: str, problem: str, *, label: str | None = None) -> None:
        parts = tuple(int(part) if part.isdigit() else part for part in path.split(".")) if path else ()
        label = field_label(path, self.outline) if label is None else label
        self.problems.append(ContentProblem(path, f"{label}: {problem}", parts))

    def text(self, path: str, raw: Any, limit: int) -> str:
        if raw is None:
            return ""
        if not isinstance(raw, str):
            self.refuse(path, "phải là chuỗi ký tự.")
            return ""
        text = normalise_text(raw)
        problem = char_problem(text) or length_problem(text, limit)
        if problem is not None:
            self.refuse(path, problem)
        return text

    def number(self, path: str, raw: Any, *, rate: bool = False) -> Decimal | int | None:
        try:
            return parse_rate(raw) if rate else parse_count(raw)
        except ValidationError as error:
            self.refuse(path, error.messages[0])
            return None

    def figures(self, raw: Any) -> dict[str, Any]:
        if not isinstance(raw, dict):
            self.refuse("figures", MALFORMED)
            return figures.normalise_figures({})
        data: dict[str, Any] = {}
        for key, limit in ROW_LIMITS.items():
            rows = raw.get(key, [])
            if not isinstance(rows, list) or not all(isinstance(row, dict) for row in rows):
                self.refuse(f"figures.{key}", MALFORMED)
                rows = []
            elif len(rows) > limit:
                self.refuse(f"figures.{key}", f"tối đa {limit} dòng (hiện có {len(rows)} dòng).")
            data[key] = [self.row(key, index, row) for index, row in enumerate(rows[:limit])]
        values = raw.get("values", {})
        if not isinstance(values, dict):
            self.refuse("figures.values", MALFORMED)
            values = {}
        data["values"] = {}
        for key, value in values.items():
            spec = figures.VALUE_SPEC_BY_KEY.get(key)
            path = f"figures.values.{key}"
            if spec is None:
                self.refuse(path, f"chỉ tiêu “{key}” không có trong danh mục số liệu.", label=labels.FIGURES)
                continue
            number = self.number(path, value, rate=spec.unit == figures.Unit.PERCENT)
            if number is not None:
                data["values"][key] = number
        cleaned = figures.normalise_figures(data)
        # A rate whose counts are in the report is computed; a typed value beside it would be
        # ignored by every reader, so it is not stored.
        for key, rate in figures.compute_rates(figures.parse_figures(cleaned)).items():
            if rate.source == figures.RateSource.COMPUTED:
                cleaned["values"].pop(key, None)
        return cleaned

    def row(self, key: str, index: int, row: Mapping[str, Any]) -> dict[str, Any]:
        clean: dict[str, Any] = {}
        for name in ROW_TEXT_FIELDS[key]:
            clean[name] = self.text(f"figures.{key}.{index}.{name}", row.get(name), TEXT_LIMITS[name]).strip()
        for name in ROW_COUNT_FIELDS[key]:
            if row.get(name) is not None:
                clean[name] = self.number(f"figures.{key}.{index}.{name}", row.get(name)) or 0
        if key == "results":
            kind = row.get("kind", str(figures.SourceKind.CITY))
            if kind not in {str(kind) for kind in figures.SourceKind}:
                self.refuse(f"figures.results.{index}.kind", "loại hệ thống không hợp lệ.")
                kind = figures.SourceKind.CITY
            clean["kind"] = str(kind)
        if key == "directives":
            clean["issued_on"] = self.text(f"figures.directives.{index}.issued_on", row.get("issued_on"), 10)
        return clean

    def narrative(self, raw: Any) -> dict[str, dict[str, str]]:
        if not isinstance(raw, dict):
            self.refuse("narrative", MALFORMED)
            return {}
        narrative = {}
        for key, parts in raw.items():
            path = f"narrative.{key}"
            if key not in self.section_keys:
                self.refuse(path, f"mục “{key}” không có trong đề cương của chế độ báo cáo.", label=NARRATIVE)
                continue
            if not isinstance(parts, dict):
                self.refuse(path, MALFORMED)
                continue
            limit = TEXT_LIMITS["narrative"]
            text, after = (self.text(f"{path}.{part}", parts.get(part), limit) for part in ("text", "after"))
            if text or after:
                narrative[key] = {"text": text, "after": after}
        return narrative

    def explanations(self, raw: Any) -> dict[str, str]:
        if not isinstance(raw, dict):
            self.refuse("explanations", MALFORMED)
            return {}
        cleaned = {}
        for code, value in raw.items():
            path = f"explanations.{code}"
            problem = char_problem(code) or length_problem(code, EXPLANATION_CODE_LIMIT)
            if problem is not None:
                self.refuse(path, f"mã giải trình {problem}")
                continue
            text = self.text(path, value, TEXT_LIMITS["explanation"]).strip()
            if text:
                cleaned[nfc(code)] = text
        return cleaned

    def signer(self, name: str, raw: Any) -> str:
        text = self.text(name, raw, TEXT_LIMITS[name])
        if name == "recipients":
            return "\n".join(line.strip() for line in text.split("\n") if line.strip())
        return text.strip()


def clean_content(
    raw: Mapping[str, Any], *, outline: Sequence[OutlineNode], keep_keys: Iterable[str] = ()
) -> dict[str, Any]:
    """The stored form of `raw` (figures, narrative, explanations and the signer fields it holds).

    Narrative keys must be sections of `outline`, or in `keep_keys` (sections removed from the
    outline after the report stored text for them). Raises ContentError naming every problem.
    """
    deep = too_deep(dict(raw))
    if deep is not None:
        path = ".".join(str(part) for part in deep[:2])
        message = f"{field_label(path, outline)}: {TOO_DEEP}"
        raise ContentError([ContentProblem(path, message, tuple(deep[:2]))])
    cleaner = _Cleaner(outline, keep_keys)
    content: dict[str, Any] = {
        "figures": cleaner.figures(raw.get("figures")),
        "narrative": cleaner.narrative(raw.get("narrative", {})),
        "explanations": cleaner.explanations(raw.get("explanations", {})),
    }
    for name in SIGNER_FIELDS:
        if name in raw:
            content[name] = cleaner.signer(name, raw[name])
    if cleaner.problems:
        raise ContentError(cleaner.problems)
    size = len(json.dumps(content, ensure_ascii=False).encode())
    if size > MAX_CONTENT_BYTES:
        message = (
            f"Báo cáo: nội dung quá lớn ({format_int(size // 1000)} KB, tối đa "
            f"{format_int(MAX_CONTENT_BYTES // 1000)} KB); hãy rút gọn các phần lời văn."
        )
        raise ContentError([ContentProblem("", message)])
    return content
