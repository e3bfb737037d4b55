"""Tests for the city-figures helpers of communes.access (reminders, national view), against the
whole cast. Each test states the whole table of answers ("ok", "403", "404")."""

from django.core.exceptions import PermissionDenied
from django.http import Http404

from communes import access
from tests import factories
from tests.communes.test_access_workflow import CAST, WorkflowAccessTestCase, table

COMMUNE_STAFF_HP = ("officer_a", "submitting_officer_a", "leader_a", "officer_b", "leader_b")


class CityAccessTestCase(WorkflowAccessTestCase):
    def outcome(self, call, user) -> str:  # type: ignore[no-untyped-def]
        try:
            call(user)
        except Http404:
            return "404"
        except PermissionDenied:
            return "403"
        return "ok"

    def assertOutcomes(self, expected: dict[str, str], call) -> None:  # type: ignore[no-untyped-def]  # noqa: N802
        self.assertEqual(set(expected), set(CAST))
        for name, want in expected.items():
            with self.subTest(user=name):
                self.assertEqual(self.outcome(call, getattr(self, name)), want)


class GetPeriodForRemindersTests(CityAccessTestCase):
    def test_only_the_provinces_reviewer_reminds(self) -> None:
        self.assertOutcomes(
            table(ok=("reviewer",), forbidden=(*COMMUNE_STAFF_HP, "city_admin", "superuser")),
            lambda user: access.get_period_for_reminders(user, self.period.pk),
        )

    def test_ha_noi_period(self) -> None:
        period = factories.make_period(factories.make_regime(self.other_province, name="Báo cáo Hà Nội"))
        self.assertOutcomes(
            table(ok=("other_reviewer",), forbidden=("officer_c", "superuser")),
            lambda user: access.get_period_for_reminders(user, period.pk),
        )

    def test_an_unknown_period_is_404(self) -> None:
        self.assertOutcomes(table(), lambda user: access.get_period_for_reminders(user, 999999))

    def test_can_send_reminders_matches(self) -> None:
        period = access.get_period_for_grid(self.superuser, self.period.pk)
        for name in CAST:
            with self.subTest(user=name):
                self.assertEqual(access.can_send_reminders(getattr(self, name), period), name == "reviewer")


class CheckNationalViewTests(CityAccessTestCase):
    def test_only_superusers(self) -> None:
        expected = dict.fromkeys(CAST, "403") | {"superuser": "ok"}
        self.assertOutcomes(expected, access.check_national_view)
