"""access.py for dossier lists: the whole cast against commune A's lists and a report's dossiers."""

from django.core.exceptions import PermissionDenied
from django.http import Http404

from communes import access
from tests import factories
from tests.base import BaseTestCase


class DossierAccessTests(BaseTestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        cls.report = factories.make_report(cls.commune_a, factories.make_period(factories.make_regime(cls.province)))

    def outcome(self, call: object) -> str:
        try:
            call()  # type: ignore[operator]
        except Http404:
            return "404"
        except PermissionDenied:
            return "403"
        return "ok"

    def test_commune_lists_are_the_communes_own(self) -> None:
        expected = {
            self.officer_a: "ok",
            self.leader_a: "ok",
            self.superuser: "ok",
            self.officer_b: "404",
            self.officer_c: "404",
            self.other_reviewer: "404",
            self.outsider: "404",
            self.reviewer: "403",
            self.city_admin: "403",
        }
        for user, result in expected.items():
            with self.subTest(user=user.username):
                self.assertEqual(self.outcome(lambda u=user: access.get_commune_for_dossiers(u, 11809)), result)

    def test_dossiers_behind_a_report_are_also_the_reviewers(self) -> None:
        expected = {
            self.officer_a: "ok",
            self.leader_a: "ok",
            self.superuser: "ok",
            self.reviewer: "ok",
            self.city_admin: "403",
            self.officer_b: "404",
            self.other_reviewer: "404",
            self.outsider: "404",
        }
        for user, result in expected.items():
            with self.subTest(user=user.username):
                outcome = self.outcome(lambda u=user: access.get_report_for_dossier_list(u, self.report.pk))
                self.assertEqual(outcome, result)
