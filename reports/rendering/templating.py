"""The small template language of generated paragraphs, titles, subject, opening and closing lines.

A regime's outline holds the wording (data an administrator edits); the figures fill it in:

- paragraphs are separated by a blank line; a single line break is a space;
- ``{name}`` inserts a value, ``{name|pad2}`` zero-pads numbers below 10 ("05"),
  ``{name|padded}`` writes dates as 15/01/2026 instead of 15/1/2026;
- ``{if name}A{else}B{end}``: A when the value is a non-zero number or a non-empty text or list;
- ``{for list sep="; "}ITEM{end}`` (or ``sep='; '``) repeats ITEM inline, joined by ``sep`` ("; " when omitted);
  a paragraph holding only ``{for list}ITEM{end}`` (no ``sep``) repeats as separate paragraphs,
  each ending with ";" and the last with "." (the list style of Nghị định 30/2020 Phụ lục I,
  standards.md §3.7);
- ``**bold**`` spans;
- ``{text}`` and ``{after}`` insert the section's own narrative at that place;
- a paragraph that renders empty is dropped.

Pure functions; an unknown placeholder never raises: it renders visibly as ``[?name]``, and
`template_errors` lists every problem in Vietnamese for the admin form.
"""

from __future__ import annotations

import re
from collections import ChainMap
from collections.abc import Collection, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from functools import lru_cache
from typing import Any

from reports.figures import RATE_KEYS, VALUE_SPECS, Unit
from reports.rendering.formatting import format_date, format_decimal, format_int, format_percent

# What an unfilled value prints: the ellipsis Vietnamese forms use for a blank to complete.
MISSING = "…"
# Joins the items of an inline {for} without sep="…".
DEFAULT_SEPARATOR = "; "
FILTERS = {
    "pad2": "số nhỏ hơn 10 thêm số 0 ở trước (05)",
    "padded": "ngày tháng đủ hai chữ số (15/01/2026)",
}
NARRATIVE_NAMES = ("text", "after")


# --- Values ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Percent:
    """A rate in percent; None when it was not entered and cannot be computed."""

    value: Decimal | None


@dataclass(frozen=True)
class NarrativeText:
    """Free text written by the commune, as paragraphs; inserted literally (no markup)."""

    paragraphs: tuple[str, ...] = ()

    @classmethod
    def from_text(cls, text: str | None) -> NarrativeText:
        return cls(split_paragraphs(text or ""))


@dataclass(frozen=True)
class Span:
    text: str
    bold: bool = False
    italic: bool = False


Paragraph = tuple[Span, ...]


def split_paragraphs(text: str) -> tuple[str, ...]:
    """Text as typed: every line is a paragraph (officers type one bullet or sentence group per
    line, as in the seeds' "- …" lists); blank lines only separate, and spaces inside a line collapse."""
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    return tuple(joined for line in lines if (joined := " ".join(line.split())))


# --- Placeholder catalogue -------------------------------------------------------------------

