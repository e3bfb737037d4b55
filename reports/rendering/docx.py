"""DOCX renderer: `render_docx(doc) -> bytes` with python-docx, laid out per Nghị định 30/2020.

Sizes, styles and positions follow the layout table of ../shared/reference/standards.md §1 and
the suggested defaults of §10. Pure: no request, no database, no settings beyond the font path.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterable, Sequence
from copy import deepcopy
from functools import lru_cache
from io import BytesIO
from pathlib import Path

from django.conf import settings
from docx import Document
from docx.document import Document as DocxDocument
from docx.enum.section import WD_ORIENT, WD_SECTION
from docx.enum.table import WD_CELL_VERTICAL_ALIGNMENT, WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
from docx.oxml import OxmlElement, parse_xml
from docx.oxml.ns import nsdecls, qn
from docx.oxml.xmlchemy import BaseOxmlElement
from docx.section import Section
from docx.shared import Mm, Pt
from docx.table import Table, _Cell
from docx.text.paragraph import Paragraph
from docx.text.run import Run
from fontTools.ttLib import TTFont

from reports.rendering.document import (
    A4_HEIGHT_MM,
    A4_WIDTH_MM,
    Appendix,
    Block,
    ReportDocument,
    ResultsTable,
)
from reports.rendering.templating import Span
from reports.text import scrub

# Times New Roman, Unicode (standards.md §3.1). Liberation Serif has the same metrics, so it is
# used to measure text for the rules under the agency name, the motto and the subject.
FONT_NAME = "Times New Roman"
LANGUAGE = "vi-VN"
# python-docx refuses a core property (title, subject, author) longer than this.
CORE_PROPERTY_MAX = 255
FONT_FILES = {
    (False, False): "LiberationSerif-Regular.ttf",
    (True, False): "LiberationSerif-Bold.ttf",
    (False, True): "LiberationSerif-Italic.ttf",
    (True, True): "LiberationSerif-BoldItalic.ttf",
}

# Sizes in points (standards.md §1 and §10).
NATIONAL_NAME_PT = 13
MOTTO_PT = 14
AGENCY_PT = 13
NUMBER_PT = 13
DATE_PT = 14
TITLE_PT = 14
BODY_PT = 14
SIGNATURE_PT = 14
RECIPIENTS_HEADING_PT = 12
RECIPIENTS_PT = 11
PAGE_NUMBER_PT = 14
BODY_TABLE_PT = 10
APPENDIX_TABLE_PT = 12

# Body paragraphs (standards.md §1 "Nội dung", §10): justified, first line indented 1 cm, 6 pt
# before, line spacing "exactly 17 pt" (within single to 1.5 lines).
BODY_FIRST_LINE_MM = 10
BODY_SPACE_BEFORE_PT = 6
BODY_LINE_PT = 17
# The rule under the agency name and under the subject: 1/3 to 1/2 of the text line (§1).
SHORT_RULE_SHARE = 0.4
RULE_WIDTH_EIGHTHS = 6  # 0.75 pt
RULE_SPACE_BEFORE_PT = 3
# Blank lines between the signer's position and name, for the hand signature and seal.
SIGNATURE_SPACE_LINES = 4
HEADER_DISTANCE_MM = 10


# WordprocessingML fixes the order of the children of these property elements (ECMA-376 Part 1,
# §17.3-17.6); Word refuses or "repairs" a file that breaks it, so every element we add is put in
# its place. Header and footer references form one choice group and may interleave.
CHILD_ORDER: dict[str, tuple[str, ...]] = {
    "w:pPr": (
        "w:pStyle", "w:keepNext", "w:keepLines", "w:pageBreakBefore", "w:framePr", "w:widowControl",
        "w:numPr", "w:suppressLineNumbers", "w:pBdr", "w:shd", "w:tabs", "w:suppressAutoHyphens",
        "w:kinsoku", "w:wordWrap", "w:overflowPunct", "w:topLinePunct", "w:autoSpaceDE", "w:autoSpaceDN",
        "w:bidi", "w:adjustRightInd", "w:snapToGrid", "w:spacing", "w:ind", "w:contextualSpacing",
        "w:mirrorIndents", "w:suppressOverlap", "w:jc", "w:textDirection", "w:textAlignment",
        "w:textboxTightWrap", "w:outlineLvl", "w:divId", "w:cnfStyle", "w:rPr", "w:sectPr", "w:pPrChange",
    ),
    "w:rPr": (
        "w:rStyle", "w:rFonts", "w:b", "w:bCs", "w:i", "w:iCs", "w:caps", "w:smallCaps", "w:strike",
        "w:dstrike", "w:outline", "w:shadow", "w:emboss", "w:imprint", "w:noProof", "w:snapToGrid",
        "w:vanish", "w:webHidden", "w:color", "w:spacing", "w:w", "w:kern", "w:position", "w:sz",
        "w:szCs", "w:highlight", "w:u", "w:effect", "w:bdr", "w:shd", "w:fitText", "w:vertAlign",
        "w:rtl", "w:cs", "w:em", "w:lang", "w:eastAsianLayout", "w:specVanish", "w:oMath",
    ),
    "w:tblPr": (
        "w:tblStyle", "w:tblpPr", "w:tblOverlap", "w:bidiVisual", "w:tblStyleRowBandSize",
        "w:tblStyleColBandSize", "w:tblW", "w:jc", "w:tblCellSpacing", "w:tblInd", "w:tblBorders",
        "w:shd", "w:tblLayout", "w:tblCellMar", "w:tblLook", "w:tblCaption", "w:tblDescription",
    ),
    "w:trPr": (
        "w:cnfStyle", "w:divId", "w:gridBefore", "w:gridAfter", "w:wBefore", "w:wAfter", "w:cantSplit",
        "w:trHeight", "w:tblHeader", "w:tblCellSpacing", "w:jc", "w:hidden",
    ),
    "w:tcPr": (
        "w:cnfStyle", "w:tcW", "w:gridSpan", "w:hMerge", "w:vMerge", "w:tcBorders", "w:shd", "w:noWrap",
        "w:tcMar", "w:textDirection", "w:tcFitText", "w:vAlign", "w:hideMark",
    ),
    "w:sectPr": (
        "w:headerReference", "w:footnotePr", "w:endnotePr", "w:type", "w:pgSz", "w:pgMar",
        "w:paperSrc", "w:pgBorders", "w:lnNumType", "w:pgNumType", "w:cols", "w:formProt", "w:vAlign",
        "w:noEndnote", "w:titlePg", "w:textDirection", "w:bidi", "w:rtlGutter", "w:docGrid",
        "w:printerSettings", "w:sectPrChange",
    ),
}  # fmt: skip
_SAME_RANK = {qn("w:footerReference"): qn("w:headerReference")}


def child_rank(parent_tag: str, child_tag: str) -> int:
    """The position of `child_tag` (Clark notation) among the children `parent_tag` may have."""
    order = [qn(tag) for tag in CHILD_ORDER[parent_tag]]
    return order.index(_SAME_RANK.get(child_tag, child_tag))


def _insert_ordered(parent: BaseOxmlElement, child: BaseOxmlElement, parent_tag: str) -> None:
    """Replace any element of the same tag in `parent` by `child`, at its schema position."""
    existing = parent.find(child.tag)
    if existing is not None:
        parent.remove(existing)
    rank = child_rank(parent_tag, child.tag)
    for sibling in parent:
        if child_rank(parent_tag, sibling.tag) > rank:
            sibling.addprevious(child)
            return
    parent.append(child)


def render_docx(doc: ReportDocument) -> bytes:
    """The report as a .docx file (bytes); never fails on stored text (see reports.text.scrub)."""
    doc = scrub(doc)
    document = Document()
    _set_defaults(document, doc)
    section = document.sections[0]
    _page_setup(section, doc, landscape=False)
    _headers(section, doc.watermark)
    _header_table(document, doc)
    _title(document, doc)
    for block in doc.opening + doc.sections:
        _block(document, block, doc)
    # The closing stays on the page of the signature, so a signature never stands without text.
    for block in doc.closing:
        _block(document, block, doc, keep_with_next=True)
    _signature_table(document, doc)
    if doc.appendix is not None:
        _appendix(document, doc, doc.appendix)
    output = BytesIO()
    document.save(output)
    return output.getvalue()


# --- Document, page and headers ----------------------------------------------------------------


def _set_defaults(document: DocxDocument, doc: ReportDocument) -> None:
    normal = document.styles["Normal"]
    normal.font.name = FONT_NAME
    normal.font.size = Pt(BODY_PT)
    _set_run_fonts(normal.element.get_or_add_rPr())
    normal.paragraph_format.space_before = Pt(0)
    normal.paragraph_format.space_after = Pt(0)
    normal.paragraph_format.line_spacing = 1.0
    defaults = document.styles.element.find(qn("w:docDefaults"))
    if defaults is not None:
        run_defaults = defaults.find(qn("w:rPrDefault") + "/" + qn("w:rPr"))
        if run_defaults is not None:
            _set_run_fonts(run_defaults)
    properties = document.core_properties
    properties.title = _core_property(doc.title)
    properties.subject = _core_property(doc.subject)
    properties.author = _core_property(" ".join(doc.header.agency_lines))
    properties.last_modified_by = properties.author
    properties.language = LANGUAGE
    properties.comments = ""


def _core_property(text: str) -> str:
    """One line of at most 255 characters: python-docx refuses longer core properties (OPC limit)."""
    line = " ".join(text.split())
    return line if len(line) <= CORE_PROPERTY_MAX else line[: CORE_PROPERTY_MAX - 1] + "…"


def _set_run_fonts(rpr: BaseOxmlElement) -> None:
    fonts = rpr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = OxmlElement("w:rFonts")
        _insert_ordered(rpr, fonts, "w:rPr")
    for attribute in ("w:ascii", "w:hAnsi", "w:cs", "w:eastAsia"):
        fonts.set(qn(attribute), FONT_NAME)
    for attribute in ("w:asciiTheme", "w:hAnsiTheme", "w:cstheme", "w:eastAsiaTheme"):
        fonts.attrib.pop(qn(attribute), None)
    lang = OxmlElement("w:lang")
    lang.set(qn("w:val"), LANGUAGE)
    _insert_ordered(rpr, lang, "w:rPr")


def _page_setup(section: Section, doc: ReportDocument, *, landscape: bool) -> None:
    """A4, margins from the province (standards.md §3.1); a landscape appendix swaps the sides."""
    if landscape:
        section.orientation = WD_ORIENT.LANDSCAPE
        section.page_width, section.page_height = Mm(A4_HEIGHT_MM), Mm(A4_WIDTH_MM)
    else:
        section.orientation = WD_ORIENT.PORTRAIT
        section.page_width, section.page_height = Mm(A4_WIDTH_MM), Mm(A4_HEIGHT_MM)
    section.top_margin = Mm(doc.page.margin_top_mm)
    section.bottom_margin = Mm(doc.page.margin_bottom_mm)
    section.left_margin = Mm(doc.page.margin_left_mm)
    section.right_margin = Mm(doc.page.margin_right_mm)
    section.header_distance = Mm(HEADER_DISTANCE_MM)
    section.footer_distance = Mm(HEADER_DISTANCE_MM)


def _headers(section: Section, watermark: str) -> None:
    """Page numbers centred in the top margin, not on the first page (standards.md §1, §3.1)."""
    section.different_first_page_header_footer = True
    first = section.first_page_header
    first.is_linked_to_previous = False
    first_paragraph = first.paragraphs[0]
    if watermark:
        _watermark(first_paragraph, watermark)
    header = section.header
    header.is_linked_to_previous = False
    paragraph = header.paragraphs[0]
    paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    _page_field(paragraph)
    if watermark:
        _watermark(paragraph, watermark)


def _page_field(paragraph: Paragraph) -> None:
    def char(kind: str) -> None:
        element = OxmlElement("w:fldChar")
        element.set(qn("w:fldCharType"), kind)
        _sized_run(paragraph, "", PAGE_NUMBER_PT)._r.append(element)

    char("begin")
    instruction = OxmlElement("w:instrText")
    instruction.set(qn("xml:space"), "preserve")
    instruction.text = " PAGE "
    _sized_run(paragraph, "", PAGE_NUMBER_PT)._r.append(instruction)
    char("separate")
    _sized_run(paragraph, "2", PAGE_NUMBER_PT)
    char("end")


def _restart_page_numbers(section: Section) -> None:
    """Each appendix is numbered from 1 (standards.md §1 "Page number", §3.8)."""
    sect_pr = section._sectPr
    number_type = OxmlElement("w:pgNumType")
    number_type.set(qn("w:start"), "1")
    _insert_ordered(sect_pr, number_type, "w:sectPr")


# The usual Word watermark: a VML WordArt shape in the header, behind the text, on every page.
_WATERMARK_XML = (
    '<w:r xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'
    ' xmlns:v="urn:schemas-microsoft-com:vml" xmlns:o="urn:schemas-microsoft-com:office:office">'
    "<w:rPr><w:noProof/></w:rPr><w:pict>"
    '<v:shapetype id="_x0000_t136" coordsize="21600,21600" o:spt="136" adj="10800"'
    ' path="m@7,l@8,m@5,21600l@6,21600e">'
    '<v:formulas><v:f eqn="sum #0 0 10800"/><v:f eqn="prod #0 2 1"/><v:f eqn="sum 21600 0 @1"/>'
    '<v:f eqn="sum 0 0 @2"/><v:f eqn="sum 21600 0 @3"/><v:f eqn="if @0 @3 0"/>'
    '<v:f eqn="if @0 21600 @1"/><v:f eqn="if @0 0 @2"/><v:f eqn="if @0 @4 21600"/>'
    '<v:f eqn="mid @5 @6"/><v:f eqn="mid @8 @5"/><v:f eqn="mid @7 @8"/><v:f eqn="mid @6 @7"/>'
    '<v:f eqn="sum @6 0 @5"/></v:formulas>'
    '<v:path textpathok="t" o:connecttype="custom" o:connectlocs="@9,0;@10,10800;@11,21600;@12,10800"'
    ' o:connectangles="270,180,90,0"/>'
    '<v:textpath on="t" fitshape="t"/><o:lock v:ext="edit" text="t" shapetype="t"/></v:shapetype>'
    '<v:shape id="{shape_id}" o:spid="_x0000_s{spid}" type="#_x0000_t136"'
    ' style="position:absolute;margin-left:0;margin-top:0;width:420pt;height:120pt;rotation:315;'
    "z-index:-251657216;mso-position-horizontal:center;mso-position-horizontal-relative:margin;"
    'mso-position-vertical:center;mso-position-vertical-relative:margin"'
    ' o:allowincell="f" fillcolor="#d9d9d9" stroked="f">'
    '<v:fill opacity=".5"/>'
    '<v:textpath style="font-family:&quot;Times New Roman&quot;;font-size:1pt;font-weight:bold"'
    ' string="{text}"/></v:shape></w:pict></w:r>'
)
# Shape ids only need to be unique within a file; a process-wide counter guarantees that.
_shape_ids = itertools.count(2049)


def _watermark(paragraph: Paragraph, text: str) -> None:
    spid = next(_shape_ids)
    xml = _WATERMARK_XML.format(shape_id=f"PowerPlusWaterMarkObject{spid}", spid=spid, text=_xml_attr(text))
    paragraph._p.append(parse_xml(xml))


def _xml_attr(text: str) -> str:
    return text.replace("&", "&amp;").replace('"', "&quot;").replace("<", "&lt;").replace(">", "&gt;")


# --- Paragraph helpers ---------------------------------------------------------------------------


@lru_cache(maxsize=64)
def _run_properties(size: float, bold: bool, italic: bool) -> BaseOxmlElement:
    """Every run names its font and size itself, so text pasted elsewhere keeps them."""
    fonts = " ".join(f'w:{name}="{FONT_NAME}"' for name in ("ascii", "hAnsi", "cs", "eastAsia"))
    half_points = round(size * 2)
    return parse_xml(
        f"<w:rPr {nsdecls('w')}><w:rFonts {fonts}/>"
        + ("<w:b/><w:bCs/>" if bold else "")
        + ("<w:i/><w:iCs/>" if italic else "")
        + f'<w:sz w:val="{half_points}"/><w:szCs w:val="{half_points}"/></w:rPr>'
    )


def _sized_run(paragraph: Paragraph, text: str, size: float, *, bold: bool = False, italic: bool = False) -> Run:
    # Copying a prepared <w:rPr> is several times faster than python-docx's property setters,
    # which keeps a whole report under the 0.05 s budget (bench/RESULTS.md).
    element = paragraph._p.add_r()
    element.insert(0, deepcopy(_run_properties(size, bold, italic)))
    if text:
        element.text = text
    return Run(element, paragraph)


def _tight(paragraph: Paragraph, alignment: WD_ALIGN_PARAGRAPH = WD_ALIGN_PARAGRAPH.CENTER) -> Paragraph:
    """Single-spaced, no indent, no spacing: the header and signature lines (standards.md §1)."""
    paragraph.alignment = alignment
    fmt = paragraph.paragraph_format
    fmt.space_before = Pt(0)
    fmt.space_after = Pt(0)
    fmt.first_line_indent = Mm(0)
    fmt.line_spacing = 1.0
    return paragraph


def _line(
    container: _Cell | DocxDocument,
    text: str,
    size: float,
    *,
    bold: bool = False,
    italic: bool = False,
    alignment: WD_ALIGN_PARAGRAPH = WD_ALIGN_PARAGRAPH.CENTER,
    first: bool = False,
) -> Paragraph:
    paragraph = container.paragraphs[0] if first else container.add_paragraph()
    _tight(paragraph, alignment)
    if text:
        _sized_run(paragraph, text, size, bold=bold, italic=italic)
    return paragraph


@lru_cache(maxsize=4)
def _font_metrics(bold: bool, italic: bool) -> tuple[dict[int, int], int]:
    path = Path(settings.BASE_DIR) / "static" / "fonts" / FONT_FILES[(bold, italic)]
    font = TTFont(path, lazy=True)
    cmap = font.getBestCmap()
    metrics = font["hmtx"].metrics
    widths = {code: metrics[glyph][0] for code, glyph in cmap.items()}
    return widths, font["head"].unitsPerEm


def text_width_mm(text: str, size: float, *, bold: bool = False, italic: bool = False) -> float:
    """The printed width of one line of text in Times New Roman (measured with Liberation Serif)."""
    widths, units = _font_metrics(bold, italic)
    fallback = widths.get(ord("n"), units // 2)
    total = sum(widths.get(ord(char), fallback) for char in text)
    return total / units * size * 25.4 / 72


def _rule(container: _Cell | DocxDocument, width_mm: float, available_mm: float) -> Paragraph:
    """A solid line of `width_mm`, centred: the top border of an empty, very low paragraph."""
    paragraph = container.add_paragraph()
    _tight(paragraph)
    fmt = paragraph.paragraph_format
    indent = max((available_mm - width_mm) / 2, 0)
    fmt.left_indent = Mm(indent)
    fmt.right_indent = Mm(indent)
    # The border is drawn at the top of this paragraph; the space keeps it clear of descenders.
    fmt.space_before = Pt(RULE_SPACE_BEFORE_PT)
    fmt.line_spacing_rule = WD_LINE_SPACING.EXACTLY
    fmt.line_spacing = Pt(4)
    borders = OxmlElement("w:pBdr")
    top = OxmlElement("w:top")
    top.set(qn("w:val"), "single")
    top.set(qn("w:sz"), str(RULE_WIDTH_EIGHTHS))
    top.set(qn("w:space"), "1")
    top.set(qn("w:color"), "000000")
    borders.append(top)
    _insert_ordered(paragraph._p.get_or_add_pPr(), borders, "w:pPr")
    _sized_run(paragraph, "", 2)
    return paragraph


# --- Tables ---------------------------------------------------------------------------------------


def _plain_table(document: DocxDocument, rows: int, widths_mm: Sequence[float], *, borders: bool) -> Table:
    """A fixed-width table; without borders it also has no cell padding, so it spans the text width."""
    table: Table = document.add_table(rows=rows, cols=len(widths_mm))
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    table.autofit = False
    tbl_pr = table._tbl.tblPr
    layout = OxmlElement("w:tblLayout")
    layout.set(qn("w:type"), "fixed")
    _insert_ordered(tbl_pr, layout, "w:tblPr")
    width = OxmlElement("w:tblW")
    width.set(qn("w:w"), str(round(sum(widths_mm) / 25.4 * 1440)))
    width.set(qn("w:type"), "dxa")
    _insert_ordered(tbl_pr, width, "w:tblPr")
    edges = OxmlElement("w:tblBorders")
    for edge in ("top", "left", "bottom", "right", "insideH", "insideV"):
        element = OxmlElement(f"w:{edge}")
        element.set(qn("w:val"), "single" if borders else "nil")
        if borders:
            element.set(qn("w:sz"), "4")
            element.set(qn("w:color"), "000000")
        edges.append(element)
    _insert_ordered(tbl_pr, edges, "w:tblPr")
    if not borders:
        margins = OxmlElement("w:tblCellMar")
        for side in ("left", "right"):
            element = OxmlElement(f"w:{side}")
            element.set(qn("w:w"), "0")
            element.set(qn("w:type"), "dxa")
            margins.append(element)
        _insert_ordered(tbl_pr, margins, "w:tblPr")
    for index, column in enumerate(table.columns):
        column.width = Mm(widths_mm[index])
        for cell in column.cells:
            cell.width = Mm(widths_mm[index])
    return table


def _header_table(document: DocxDocument, doc: ReportDocument) -> None:
    """Ô 1-4 of standards.md §3.2: agency left, Quốc hiệu right; number and date on one row."""
    widths = doc.page.header_columns_mm
    table = _plain_table(document, 2, widths, borders=False)
    left, right = table.cell(0, 0), table.cell(0, 1)
    header = doc.header
    first = True
    for line in header.parent_lines:
        _line(left, line, AGENCY_PT, first=first)
        first = False
    for line in header.agency_lines:
        _line(left, line, AGENCY_PT, bold=True, first=first)
        first = False
    agency_width = max((text_width_mm(line, AGENCY_PT, bold=True) for line in header.agency_lines), default=0)
    _rule(left, agency_width * SHORT_RULE_SHARE, widths[0])
    _line(right, header.national_name, NATIONAL_NAME_PT, bold=True, first=True)
    _line(right, header.motto, MOTTO_PT, bold=True)
    _rule(right, text_width_mm(header.motto, MOTTO_PT, bold=True), widths[1])
    number = _line(table.cell(1, 0), header.number_line, NUMBER_PT, first=True)
    date_line = _line(table.cell(1, 1), header.place_date_line, DATE_PT, italic=True, first=True)
    for paragraph in (number, date_line):
        paragraph.paragraph_format.space_before = Pt(6)


def _title(document: DocxDocument, doc: ReportDocument) -> None:
    """Ô 5a: "BÁO CÁO" and the subject, centred bold, with a short rule (standards.md §1)."""
    title = _line(document, doc.document_type, TITLE_PT, bold=True)
    title.paragraph_format.space_before = Pt(18)
    title.paragraph_format.keep_with_next = True
    subject = _line(document, doc.subject, TITLE_PT, bold=True)
    subject.paragraph_format.keep_with_next = True
    width = min(text_width_mm(doc.subject, TITLE_PT, bold=True), doc.page.text_width_mm)
    _rule(document, width * SHORT_RULE_SHARE, doc.page.text_width_mm)


@lru_cache(maxsize=2)
def _body_paragraph_properties(keep_with_next: bool) -> BaseOxmlElement:
    """Justified, first line indented, 6 pt before, exactly 17 pt lines (standards.md §1, §10)."""
    twips = round(BODY_FIRST_LINE_MM / 25.4 * 1440)
    return parse_xml(
        f"<w:pPr {nsdecls('w')}>"
        + ("<w:keepNext/>" if keep_with_next else "")
        + "<w:widowControl/>"
        + f'<w:spacing w:before="{BODY_SPACE_BEFORE_PT * 20}" w:after="0" w:line="{BODY_LINE_PT * 20}" w:lineRule="exact"/>'
        + f'<w:ind w:firstLine="{twips}"/><w:jc w:val="both"/></w:pPr>'
    )


def _body_paragraph(paragraph: Paragraph, spans: Iterable[Span], *, keep_with_next: bool) -> None:
    existing = paragraph._p.pPr
    if existing is not None:
        paragraph._p.remove(existing)
    paragraph._p.insert(0, deepcopy(_body_paragraph_properties(keep_with_next)))
    for span in spans:
        _sized_run(paragraph, span.text, BODY_PT, bold=span.bold, italic=span.italic)


def _block(document: DocxDocument, block: Block, doc: ReportDocument, *, keep_with_next: bool = False) -> None:
    if block.table is not None:
        _results_table(document, block.table, doc.page.text_width_mm, BODY_TABLE_PT)
        return
    _body_paragraph(document.add_paragraph(), block.spans, keep_with_next=keep_with_next or block.heading)


def _results_table(document: DocxDocument, data: ResultsTable, width_mm: float, size: float) -> Table:
    # STT and the source column get fixed room; the eleven counts share the rest.
    number_width, source_width = 12.0, min(48.0, width_mm * 0.22)
    count_width = (width_mm - number_width - source_width) / (data.column_count - 2)
    widths = (number_width, source_width, *([count_width] * (data.column_count - 2)))
    rows = data.header_rows + len(data.rows) + 1
    table = _plain_table(document, rows, widths, borders=True)
    for cell in data.header:
        target = table.cell(cell.row, cell.column)
        if cell.rowspan > 1 or cell.colspan > 1:
            target = target.merge(table.cell(cell.row + cell.rowspan - 1, cell.column + cell.colspan - 1))
        target.vertical_alignment = WD_CELL_VERTICAL_ALIGNMENT.CENTER
        _line(target, cell.text, size, bold=cell.row < data.header_rows - 1, italic=cell.row == 3, first=True)
    for offset, values in enumerate((*data.rows, data.total)):
        is_total = offset == len(data.rows)
        for column, value in enumerate(values):
            alignment = WD_ALIGN_PARAGRAPH.LEFT if column == 1 else WD_ALIGN_PARAGRAPH.CENTER
            body_cell = table.cell(data.header_rows + offset, column)
            body_cell.vertical_alignment = WD_CELL_VERTICAL_ALIGNMENT.CENTER
            _line(body_cell, value, size, bold=is_total, alignment=alignment, first=True)
    # The header rows repeat on every page the table runs over.
    for row in table.rows[: data.header_rows]:
        _insert_ordered(row._tr.get_or_add_trPr(), OxmlElement("w:tblHeader"), "w:trPr")
    return table


def _signature_table(document: DocxDocument, doc: ReportDocument) -> None:
    """Ô 9b left ("Nơi nhận:" 12 pt bold italic, list 11 pt) and ô 7a/7b right (standards.md §1)."""
    spacer = document.add_paragraph()
    _tight(spacer)
    spacer.paragraph_format.space_before = Pt(6)
    spacer.paragraph_format.keep_with_next = True
    table = _plain_table(document, 1, doc.page.signature_columns_mm, borders=False)
    left, right = table.cell(0, 0), table.cell(0, 1)
    _line(
        left,
        doc.recipients_heading,
        RECIPIENTS_HEADING_PT,
        bold=True,
        italic=True,
        alignment=WD_ALIGN_PARAGRAPH.LEFT,
        first=True,
    )
    for line in doc.recipients:
        _line(left, line, RECIPIENTS_PT, alignment=WD_ALIGN_PARAGRAPH.LEFT)
    first = True
    for line in doc.signature.upper_lines:
        _line(right, line, SIGNATURE_PT, bold=True, first=first)
        first = False
    for _ in range(SIGNATURE_SPACE_LINES):
        _line(right, "", SIGNATURE_PT)
    _line(right, doc.signature.name, SIGNATURE_PT, bold=True)
    # Keep the whole signature block on one page with the end of the text.
    for row in table.rows:
        _insert_ordered(row._tr.get_or_add_trPr(), OxmlElement("w:cantSplit"), "w:trPr")


def _appendix(document: DocxDocument, doc: ReportDocument, appendix: Appendix) -> None:
    """The landscape "Phụ lục" with its own page numbers (standards.md §3.8)."""
    section = document.add_section(WD_SECTION.NEW_PAGE)
    _page_setup(section, doc, landscape=True)
    _headers(section, doc.watermark)
    _restart_page_numbers(section)
    width = doc.page.landscape_text_width_mm
    _line(document, appendix.heading, 14, bold=True, first=False)
    _line(document, appendix.title, 14, bold=True)
    _line(document, appendix.reference_line, 14, italic=True)
    _rule(document, min(text_width_mm(appendix.reference_line, 14, italic=True), width) * SHORT_RULE_SHARE, width)
    _line(document, appendix.period_line, 13, italic=True)
    _line(document, appendix.unit_line, 12, italic=True, alignment=WD_ALIGN_PARAGRAPH.RIGHT)
    _results_table(document, appendix.table, width, APPENDIX_TABLE_PT)
