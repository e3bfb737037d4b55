"""The printed report as one immutable object: every string final, every number formatted.

`build_report_document(report)` reads the report, its commune, period, regime outline and
targets in a fixed number of queries; the DOCX and PDF renderers and the HTML preview all
consume the same `ReportDocument`, so they cannot disagree (house-style §7.10).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from communes import naming
from communes.models import Commune, Province
from reports.figures import (
    RATE_KEYS,
    VALUE_SPECS,
    Figures,
    ResultRow,
    ResultTotals,
    Unit,
    compute_rates,
    parse_figures,
    result_totals,
)
from reports.models import NumberStyle, Period, Report, ReportStatus, SectionKind
from reports.outline import OutlineNode, build_outline, iter_nodes
from reports.periods import Frequency
from reports.rendering.formatting import (
    DAY_BLANK,
    day_text,
    document_date_line,
    document_number,
    document_number_line,
    format_date,
    format_decimal,
    format_int,
    format_percent,
    month_text,
)
from reports.rendering.templating import (
    NarrativeText,
    Paragraph,
    Percent,
    Span,
    paragraph_text,
    render_paragraphs,
    render_text,
    split_paragraphs,
    uses_placeholder,
)

if TYPE_CHECKING:
    # Only for annotations: reports.queries imports this module, so a runtime import would cycle.
    from reports.queries.city_report import CityReportData, CommuneLine, RateLine

# Quốc hiệu and Tiêu ngữ, with a plain hyphen and a space each side (standards.md §1, §10).
NATIONAL_NAME = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"
MOTTO = "Độc lập - Tự do - Hạnh phúc"
DOCUMENT_TYPE = "BÁO CÁO"
RECIPIENTS_HEADING = "Nơi nhận:"
# NĐ 30/2020 ends the body of a document with "./." (standards.md §3.3).
END_MARK = "./."
WATERMARK = "DỰ THẢO"
# Statuses printed with the "DỰ THẢO" watermark: nothing is final until the city accepts it.
DRAFT_STATUSES = (ReportStatus.DRAFT, ReportStatus.SUBMITTED, ReportStatus.RETURNED)
APPENDIX_HEADING = "Phụ lục"
APPENDIX_TITLE = "KẾT QUẢ GIẢI QUYẾT THỦ TỤC HÀNH CHÍNH"
APPENDIX_UNIT = "Đơn vị tính: Số hồ sơ TTHC"
TOTAL_LABEL = "Tổng cộng"
# A4 portrait, in millimetres (standards.md §3.1).
A4_WIDTH_MM = 210
A4_HEIGHT_MM = 297
# Two borderless tables frame the page (standards.md §3.2, Mẫu 1.4: header about 6.75 / 10 cm,
# signature about 5.3-6.3 / 10-11 cm); as shares of the text width, with no cell padding.
HEADER_RIGHT_SHARE = 0.6
SIGNATURE_LEFT_SHARE = 0.38
# The Quốc hiệu in 13 pt bold Times New Roman is 95.7 mm long and must stay on one line, so its
# column never gets narrower than this, whatever the margins.
NATIONAL_NAME_MIN_MM = 97.0


@dataclass(frozen=True)
class HeadingStyle:
    bold: bool
    italic: bool = False
    upper: bool = False


# Headings by numbering level (standards.md §3.4): "I." bold upper case; "1." bold; "a)" and
# "-" upright regular. "2.1." is not in NĐ 30; common practice sets it bold italic.
HEADING_STYLES: dict[str, HeadingStyle] = {
    NumberStyle.ROMAN: HeadingStyle(bold=True, upper=True),
    NumberStyle.ARABIC: HeadingStyle(bold=True),
    NumberStyle.NESTED: HeadingStyle(bold=True, italic=True),
    NumberStyle.LETTER: HeadingStyle(bold=False),
    NumberStyle.DASH: HeadingStyle(bold=False),
    NumberStyle.NONE: HeadingStyle(bold=True),
}
# What a "directives" section prints when its outline gives no wording of its own.
# A part left empty is left out with its word, so a list never prints "số ngày về …".
DEFAULT_DIRECTIVES_TEMPLATE = (
    "{for directives}- {doc_type}{if number} số {number}{end}{if issued_on} ngày {issued_on|padded}{end}"
    "{if subject} về {subject}{end}{end}"
)


# --- The document --------------------------------------------------------------------------


@dataclass(frozen=True)
class PageSetup:
    """Margins in millimetres, within NĐ 30/2020's ranges (checked on Province, standards.md §3.1)."""

    margin_top_mm: int
    margin_bottom_mm: int
    margin_left_mm: int
    margin_right_mm: int

    @property
    def text_width_mm(self) -> int:
        return A4_WIDTH_MM - self.margin_left_mm - self.margin_right_mm

    @property
    def header_columns_mm(self) -> tuple[float, float]:
        """Widths of the agency (left) and Quốc hiệu (right) columns of the header table."""
        right = round(max(self.text_width_mm * HEADER_RIGHT_SHARE, NATIONAL_NAME_MIN_MM), 1)
        return self.text_width_mm - right, right

    @property
    def signature_columns_mm(self) -> tuple[float, float]:
        """Widths of the "Nơi nhận" (left) and signer (right) columns of the signature table."""
        left = round(self.text_width_mm * SIGNATURE_LEFT_SHARE, 1)
        return left, self.text_width_mm - left

    @property
    def landscape_text_width_mm(self) -> int:
        # A landscape appendix keeps the binding margin on the left of the long side.
        return A4_HEIGHT_MM - self.margin_left_mm - self.margin_right_mm


