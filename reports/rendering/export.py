"""One entry point for every export of a report: bytes in a format, and the file's name.

The download views, the `export_report` and `export_period` commands and the period's ZIP task
call these functions, so a report is exported the same way everywhere (house-style §7.10). PDF and
DOCX come from the content-keyed cache (rendering/cache.py): an unchanged report is never redrawn.
"""

from reports.models import CityReport, Period, Report
from reports.periods import Frequency
from reports.queries.city_report import data_for_city_report
from reports.rendering.cache import cached_render
from reports.rendering.document import ReportDocument, build_city_report_document, build_report_document
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
    """The report as "docx", "pdf" or "html" (a standalone page with its stylesheet inlined).

    An issued report's PDF and DOCX are the files stored at issue (reports/frozen.py)."""
    if report.frozen is not None and fmt in ("pdf", "docx"):
        from reports.frozen import stored_document

        return stored_document(report, fmt)
    return render_fresh(report, fmt)


def render_fresh(report: Report, fmt: str) -> bytes:
    """Render now, from the report's document (its frozen copy once issued)."""
    if fmt not in FORMATS:
        raise ValueError(f"Định dạng “{fmt}” không được hỗ trợ; chọn một trong: {', '.join(FORMATS)}.")
    return render_document(build_report_document(report), fmt)


def render_document(doc: ReportDocument, fmt: str) -> bytes:
    """A built document's bytes; needs no database, so a rendering thread may call it."""
    if fmt == "docx":
        return cached_render(doc, fmt, render_docx)
    if fmt == "pdf":
        return cached_render(doc, fmt, render_pdf)
    return render_html(doc, inline_css=True).encode("utf-8")


def period_file_part(period: Period) -> str:
    """ "thang-05-2026" for May 2026, "quy-1-nam-2026" for a quarter: the period in file names."""
    key = period.key
    if key.frequency == Frequency.MONTHLY:
        return f"thang-{key.number:02d}-{key.year}"
    return ascii_slug(key.label()).lower()


def document_filename(report: Report, ext: str) -> str:
    """ "Bao-cao-CCHC-thang-05-2026-xa-Hung-Thang.pdf": ASCII, so every mail client and OS keeps it."""
    return f"Bao-cao-CCHC-{period_file_part(report.period)}-{ascii_slug(report.commune.name_in_text)}.{ext.lstrip('.')}"


def city_report_document(period: Period, city_report: CityReport | None) -> ReportDocument:
    """The Centre's report on `period` (regime and province loaded), saved or not yet: as issued
    once it is, else from the communes' reports as they stand."""
    data = data_for_city_report(period, city_report)
    return build_city_report_document(
        period=period,
        data=data,
        narrative=city_report.narrative if city_report is not None else {},
        number=city_report.number if city_report is not None else None,
        issued_on=city_report.issued_on if city_report is not None else None,
    )


def city_report_filename(period: Period, ext: str) -> str:
    """ "Bao-cao-TTPVHCC-thang-05-2026-Hai-Phong.pdf"."""
    province = ascii_slug(period.regime.province.short_name)
    return f"Bao-cao-TTPVHCC-{period_file_part(period)}-{province}.{ext.lstrip('.')}"