_BASE_PLACEHOLDERS: dict[str, str] = {
    "directive": "văn bản yêu cầu báo cáo (trích dẫn đầy đủ)",
    "commune_name": "tên xã trong câu: xã Hùng Thắng",
    "commune_short": "tên riêng của xã: Hùng Thắng",
    "commune_kind": "xã / phường / đặc khu",
    "province_name": "tên tỉnh, thành phố trong câu: thành phố Hải Phòng",
    "province_level": "cấp tỉnh trong câu: tỉnh / thành phố (Trung tâm Phục vụ hành chính công {province_level})",
    "period_label": "kỳ báo cáo: tháng 5 năm 2026, quý I năm 2026, 6 tháng đầu năm 2026, 9 tháng đầu năm 2026, năm 2026",
    "period_noun": "tên loại kỳ: tháng, quý, 6 tháng, 9 tháng, năm",
    "next_period_label": "kỳ tiếp theo: tháng 6 năm 2026, quý II năm 2026, 3 tháng cuối năm 2026, năm 2027",
    "period_month": "tháng của kỳ: 5, 02 (chỉ dùng cho chế độ báo cáo hằng tháng)",
    "period_year": "năm của kỳ: 2026",
    "period_month_year": "tháng/năm của kỳ: 02/2026 (chỉ dùng cho chế độ báo cáo hằng tháng)",
    "period_start": "ngày đầu kỳ số liệu: 15/4/2026",
    "period_end": "ngày chốt số liệu: 14/5/2026",
    "received_total": "tổng số hồ sơ tiếp nhận (cột 3)",
    "received_new": "số hồ sơ tiếp nhận mới trong kỳ (cột 4 + 5)",
    "carried_over": "số hồ sơ kỳ trước chuyển sang (cột 6)",
    "received_online": "số hồ sơ tiếp nhận trực tuyến (cột 4)",
    "received_direct": "số hồ sơ tiếp nhận trực tiếp, bưu chính (cột 5)",
    "received_in_person": "số hồ sơ tiếp nhận trực tiếp (không kể bưu chính)",
    "received_postal": "số hồ sơ tiếp nhận qua dịch vụ bưu chính",
    "returned_total": "số hồ sơ trả lại, rút hồ sơ",
    "received_city": "số hồ sơ tiếp nhận mới trên hệ thống của thành phố",
    "received_ministries": "số hồ sơ tiếp nhận mới trên hệ thống của các bộ",
    "resolved_total": "tổng số hồ sơ đã giải quyết (cột 7)",
    "resolved_early": "số hồ sơ giải quyết trước hạn (cột 8)",
    "resolved_on_time": "số hồ sơ giải quyết đúng hạn (cột 9)",
    "resolved_early_on_time": "số hồ sơ giải quyết trước hạn và đúng hạn (cột 8 + 9)",
    "resolved_overdue": "số hồ sơ giải quyết quá hạn (cột 10)",
    "pending_total": "số hồ sơ đang giải quyết (cột 11)",
    "pending_on_time": "số hồ sơ đang giải quyết trong hạn (cột 12)",
    "pending_overdue": "số hồ sơ đang giải quyết quá hạn (cột 13)",
    "overdue_total": "số hồ sơ quá hạn (cột 10 + 13)",
}
# Fields that only a monthly period has: a quarter, half-year, nine-month or year report would
# otherwise print "tháng 3" where its whole period is meant.
MONTH_ONLY_PLACEHOLDERS = ("period_month", "period_month_year")
# Lists a {for} can repeat over, with the fields of one item.
LIST_PLACEHOLDERS: dict[str, dict[str, str]] = {
    "sector_agencies": {
        "name": "tên cơ quan ngành dọc",
        "received": "số hồ sơ tiếp nhận",
        "resolved": "số hồ sơ đã giải quyết",
    },
    "directives": {
        "doc_type": "loại văn bản (Kế hoạch, Quyết định…)",
        "number": "số, ký hiệu (27/KH-UBND)",
        "issued_on": "ngày ban hành",
        "subject": "trích yếu",
    },
}


def _catalogue() -> dict[str, str]:
    names = dict(_BASE_PLACEHOLDERS)
    for spec in VALUE_SPECS:
        names[spec.key] = spec.label + (" (%)" if spec.unit == Unit.PERCENT else "")
    for key in RATE_KEYS:
        names[f"target_{key}"] = "chỉ tiêu thành phố giao: " + names[key].lower()
    names["sector_agencies"] = "danh sách cơ quan ngành dọc (dùng với {for})"
    names["directives"] = "danh sách văn bản chỉ đạo, điều hành (dùng với {for})"
    return names


# Every name a template may use, with a Vietnamese description for the admin's help text.
PLACEHOLDERS: dict[str, str] = _catalogue()


# --- Parsing ---------------------------------------------------------------------------------

_NAME = r"[a-z_][a-z0-9_]*"
_TOKEN_RE = re.compile(r"\{([^{}\n]*)\}|\*\*|\n[ \t]*\n\s*")
_VAR_RE = re.compile(rf"\s*({_NAME})\s*(?:\|\s*(\w+)\s*)?")
_IF_RE = re.compile(rf"\s*if\s+({_NAME})\s*")
_FOR_RE = re.compile(rf"""\s*for\s+({_NAME})(?:\s+sep\s*=\s*(?:"([^"]*)"|'([^']*)'))?\s*""")
_KEYWORDS = frozenset({"if", "for", "else", "end"})


@dataclass(frozen=True)
class _Text:
    text: str


@dataclass(frozen=True)
class _Break:
    pass


@dataclass(frozen=True)
class _Bold:
    pass


@dataclass(frozen=True)
class _Var:
    name: str
    filter: str | None
    source: str


@dataclass(frozen=True)
class _If:
    name: str
    then: tuple[_Node, ...]
    otherwise: tuple[_Node, ...]


@dataclass(frozen=True)
class _For:
    name: str
    sep: str | None
    body: tuple[_Node, ...]


@dataclass(frozen=True)
class _Bad:
    source: str


type _Node = _Text | _Break | _Bold | _Var | _If | _For | _Bad