@dataclass(frozen=True)
class DocumentHeader:
    parent_lines: tuple[str, ...]  # cơ quan chủ quản: upright, not bold (ô 2)
    agency_lines: tuple[str, ...]  # cơ quan ban hành: bold, short rule below (ô 2)
    national_name: str  # Quốc hiệu (ô 1)
    motto: str  # Tiêu ngữ, rule as long as the text (ô 1)
    number_line: str  # "Số:        /BC-UBND" (ô 3)
    place_date_line: str  # "Hùng Thắng, ngày      tháng 5 năm 2026" (ô 4)


@dataclass(frozen=True)
class HeaderCell:
    text: str
    row: int
    column: int
    rowspan: int = 1
    colspan: int = 1


@dataclass(frozen=True)
class ResultsTable:
    """The 13-column table of TTHC results (Biểu 06/VPCP/KSTT, standards.md §2)."""

    header: tuple[HeaderCell, ...]
    header_rows: int
    rows: tuple[tuple[str, ...], ...]
    total: tuple[str, ...]

    @property
    def column_count(self) -> int:
        return len(self.total)

    def header_row(self, index: int) -> tuple[HeaderCell, ...]:
        return tuple(cell for cell in self.header if cell.row == index)

    @property
    def header_row_list(self) -> list[tuple[HeaderCell, ...]]:
        return [self.header_row(index) for index in range(self.header_rows)]


@dataclass(frozen=True)
class Block:
    """One body paragraph (heading or text) or a table; a heading keeps with the next block."""

    spans: Paragraph = ()
    heading: bool = False
    section: str = ""
    table: ResultsTable | None = None

    @property
    def text(self) -> str:
        return paragraph_text(self.spans)

    @property
    def is_table(self) -> bool:
        return self.table is not None


@dataclass(frozen=True)
class Signature:
    authority_lines: tuple[str, ...]  # "TM. ỦY BAN NHÂN DÂN", "KT. CHỦ TỊCH" (ô 7a)
    position: str  # "PHÓ CHỦ TỊCH" (ô 7a)
    name: str  # (ô 7b)

    @property
    def upper_lines(self) -> tuple[str, ...]:
        return (*self.authority_lines, self.position) if self.position else self.authority_lines


@dataclass(frozen=True)
class Appendix:
    heading: str
    title: str
    reference_line: str
    period_line: str
    unit_line: str
    table: ResultsTable


@dataclass(frozen=True)
class ReportDocument:
    page: PageSetup
    header: DocumentHeader
    document_type: str
    subject: str
    opening: tuple[Block, ...]
    sections: tuple[Block, ...]
    closing: tuple[Block, ...]
    recipients_heading: str
    recipients: tuple[str, ...]
    signature: Signature
    watermark: str
    appendix: Appendix | None
    title: str  # for the PDF's metadata and the preview's <title>

    @property
    def body(self) -> tuple[Block, ...]:
        return self.opening + self.sections + self.closing


# --- Building ----------------------------------------------------------------------------------


