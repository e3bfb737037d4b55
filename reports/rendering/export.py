"""One entry point for every export of a report: bytes in a format, and the file's name.

The download views, the `export_report` and `export_period` commands and the period's ZIP task
call these functions, so a report is exported the same way everywhere (house-style §7.10). PDF and
DOCX come from the content-keyed cache (rendering/cache.py): an unchanged report is never redrawn.
"""

from reports.models import Period, Report
from reports.periods import Frequency
from reports.rendering.cache import cached_render
from reports.rendering.document import build_report_document
from reports.rendering.docx import render_docx
from reports.rendering.formatting import ascii_slug
from reports.rendering.pdf import render_html, render_pdf

FORMATS = ("docx", "pdf", "html")
CONTENT_TYPES = {
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "pdf": "application/pdf",
    "html": "text/html; charset=utf-8",
}


def render_report(report: Report, fmt: str) -> bytes:
    """The report as "docx", "pdf" or "html" (a standalone page with its stylesheet inlined)."""
    if fmt not in FORMATS:
        raise ValueError(f"Định dạng “{fmt}” không được hỗ trợ; chọn một trong: {', '.join(FORMATS)}.")
    doc = build_report_document(report)
    if fmt == "docx":
        return cached_render(doc, fmt, render_docx)
    if fmt == "pdf":
        return cached_render(doc, fmt, render_pdf)
    return render_html(doc, inline_css=True).encode("utf-8")


def document_filename(report: Report, ext: str) -> str:
    """ "Bao-cao-CCHC-thang-05-2026-xa-Hung-Thang.pdf": ASCII, so every mail client and OS keeps it."""
    return f"Bao-cao-CCHC-{period_file_part(report.period)}-{ascii_slug(report.commune.name_in_text)}.{ext.lstrip('.')}"


def period_file_part(period: Period) -> str:
    """ "thang-05-2026" for May 2026, "quy-1-nam-2026" for a quarter: the period in file names."""
    key = period.key
    if key.frequency == Frequency.MONTHLY:
        return f"thang-{key.number:02d}-{key.year}"
    return ascii_slug(key.label()).lower()
