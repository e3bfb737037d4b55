"""Text as typed: a single line break in a narrative box is a new paragraph in the document model,
the preview, the PDF and the DOCX, with the seeds' body style and first-line indent; bullets stay bullets."""

from io import BytesIO

import docx

from reports.models import Report
from reports.rendering.document import build_report_document
from reports.rendering.docx import render_docx
from reports.rendering.pdf import render_pdf
from tests.base import BaseTestCase
from tests.reports.test_document import HUNG_THANG, load_seed
from tests.reports.test_render_pdf import page_lines, page_words

TYPED = "Ủy ban nhân dân xã đề nghị:\n- Tăng cường tập huấn cho cán bộ một cửa;\n- Bổ sung máy quét tài liệu."
BULLETS = ("- Tăng cường tập huấn cho cán bộ một cửa;", "- Bổ sung máy quét tài liệu.")


class TextAsTypedTests(BaseTestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        report = load_seed(HUNG_THANG)
        narrative = {**report.narrative, "kien-nghi": {"text": TYPED, "after": ""}}
        Report.objects.filter(pk=report.pk).update(narrative=narrative)
        cls.report = Report.objects.get(pk=report.pk)

    def setUp(self) -> None:
        self.doc = build_report_document(self.report)

    def test_each_typed_line_is_its_own_paragraph_in_the_document(self) -> None:
        texts = [block.text for block in self.doc.body]
        start = texts.index("Ủy ban nhân dân xã đề nghị:")
        self.assertEqual(tuple(texts[start + 1 : start + 3]), BULLETS)

    def test_bullets_are_separate_lines_of_the_pdf_indented_like_every_paragraph(self) -> None:
        data = render_pdf(self.doc)
        lines = [" ".join(line.split()) for page in page_lines(data) for line in page]
        for bullet in BULLETS:
            self.assertIn(bullet, lines)
        # Each bullet starts a paragraph: its first word sits at the same first-line indent as the
        # paragraph before it ("Ủy ban nhân dân xã đề nghị:").
        lead = ["Ủy", "ban", "nhân", "dân", "xã", "đề", "nghị:"]
        for page in range(1, len(page_lines(data)) + 1):
            words = page_words(data, page)
            texts = [w.text for w in words]
            found = [i for i in range(len(texts)) if texts[i : i + len(lead)] == lead]
            if found:
                first, bullet = words[found[0]], words[found[0] + len(lead)]
                self.assertEqual(bullet.text, "-")
                self.assertAlmostEqual(bullet.x_min, first.x_min, delta=0.5)
                self.assertGreater(bullet.y_min, first.y_min)
                break
        else:
            self.fail("The bullets and the paragraph before them were not found on one page.")

    def test_bullets_are_separate_docx_paragraphs_with_the_body_style(self) -> None:
        document = docx.Document(BytesIO(render_docx(self.doc)))
        paragraphs = [p for p in document.paragraphs if p.text.strip()]
        texts = [p.text for p in paragraphs]
        start = texts.index("Ủy ban nhân dân xã đề nghị:")
        self.assertEqual(tuple(texts[start + 1 : start + 3]), BULLETS)
        lead, *bullets = paragraphs[start : start + 3]
        for bullet in bullets:
            self.assertEqual(bullet.style.name, lead.style.name)
            self.assertEqual(bullet.paragraph_format.first_line_indent, lead.paragraph_format.first_line_indent)
