"""Tests for reports.rendering.docx, reading the file back with python-docx (never mocked)."""

import shutil
import subprocess
import tempfile
from datetime import date
from io import BytesIO
from pathlib import Path
from unittest import skipUnless

from docx import Document
from docx.document import Document as DocxDocument
from docx.enum.section import WD_ORIENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
from docx.oxml.ns import qn
from docx.shared import Mm, Pt
from docx.table import Table
from docx.text.paragraph import Paragraph

from reports.models import OutlineSection, Report, ReportStatus, SectionKind
from reports.rendering.document import build_report_document
from reports.rendering.docx import CHILD_ORDER, child_rank, render_docx, text_width_mm
from tests.base import BaseTestCase
from tests.reports.test_document import BINH_GIANG, HUNG_THANG, load_seed

# python-docx lengths are EMU; 1 mm = 36000 EMU. Allow rounding to a twip.
TOLERANCE = Mm(0.05)


def read(report: Report) -> DocxDocument:
    return Document(BytesIO(render_docx(build_report_document(Report.objects.get(pk=report.pk)))))


def body_paragraphs(document: DocxDocument) -> list[Paragraph]:
    """Paragraphs outside tables, with text."""
    return [p for p in document.paragraphs if p.text.strip()]


def paragraph(document: DocxDocument, start: str) -> Paragraph:
    return next(p for p in document.paragraphs if p.text.startswith(start))


def field_codes(element) -> list[str]:  # type: ignore[no-untyped-def]
    return [node.text.strip() for node in element.iter(qn("w:instrText"))]


def watermark_strings(element) -> list[str]:  # type: ignore[no-untyped-def]
    return [
        node.get("string") for node in element.iter("{urn:schemas-microsoft-com:vml}textpath") if node.get("string")
    ]


def assert_runs(test: BaseTestCase, paragraph: Paragraph, *, size: float, bold: bool, italic: bool = False) -> None:
    runs = [run for run in paragraph.runs if run.text]
    test.assertTrue(runs, paragraph.text)
    for run in runs:
        test.assertEqual(
            (run.font.name, run.font.size, bool(run.bold), bool(run.italic)),
            ("Times New Roman", Pt(size), bold, italic),
            run.text,
        )


