"""Helpers shared by the city-figures tests: the dashboard cast with two targets and a way to
put a sent report with chosen figures in place."""

from decimal import Decimal
from typing import Any

from reports.models import Period, Report, ReportStatus, Target
from tests.reports.workflow_helpers import DashboardTestCase, add_submission, balanced_figures


def results_figures(online: int, direct: int, on_time: int, overdue: int, **values: int) -> dict[str, Any]:
    """One results row: `online` + `direct` received, `on_time` + `overdue` resolved, the rest pending."""
    pending = online + direct - on_time - overdue
    row = {"source": "Hệ thống thành phố", "kind": "city", "online": online, "direct": direct}
    return {"results": [row | {"on_time": on_time, "overdue": overdue, "pending_on_time": pending}], "values": values}


class CityTestCase(DashboardTestCase):
    """The dashboard cast; the regime sets online submission ≥ 60 % and online payment ≥ 50 %."""

    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        Target.objects.create(regime=cls.regime, indicator="rate_online_submission", minimum=Decimal(60))
        Target.objects.create(regime=cls.regime, indicator="rate_online_payment", minimum=Decimal(50))

    def period_with_regime(self) -> Period:
        return Period.objects.select_related("regime").get(pk=self.period.pk)

    def sent(self, report: Report, status: str, figures: dict[str, Any], *, on_time: bool = True) -> None:
        """`report` in `status` with `figures` and a first submission, on time or late."""
        Report.objects.filter(pk=report.pk).update(status=status, figures=figures)
        add_submission(report, on_time=on_time)

    def add_sent_communes(self, count: int, *, start: int) -> None:
        """`count` more communes in every status; the sent ones carry balanced figures."""
        self.add_communes(count, start=start)
        Report.objects.filter(
            period=self.period, status__in=(ReportStatus.SUBMITTED, ReportStatus.ACCEPTED, ReportStatus.ISSUED)
        ).update(figures=balanced_figures(10))


OUTSIDERS = ("officer_c", "other_reviewer", "outsider")
COMMUNE_STAFF = ("officer_a", "leader_a", "officer_b", "leader_b")


class CityPageAccessTests:
    """The access tests every page of a period's figures shares: set `self.url` in setUp."""

    url: str

    def test_anonymous_is_sent_to_log_in(self: Any) -> None:
        self.assertLoginRedirect(self.client.get(self.url), self.url)

    def test_other_provinces_get_404_and_commune_staff_403(self: Any) -> None:
        for names, status in ((OUTSIDERS, 404), (COMMUNE_STAFF, 403)):
            for name in names:
                with self.subTest(user=name):
                    self.login(getattr(self, name))
                    self.assertEqual(self.client.get(self.url).status_code, status)

    def test_post_is_not_allowed(self: Any) -> None:
        self.login(self.reviewer)
        self.assertEqual(self.client.post(self.url).status_code, 405)
