"""A regime's outline as a numbered tree (I., 1., 2.1., a), -) built from OutlineSection rows."""

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Protocol

from reports.models import NumberStyle

# Points (điểm) use the letters of the Vietnamese alphabet (standards.md §3.4).
VIETNAMESE_LETTERS = [
    "a",
    "b",
    "c",
    "d",
    "đ",
    "e",
    "g",
    "h",
    "i",
    "k",
    "l",
    "m",
    "n",
    "o",
    "p",
    "q",
    "r",
    "s",
    "t",
    "u",
    "v",
    "x",
    "y",
]
ROMAN_NUMERALS = (
    (1000, "M"),
    (900, "CM"),
    (500, "D"),
    (400, "CD"),
    (100, "C"),
    (90, "XC"),
    (50, "L"),
    (40, "XL"),
    (10, "X"),
    (9, "IX"),
    (5, "V"),
    (4, "IV"),
    (1, "I"),
)


class SectionLike(Protocol):
    # Read-only, so a model's `pk: int` satisfies it as well as an unsaved section's None.
    @property
    def pk(self) -> int | None: ...

    parent_id: int | None
    position: int
    key: str
    number_style: str
    title: str
    kind: str
    run_in: bool
    template: str
    default_text: str


@dataclass(frozen=True)
class OutlineNode:
    key: str
    number: str  # "I.", "2.1.", "a)", "-", or "" when not numbered
    title: str
    kind: str
    run_in: bool
    template: str
    default_text: str
    depth: int
    children: tuple["OutlineNode", ...] = field(default=())

    def walk(self) -> Iterable["OutlineNode"]:
        yield self
        for child in self.children:
            yield from child.walk()


def roman(number: int) -> str:
    text = ""
    for value, letters in ROMAN_NUMERALS:
        while number >= value:
            text += letters
            number -= value
    return text


def section_number(style: str, index: int, parent_number: str) -> str:
    """The label of the index-th (1-based) numbered section among its siblings."""
    if style == NumberStyle.ROMAN:
        return f"{roman(index)}."
    if style == NumberStyle.ARABIC:
        return f"{index}."
    if style == NumberStyle.NESTED:
        base = parent_number.rstrip(".")
        return f"{base}.{index}." if base else f"{index}."
    if style == NumberStyle.LETTER:
        letters = VIETNAMESE_LETTERS
        return f"{letters[(index - 1) % len(letters)]})"
    if style == NumberStyle.DASH:
        return "-"
    return ""


def build_outline(sections: Iterable[SectionLike]) -> list[OutlineNode]:
    """Order sections by position under their parents and number them; one pass, no queries."""
    by_parent: dict[int | None, list[SectionLike]] = defaultdict(list)
    for section in sections:
        by_parent[section.parent_id].append(section)

    def build(parent_id: int | None, parent_number: str, depth: int) -> tuple[OutlineNode, ...]:
        siblings = sorted(by_parent.get(parent_id, ()), key=lambda s: (s.position, s.pk or 0))
        nodes = []
        counter = 0
        for section in siblings:
            counted = section.number_style not in (NumberStyle.DASH, NumberStyle.NONE)
            counter += 1 if counted else 0
            number = section_number(section.number_style, counter, parent_number)
            nodes.append(
                OutlineNode(
                    key=section.key,
                    number=number,
                    title=section.title,
                    kind=section.kind,
                    run_in=section.run_in,
                    template=section.template,
                    default_text=section.default_text,
                    depth=depth,
                    children=build(section.pk, number if counted else parent_number, depth + 1),
                )
            )
        return tuple(nodes)

    return list(build(None, "", 0))


def iter_nodes(nodes: Iterable[OutlineNode]) -> Iterable[OutlineNode]:
    for node in nodes:
        yield from node.walk()
