"""Tests for reports/rendering/cache.py: rendered files keyed by the content of the document."""

import shutil
import tempfile
from pathlib import Path
from unittest import mock

from django.test import override_settings

from reports import services
from reports.models import Report
from reports.rendering import export
from reports.rendering.cache import cache_key, document_key, store_atomically
from reports.rendering.document import build_report_document
from tests.reports.workflow_helpers import WorkflowTestCase


class RenderCacheTests(WorkflowTestCase):
    def setUp(self) -> None:
        super().setUp()
        self.cache_dir = Path(tempfile.mkdtemp(prefix="tthc-cache-test-"))
        self.addCleanup(shutil.rmtree, self.cache_dir, ignore_errors=True)
        override = override_settings(RENDER_CACHE_DIR=self.cache_dir)
        override.enable()
        self.addCleanup(override.disable)

    def render(self, report: Report, fmt: str = "pdf") -> tuple[bytes, int]:
        """The bytes of `report` and how many times the real renderer ran to produce them."""
        renderer = "render_pdf" if fmt == "pdf" else "render_docx"
        real = getattr(export, renderer)
        with mock.patch.object(export, renderer, wraps=real) as spy:
            data = export.render_report(self.fresh(report), fmt)
        return data, spy.call_count

    def cached_files(self) -> list[Path]:
        return sorted(path for path in self.cache_dir.rglob("*") if path.is_file())

    def test_an_unchanged_report_is_rendered_once_and_then_read_back(self) -> None:
        first, runs = self.render(self.report_a)
        self.assertEqual(runs, 1)
        self.assertTrue(first.startswith(b"%PDF"))
        again, runs = self.render(self.report_a)
        self.assertEqual(runs, 0)
        self.assertEqual(again, first)
        self.assertEqual(len(self.cached_files()), 1)

    def test_a_changed_report_is_rendered_again(self) -> None:
        before, _ = self.render(self.report_a)
        report = self.fresh(self.report_a)
        services.save_draft(
            report,
            figures=report.figures,
            narrative={"ket-qua": {"text": "Đã tiếp nhận hồ sơ đúng quy định."}},
            explanations={},
            expected_version=report.version,
            by=self.officer_a,
        )
        after, runs = self.render(self.report_a)
        self.assertEqual(runs, 1)
        self.assertNotEqual(after, before)
        self.assertEqual(len(self.cached_files()), 2)

    def test_each_report_and_format_has_its_own_entry(self) -> None:
        self.render(self.report_a)
        _, runs_b = self.render(self.report_b)
        docx, runs_docx = self.render(self.report_a, "docx")
        self.assertEqual((runs_b, runs_docx), (1, 1))
        self.assertTrue(docx.startswith(b"PK"))
        self.assertEqual([path.suffix for path in self.cached_files()].count(".docx"), 1)
        _, runs = self.render(self.report_a, "docx")
        self.assertEqual(runs, 0)

    def test_the_key_is_the_content_not_the_object(self) -> None:
        doc = build_report_document(self.fresh(self.report_a))
        same = build_report_document(self.fresh(self.report_a))
        other = build_report_document(self.fresh(self.report_b))
        self.assertEqual(document_key(doc), document_key(same))
        self.assertNotEqual(document_key(doc), document_key(other))
        self.assertNotEqual(cache_key(doc, "pdf"), cache_key(doc, "docx"))
        self.assertRegex(document_key(doc), r"^[0-9a-f]{64}$")

    def test_a_status_that_changes_the_watermark_changes_the_key(self) -> None:
        draft = build_report_document(self.fresh(self.report_a))
        accepted = build_report_document(self.drive(self.report_a, "accepted"))
        self.assertNotEqual(draft.watermark, accepted.watermark)
        self.assertNotEqual(document_key(draft), document_key(accepted))

    def test_files_are_written_whole_with_no_temporary_left_behind(self) -> None:
        path = self.cache_dir / "ab" / "abc.pdf"
        store_atomically(path, b"%PDF-1.7 first")
        store_atomically(path, b"%PDF-1.7 second")
        self.assertEqual(path.read_bytes(), b"%PDF-1.7 second")
        self.assertEqual([p.name for p in path.parent.iterdir()], ["abc.pdf"])

    def test_html_is_never_cached(self) -> None:
        export.render_report(self.fresh(self.report_a), "html")
        self.assertEqual(self.cached_files(), [])