def build_report_document(report: Report) -> ReportDocument:
    """The document of `report`: two queries (outline, targets) once its commune, province, period
    and regime are loaded (as `get_report_for_view` does), four otherwise; never more with size."""
    if report.frozen is not None:
        # Issued: what the signed paper shows, whatever the settings say today (reports/frozen.py).
        from reports.frozen import thaw

        sources = thaw(report.frozen)
        commune, period, regime = sources.commune, sources.period, sources.regime
        sections, targets = sources.sections, sources.targets
        signer, recipients = report.frozen["signer"], report.frozen["recipients"]
    else:
        _load_relations(report)
        commune, period = report.commune, report.period
        regime = period.regime
        sections = list(regime.sections.all())
        targets = {target.indicator: target.minimum for target in regime.targets.all()}
        signer = {
            "authority": report.signer_authority or commune.signer_authority,
            "position": report.signer_position or commune.signer_position,
            "name": report.signer_name or commune.signer_name,
        }
        recipients = report.recipients or commune.recipients

    figures = parse_figures(report.figures)
    context = build_template_context(report, commune=commune, period=period, figures=figures, targets=targets)
    outline = build_outline(sections)
    styles = {section.key: section.number_style for section in sections}
    subject = render_text(regime.subject_template, context)
    issued_on = report.issued_on
    return ReportDocument(
        page=PageSetup(
            margin_top_mm=commune.province.margin_top_mm,
            margin_bottom_mm=commune.province.margin_bottom_mm,
            margin_left_mm=commune.province.margin_left_mm,
            margin_right_mm=commune.province.margin_right_mm,
        ),
        header=DocumentHeader(
            parent_lines=_upper_lines(commune.header_parent),
            agency_lines=_upper_lines(commune.header_agency),
            national_name=NATIONAL_NAME,
            motto=MOTTO,
            number_line=document_number_line(report.number, commune.document_symbol),
            place_date_line=document_date_line(
                commune.place_name, issued_on, month=period.end.month, year=period.end.year
            ),
        ),
        document_type=DOCUMENT_TYPE,
        subject=subject,
        opening=_blocks(render_paragraphs(regime.opening_template, context)),
        sections=tuple(_section_blocks(outline, styles, report.narrative or {}, figures, context)),
        closing=_closing(render_paragraphs(regime.closing_template, context)),
        recipients_heading=RECIPIENTS_HEADING,
        recipients=recipient_lines(recipients),
        signature=Signature(
            authority_lines=_upper_lines(signer["authority"]),
            position=signer["position"].strip().upper(),
            name=signer["name"].strip(),
        ),
        # A numbered report was signed (IssueFlow.ISSUE_THEN_SEND sends it numbered): never a draft.
        watermark=WATERMARK if report.status in DRAFT_STATUSES and report.number is None else "",
        appendix=_appendix(report, commune, period, figures) if regime.include_appendix else None,
        title=f"{DOCUMENT_TYPE} {subject}",
    )


def _load_relations(report: Report) -> None:
    """Load what the document needs in at most two queries, unless the caller already did."""
    if not (Report.commune.is_cached(report) and Commune.province.is_cached(report.commune)):
        report.commune = Commune.objects.select_related("province").get(pk=report.commune_id)
    if not (Report.period.is_cached(report) and Period.regime.is_cached(report.period)):
        report.period = Period.objects.select_related("regime").get(pk=report.period_id)


def _upper_lines(text: str) -> tuple[str, ...]:
    return tuple(line.strip().upper() for line in (text or "").splitlines() if line.strip())


def recipient_lines(text: str) -> tuple[str, ...]:
    """ "- X;" per line and "- Lưu: VT, …." last (standards.md §1, ô 9b), whatever was typed."""
    names = [line.strip().lstrip("-–•").strip().rstrip(";.,").strip() for line in (text or "").splitlines()]
    names = [name for name in names if name]
    return tuple(f"- {name}{'.' if index == len(names) - 1 else ';'}" for index, name in enumerate(names))


def province_in_text(province: Province) -> str:
    """ "Thành phố Hải Phòng" -> "thành phố Hải Phòng": generic noun in lower case (standards.md §3.10)."""
    short = province.short_name
    prefix = province.name[: len(province.name) - len(short)].strip()
    return f"{prefix.lower()} {short}" if prefix else short


