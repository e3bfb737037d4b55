"""Formatting filters for templates; the formatting itself lives in reports/rendering/formatting.py."""

import re
from datetime import date

from django import template
from django.utils.html import conditional_escape
from django.utils.safestring import SafeString, mark_safe

from reports.rendering.formatting import document_number, format_date

register = template.Library()

STATUS_CLASSES = {
    "draft": "text-bg-secondary",
    "submitted": "text-bg-primary",
    "returned": "text-bg-warning",
    "accepted": "text-bg-success",
    "issued": "text-bg-dark",
}


@register.filter
def status_class(status: str) -> str:
    return STATUS_CLASSES.get(status, "text-bg-light")


@register.filter
def vn_date(value: date | None, style: str = "") -> str:
    """14/5/2026, as dates are written in running text (product.md §8); `vn_date:"pad"` gives
    14/05/2026, as a document's number line and the seeds' periods write it."""
    return format_date(value, pad=style == "pad")


@register.filter(name="document_number")
def document_number_filter(number: int | None, symbol: str) -> str:
    """{{ report.number|document_number:report.commune.document_symbol }} -> "05/BC-UBND"."""
    return document_number(number, symbol)


@register.filter
def person(user: object) -> str:
    """A user's full name, else their user name; "hệ thống" for actions without a user (imports)."""
    if user is None:
        return "hệ thống"
    full_name = user.get_full_name() if hasattr(user, "get_full_name") else ""
    return full_name or getattr(user, "username", "") or "hệ thống"


# Document numbers and dates ("48/KH-UBND", "01/2020/TT-VPCP", "23/01/2026"): WeasyPrint may break
# a line after "/" or "-", which Word never does, so the print template keeps them whole.
_KEEP_WHOLE = re.compile(r"\d+(?:/\w+(?:-\w+)*)+")
KEEP_WHOLE_MAX = 40


@register.filter
def keep_whole(text: str) -> SafeString:
    """`text` escaped, with document numbers and dates wrapped in a no-break span."""
    parts: list[str] = []
    position = 0
    for match in _KEEP_WHOLE.finditer(text or ""):
        if len(match.group(0)) > KEEP_WHOLE_MAX:
            continue
        parts.append(conditional_escape(text[position : match.start()]))
        parts.append(f'<span class="bc-nobr">{conditional_escape(match.group(0))}</span>')
        position = match.end()
    parts.append(conditional_escape((text or "")[position:]))
    return mark_safe("".join(parts))  # noqa: S308 - every part above is escaped
