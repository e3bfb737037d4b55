"""The two real seed reports come out of the app as they were written, in DOCX, PDF and HTML.

The seeds are plain-text extractions of the original documents, kept in
../shared/reference/seeds/ (settings.SHARED_DIR). Each line of a seed is compared with one
paragraph of the output, after normalising whitespace, in order. The only differences allowed are
listed below with their reason; each is asserted to match exactly one place, so a fix that no
longer applies fails loudly instead of hiding a regression.
"""

import re
from dataclasses import dataclass
from html.parser import HTMLParser
from io import BytesIO
from pathlib import Path
from unittest import skipUnless

from django.conf import settings
from docx import Document
from docx.oxml.ns import qn
from docx.table import Table
from docx.text.paragraph import Paragraph

from reports.models import Report
from reports.rendering.document import ReportDocument, build_report_document
from reports.rendering.docx import render_docx
from reports.rendering.pdf import render_html, render_pdf
from tests.base import BaseTestCase
from tests.reports.test_document import BINH_GIANG, HUNG_THANG, load_seed
from tests.reports.test_render_pdf import content_text

SEEDS_DIR = Path(settings.SHARED_DIR) / "reference" / "seeds"
SKIP_REASON = (
    f"The seed reports folder {SEEDS_DIR} is absent (../shared sits beside the project in CI, not on a "
    "user's machine), so reproduction of the seeds is not checked here."
)


def normalise(text: str) -> str:
    return " ".join(text.split())


@dataclass(frozen=True)
class Replace:
    """In the one seed line containing `old`, write `new` instead."""

    old: str
    new: str
    reason: str

    def apply(self, lines: list[str]) -> list[str]:
        hits = [index for index, line in enumerate(lines) if self.old in line]
        if len(hits) != 1:
            raise AssertionError(f"Known difference “{self.old}” matches {len(hits)} seed lines, not 1.")
        index = hits[0]
        lines = list(lines)
        lines[index] = lines[index].replace(self.old, self.new)
        return lines


@dataclass(frozen=True)
class Join:
    """Join the one seed line ending with `end` to the next line."""

    end: str
    reason: str

    def apply(self, lines: list[str]) -> list[str]:
        hits = [index for index, line in enumerate(lines) if line.endswith(self.end)]
        if len(hits) != 1:
            raise AssertionError(f"Known difference “…{self.end}” matches {len(hits)} seed lines, not 1.")
        index = hits[0]
        return [*lines[:index], f"{lines[index]} {lines[index + 1]}", *lines[index + 2 :]]


# Both seeds lost the first row of the header table in extraction: they begin at "Số:". The app
# prints the agency name, Quốc hiệu and Tiêu ngữ there; test_render_docx and test_render_pdf
# check those lines and their layout.
HEADER_LOST_IN_EXTRACTION = "The seed text has no agency name, Quốc hiệu or Tiêu ngữ (lost when it was extracted)."

KNOWN_DIFFERENCES = {
    HUNG_THANG: (
        Replace(
            "- **Kết quả giải quyết TTHC tháng 3 năm 2026",
            "- Kết quả giải quyết TTHC tháng 5 năm 2026",
            "A seed error: the May report's heading says “tháng 3” while its own window is 15/4–14/5/2026; "
            "the app takes the month from the period. The “**” is the seed's markdown for the bold run the "
            "app prints (checked in test_render_docx).",
        ),
        Replace("14/5/2026):**", "14/5/2026):", "The closing “**” of the seed's markdown bold."),
        Join(
            "tạo thuận lợi cho người dân khi thực",
            "A page break in the source document split the paragraph at “khi thực / hiện TTHC”.",
        ),
        Replace(
            "Hùng Thắng, ngày tháng năm 2026",
            "Hùng Thắng, ngày tháng 5 năm 2026",
            "A blank filled differently: the seed leaves the month blank too; until the report is issued the app "
            "leaves only the number and the day blank and prints the month of the period's end (standards.md §1).",
        ),
    ),
    BINH_GIANG: (
        Join(
            "hộ kinh doanh, cá nhân kinh doanh năm 2026 trên địa bàn xã Bình Giang;",
            "The seed breaks its list of directives into two paragraphs; the app prints the list as one.",
        ),
        Replace(
            "Kế hoạch 28/KH-UBND",
            "Kế hoạch số 28/KH-UBND",
            "A seed quirk: this one directive is written without “số”; the app writes every directive alike.",
        ),
        Replace(
            "Kế hoạch số 44/KH-UBND 03/02/2026",
            "Kế hoạch số 44/KH-UBND ngày 03/02/2026",
            "A seed quirk: this one directive's date is written without “ngày”.",
        ),
        Replace(
            "<https://xulyphananhkiennghi.haiphong.gov.vn/>",
            "https://xulyphananhkiennghi.haiphong.gov.vn/",
            "The “<…>” is the seed's markdown for a link; the app prints the address.",
        ),
    ),
}