def build_template_context(
    report: Report,
    *,
    commune: Commune,
    period: Period,
    figures: Figures,
    targets: Mapping[str, Decimal],
) -> dict[str, Any]:
    """Every placeholder of templating.PLACEHOLDERS with its typed value (formatted on output)."""
    key = period.key
    totals = result_totals(figures.results)
    rates = compute_rates(figures)
    context: dict[str, Any] = {
        "directive": period.directive or period.regime.directive,
        "commune_name": commune.name_in_text,
        "commune_short": commune.short_name,
        "commune_kind": commune.kind_word,
        "province_name": province_in_text(commune.province),
        "province_level": naming.province_level(commune.province.kind),
        "period_label": key.label(),
        "period_noun": key.noun(),
        "next_period_label": key.next_label(),
        "period_year": str(key.year),
        "period_start": period.start,
        "period_end": period.end,
        **_totals_context(totals),
    }
    # Month-only fields exist only in monthly reports: a longer period filled with its last month
    # would print "Trong tháng 3" in a quarter report (the admin refuses them, MONTH_ONLY_PLACEHOLDERS),
    # so an older template that still uses them shows a visible "[?period_month]" instead.
    if key.frequency == Frequency.MONTHLY:
        context["period_month"] = month_text(key.number)
        context["period_month_year"] = f"{month_text(key.number)}/{key.year}"
    for spec in VALUE_SPECS:
        if spec.unit == Unit.PERCENT:
            context[spec.key] = Percent(rates[spec.key].value)
        else:
            value = figures.value(spec.key)
            context[spec.key] = None if value is None else int(value)
    for rate_key in RATE_KEYS:
        minimum = targets.get(rate_key)
        context[f"target_{rate_key}"] = Percent(None if minimum is None else Decimal(minimum))
    context["sector_agencies"] = [
        {"name": row.name, "received": row.received, "resolved": row.resolved} for row in figures.sector_agencies
    ]
    context["directives"] = [
        {
            "doc_type": directive.doc_type,
            "number": directive.number,
            "issued_on": _iso_date(directive.issued_on),
            "subject": directive.subject,
        }
        for directive in figures.directives
    ]
    return context


def _totals_context(totals: ResultTotals) -> dict[str, int]:
    return {
        "received_total": totals.received,
        "received_new": totals.received_new,
        "carried_over": totals.carried_over,
        "received_online": totals.online,
        "received_direct": totals.direct_or_postal,
        "received_in_person": totals.direct,
        "received_postal": totals.postal,
        "returned_total": totals.returned,
        "received_city": totals.received_new_city,
        "received_ministries": totals.received_new_ministries,
        "resolved_total": totals.resolved,
        "resolved_early": totals.early,
        "resolved_on_time": totals.on_time,
        "resolved_early_on_time": totals.early_or_on_time,
        "resolved_overdue": totals.overdue,
        "pending_total": totals.in_progress,
        "pending_on_time": totals.pending_on_time,
        "pending_overdue": totals.pending_overdue,
        "overdue_total": totals.overdue + totals.pending_overdue,
    }


def _iso_date(text: str) -> date | str:
    try:
        return date.fromisoformat(text)
    except ValueError:
        return text


def _blocks(paragraphs: Iterable[Paragraph], section: str = "") -> tuple[Block, ...]:
    return tuple(Block(spans=paragraph, section=section) for paragraph in paragraphs)


def _closing(paragraphs: list[Paragraph]) -> tuple[Block, ...]:
    """The closing paragraphs, the last one always ending with "./."."""
    if not paragraphs:
        return (Block(spans=(Span(END_MARK),)),)
    last = paragraphs[-1]
    if not paragraph_text(last).endswith(END_MARK):
        tail = last[-1]
        last = (*last[:-1], Span(tail.text.rstrip(" .") + END_MARK, tail.bold, tail.italic))
    return _blocks([*paragraphs[:-1], last])


def _heading_spans(node: OutlineNode, number_style: str, context: Mapping[str, Any]) -> Paragraph:
    style = HEADING_STYLES.get(number_style, HeadingStyle(bold=True))
    title = render_text(node.title, context) if node.title else ""
    if style.upper:
        title = title.upper()
    text = " ".join(part for part in (node.number, title) if part)
    return (Span(text, style.bold, style.italic),) if text else ()


def _narrative(narrative: Mapping[str, Any], key: str) -> tuple[NarrativeText, NarrativeText]:
    entry = narrative.get(key) or {}
    if isinstance(entry, str):
        return NarrativeText.from_text(entry), NarrativeText()
    return NarrativeText.from_text(entry.get("text")), NarrativeText.from_text(entry.get("after"))


