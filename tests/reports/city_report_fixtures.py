"""Figures worked out by hand for the Centre's report tests (tests/reports/test_city_report*.py).

Hải Phòng's period 2026-05 binds four communes:
- Hùng Thắng (A), accepted, sent on time: 60 online + 40 direct + 10 carried over = 110 received;
  20 early + 70 on time + 5 overdue = 95 resolved; 12 + 3 = 15 in progress; 30 of 50 paid online;
  90 of 100 digitised.
- Bình Giang (B), submitted 2 days late: 20 + 80 + 0 = 100 received; 10 + 60 + 10 = 80 resolved;
  20 + 0 = 20 in progress; 10 of 50 paid online; digitisation typed as 50% without its counts.
- Xã Kiến Thụy, a draft never sent; Xã Yên Lư, no report at all.

Every sent report (A + B): 80 online + 120 direct + 10 carried = 210 received; 30 + 130 + 15 =
175 resolved; 32 + 3 = 35 in progress. Rates from the sums, never averaged: online submission
80 / 200 = 40% (the average of 60% and 20% is also 40%, so payment tells them apart: 40 / 100 =
40%, while on-time 160 / 175 = 91,43% differs from the average (94,74% + 87,5%) / 2 = 91,12%);
digitisation 90 / 100 = 90% from A's counts alone (B typed its rate).
"""

from decimal import Decimal

from reports.models import Period, Report, ReportStatus, Target
from tests import factories
from tests.reports.workflow_helpers import DashboardTestCase, add_submission

FIGURES_A = {
    "results": [
        {
            "source": "Hệ thống thông tin giải quyết TTHC thành phố",
            "kind": "city",
            "online": 60,
            "direct": 40,
            "carried_over": 10,
            "early": 20,
            "on_time": 70,
            "overdue": 5,
            "pending_on_time": 12,
            "pending_overdue": 3,
        }
    ],
    "values": {"payments_online": 30, "payments_total": 50, "dossiers_digitised": 90, "dossiers_for_digitisation": 100},
}
FIGURES_B = {
    "results": [
        {
            "source": "Hệ thống thông tin giải quyết TTHC thành phố",
            "kind": "city",
            "online": 20,
            "direct": 80,
            "carried_over": 0,
            "early": 10,
            "on_time": 60,
            "overdue": 10,
            "pending_on_time": 20,
            "pending_overdue": 0,
        }
    ],
    "values": {"payments_online": 10, "payments_total": 50, "rate_digitisation": 50},
}
TARGETS = {
    "rate_online_submission": Decimal(60),
    "rate_on_time": Decimal(90),
    "rate_online_payment": Decimal(60),
    "rate_digitisation": Decimal(80),
}


class CityReportTestCase(DashboardTestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        for indicator, minimum in TARGETS.items():
            Target.objects.create(regime=cls.regime, indicator=indicator, minimum=minimum)
        cls.commune_d = factories.make_commune(10999, "Xã Kiến Thụy", cls.province)
        cls.commune_e = factories.make_commune(11999, "Xã Yên Lư", cls.province)
        cls.report_d = factories.make_report(cls.commune_d, cls.period)
        Report.objects.filter(pk=cls.report_a.pk).update(status=ReportStatus.ACCEPTED, figures=FIGURES_A)
        add_submission(cls.report_a, on_time=True)
        Report.objects.filter(pk=cls.report_b.pk).update(status=ReportStatus.SUBMITTED, figures=FIGURES_B)
        add_submission(cls.report_b, on_time=False)

    def loaded_period(self) -> Period:
        """The period as the views get it from communes.access (regime and province loaded)."""
        return Period.objects.select_related("regime__province").get(pk=self.period.pk)