class PageTests(BaseTestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        cls.report = load_seed(HUNG_THANG)

    def setUp(self) -> None:
        self.document = read(self.report)

    def test_a4_portrait_with_the_provinces_margins(self) -> None:
        (section,) = self.document.sections
        self.assertEqual(section.orientation, WD_ORIENT.PORTRAIT)
        self.assertAlmostEqual(section.page_width, Mm(210), delta=TOLERANCE)
        self.assertAlmostEqual(section.page_height, Mm(297), delta=TOLERANCE)
        margins = (section.top_margin, section.bottom_margin, section.left_margin, section.right_margin)
        for margin, expected in zip(margins, (20, 20, 30, 15), strict=True):
            self.assertAlmostEqual(margin, Mm(expected), delta=TOLERANCE)

    def test_other_legal_margins_are_followed(self) -> None:
        self.province.margin_top_mm, self.province.margin_bottom_mm = 25, 22
        self.province.margin_left_mm, self.province.margin_right_mm = 35, 20
        self.province.save()
        (section,) = read(self.report).sections
        margins = (section.top_margin, section.bottom_margin, section.left_margin, section.right_margin)
        for margin, expected in zip(margins, (25, 22, 35, 20), strict=True):
            self.assertAlmostEqual(margin, Mm(expected), delta=TOLERANCE)

    def test_times_new_roman_everywhere(self) -> None:
        normal = self.document.styles["Normal"]
        self.assertEqual(normal.font.name, "Times New Roman")
        fonts = normal.element.rPr.find(qn("w:rFonts"))
        for attribute in ("w:ascii", "w:hAnsi", "w:cs", "w:eastAsia"):
            self.assertEqual(fonts.get(qn(attribute)), "Times New Roman")
        names = {run.font.name for p in self.document.paragraphs for run in p.runs if run.text}
        for table in self.document.tables:
            names |= {run.font.name for cell in table._cells for p in cell.paragraphs for run in p.runs if run.text}
        self.assertEqual(names, {"Times New Roman"})
        self.assertEqual(self.document.core_properties.language, "vi-VN")
        self.assertEqual(
            self.document.core_properties.title,
            "BÁO CÁO Kết quả thực hiện công tác cải cách thủ tục hành chính tháng 5 năm 2026",
        )

    def test_page_number_field_on_page_two_onwards_only(self) -> None:
        (section,) = self.document.sections
        self.assertTrue(section.different_first_page_header_footer)
        self.assertEqual(field_codes(section.first_page_header._element), [])
        self.assertEqual(field_codes(section.header._element), ["PAGE"])
        number = section.header.paragraphs[0]
        self.assertEqual(number.alignment, WD_ALIGN_PARAGRAPH.CENTER)
        field_runs = [run for run in number.runs if run._r.find(qn("w:pict")) is None]
        self.assertEqual({run.font.size for run in field_runs}, {Pt(14)})
        # The number sits in the top margin: the header starts 10 mm from the edge, above 20 mm.
        self.assertLess(section.header_distance, section.top_margin)

    def test_draft_watermark_on_every_page(self) -> None:
        (section,) = self.document.sections
        self.assertEqual(watermark_strings(section.first_page_header._element), ["DỰ THẢO"])
        self.assertEqual(watermark_strings(section.header._element), ["DỰ THẢO"])

    def test_no_watermark_once_accepted(self) -> None:
        Report.objects.filter(pk=self.report.pk).update(status=ReportStatus.ACCEPTED)
        (section,) = read(self.report).sections
        self.assertEqual(watermark_strings(section.first_page_header._element), [])
        self.assertEqual(watermark_strings(section.header._element), [])


class HeaderTableTests(BaseTestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        cls.report = load_seed(HUNG_THANG)

    def setUp(self) -> None:
        self.document = read(self.report)
        self.table: Table = self.document.tables[0]

    def cell_paragraphs(self, row: int, column: int) -> list[Paragraph]:
        return self.table.cell(row, column).paragraphs

    def test_two_borderless_columns_spanning_the_text_width(self) -> None:
        self.assertEqual((len(self.table.rows), len(self.table.columns)), (2, 2))
        borders = self.table._tbl.tblPr.find(qn("w:tblBorders"))
        self.assertEqual({edge.get(qn("w:val")) for edge in borders}, {"nil"})
        widths = [column.width for column in self.table.columns]
        self.assertAlmostEqual(sum(widths), Mm(165), delta=TOLERANCE)
        self.assertAlmostEqual(widths[1], Mm(99), delta=TOLERANCE)

    def test_agency_name_bold_capitals_13pt_with_a_short_rule(self) -> None:
        agency, name, rule = self.cell_paragraphs(0, 0)
        self.assertEqual((agency.text, name.text, rule.text), ("ỦY BAN NHÂN DÂN", "XÃ HÙNG THẮNG", ""))
        for line in (agency, name):
            self.assertEqual(line.alignment, WD_ALIGN_PARAGRAPH.CENTER)
            assert_runs(self, line, size=13, bold=True)
        border = rule._p.pPr.find(qn("w:pBdr")).find(qn("w:top"))
        self.assertEqual(border.get(qn("w:val")), "single")
        # 1/3 to 1/2 of the agency line (standards.md §1): here 40% of the longer line.
        width = Mm(66) - rule.paragraph_format.left_indent - rule.paragraph_format.right_indent
        longest = text_width_mm("ỦY BAN NHÂN DÂN", 13, bold=True)
        self.assertAlmostEqual(width, Mm(longest * 0.4), delta=Mm(0.2))

    def test_national_name_and_motto_with_a_rule_as_long_as_the_motto(self) -> None:
        national, motto, rule = self.cell_paragraphs(0, 1)
        self.assertEqual(national.text, "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM")
        assert_runs(self, national, size=13, bold=True)
        self.assertEqual(motto.text, "Độc lập - Tự do - Hạnh phúc")
        assert_runs(self, motto, size=14, bold=True)
        self.assertIsNotNone(rule._p.pPr.find(qn("w:pBdr")))
        width = Mm(99) - rule.paragraph_format.left_indent - rule.paragraph_format.right_indent
        self.assertAlmostEqual(width, Mm(text_width_mm(motto.text, 14, bold=True)), delta=Mm(0.2))
        self.assertGreater(width, Mm(55))

    def test_number_and_place_date_share_one_row(self) -> None:
        (number,) = self.cell_paragraphs(1, 0)
        (place_date,) = self.cell_paragraphs(1, 1)
        self.assertEqual(number.text, "Số:        /BC-UBND")
        assert_runs(self, number, size=13, bold=False)
        self.assertEqual(place_date.text, "Hùng Thắng, ngày      tháng 5 năm 2026")
        assert_runs(self, place_date, size=14, bold=False, italic=True)

    def test_issued_number_and_date(self) -> None:
        Report.objects.filter(pk=self.report.pk).update(
            status=ReportStatus.ISSUED, number=5, issued_on=date(2026, 5, 18)
        )
        table = read(self.report).tables[0]
        self.assertEqual(table.cell(1, 0).text, "Số: 05/BC-UBND")
        self.assertEqual(table.cell(1, 1).text, "Hùng Thắng, ngày 18 tháng 5 năm 2026")


class BodyTests(BaseTestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        cls.report = load_seed(HUNG_THANG)

    def setUp(self) -> None:
        self.document = read(self.report)

    def test_title_and_subject_centred_bold_with_a_rule(self) -> None:
        title = paragraph(self.document, "BÁO CÁO")
        subject = paragraph(self.document, "Kết quả thực hiện công tác")
        for line in (title, subject):
            self.assertEqual(line.alignment, WD_ALIGN_PARAGRAPH.CENTER)
            assert_runs(self, line, size=14, bold=True)
        rule = subject._p.getnext()
        self.assertIsNotNone(rule.find(qn("w:pPr")).find(qn("w:pBdr")))

    def test_body_paragraphs_are_14pt_justified_indented_and_spaced(self) -> None:
        opening = paragraph(self.document, "Thực hiện Công văn số 137")
        heading = paragraph(self.document, "I. KẾT QUẢ")
        for line in (opening, heading):
            fmt = line.paragraph_format
            self.assertEqual(line.alignment, WD_ALIGN_PARAGRAPH.JUSTIFY)
            self.assertAlmostEqual(fmt.first_line_indent, Mm(10), delta=TOLERANCE)
            self.assertEqual(fmt.space_before, Pt(6))
            self.assertEqual(fmt.line_spacing_rule, WD_LINE_SPACING.EXACTLY)
            self.assertEqual(fmt.line_spacing, Pt(17))
        assert_runs(self, opening, size=14, bold=False)

    def test_headings_roman_bold_capitals_and_numbered_bold(self) -> None:
        for start in ("I. KẾT QUẢ THỰC HIỆN", "II. ĐÁNH GIÁ CHUNG", "1. Kết quả công khai", "3. Đề xuất với thành phố"):
            with self.subTest(start=start):
                heading = paragraph(self.document, start)
                assert_runs(self, heading, size=14, bold=True)
                self.assertTrue(heading.paragraph_format.keep_with_next)

    def test_bold_span_of_a_generated_paragraph(self) -> None:
        line = paragraph(self.document, "- Kết quả giải quyết TTHC tháng 5 năm 2026")
        self.assertEqual(
            [(run.text, bool(run.bold)) for run in line.runs],
            [
                ("- ", False),
                ("Kết quả giải quyết TTHC tháng 5 năm 2026 (số liệu từ ngày 15/4/2026 đến hết ngày 14/5/2026):", True),
            ],
        )

    def test_nested_and_run_in_headings(self) -> None:
        document = read(load_seed(BINH_GIANG))
        nested = paragraph(document, "2.1. Kết quả đánh giá")
        assert_runs(self, nested, size=14, bold=True, italic=True)
        run_in = paragraph(document, "a) Về việc cập nhật")
        self.assertEqual(run_in.runs[0].text, "a) Về việc cập nhật công khai TTHC:")
        self.assertTrue(run_in.text.endswith("mà UBND thành phố Hải Phòng công bố."))

    def test_the_text_ends_with_the_end_mark(self) -> None:
        closing = body_paragraphs(self.document)[-1]
        self.assertTrue(closing.text.endswith("trân trọng báo cáo./."))
        self.assertTrue(closing.paragraph_format.keep_with_next)

    def test_signature_table(self) -> None:
        table = self.document.tables[-1]
        self.assertEqual({edge.get(qn("w:val")) for edge in table._tbl.tblPr.find(qn("w:tblBorders"))}, {"nil"})
        left, right = table.cell(0, 0), table.cell(0, 1)
        heading, *recipients = left.paragraphs
        self.assertEqual(heading.text, "Nơi nhận:")
        self.assertEqual(heading.alignment, WD_ALIGN_PARAGRAPH.LEFT)
        assert_runs(self, heading, size=12, bold=True, italic=True)
        self.assertEqual(
            [line.text for line in recipients],
            ["- Trung tâm PV HCC thành phố;", "- CT, các PCT UBND xã;", "- C, PCVP;", "- Lưu: VT, HCC."],
        )
        for line in recipients:
            assert_runs(self, line, size=11, bold=False)
        lines = [line for line in right.paragraphs if line.text]
        self.assertEqual(
            [line.text for line in lines], ["TM. ỦY BAN NHÂN DÂN", "KT. CHỦ TỊCH", "PHÓ CHỦ TỊCH", "Trần Đình Nhuận"]
        )
        for line in lines:
            self.assertEqual(line.alignment, WD_ALIGN_PARAGRAPH.CENTER)
            assert_runs(self, line, size=14, bold=True)
        # Room for the signature and seal between the position and the name.
        self.assertGreaterEqual(len(right.paragraphs) - len(lines), 4)

    def test_results_table_section(self) -> None:
        OutlineSection.objects.filter(regime=self.report.period.regime, key="dvctt").update(
            kind=SectionKind.RESULTS_TABLE, template=""
        )
        document = read(self.report)
        table = document.tables[1]
        self.assertEqual(len(table.columns), 13)
        self.assertEqual(table.cell(0, 2).text, "Số hồ sơ nhận giải quyết")
        self.assertEqual(table.cell(0, 5).text, "Số hồ sơ nhận giải quyết")  # merged across four columns
        self.assertEqual([cell.text for cell in table.rows[3].cells], [f"({n})" for n in range(1, 14)])
        self.assertEqual(
            [cell.text for cell in table.rows[-1].cells],
            ["", "Tổng cộng", "179", "179", "0", "0", "167", "0", "167", "0", "12", "12", "0"],
        )


class AppendixTests(BaseTestCase):
    def test_landscape_appendix_with_its_own_page_numbers(self) -> None:
        report = load_seed(HUNG_THANG)
        report.period.regime.include_appendix = True
        report.period.regime.save(update_fields=["include_appendix"])
        document = read(report)
        main, appendix = document.sections
        self.assertEqual(appendix.orientation, WD_ORIENT.LANDSCAPE)
        self.assertAlmostEqual(appendix.page_width, Mm(297), delta=TOLERANCE)
        self.assertAlmostEqual(appendix.page_height, Mm(210), delta=TOLERANCE)
        self.assertEqual(appendix._sectPr.find(qn("w:pgNumType")).get(qn("w:start")), "1")
        self.assertIsNone(main._sectPr.find(qn("w:pgNumType")))
        self.assertTrue(appendix.different_first_page_header_footer)
        self.assertFalse(appendix.header.is_linked_to_previous)
        self.assertEqual(field_codes(appendix.header._element), ["PAGE"])
        self.assertEqual(field_codes(appendix.first_page_header._element), [])
        self.assertEqual(paragraph(document, "Phụ lục").runs[0].bold, True)
        self.assertTrue(paragraph(document, "(Kèm theo Báo cáo số").runs[0].italic)
        table = document.tables[-1]
        self.assertEqual(len(table.columns), 13)
        self.assertEqual(table.rows[4].cells[1].text, "Hệ thống thông tin giải quyết TTHC thành phố")
        self.assertEqual(table.rows[-1].cells[2].text, "179")


class SchemaOrderTests(BaseTestCase):
    def test_property_elements_keep_the_order_word_requires(self) -> None:
        report = load_seed(BINH_GIANG)
        report.period.regime.include_appendix = True
        report.period.regime.save(update_fields=["include_appendix"])
        document = read(report)
        parts = [document.element, document.styles.element]
        for section in document.sections:
            parts += [section.header._element, section.first_page_header._element]
        checked = 0
        for part in parts:
            for parent_tag in CHILD_ORDER:
                for parent in part.iter(qn(parent_tag)):
                    ranks = [child_rank(parent_tag, child.tag) for child in parent]
                    self.assertEqual(ranks, sorted(ranks), f"{parent_tag}: {[child.tag for child in parent]}")
                    checked += 1
        self.assertGreater(checked, 500)


class LibreOfficeTests(BaseTestCase):
    @skipUnless(shutil.which("soffice"), "LibreOffice is not installed (it is only a check, not a dependency).")
    def test_libreoffice_opens_and_converts_the_file(self) -> None:
        report = load_seed(BINH_GIANG)
        report.period.regime.include_appendix = True
        report.period.regime.save(update_fields=["include_appendix"])
        data = render_docx(build_report_document(Report.objects.get(pk=report.pk)))
        with tempfile.TemporaryDirectory() as folder:
            source = Path(folder) / "bao-cao.docx"
            source.write_bytes(data)
            subprocess.run(
                [
                    "soffice",
                    f"-env:UserInstallation=file://{folder}/profile",
                    "--headless",
                    "--convert-to",
                    "pdf",
                    "--outdir",
                    folder,
                    str(source),
                ],
                check=True,
                capture_output=True,
                timeout=120,
            )
            text = subprocess.run(
                ["pdftotext", str(Path(folder) / "bao-cao.pdf"), "-"], check=True, capture_output=True, text=True
            ).stdout
        self.assertIn("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", text)
        self.assertIn("Vũ Thị Hòa", text)
        self.assertIn("KẾT QUẢ GIẢI QUYẾT THỦ TỤC HÀNH CHÍNH", text)
