"""Tests for reports.demo: the seed reports as demo data."""

from datetime import datetime
from io import StringIO
from zoneinfo import ZoneInfo

import time_machine
from django.core.management import call_command
from django.test import TestCase, override_settings

from reports.demo import SEED_FILES, load_demo_reports
from reports.exchange import export_report_data, parse_report_json
from reports.models import OutlineSection, Period, Report, ReportEvent, ReportingRegime, Target
from tests import factories

# The demo opens the periods up to "today"; pinned so the expected periods do not move.
TODAY = datetime(2026, 11, 23, 9, 0, tzinfo=ZoneInfo("Asia/Ho_Chi_Minh"))


def counts() -> dict[str, int]:
    models = (ReportingRegime, Target, OutlineSection, Period, Report, ReportEvent)
    return {model.__name__: model.objects.count() for model in models}


@time_machine.travel(TODAY, tick=False)
class LoadDemoReportsTests(TestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        province = factories.make_province(31, "Thành phố Hải Phòng")
        factories.make_commune(11809, "Xã Hùng Thắng", province)
        factories.make_commune(10966, "Xã Bình Giang", province)

    def test_imports_both_seed_reports_as_they_are(self) -> None:
        summary = load_demo_reports()
        self.assertEqual(summary, "2 báo cáo (xã Hùng Thắng tháng 5 năm 2026, xã Bình Giang tháng 02 năm 2026)")
        for path, commune in zip(SEED_FILES, (11809, 10966), strict=True):
            with self.subTest(path.name):
                report = Report.objects.get(commune_id=commune)
                self.assertEqual(export_report_data(report), parse_report_json(path.read_bytes()))

    def test_binh_giang_reports_in_its_own_outline_and_every_other_commune_in_hung_thangs(self) -> None:
        other = factories.make_commune(11810, "Xã Thử Nghiệm", factories.make_province())
        load_demo_reports()
        hung_thang = ReportingRegime.objects.get(name__contains="Hùng Thắng")
        binh_giang = ReportingRegime.objects.get(name__contains="Bình Giang")
        self.assertEqual(set(hung_thang.bound_communes().values_list("pk", flat=True)), {11809, other.pk})
        self.assertEqual(list(binh_giang.bound_communes().values_list("pk", flat=True)), [10966])
        self.assertEqual(list(ReportingRegime.objects.for_commune(other)), [hung_thang])

    def test_keeps_the_binh_giang_figure_with_its_explanation(self) -> None:
        load_demo_reports()
        report = Report.objects.get(commune_id=10966)
        self.assertEqual(report.figures["values"]["procedures_city_total"], 2278)
        self.assertTrue(report.explanations["procedures_city_total.balance"])

    def test_opens_the_last_three_months_for_both_regimes(self) -> None:
        load_demo_reports()
        for regime in ReportingRegime.objects.all():
            with self.subTest(regime.name):
                slugs = {period.slug for period in regime.periods.all()}
                self.assertTrue({"2026-09", "2026-10", "2026-11"} <= slugs)
                self.assertNotIn("2026-12", slugs)

    def test_running_twice_changes_nothing(self) -> None:
        load_demo_reports()
        before = counts()
        summary = load_demo_reports()
        self.assertEqual(counts(), before)
        self.assertEqual(before["Report"], 2)
        self.assertEqual(before["ReportingRegime"], 2)
        self.assertEqual(
            summary,
            "2 báo cáo (xã Hùng Thắng tháng 5 năm 2026, xã Bình Giang tháng 02 năm 2026); "
            "2 báo cáo đã có từ trước, giữ nguyên",
        )

    def test_leaves_an_edited_report_as_it_is(self) -> None:
        load_demo_reports()
        report = Report.objects.get(commune_id=11809)
        report.narrative = {"danh-gia": {"text": "Đã sửa.", "after": ""}}
        report.save(update_fields=["narrative"])
        load_demo_reports()
        report.refresh_from_db()
        self.assertEqual(report.narrative, {"danh-gia": {"text": "Đã sửa.", "after": ""}})

    def test_seed_demo_prints_the_reports(self) -> None:
        out = StringIO()
        with override_settings(DEBUG=True):
            call_command("seed_demo", stdout=out)
        self.assertIn(
            "Báo cáo mẫu: 2 báo cáo (xã Hùng Thắng tháng 5 năm 2026, xã Bình Giang tháng 02 năm 2026).",
            out.getvalue(),
        )
