"""Formatting filters for templates; the formatting itself lives in reports/rendering/formatting.py."""

from datetime import date

from django import template

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
