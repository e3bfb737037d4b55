"""Tests for `manage.py check_content`: stored content breaking today's rules, reported and safely fixed."""

import unicodedata
from io import StringIO

from django.core.management import call_command

from communes.models import Commune
from reports.models import EventKind, OutlineSection, Report, ReportEvent, ReportingRegime, Submission
from reports.workflow import content_snapshot
from tests.reports.entry_fixtures import EntryViewTestCase


class CheckContentCommandTests(EntryViewTestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        # Written straight to the database, as data stored before the rules would be.
        Report.objects.filter(pk=cls.report.pk).update(
            narrative={
                "danh-gia": {"text": "Tốt\x01\r\n" + unicodedata.normalize("NFD", "Hùng Thắng"), "after": ""},
                "khong-co": {"text": "Mục đã bỏ", "after": ""},
            },
            signer_name="Trần\x0bĐình",
            figures={**cls.report.figures, "values": {"pakn_received": 10**12}},
        )
        Commune.objects.filter(pk=cls.commune_a.pk).update(place_name="Hùng\x1fThắng")
        ReportingRegime.objects.filter(pk=cls.regime.pk).update(subject_template="Kết quả\x85 CCHC")
        cls.section = OutlineSection.objects.filter(regime=cls.regime).first()

    def run_command(self, *args: str) -> str:
        out = StringIO()
        call_command("check_content", *args, stdout=out)
        return out.getvalue()

    def test_reports_each_problem_by_object_and_field_and_changes_nothing(self) -> None:
        before = Report.objects.filter(pk=self.report.pk).values().get()
        events = ReportEvent.objects.count()
        output = self.run_command()
        where = f"Báo cáo {self.report.pk} (Xã Hùng Thắng, tháng 5 năm 2026)"
        self.assertIn(f"{where}: narrative: có ký tự điều khiển không in được (U+0001)", output)
        self.assertIn(f"{where}: narrative: có ký tự xuống dòng CR (\\r).", output)
        self.assertIn(f"{where}: narrative: chữ không ở dạng Unicode NFC.", output)
        self.assertIn(f"{where}: signer_name: có ký tự điều khiển không in được (U+000B)", output)
        self.assertIn(f"{where}: Số phản ánh, kiến nghị đã tiếp nhận: số quá lớn", output)
        self.assertIn(f"Xã {self.commune_a.pk} (Xã Hùng Thắng): địa danh ghi ở dòng ngày tháng: có ký tự", output)
        self.assertIn("(U+0085)", output)
        self.assertIn("chưa sửa gì", output)
        # A section removed from the outline keeps its stored text: not a problem.
        self.assertNotIn("khong-co", output)
        self.assertEqual(Report.objects.filter(pk=self.report.pk).values().get(), before)
        self.assertEqual(ReportEvent.objects.count(), events)

    def test_fix_applies_only_the_safe_fixes_and_records_them(self) -> None:
        output = self.run_command("--fix")
        self.assertIn(f"Đã sửa: Báo cáo {self.report.pk}", output)
        stored = Report.objects.get(pk=self.report.pk)
        self.assertEqual(stored.narrative["danh-gia"]["text"], "Tốt\nHùng Thắng")
        self.assertEqual(stored.signer_name, "TrầnĐình")
        self.assertEqual(stored.version, 2)
        # A number beyond the maximum is not a safe fix: reported, left as it was.
        self.assertEqual(stored.figures["values"]["pakn_received"], 10**12)
        event = ReportEvent.objects.filter(report=stored).latest("id")
        self.assertEqual(event.kind, EventKind.SAVED)
        self.assertIn("check_content", event.note)
        self.assertEqual(Commune.objects.get(pk=self.commune_a.pk).place_name, "HùngThắng")
        self.assertEqual(ReportingRegime.objects.get(pk=self.regime.pk).subject_template, "Kết quả CCHC")
        again = self.run_command()
        self.assertNotIn("U+0001", again)
        self.assertIn("số quá lớn", again)

    def test_snapshots_are_reported_never_changed(self) -> None:
        Report.objects.filter(pk=self.report.pk).update(figures=self.report.figures)
        snapshot = content_snapshot(Report.objects.get(pk=self.report.pk))
        snapshot["document"]["signer_name"] = "Trần\x01"
        submission = Submission.objects.create(
            report=self.report,
            sequence=1,
            submitted_at=self.report.created_at,
            submitted_by=self.officer_a,
            deadline=self.may.deadline,
            on_time=True,
            content=snapshot,
        )
        output = self.run_command("--fix")
        self.assertIn(f"Báo cáo {self.report.pk}, bản đã gửi {submission.pk}: có ký tự điều khiển", output)
        submission.refresh_from_db()
        self.assertEqual(submission.content["document"]["signer_name"], "Trần\x01")

    def test_clean_data_reports_nothing(self) -> None:
        Report.objects.filter(pk=self.report.pk).update(
            narrative=self.report.narrative, signer_name="", figures=self.report.figures
        )
        Commune.objects.filter(pk=self.commune_a.pk).update(place_name="Hùng Thắng")
        ReportingRegime.objects.filter(pk=self.regime.pk).update(subject_template="Kết quả CCHC")
        self.assertIn("Không có nội dung nào vi phạm quy tắc.", self.run_command())
