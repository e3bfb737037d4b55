"""load_regimes ships Hải Phòng's two outlines (from the seed reports) without their reports."""

from io import StringIO
from pathlib import Path
from tempfile import TemporaryDirectory

from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import TestCase

from reports.models import OutlineSection, Report, ReportingRegime, Target
from tests import factories


def run(*args: str) -> str:
    out = StringIO()
    call_command("load_regimes", *args, stdout=out)
    return out.getvalue()


class LoadRegimesTests(TestCase):
    def test_creates_both_outlines_with_targets_and_no_report_then_changes_nothing(self) -> None:
        factories.make_province(31, "Thành phố Hải Phòng")
        self.assertEqual(run(), "Chế độ báo cáo: tạo mới 6, đã có 0.\n")
        names = dict(ReportingRegime.objects.values_list("name", "frequency"))
        self.assertEqual(
            names,
            {
                "Báo cáo CCHC 6 tháng (Hải Phòng)": "half_year",
                "Báo cáo CCHC 9 tháng (Hải Phòng)": "nine_months",
                "Báo cáo CCHC hằng năm (Hải Phòng)": "yearly",
                "Báo cáo CCHC hằng quý (Hải Phòng)": "quarterly",
                "Báo cáo CCHC hằng tháng (mẫu Bình Giang)": "monthly",
                "Báo cáo CCHC hằng tháng (mẫu Hùng Thắng)": "monthly",
            },
        )
        hung_thang = ReportingRegime.objects.get(name__contains="Hùng Thắng")
        self.assertFalse(Report.objects.exists())
        # I. KẾT QUẢ THỰC HIỆN (5 items), II, III, IV (3 items): 12 sections.
        self.assertEqual(OutlineSection.objects.filter(regime=hung_thang).count(), 12)
        self.assertEqual(Target.objects.get(regime=hung_thang, indicator="rate_pakn_satisfaction").minimum, 95)
        self.assertFalse(Report.objects.exists())
        sections = OutlineSection.objects.count()
        self.assertEqual(run(), "Chế độ báo cáo: tạo mới 0, đã có 6.\n")
        self.assertEqual(OutlineSection.objects.count(), sections)

    def test_without_the_province_it_says_how_to_load_it(self) -> None:
        with self.assertRaisesMessage(CommandError, "python manage.py load_communes --province 31"):
            run()
        self.assertFalse(ReportingRegime.objects.exists())

    def test_a_broken_file_is_refused_with_its_path(self) -> None:
        with TemporaryDirectory() as folder:
            path = Path(folder) / "hong.json"
            path.write_text('{"format": "bao-cao-cchc"', encoding="utf-8")
            with self.assertRaisesMessage(CommandError, f"{path}: $"):
                run(str(path))
