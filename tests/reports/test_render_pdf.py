"""Tests for reports.rendering.pdf, reading the PDF back with poppler-utils and pypdf (never mocked)."""

import re
import subprocess
import tempfile
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from io import BytesIO
from pathlib import Path

from pypdf import PdfReader

from reports.models import Report, ReportStatus
from reports.rendering.document import ReportDocument, build_report_document
from reports.rendering.pdf import StaticFilesFetcher, _resources, render_html, render_pdf, static_root
from tests.base import BaseTestCase
from tests.reports.test_document import BINH_GIANG, HUNG_THANG, load_seed

MM = 72 / 25.4  # PDF points per millimetre
WATERMARK_WORDS = ("DỰ", "THẢO")


@dataclass(frozen=True)
class Word:
    text: str
    x_min: float
    y_min: float
    x_max: float
    y_max: float


def poppler(tool: str, data: bytes, *args: str) -> str:
    with tempfile.NamedTemporaryFile(suffix=".pdf") as file:
        file.write(data)
        file.flush()
        return subprocess.run(
            [tool, *args, file.name, *(["-"] if tool == "pdftotext" else [])],
            check=True,
            capture_output=True,
            text=True,
        ).stdout


def page_lines(data: bytes) -> list[list[str]]:
    """Each page's lines in drawing order (pdftotext -raw), blank lines dropped."""
    pages = poppler("pdftotext", data, "-raw").split("\f")
    return [[line for line in page.splitlines() if line.strip()] for page in pages if page.strip()]


def page_words(data: bytes, page: int) -> list[Word]:
    html = poppler("pdftotext", data, "-bbox", "-f", str(page), "-l", str(page))
    pattern = r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">([^<]*)</word>'
    return [Word(text, float(a), float(b), float(c), float(d)) for a, b, c, d, text in re.findall(pattern, html)]


def unescape(text: str) -> str:
    return text.replace("&lt;", "<").replace("&gt;", ">").replace("&quot;", '"').replace("&amp;", "&")


def content_text(data: bytes, *, watermark: bool = True, appendix_pages: int = 0) -> str:
    """All text but the page numbers and the watermark, whitespace normalised."""
    pages = page_lines(data)
    main_pages = len(pages) - appendix_pages
    kept = []
    for index, lines in enumerate(pages):
        number = index + 1 if index < main_pages else index + 1 - main_pages
        if number > 1:
            self_number = lines.pop()
            if self_number != str(number):
                raise AssertionError(f"Page {index + 1} ends with {self_number!r}, not its number {number}.")
        if watermark:
            if lines[:2] != list(WATERMARK_WORDS):
                raise AssertionError(f"Page {index + 1} does not start with the watermark: {lines[:2]}")
            lines = lines[2:]
        kept.extend(lines)
    return join_lines(kept)


def join_lines(lines: list[str]) -> str:
    """Lines of running text joined with spaces, except where a line broke right after "/" or a
    hyphen inside a word (the line-breaking rules allow "48/" + "KH-UBND", "65/KH-" + "UBND")."""
    text = ""
    for line in lines:
        line = " ".join(line.split())
        if text and not (text.endswith("/") or (text.endswith("-") and not text.endswith(" -"))):
            text += " "
        text += line
    return text


def document_text(doc: ReportDocument) -> str:
    """Everything the document model says, in print order."""
    header = doc.header
    parts = [
        *header.parent_lines,
        *header.agency_lines,
        header.national_name,
        header.motto,
        header.number_line,
        header.place_date_line,
        doc.document_type,
        doc.subject,
        *(block.text for block in doc.body),
        doc.recipients_heading,
        *doc.recipients,
        *doc.signature.upper_lines,
        doc.signature.name,
    ]
    return " ".join(" ".join(parts).split())


def build(report: Report) -> ReportDocument:
    return build_report_document(Report.objects.get(pk=report.pk))