def _section_blocks(
    outline: list[OutlineNode],
    styles: Mapping[str, str],
    narrative: Mapping[str, Any],
    figures: Figures,
    context: Mapping[str, Any],
) -> Iterable[Block]:
    table: ResultsTable | None = None
    for node in iter_nodes(outline):
        text, after = _narrative(narrative, node.key)
        template = generated_template(node)
        content: list[Block] = []
        if template:
            inline_text, inline_after = uses_placeholder(template, "text"), uses_placeholder(template, "after")
            generated = render_paragraphs(template, {**context, "text": text, "after": after})
            content.extend(_plain_blocks(() if inline_text else text.paragraphs, node.key))
            content.extend(_blocks(generated, node.key))
            content.extend(_plain_blocks(() if inline_after else after.paragraphs, node.key))
        else:
            content.extend(_plain_blocks(text.paragraphs, node.key))
            if node.kind == SectionKind.RESULTS_TABLE:
                table = table or results_table(figures.results)
                content.append(Block(section=node.key, table=table))
            content.extend(_plain_blocks(after.paragraphs, node.key))
        heading = _heading_spans(node, styles.get(node.key, NumberStyle.NONE), context)
        if heading and node.run_in and content and not content[0].is_table:
            first = content.pop(0)
            yield Block(spans=(*heading, Span(" "), *first.spans), section=node.key)
        elif heading:
            yield Block(spans=heading, heading=True, section=node.key)
        yield from content


def generated_template(node: OutlineNode) -> str:
    """The template a section prints from the figures ("" for sections without a generated part)."""
    if node.kind not in (SectionKind.GENERATED, SectionKind.DIRECTIVES):
        return ""
    template = node.template.strip()
    if not template and node.kind == SectionKind.DIRECTIVES:
        return DEFAULT_DIRECTIVES_TEMPLATE
    return template


def generated_paragraphs(
    report: Report, outline: list[OutlineNode], *, figures_data: Mapping[str, Any], targets: Mapping[str, Decimal]
) -> dict[str, list[Paragraph]]:
    """Each generated section's paragraphs for these figures, exactly as the document prints them
    (the entry and report pages preview these), without the officer's own text, which the
    screens show in its own box. No queries once the report's commune, province, period and
    regime are loaded."""
    figures = parse_figures(figures_data)
    context = build_template_context(
        report, commune=report.commune, period=report.period, figures=figures, targets=targets
    )
    context = {**context, "text": NarrativeText(), "after": NarrativeText()}
    return {
        node.key: render_paragraphs(template, context)
        for node in iter_nodes(outline)
        if (template := generated_template(node))
    }


def _plain_blocks(paragraphs: Iterable[str], section: str) -> tuple[Block, ...]:
    return tuple(Block(spans=(Span(text),), section=section) for text in paragraphs)


# --- The results table -------------------------------------------------------------------------

# Three header rows and a row of column numbers, as in Biểu 06/VPCP/KSTT (standards.md §2).
RESULTS_HEADER: tuple[HeaderCell, ...] = (
    HeaderCell("STT", 0, 0, rowspan=3),
    HeaderCell("Lĩnh vực, hệ thống giải quyết", 0, 1, rowspan=3),
    HeaderCell("Số hồ sơ nhận giải quyết", 0, 2, colspan=4),
    HeaderCell("Số hồ sơ đã giải quyết", 0, 6, colspan=4),
    HeaderCell("Số hồ sơ đang giải quyết", 0, 10, colspan=3),
    HeaderCell("Tổng số", 1, 2, rowspan=2),
    HeaderCell("Trong kỳ", 1, 3, colspan=2),
    HeaderCell("Từ kỳ trước", 1, 5, rowspan=2),
    HeaderCell("Tổng số", 1, 6, rowspan=2),
    HeaderCell("Trước hạn", 1, 7, rowspan=2),
    HeaderCell("Đúng hạn", 1, 8, rowspan=2),
    HeaderCell("Quá hạn", 1, 9, rowspan=2),
    HeaderCell("Tổng số", 1, 10, rowspan=2),
    HeaderCell("Trong hạn", 1, 11, rowspan=2),
    HeaderCell("Quá hạn", 1, 12, rowspan=2),
    HeaderCell("Trực tuyến", 2, 3),
    HeaderCell("Trực tiếp, dịch vụ bưu chính", 2, 4),
    *(HeaderCell(f"({column + 1})", 3, column) for column in range(13)),
)


def _counts(row: ResultRow | ResultTotals) -> tuple[str, ...]:
    return tuple(format_int(number) for number in row.form_columns())


