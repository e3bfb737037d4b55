"""Documents never fail on stored text: a report whose every text holds hostile values renders.

The values are written straight into the database (bypassing the forms' character rules), as
data stored before those rules would be; the preview, DOCX and PDF must still answer 200, escape
HTML, and keep every line on the page.
"""

from io import BytesIO

from docx import Document
from weasyprint import HTML
from weasyprint.formatting_structure.boxes import Box, LineBox

from communes.models import Commune
from reports.models import OutlineSection, Report, ReportingRegime
from reports.rendering.document import build_report_document
from reports.rendering.pdf import _resources, render_html, static_root
from tests.base import BaseTestCase
from tests.reports.test_document import BINH_GIANG, load_seed

# Controls lxml refuses (U+0001, U+000B, U+001F, U+0085), a DEL, RTL override and zero-width
# characters, HTML, then 3,000 characters without a space and a long tail after one.
HOSTILE = "\x01\x0b\x1f\x7f\x85‮RTL‬ a\u200bb\u200d <script>alert('x')</script> &amp; " + "X" * 3000 + " " + "y" * 300

# The same without the 3,000-letter word: 255+ characters with a 120-letter word.
SHORT = HOSTILE[:80] + "Z" * 120 + " " + "đoạn văn " * 10


def hostile(limit: int | None = None) -> str:
    """HOSTILE cut to a column's length, keeping its unbroken run (the part that overflows)."""
    if limit is None:
        return HOSTILE
    return ("\x01\u200b<b>" + "W" * limit)[:limit]


class HostileRenderTests(BaseTestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        cls.report = load_seed(BINH_GIANG, period="2026-02")
        cls.report.commune = cls.commune_a
        Report.objects.filter(pk=cls.report.pk).update(commune=cls.commune_a)
        # The 3,000-letter word once per kind of field (each costs WeasyPrint about a second to
        # lay out); the other rows and sections get the short hostile text.
        figures = cls.report.figures
        for index, row in enumerate(figures["results"]):
            row["source"] = HOSTILE if index == 0 else SHORT
        for index, row in enumerate(figures["sector_agencies"]):
            row["name"] = HOSTILE if index == 0 else SHORT
        for index, row in enumerate(figures["directives"]):
            text = HOSTILE if index == 0 else SHORT
            row.update(doc_type=text, number=text, subject=text)
        narrative = {
            key: {"text": HOSTILE if index == 0 else SHORT, "after": SHORT}
            for index, key in enumerate(sorted(cls.report.narrative))
        }
        Report.objects.filter(pk=cls.report.pk).update(
            figures=figures,
            narrative=narrative,
            explanations=dict.fromkeys(cls.report.explanations, HOSTILE),
            signer_authority=HOSTILE,
            signer_position=hostile(100),
            signer_name=hostile(100),
            recipients=HOSTILE + "\n" + SHORT,
        )
        Commune.objects.filter(pk=cls.commune_a.pk).update(
            header_parent=hostile(200),
            header_agency=SHORT,
            place_name=hostile(100),
            document_symbol=hostile(40),
            signer_authority=SHORT,
            signer_position=hostile(100),
            signer_name=hostile(100),
            recipients=SHORT,
        )
        regime = cls.report.period.regime
        ReportingRegime.objects.filter(pk=regime.pk).update(
            directive=hostile(500),
            subject_template=hostile(500),
            opening_template=SHORT,
            closing_template=HOSTILE,
        )
        OutlineSection.objects.filter(regime=regime).update(title=hostile(500))
        cls.report = Report.objects.get(pk=cls.report.pk)

    def test_the_preview_answers_and_escapes_html(self) -> None:
        self.login(self.officer_a)
        response = self.client.get(f"/reports/{self.report.pk}/preview/")
        self.assertEqual(response.status_code, 200)
        self.assertNotContains(response, "<script>alert")
        self.assertNotContains(response, "<b>W")
        self.assertContains(response, "&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt; &amp;amp;")

    def test_the_docx_downloads_and_opens(self) -> None:
        self.login(self.officer_a)
        response = self.client.get(f"/reports/{self.report.pk}/download/docx/")
        self.assertEqual(response.status_code, 200)
        document = Document(BytesIO(b"".join(response.streaming_content)))
        properties = document.core_properties
        for value in (properties.title, properties.subject, properties.author):
            self.assertLessEqual(len(value), 255)
        self.assertIn("X" * 3000, "\n".join(p.text for p in document.paragraphs))
        self.assertNotIn("\x01", "\n".join(p.text for p in document.paragraphs))

    def test_the_pdf_downloads(self) -> None:
        self.login(self.officer_a)
        response = self.client.get(f"/reports/{self.report.pk}/download/pdf/")
        self.assertEqual(response.status_code, 200)
        self.assertTrue(b"".join(response.streaming_content).startswith(b"%PDF"))

    def test_every_pdf_line_stays_within_the_page(self) -> None:
        font_config, stylesheet, fetcher = _resources()
        doc = build_report_document(self.report)
        html = HTML(string=render_html(doc), base_url=static_root().as_uri() + "/", url_fetcher=fetcher)
        rendered = html.render(stylesheets=[stylesheet], font_config=font_config)
        lines = 0
        for number, page in enumerate(rendered.pages, start=1):
            page_box = page._page_box
            right = page_box.content_box_x() + page_box.width
            for box in _descendants(page_box):
                if isinstance(box, LineBox):
                    for child in _descendants(box):
                        lines += 1
                        edge = child.position_x + child.margin_width()
                        self.assertLessEqual(edge, right + 0.5, f"page {number}: {getattr(child, 'text', '')[:40]!r}")
        self.assertGreater(lines, 100)


def _descendants(box: Box) -> list[Box]:
    """Every box inside `box` but the "DỰ THẢO" watermark, a rotated fixed box laid over the page."""
    found: list[Box] = []
    stack = list(box.all_children()) if hasattr(box, "all_children") else []
    while stack:
        child = stack.pop()
        element = getattr(child, "element", None)
        if element is not None and "bc-watermark" in (element.get("class") or ""):
            continue
        found.append(child)
        if hasattr(child, "all_children"):
            stack.extend(child.all_children())
    return found