@dataclass
class _Frame:
    """An open {if} or {for} (or the whole template) while parsing."""

    kind: str  # "root", "if", "for"
    name: str = ""
    sep: str | None = None
    nodes: list[_Node] = field(default_factory=list)
    then: list[_Node] = field(default_factory=list)
    in_else: bool = False

    def add(self, node: _Node) -> None:
        self.nodes.append(node)

    def close(self) -> _Node:
        if self.kind == "if":
            then, otherwise = (self.then, self.nodes) if self.in_else else (self.nodes, [])
            return _If(self.name, tuple(then), tuple(otherwise))
        return _For(self.name, self.sep, tuple(self.nodes))


@dataclass(frozen=True)
class _Parsed:
    nodes: tuple[_Node, ...]
    errors: tuple[str, ...]


def _text_node(text: str) -> _Text:
    return _Text(text.replace("\r", "").replace("\n", " "))


@lru_cache(maxsize=512)
def _parse(template: str) -> _Parsed:
    errors: list[str] = []
    stack = [_Frame("root")]
    position = 0
    source = template.replace("\r\n", "\n").strip()
    for match in _TOKEN_RE.finditer(source):
        if match.start() > position:
            stack[-1].add(_text_node(source[position : match.start()]))
        position = match.end()
        if match.group(0) == "**":
            stack[-1].add(_Bold())
            continue
        if match.group(1) is None:
            stack[-1].add(_Break())
            continue
        body = match.group(1)
        if var := _VAR_RE.fullmatch(body):
            name, filter_name = var.groups()
            if name in _KEYWORDS:
                _keyword(name, body, stack, errors)
            else:
                stack[-1].add(_Var(name, filter_name, body))
                if filter_name is not None and filter_name not in FILTERS:
                    errors.append(f"Bộ lọc “|{filter_name}” trong “{{{body}}}” không được hỗ trợ.")
        elif cond := _IF_RE.fullmatch(body):
            stack.append(_Frame("if", name=cond.group(1)))
        elif loop := _FOR_RE.fullmatch(body):
            sep = loop.group(2) if loop.group(2) is not None else loop.group(3)
            stack.append(_Frame("for", name=loop.group(1), sep=sep))
        else:
            stack[-1].add(_Bad(body))
            errors.append(f"Không hiểu “{{{body}}}”.")
    if position < len(source):
        stack[-1].add(_text_node(source[position:]))
    while len(stack) > 1:
        frame = stack.pop()
        errors.append(f"Thiếu {{end}} cho {{{frame.kind} {frame.name}}}.")
        stack[-1].add(frame.close())
    errors.extend(
        f"Dấu ngoặc nhọn không khớp trong “{node.text.strip()}”."
        for node in _walk(stack[0].nodes)
        if isinstance(node, _Text) and ("{" in node.text or "}" in node.text)
    )
    return _Parsed(tuple(stack[0].nodes), tuple(errors))


def _keyword(name: str, body: str, stack: list[_Frame], errors: list[str]) -> None:
    frame = stack[-1]
    if name == "else":
        if frame.kind != "if" or frame.in_else:
            errors.append("{else} không nằm trong một {if …}.")
            frame.add(_Bad(body))
            return
        frame.then, frame.nodes, frame.in_else = frame.nodes, [], True
    elif name == "end":
        if frame.kind == "root":
            errors.append("{end} thừa, không có {if …} hoặc {for …} tương ứng.")
            frame.add(_Bad(body))
            return
        stack.pop()
        stack[-1].add(frame.close())
    else:
        errors.append(f"“{{{body}}}” thiếu tên trường.")
        frame.add(_Bad(body))


def _walk(nodes: Sequence[_Node]) -> Iterator[_Node]:
    for node in nodes:
        yield node
        if isinstance(node, _If):
            yield from _walk(node.then)
            yield from _walk(node.otherwise)
        elif isinstance(node, _For):
            yield from _walk(node.body)


# --- Validation ------------------------------------------------------------------------------


def template_errors(
    template: str,
    *,
    names: Collection[str] | None = None,
    narrative: bool = True,
    monthly: bool = True,
) -> list[str]:
    """Problems in a template, in Vietnamese, for a form's `clean()`; empty when it is valid.

    `names` are the placeholders allowed (default: the whole catalogue); `narrative=False` forbids
    {text} and {after} (titles, subject, opening and closing lines have no narrative of their own);
    `monthly=False` (a quarter, half-year, nine-month or yearly regime) refuses the month-only fields.
    """
    parsed = _parse(template)
    errors = list(parsed.errors)
    allowed = set(PLACEHOLDERS if names is None else names)
    if narrative:
        allowed.update(NARRATIVE_NAMES)
    if not monthly:
        used = {node.name for node in _walk(parsed.nodes) if isinstance(node, _Var | _If)}
        errors.extend(
            f"Trường “{{{name}}}” chỉ dùng cho chế độ báo cáo hằng tháng; kỳ báo cáo này dài hơn một tháng, "
            "hãy dùng {period_label} (ví dụ “quý I năm 2026”), {period_noun} (“quý”) "
            "hoặc {next_period_label} (“quý II năm 2026”)."
            for name in MONTH_ONLY_PLACEHOLDERS
            if name in used
        )
    _check_names(parsed.nodes, allowed, errors)
    _check_bold(parsed.nodes, errors)
    return list(dict.fromkeys(errors))