def results_table(rows: Iterable[ResultRow]) -> ResultsTable:
    rows = tuple(rows)
    return ResultsTable(
        header=RESULTS_HEADER,
        header_rows=4,
        rows=tuple((str(index), row.source, *_counts(row)) for index, row in enumerate(rows, start=1)),
        total=("", TOTAL_LABEL, *_counts(result_totals(rows))),
    )


def _appendix(report: Report, commune: Commune, period: Period, figures: Figures) -> Appendix:
    # "(Kèm theo Báo cáo số …/BC-UBND ngày … tháng … năm … của …)", standards.md §3.8.
    if report.issued_on is None:
        when = f"ngày{DAY_BLANK}tháng {month_text(period.end.month)} năm {period.end.year}"
    else:
        issued = report.issued_on
        when = f"ngày {day_text(issued.day)} tháng {month_text(issued.month)} năm {issued.year}"
    return Appendix(
        heading=APPENDIX_HEADING,
        title=APPENDIX_TITLE,
        reference_line=(
            f"(Kèm theo Báo cáo số {document_number(report.number, commune.document_symbol)} {when} "
            f"của Ủy ban nhân dân {commune.name_in_text})"
        ),
        period_line=(
            f"Kỳ báo cáo: {period.label} (từ ngày {format_date(period.start)} đến ngày {format_date(period.end)})"
        ),
        unit_line=APPENDIX_UNIT,
        table=results_table(figures.results),
    )


# --- The city Centre's own report ---------------------------------------------------------------
#
# The same ReportDocument, so the DOCX and PDF renderers and the preview print it unchanged: the
# Centre's agency lines in the header, city totals as generated paragraphs, the late and missing
# communes named, the Centre's own text, and the per-commune table as a landscape appendix.

CENTRE_SECTION_TITLES = {
    "submission": "I. TÌNH HÌNH GỬI BÁO CÁO CỦA CÁC XÃ, PHƯỜNG, ĐẶC KHU",
    "results": "II. KẾT QUẢ GIẢI QUYẾT THỦ TỤC HÀNH CHÍNH",
    "assessment": "III. ĐÁNH GIÁ CHUNG",
    "next_tasks": "IV. NHIỆM VỤ TRỌNG TÂM KỲ TỚI",
    "proposals": "V. ĐỀ XUẤT, KIẾN NGHỊ",
}
# The sections written from the communes' reports; the Centre's edit page shows them read-only.
CENTRE_GENERATED_SECTIONS = ("submission", "results")
CENTRE_APPENDIX_TITLE = "KẾT QUẢ GIẢI QUYẾT THỦ TỤC HÀNH CHÍNH CỦA CÁC XÃ, PHƯỜNG, ĐẶC KHU"
CENTRE_BASIS_PHRASES = {
    "sent": "các báo cáo đã gửi",
    "accepted": "các báo cáo đã được Trung tâm tiếp nhận",
}
OUTCOME_WORDS = {"met": "đạt", "missed": "chưa đạt"}
# Appendix rows of communes whose figures are not in the totals say why.
NOT_COUNTED_NOTES = {
    "missing": "chưa lập báo cáo",
    ReportStatus.DRAFT: "chưa gửi",
    ReportStatus.RETURNED: "bị trả lại",
    ReportStatus.SUBMITTED: "chưa tiếp nhận",
}
# The per-commune table: the 13 columns of Biểu 06 with communes as rows, then the two rates
# computed from the results table (standards.md §2).
CENTRE_TABLE_HEADER: tuple[HeaderCell, ...] = (
    *(
        HeaderCell("Xã, phường, đặc khu", 0, 1, rowspan=3) if cell.row == 0 and cell.column == 1 else cell
        for cell in RESULTS_HEADER
        if cell.row < 3
    ),
    HeaderCell("Tỷ lệ nộp trực tuyến (%)", 0, 13, rowspan=3),
    HeaderCell("Tỷ lệ giải quyết trước hạn, đúng hạn (%)", 0, 14, rowspan=3),
    *(HeaderCell(f"({column + 1})", 3, column) for column in range(15)),
)


