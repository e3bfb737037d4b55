"""Regime settings beyond the monthly defaults travel in report files: end-of-month cut-off,
month offset, issue order and early sending (written only when not the default)."""

from reports.demo import SEED_FILES
from reports.exchange import export_report_data, import_report_data, read_report_file, schema_problems
from reports.models import IssueFlow, ReportingRegime
from tests.base import BaseTestCase

HUNG_THANG = SEED_FILES[0]


def seed(path):  # type: ignore[no-untyped-def]
    return read_report_file(path)


class RegimeSettingsRoundTripTests(BaseTestCase):
    def test_offset_end_of_month_and_issue_order_survive_export_and_import(self) -> None:
        report = import_report_data(seed(HUNG_THANG))
        ReportingRegime.objects.filter(pk=report.period.regime_id).update(
            cutoff_day=31, month_offset=1, issue_flow=IssueFlow.ISSUE_THEN_SEND, allow_early_sending=True
        )
        data = export_report_data(report)
        self.assertEqual(
            {
                name: data["regime"][name]
                for name in ("cutoff_day", "month_offset", "issue_flow", "allow_early_sending")
            },
            {"cutoff_day": 31, "month_offset": 1, "issue_flow": "issue_then_send", "allow_early_sending": True},
        )
        self.assertEqual(schema_problems(data), [])
        data["regime"]["name"] = "Bản sao"
        copy = import_report_data(data)
        regime = copy.period.regime
        self.assertEqual(
            (regime.cutoff_day, regime.month_offset, regime.issue_flow, regime.allow_early_sending),
            (31, 1, IssueFlow.ISSUE_THEN_SEND, True),
        )

    def test_a_cut_off_on_the_29th_or_30th_is_refused_with_a_reason(self) -> None:
        from reports.exchange import ImportProblems

        data = seed(HUNG_THANG)
        data["regime"]["name"] = "Chốt ngày 30"
        data["regime"]["cutoff_day"] = 30
        with self.assertRaises(ImportProblems) as caught:
            import_report_data(data)
        self.assertIn("ngày 29, 30 không có ở mọi tháng", caught.exception.problems[0].message)
        self.assertFalse(ReportingRegime.objects.filter(name="Chốt ngày 30").exists())