def _check_names(nodes: Sequence[_Node], allowed: set[str], errors: list[str]) -> None:
    for node in nodes:
        if isinstance(node, _Var) and node.name not in allowed:
            errors.append(f"Trường “{{{node.name}}}” không tồn tại.")
        elif isinstance(node, _If):
            if node.name not in allowed:
                errors.append(f"Trường “{{if {node.name}}}” không tồn tại.")
            _check_names(node.then, allowed, errors)
            _check_names(node.otherwise, allowed, errors)
        elif isinstance(node, _For):
            fields = LIST_PLACEHOLDERS.get(node.name)
            if fields is None:
                errors.append(f"“{{for {node.name}}}”: “{node.name}” không phải là danh sách.")
                fields = {}
            _check_names(node.body, allowed | set(fields), errors)


def _check_bold(nodes: Sequence[_Node], errors: list[str]) -> None:
    count = 0
    for node in nodes:
        if isinstance(node, _Break):
            if count % 2:
                errors.append("Dấu ** (chữ đậm) chưa được đóng trong đoạn.")
            count = 0
        elif isinstance(node, _Bold):
            count += 1
        elif isinstance(node, _If):
            _check_bold(node.then, errors)
            _check_bold(node.otherwise, errors)
        elif isinstance(node, _For):
            _check_bold(node.body, errors)
    if count % 2:
        errors.append("Dấu ** (chữ đậm) chưa được đóng trong đoạn.")


def uses_placeholder(template: str, name: str) -> bool:
    """Whether the template mentions `name` anywhere (e.g. {text}, so it is not repeated)."""
    return any(isinstance(node, _Var | _If | _For) and node.name == name for node in _walk(_parse(template).nodes))


# --- Rendering -------------------------------------------------------------------------------

_BREAK = object()
_BOLD = object()
type _Event = str | object


def format_value(value: Any, filter_name: str | None = None) -> str:
    """A context value as display text, Vietnamese style (1.909; 93,01%; 15/4/2026)."""
    if value is None:
        return MISSING
    if isinstance(value, Percent):
        return MISSING if value.value is None else format_percent(value.value)
    if isinstance(value, bool):
        return "có" if value else "không"
    if isinstance(value, int):
        return format_int(value, pad2=filter_name == "pad2")
    if isinstance(value, Decimal):
        if value == value.to_integral_value():
            return format_int(int(value), pad2=filter_name == "pad2")
        return format_decimal(value)
    if isinstance(value, date):
        return format_date(value, pad=filter_name == "padded")
    if isinstance(value, NarrativeText):
        return " ".join(value.paragraphs)
    if isinstance(value, list | tuple):
        return format_int(len(value), pad2=filter_name == "pad2")
    return str(value)


def is_true(value: Any) -> bool:
    if value is None:
        return False
    if isinstance(value, Percent):
        return bool(value.value)
    if isinstance(value, NarrativeText):
        return bool(value.paragraphs)
    if isinstance(value, str):
        return bool(value.strip())
    return bool(value)