def build_city_report_document(
    *, period: Period, data: CityReportData, narrative: Mapping[str, str], number: int | None, issued_on: date | None
) -> ReportDocument:
    """The Centre's report on `period` (with its regime and province loaded): no query."""
    province = period.regime.province
    centre = data.centre
    label = period.key.label()
    subject = f"Kết quả công tác cải cách thủ tục hành chính {label} của các xã, phường, đặc khu"
    sections = (
        *_centre_heading("submission"),
        *_submission_blocks(period, data),
        *_plain_blocks(split_paragraphs(narrative.get("submission_note", "")), "submission_note"),
        *_centre_heading("results"),
        *_results_blocks(data),
        *_plain_blocks(split_paragraphs(narrative.get("results_note", "")), "results_note"),
    )
    for key in ("assessment", "next_tasks", "proposals"):
        sections += (*_centre_heading(key), *_plain_blocks(split_paragraphs(narrative.get(key, "")), key))
    opening = (
        f"Thực hiện {data.directive}; {centre.name_in_text} tổng hợp kết quả thực hiện công tác "
        f"cải cách thủ tục hành chính {label} của các xã, phường, đặc khu trên địa bàn "
        f"{province_in_text(province)}, báo cáo như sau:"
    )
    closing = (
        f"Trên đây là báo cáo kết quả công tác cải cách thủ tục hành chính {label} của các xã, phường, đặc khu, "
        f"{centre.name_in_text} kính báo cáo Ủy ban nhân dân {province_in_text(province)} xem xét, chỉ đạo./."
    )
    return ReportDocument(
        page=PageSetup(
            margin_top_mm=province.margin_top_mm,
            margin_bottom_mm=province.margin_bottom_mm,
            margin_left_mm=province.margin_left_mm,
            margin_right_mm=province.margin_right_mm,
        ),
        header=DocumentHeader(
            parent_lines=_upper_lines(centre.header_parent),
            agency_lines=_upper_lines(centre.header_agency),
            national_name=NATIONAL_NAME,
            motto=MOTTO,
            number_line=document_number_line(number, centre.document_symbol),
            place_date_line=document_date_line(
                centre.place_name, issued_on, month=period.end.month, year=period.end.year
            ),
        ),
        document_type=DOCUMENT_TYPE,
        subject=subject,
        opening=(Block(spans=(Span(opening),)),),
        sections=sections,
        closing=(Block(spans=(Span(closing),)),),
        recipients_heading=RECIPIENTS_HEADING,
        recipients=recipient_lines(centre.recipients),
        signature=Signature(
            authority_lines=_upper_lines(centre.signer_authority),
            position=centre.signer_position.strip().upper(),
            name=centre.signer_name.strip(),
        ),
        watermark="" if issued_on is not None else WATERMARK,
        appendix=_centre_appendix(period, data, number=number, issued_on=issued_on),
        title=f"{DOCUMENT_TYPE} {subject}",
    )


def _centre_heading(key: str) -> tuple[Block, ...]:
    return (Block(spans=(Span(CENTRE_SECTION_TITLES[key], bold=True),), heading=True, section=key),)


def _commune_names(lines: Iterable[CommuneLine], *, with_days: bool = False) -> str:
    names = []
    for line in lines:
        days = f" ({line.days_late} ngày)" if with_days and line.days_late else ""
        names.append(f"{line.name}{days}")
    return ", ".join(names)


def _submission_blocks(period: Period, data: CityReportData) -> tuple[Block, ...]:
    """How many communes sent, on time or late, and which are late or missing, by name."""
    texts = [
        f"Kỳ báo cáo {period.key.label()} (số liệu từ ngày {format_date(period.start)} đến ngày "
        f"{format_date(period.end)}, hạn gửi ngày {format_date(period.deadline)}): "
        f"{format_int(len(data.sent))}/{format_int(data.bound)} xã, phường, đặc khu đã gửi báo cáo, trong đó "
        f"{format_int(len(data.sent_on_time))} đơn vị gửi đúng hạn, {format_int(len(data.sent_late))} đơn vị gửi "
        f"quá hạn; {format_int(len(data.not_sent) + len(data.returned))} đơn vị chưa gửi hoặc chưa gửi lại báo cáo."
    ]
    if data.sent_late:
        texts.append(f"- Các đơn vị gửi báo cáo quá hạn: {_commune_names(data.sent_late, with_days=True)}.")
    if data.not_sent:
        texts.append(f"- Các đơn vị chưa gửi báo cáo: {_commune_names(data.not_sent)}.")
    if data.returned:
        texts.append(f"- Các đơn vị có báo cáo bị trả lại, chưa gửi lại: {_commune_names(data.returned)}.")
    return _plain_blocks(texts, "submission")