SEED_FILES = {HUNG_THANG: "000_f29a9c48b063c803.txt", BINH_GIANG: "003_04241dd50b5df681.txt"}


def expected_lines(source: Path, doc: ReportDocument) -> list[str]:
    """The seed's lines after the known differences, preceded by the header lines it lost."""
    text = (SEEDS_DIR / SEED_FILES[source]).read_text(encoding="utf-8")
    lines = [normalise(line) for line in text.splitlines() if line.strip()]
    for difference in KNOWN_DIFFERENCES[source]:
        lines = difference.apply(lines)
    header = doc.header
    return [*header.agency_lines, header.national_name, header.motto, *lines]


def docx_lines(data: bytes) -> list[str]:
    """Every non-empty paragraph in reading order, table cells row by row."""
    document = Document(BytesIO(data))
    lines: list[str] = []
    for element in document.element.body:
        if element.tag == qn("w:p"):
            lines.append(Paragraph(element, document).text)
        elif element.tag == qn("w:tbl"):
            table = Table(element, document)
            for row in table.rows:
                seen = []
                for cell in row.cells:
                    if cell._tc in seen:  # a merged cell repeats
                        continue
                    seen.append(cell._tc)
                    lines.extend(p.text for p in cell.paragraphs)
    return [normalise(line) for line in lines if line.strip()]


class _TextOfArticle(HTMLParser):
    """The text of the printed document in the preview HTML, without the watermark."""

    def __init__(self) -> None:
        super().__init__()
        self.parts: list[str] = []
        self.inside = False
        self.skip_depth = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        classes = (dict(attrs).get("class") or "").split()
        if tag == "article":
            self.inside = True
        if self.skip_depth or "bc-watermark" in classes:
            self.skip_depth += 1
        if tag in ("p", "div", "td", "th", "h1"):
            self.parts.append(" ")

    def handle_endtag(self, tag: str) -> None:
        if self.skip_depth:
            self.skip_depth -= 1
        if tag == "article":
            self.inside = False

    def handle_data(self, data: str) -> None:
        if self.inside and not self.skip_depth:
            self.parts.append(data)


def html_text(html: str) -> str:
    parser = _TextOfArticle()
    parser.feed(html)
    return normalise("".join(parser.parts))


@skipUnless(SEEDS_DIR.is_dir(), SKIP_REASON)
class SeedReproductionTests(BaseTestCase):
    def document(self, source: Path) -> ReportDocument:
        return build_report_document(Report.objects.get(pk=load_seed(source).pk))

    def assert_lines_in_order(self, expected: list[str], text: str, where: str) -> None:
        position = 0
        for line in expected:
            found = text.find(line, position)
            if found < 0:
                self.fail(
                    f"{where}: seed paragraph not found after position {position}:\n{line}\n\nnear:\n{text[position : position + 300]}"
                )
            position = found + len(line)
        self.assertEqual(text, " ".join(expected), f"{where}: text outside the seed's paragraphs")

    def check(self, source: Path) -> None:
        doc = self.document(source)
        expected = expected_lines(source, doc)
        with self.subTest(format="docx"):
            self.assertEqual(docx_lines(render_docx(doc)), expected)
        with self.subTest(format="pdf"):
            self.assert_lines_in_order(expected, content_text(render_pdf(doc)), "PDF")
        with self.subTest(format="html"):
            self.assert_lines_in_order(expected, html_text(render_html(doc)), "HTML preview")

    def test_hung_thang_may_2026(self) -> None:
        self.check(HUNG_THANG)

    def test_binh_giang_february_2026(self) -> None:
        self.check(BINH_GIANG)

    def test_every_number_of_the_seeds_is_printed(self) -> None:
        for source in (HUNG_THANG, BINH_GIANG):
            with self.subTest(source=source.name):
                seed = (SEEDS_DIR / SEED_FILES[source]).read_text(encoding="utf-8")
                printed = " ".join(docx_lines(render_docx(self.document(source))))
                numbers = set(re.findall(r"\d[\d./%:-]*\d%?|\d%?", seed))
                missing = sorted(n for n in numbers if n not in printed and n != "3")
                self.assertEqual(missing, [])

    def test_every_known_difference_has_a_reason(self) -> None:
        for differences in KNOWN_DIFFERENCES.values():
            for difference in differences:
                self.assertGreater(len(difference.reason), 20)
