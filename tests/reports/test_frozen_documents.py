"""An issued report's document is frozen: editing every commune and regime setting afterwards
changes neither its preview nor its stored PDF and DOCX."""

import hashlib
from datetime import date, datetime

from reports import workflow
from reports.demo import SEED_FILES
from reports.exchange import import_report_data, read_report_file
from reports.models import IssuedDocument, OutlineSection, Report, ReportStatus, SectionKind, Target
from tests.base import BaseTestCase
from tests.reports.workflow_helpers import VN, TempMediaMixin, at

ISSUED_AT = datetime(2026, 5, 20, 9, 0, tzinfo=VN)


class FrozenDocumentTests(TempMediaMixin, BaseTestCase):
    def setUp(self) -> None:
        super().setUp()
        report = import_report_data(read_report_file(SEED_FILES[0]))
        Report.objects.filter(pk=report.pk).update(status=ReportStatus.ACCEPTED, accepted_at=ISSUED_AT)
        self.report = Report.objects.select_related("commune__province", "period__regime").get(pk=report.pk)
        self.login(self.leader_a)

    def download(self, fmt: str) -> bytes:
        response = self.client.get(f"/reports/{self.report.pk}/download/{fmt}/")
        self.assertEqual(response.status_code, 200)
        return b"".join(response.streaming_content)

    def issue(self) -> None:
        with at(ISSUED_AT), self.captureOnCommitCallbacks(execute=True):
            workflow.issue_report(self.report, by=self.leader_a, issued_on=date(2026, 5, 20), number=25)

    def edit_every_setting(self) -> None:
        commune = self.report.commune
        commune.name = "Phường Mới"
        commune.header_parent = "UBND THÀNH PHỐ KHÁC"
        commune.header_agency = "ỦY BAN NHÂN DÂN\nPHƯỜNG MỚI"
        commune.place_name = "Nơi Khác"
        commune.document_symbol = "BC-KHAC"
        commune.signer_authority = "TM. ỦY BAN NHÂN DÂN"
        commune.signer_position = "CHỦ TỊCH"
        commune.signer_name = "Người Khác"
        commune.recipients = "Nơi nhận khác\nLưu: VT"
        commune.kind = "phuong"
        commune.save()
        province = commune.province
        province.name = "Tỉnh Khác"
        province.kind = "tỉnh"
        province.margin_top_mm, province.margin_left_mm = 25, 35
        province.margin_bottom_mm, province.margin_right_mm = 25, 20
        province.save()
        regime = self.report.period.regime
        regime.directive = "Công văn số 999/UBND ngày 01/01/2027 của UBND tỉnh"
        regime.subject_template = "Tiêu đề khác {period_label}"
        regime.opening_template = "Mở đầu khác."
        regime.closing_template = "Kết thúc khác./."
        regime.include_appendix = not regime.include_appendix
        regime.save()
        for section in OutlineSection.objects.filter(regime=regime):
            section.title = f"Mục đã sửa {section.pk}"
            section.template = "Đoạn văn khác {received_total}." if section.template else ""
            section.save()
        OutlineSection.objects.create(regime=regime, key="muc-moi", title="MỤC MỚI", kind=SectionKind.NARRATIVE)
        Target.objects.filter(regime=regime).update(minimum=1)
        Report.objects.filter(pk=self.report.pk).update(signer_name="", recipients="")

    def test_the_issued_pdf_docx_and_preview_survive_every_later_edit(self) -> None:
        self.issue()
        stored = {item.fmt: item for item in IssuedDocument.objects.filter(report=self.report)}
        self.assertEqual(set(stored), {"pdf", "docx"})
        pdf, docx = self.download("pdf"), self.download("docx")
        self.assertEqual(hashlib.sha256(pdf).hexdigest(), stored["pdf"].sha256)
        self.assertEqual(hashlib.sha256(docx).hexdigest(), stored["docx"].sha256)
        preview_before = self.client.get(f"/reports/{self.report.pk}/preview/").content.decode()
        self.assertIn("XÃ HÙNG THẮNG", preview_before)
        self.assertIn("25/BC-UBND", preview_before)

        self.edit_every_setting()

        self.assertEqual(self.download("pdf"), pdf)
        self.assertEqual(self.download("docx"), docx)
        self.assertEqual(IssuedDocument.objects.count(), 2)
        preview_after = self.client.get(f"/reports/{self.report.pk}/preview/").content.decode()
        self.assertIn("XÃ HÙNG THẮNG", preview_after)
        self.assertIn("25/BC-UBND", preview_after)
        self.assertIn("137/UBND-TTPVHCC", preview_after)
        for changed in ("PHƯỜNG MỚI", "BC-KHAC", "Nơi Khác", "Người Khác", "999/UBND", "Mục đã sửa", "MỤC MỚI"):
            self.assertNotIn(changed, preview_after)

    def test_a_lost_store_is_rendered_once_from_the_frozen_copy(self) -> None:
        with at(ISSUED_AT):
            # Without running the after-commit rendering: the first download renders and stores.
            workflow.issue_report(self.report, by=self.leader_a, issued_on=date(2026, 5, 20), number=25)
        self.assertFalse(IssuedDocument.objects.exists())
        self.edit_every_setting()
        pdf = self.download("pdf")
        self.assertEqual(IssuedDocument.objects.filter(fmt="pdf").count(), 1)
        self.assertEqual(self.download("pdf"), pdf)

    def test_an_amendment_unfreezes_and_keeps_the_issued_files(self) -> None:
        self.issue()
        with at(ISSUED_AT):
            workflow.amend_report(self.report, by=self.leader_a, reason="Đính chính số liệu.")
        report = Report.objects.get(pk=self.report.pk)
        self.assertIsNone(report.frozen)
        self.assertEqual(IssuedDocument.objects.filter(report=report, revision=0).count(), 2)