class _Renderer:
    def __init__(self, context: Mapping[str, Any]) -> None:
        self.context: Mapping[str, Any] = context

    def nodes(self, nodes: Sequence[_Node], out: list[_Event], *, top: bool = False) -> None:
        for index, node in enumerate(nodes):
            if isinstance(node, _For) and top and node.sep is None and _stands_alone(nodes, index):
                self.list_paragraphs(node, out)
            else:
                self.node(node, out)

    def node(self, node: _Node, out: list[_Event]) -> None:
        match node:
            case _Text(text):
                out.append(text)
            case _Break():
                out.append(_BREAK)
            case _Bold():
                out.append(_BOLD)
            case _Bad(source):
                out.append(f"[?{source}]")
            case _Var(name, filter_name, source):
                self.var(name, filter_name, source, out)
            case _If(name, then, otherwise):
                if name not in self.context:
                    out.append(f"[?{name}]")
                self.nodes(then if is_true(self.context.get(name)) else otherwise, out)
            case _For():
                items = self.items(node, out)
                for index, item in enumerate(items):
                    if index:
                        out.append(DEFAULT_SEPARATOR if node.sep is None else node.sep)
                    self.with_item(item, node.body, out)

    def var(self, name: str, filter_name: str | None, source: str, out: list[_Event]) -> None:
        if name not in self.context or (filter_name is not None and filter_name not in FILTERS):
            out.append(f"[?{source.strip()}]")
            return
        value = self.context[name]
        if isinstance(value, NarrativeText):
            for index, paragraph in enumerate(value.paragraphs):
                if index:
                    out.append(_BREAK)
                out.append(paragraph)
            return
        out.append(format_value(value, filter_name))

    def items(self, node: _For, out: list[_Event]) -> Sequence[Mapping[str, Any]]:
        value = self.context.get(node.name)
        if not isinstance(value, list | tuple):
            out.append(f"[?{node.name}]")
            return ()
        return value

    def with_item(self, item: Mapping[str, Any], body: Sequence[_Node], out: list[_Event]) -> None:
        outer = self.context
        self.context = ChainMap(dict(item), outer)  # type: ignore[arg-type]
        try:
            self.nodes(body, out)
        finally:
            self.context = outer

    def list_paragraphs(self, node: _For, out: list[_Event]) -> None:
        """One paragraph per item, "…;" and the last "…." (standards.md §3.7 list style)."""
        items = self.items(node, out)
        for index, item in enumerate(items):
            if index:
                out.append(_BREAK)
            events: list[_Event] = []
            self.with_item(item, node.body, events)
            _strip_end_punctuation(events)
            out.extend(events)
            out.append("." if index == len(items) - 1 else ";")


def _stands_alone(nodes: Sequence[_Node], index: int) -> bool:
    """True when nodes[index] is the only content of its paragraph."""

    def blank(node: _Node) -> bool:
        return isinstance(node, _Text) and not node.text.strip()

    before = index - 1
    while before >= 0 and blank(nodes[before]):
        before -= 1
    after = index + 1
    while after < len(nodes) and blank(nodes[after]):
        after += 1
    return (before < 0 or isinstance(nodes[before], _Break)) and (
        after >= len(nodes) or isinstance(nodes[after], _Break)
    )


def _strip_end_punctuation(events: list[_Event]) -> None:
    for position in range(len(events) - 1, -1, -1):
        event = events[position]
        if isinstance(event, str):
            stripped = event.rstrip().rstrip(";.,:").rstrip()
            events[position] = stripped
            if stripped:
                return


def _assemble(events: Sequence[_Event]) -> list[Paragraph]:
    paragraphs: list[Paragraph] = []
    spans: list[Span] = []
    bold = False

    def flush() -> None:
        paragraph = _normalise(spans)
        if paragraph:
            paragraphs.append(paragraph)
        spans.clear()

    for event in events:
        if event is _BREAK:
            flush()
            bold = False
        elif event is _BOLD:
            bold = not bold
        elif isinstance(event, str) and event:
            spans.append(Span(event, bold))
    flush()
    return paragraphs


def _normalise(spans: Sequence[Span]) -> Paragraph:
    """Single spaces, no leading or trailing space, adjacent spans of one style merged."""
    merged: list[Span] = []
    previous_space = True
    for span in spans:
        text = re.sub(r"\s+", " ", span.text)
        if previous_space:
            text = text.lstrip(" ")
        if not text:
            continue
        previous_space = text.endswith(" ")
        if merged and (merged[-1].bold, merged[-1].italic) == (span.bold, span.italic):
            merged[-1] = Span(merged[-1].text + text, span.bold, span.italic)
        else:
            merged.append(Span(text, span.bold, span.italic))
    while merged and not merged[-1].text.rstrip():
        merged.pop()
    if merged:
        last = merged[-1]
        merged[-1] = Span(last.text.rstrip(), last.bold, last.italic)
    return tuple(merged)


def render_paragraphs(template: str, context: Mapping[str, Any]) -> list[Paragraph]:
    """The template's paragraphs, each a tuple of styled spans; empty paragraphs are dropped."""
    events: list[_Event] = []
    _Renderer(context).nodes(_parse(template).nodes, events, top=True)
    return _assemble(events)


def render_text(template: str, context: Mapping[str, Any]) -> str:
    """A one-line rendering (titles, subject): paragraphs joined by a space, bold dropped."""
    return " ".join(paragraph_text(p) for p in render_paragraphs(template, context))


def paragraph_text(paragraph: Paragraph) -> str:
    return "".join(span.text for span in paragraph)