class PdfTests(BaseTestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        cls.report = load_seed(HUNG_THANG)

    def setUp(self) -> None:
        self.doc = build(self.report)
        self.data = render_pdf(self.doc)

    def test_is_a_pdf_of_a4_pages(self) -> None:
        self.assertTrue(self.data.startswith(b"%PDF-"))
        reader = PdfReader(BytesIO(self.data))
        self.assertGreaterEqual(len(reader.pages), 3)
        for page in reader.pages:
            self.assertAlmostEqual(float(page.mediabox.width), 210 * MM, places=1)
            self.assertAlmostEqual(float(page.mediabox.height), 297 * MM, places=1)
        self.assertEqual(reader.metadata.title, self.doc.title)

    def test_fonts_are_liberation_serif_embedded_and_subset(self) -> None:
        rows = poppler("pdffonts", self.data).splitlines()[2:]
        names = []
        for row in rows:
            name, *_, emb, sub, uni, _obj, _gen = row.split()
            names.append(name)
            self.assertEqual((emb, sub, uni), ("yes", "yes", "yes"), row)
            self.assertRegex(name, r"^[A-Z]{6}\+Liberation-Serif-Embedded")
        self.assertEqual(
            sorted(name.split("+")[1] for name in names),
            [
                "Liberation-Serif-Embedded",
                "Liberation-Serif-Embedded-Bold",
                "Liberation-Serif-Embedded-Bold-Italic",
                "Liberation-Serif-Embedded-Italic",
            ],
        )

    def test_every_character_comes_back_as_written(self) -> None:
        # No missing-glyph boxes and no substituted letters: Vietnamese text extracts unchanged.
        self.assertEqual(content_text(self.data), document_text(self.doc))

    def test_margins_are_the_provinces(self) -> None:
        words = [word for word in page_words(self.data, 2) if word.y_min > 20 * MM]
        self.assertAlmostEqual(min(word.x_min for word in words), 30 * MM, delta=0.5)
        # Justified lines reach the right margin.
        self.assertAlmostEqual(max(word.x_max for word in words), (210 - 15) * MM, delta=0.5)
        self.assertGreaterEqual(min(word.y_min for word in words), 20 * MM - 0.5)

    def test_body_lines_are_17pt_apart_with_6pt_more_between_paragraphs(self) -> None:
        # standards.md §10: exactly 17 pt lines, at least 6 pt before each paragraph.
        # The rotated watermark comes back as words or single letters at odd heights.
        watermark = {*WATERMARK_WORDS, *"DỰTHẢO"}
        words = [w for w in page_words(self.data, 2) if w.y_min > 20 * MM and w.text not in watermark]
        tops = sorted({round(word.y_min, 1) for word in words})
        gaps = {round(b - a, 1) for a, b in zip(tops, tops[1:], strict=False)}
        self.assertEqual(gaps, {17.0, 23.0})

    def test_page_numbers_centred_in_the_top_margin_from_page_two(self) -> None:
        first = page_words(self.data, 1)
        self.assertGreaterEqual(min(word.y_min for word in first), 20 * MM - 0.5)
        (number,) = [word for word in page_words(self.data, 2) if word.y_max < 20 * MM]
        self.assertEqual(number.text, "2")
        centre = (30 + (210 - 15)) / 2 * MM
        self.assertAlmostEqual((number.x_min + number.x_max) / 2, centre, delta=0.5)

    def test_draft_watermark_on_every_page_and_none_once_accepted(self) -> None:
        for lines in page_lines(self.data):
            self.assertEqual(lines[:2], list(WATERMARK_WORDS))
        Report.objects.filter(pk=self.report.pk).update(status=ReportStatus.ACCEPTED)
        doc = build(self.report)
        data = render_pdf(doc)
        self.assertNotIn("THẢO", poppler("pdftotext", data, "-raw"))
        self.assertEqual(content_text(data, watermark=False), document_text(doc))

    def test_header_layout(self) -> None:
        words = page_words(self.data, 1)

        def line(text: str) -> list[Word]:
            found = [w for w in words if w.text == text.split()[0]]
            for candidate in found:
                same_line = [w for w in words if abs(w.y_min - candidate.y_min) < 1 and w.x_min >= candidate.x_min]
                same_line.sort(key=lambda w: w.x_min)
                if " ".join(w.text for w in same_line).startswith(text):
                    return same_line[: len(text.split())]
            raise AssertionError(f"{text!r} not found")

        agency, national = line("ỦY BAN NHÂN DÂN"), line("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM")
        number, place = line("Số:"), line("Hùng Thắng, ngày")
        # Agency left and Quốc hiệu right on one line; number and place-date on the next row.
        self.assertAlmostEqual(agency[0].y_min, national[0].y_min, delta=1)
        self.assertAlmostEqual(number[0].y_min, place[0].y_min, delta=2)
        self.assertLess(agency[-1].x_max, national[0].x_min)
        self.assertLess(national[-1].x_max, (210 - 15) * MM + 0.5)
        # The number row starts 6 pt below the rule under the motto.
        motto = line("Độc lập - Tự do - Hạnh phúc")
        self.assertGreater(number[0].y_min - motto[0].y_max, 6 + 3)


class AppendixPdfTests(BaseTestCase):
    def test_landscape_appendix_numbered_on_its_own(self) -> None:
        report = load_seed(BINH_GIANG)
        report.period.regime.include_appendix = True
        report.period.regime.save(update_fields=["include_appendix"])
        doc = build(report)
        data = render_pdf(doc)
        reader = PdfReader(BytesIO(data))
        last = reader.pages[-1]
        self.assertAlmostEqual(float(last.mediabox.width), 297 * MM, places=1)
        self.assertAlmostEqual(float(last.mediabox.height), 210 * MM, places=1)
        lines = page_lines(data)[-1]
        self.assertEqual(
            lines[2:5],
            [
                "Phụ lục",
                "KẾT QUẢ GIẢI QUYẾT THỦ TỤC HÀNH CHÍNH",
                doc.appendix.reference_line.replace("         ", " ").replace("      ", " "),
            ],
        )
        self.assertIn("Tổng cộng 795 795 0 0 790 0 790 0 5 5 0", lines)
        # Its first page shows no number; the main text's pages are numbered as before.
        self.assertNotRegex(lines[-1], r"^\d+$")
        content_text(data, appendix_pages=1)


class SafetyTests(BaseTestCase):
    def test_user_text_is_escaped(self) -> None:
        report = load_seed(HUNG_THANG)
        narrative = dict(report.narrative)
        narrative["danh-gia"] = {
            "text": '<b>Đậm?</b> & <img src="http://example.com/x.png"> {received_total}',
            "after": "",
        }
        Report.objects.filter(pk=report.pk).update(narrative=narrative)
        doc = build(report)
        html = render_html(doc)
        self.assertIn(
            "&lt;b&gt;Đậm?&lt;/b&gt; &amp; &lt;img src=&quot;http://example.com/x.png&quot;&gt; {received_total}", html
        )
        self.assertNotIn("<img", html)
        text = content_text(render_pdf(doc))
        self.assertIn('<b>Đậm?</b> & <img src="http://example.com/x.png"> {received_total}', text)

    def test_the_fetcher_serves_static_files_only(self) -> None:
        root = static_root()
        fetcher = StaticFilesFetcher(root)
        font = root / "fonts" / "LiberationSerif-Regular.ttf"
        response = fetcher.fetch(font.as_uri())
        self.assertEqual(response.read(), font.read_bytes())
        self.assertEqual(response.content_type, "font/ttf")
        refused = [
            "http://example.com/x.png",
            "https://example.com/font.ttf",
            "ftp://example.com/x",
            "data:text/plain,hello",
            "file:///etc/passwd",
            (root / ".." / "config" / "settings.py").as_uri(),
            root.as_uri() + "/css/../../manage.py",
            (root / "css" / "missing.css").as_uri(),
            "file://evil.example/" + str(font),
        ]
        for url in refused:
            with self.subTest(url=url), self.assertRaises(ValueError):
                fetcher.fetch(url)

    def test_font_configuration_and_stylesheet_are_parsed_once_per_process(self) -> None:
        self.assertIs(_resources(), _resources())
        font_config, stylesheet, fetcher = _resources()
        self.assertEqual(fetcher.root, static_root())
        self.assertEqual(Path(stylesheet.base_url.removeprefix("file://")).name, "print.css")

    def test_threads_of_one_process_render_one_at_a_time_and_each_gets_its_whole_report(self) -> None:
        # A gthread worker serves several requests at once; their PDFs must not mix.
        doc = build(load_seed(HUNG_THANG))
        expected = document_text(doc)
        with ThreadPoolExecutor(max_workers=3) as pool:
            results = list(pool.map(lambda _: render_pdf(doc), range(3)))
        for data in results:
            self.assertEqual(content_text(data), expected)