def _results_blocks(data: CityReportData) -> tuple[Block, ...]:
    """The city totals and every rate recomputed from the summed counts, against its target."""
    basis = CENTRE_BASIS_PHRASES.get(data.basis, CENTRE_BASIS_PHRASES["sent"])
    totals = data.totals
    blocks = list(
        _plain_blocks(
            [
                f"Số liệu tổng hợp từ {basis} ({format_int(data.reports_counted)} báo cáo); "
                "chi tiết của từng đơn vị tại Phụ lục kèm theo.",
            ],
            "results",
        )
    )
    if not data.reports_counted:
        return tuple(blocks)
    blocks.append(Block(spans=(Span("1. Tiếp nhận và giải quyết hồ sơ", bold=True),), heading=True, section="results"))
    blocks.extend(
        _plain_blocks(
            [
                f"- Tổng số hồ sơ tiếp nhận: {format_int(totals.received)} hồ sơ (trực tuyến: "
                f"{format_int(totals.online)}; trực tiếp, dịch vụ bưu chính: {format_int(totals.direct)}; "
                f"từ kỳ trước chuyển sang: {format_int(totals.carried_over)}).",
                f"- Số hồ sơ đã giải quyết: {format_int(totals.resolved)} hồ sơ (trước hạn: "
                f"{format_int(totals.early)}; đúng hạn: {format_int(totals.on_time)}; quá hạn: "
                f"{format_int(totals.overdue)}).",
                f"- Số hồ sơ đang giải quyết: {format_int(totals.in_progress)} hồ sơ (trong hạn: "
                f"{format_int(totals.pending_on_time)}; quá hạn: {format_int(totals.pending_overdue)}).",
            ],
            "results",
        )
    )
    blocks.append(Block(spans=(Span("2. Các chỉ số, chỉ tiêu", bold=True),), heading=True, section="results"))
    blocks.extend(_plain_blocks([_rate_sentence(rate, data.reports_counted) for rate in data.rates], "results"))
    return tuple(blocks)


def _rate_sentence(rate: RateLine, reports: int) -> str:
    shown = "chưa có số liệu" if rate.value is None else format_percent(rate.value)
    text = f"- {rate.label}: {shown}"
    if rate.minimum is not None:
        text += f" (chỉ tiêu ≥ {format_percent(rate.minimum)}"
        outcome = OUTCOME_WORDS.get(rate.outcome)
        text += f": {outcome})" if outcome else ")"
        judged = rate.met + rate.missed
        text += f"; {format_int(rate.met)}/{format_int(judged)} đơn vị đạt chỉ tiêu"
    if rate.value is not None and rate.counted < reports:
        # Reports that typed the rate without its counts cannot be added in (never averaged).
        text += f"; tính trên {format_int(rate.counted)}/{format_int(reports)} báo cáo có đủ số liệu"
    return text + "."


def _centre_appendix(period: Period, data: CityReportData, *, number: int | None, issued_on: date | None) -> Appendix:
    if issued_on is None:
        when = f"ngày{DAY_BLANK}tháng {month_text(period.end.month)} năm {period.end.year}"
    else:
        when = f"ngày {day_text(issued_on.day)} tháng {month_text(issued_on.month)} năm {issued_on.year}"
    rows = []
    for index, line in enumerate(data.communes, start=1):
        if line.counted:
            rates = tuple(format_decimal(rate) for rate in line.rates)
            rows.append((str(index), line.name, *(format_int(value) for value in line.columns), *rates))
        else:
            note = NOT_COUNTED_NOTES.get(line.status, "không tổng hợp")
            rows.append((str(index), f"{line.name} ({note})", *([""] * 13)))
    city_rates = {rate.key: rate.value for rate in data.rates}
    totals = data.totals
    total = (
        "",
        TOTAL_LABEL,
        *(format_int(value) for value in totals.form_columns()),
        format_decimal(city_rates.get("rate_online_submission")),
        format_decimal(city_rates.get("rate_on_time")),
    )
    return Appendix(
        heading=APPENDIX_HEADING,
        title=CENTRE_APPENDIX_TITLE,
        reference_line=(
            f"(Kèm theo Báo cáo số {document_number(number, data.centre.document_symbol)} {when} "
            f"của {data.centre.name_in_text})"
        ),
        period_line=(
            f"Kỳ báo cáo: {period.label} (từ ngày {format_date(period.start)} đến ngày {format_date(period.end)})"
        ),
        unit_line=APPENDIX_UNIT,
        table=ResultsTable(header=CENTRE_TABLE_HEADER, header_rows=4, rows=tuple(rows), total=total),
    )
