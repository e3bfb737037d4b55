"""Tests for communes.access: every function against every member of the cast.

Each test states the whole table of expected answers, one row per cast member, so a change
in any rule shows up as a named failing row.
"""

from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied
from django.http import Http404

from communes import access
from communes.models import Role
from reports.models import Report, ReportStatus
from tests import factories
from tests.base import BaseTestCase

CAST = (
    "officer_a",
    "leader_a",
    "officer_b",
    "leader_b",
    "officer_c",
    "reviewer",
    "city_admin",
    "other_reviewer",
    "outsider",
    "superuser",
    "anonymous",
)
EDITABLE = (ReportStatus.DRAFT, ReportStatus.RETURNED)
LOCKED = (ReportStatus.SUBMITTED, ReportStatus.ACCEPTED, ReportStatus.ISSUED)


class AccessTestCase(BaseTestCase):
    """The cast plus one report per commune (all in period 2026-05) and a submitting officer."""

    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        cls.anonymous = AnonymousUser()
        cls.period = factories.make_period()
        cls.report_a = factories.make_report(cls.commune_a, cls.period)
        cls.report_b = factories.make_report(cls.commune_b, cls.period)
        cls.report_c = factories.make_report(cls.commune_c, cls.period)
        cls.submitting_officer_a = factories.make_user(
            "canbo.a.duocgui", Role.COMMUNE_OFFICER, commune=cls.commune_a, can_submit=True
        )
        cls.submitting_officer_b = factories.make_user(
            "canbo.b.duocgui", Role.COMMUNE_OFFICER, commune=cls.commune_b, can_submit=True
        )

    def user(self, name: str):  # type: ignore[no-untyped-def]
        return getattr(self, name)

    def set_status(self, report: Report, status: str) -> Report:
        # An issued report carries its number and date, and no other status does (a constraint).
        issued = status == ReportStatus.ISSUED
        Report.objects.filter(pk=report.pk).update(
            status=status,
            number=1 if issued else None,
            issued_on=self.period.end if issued else None,
        )
        return Report.objects.select_related("commune").get(pk=report.pk)

    def assertTable(self, expected: dict, answer) -> None:  # type: ignore[no-untyped-def]  # noqa: N802
        """Check answer(user) == expected[name] for every cast member."""
        self.assertEqual(set(expected), set(CAST), "the table must list the whole cast")
        for name, want in expected.items():
            with self.subTest(user=name):
                self.assertEqual(answer(self.user(name)), want)


class MembershipOfTests(AccessTestCase):
    def test_returns_the_membership_of_commune_and_city_staff(self) -> None:
        self.assertEqual(access.membership_of(self.officer_a).commune, self.commune_a)
        self.assertEqual(access.membership_of(self.reviewer).province, self.province)

    def test_returns_none_without_a_membership(self) -> None:
        for name in ("outsider", "superuser", "anonymous"):
            with self.subTest(user=name):
                self.assertIsNone(access.membership_of(self.user(name)))


class RoleOfTests(AccessTestCase):
    def test_gives_each_cast_member_their_role(self) -> None:
        expected = {
            "officer_a": Role.COMMUNE_OFFICER,
            "leader_a": Role.COMMUNE_LEADER,
            "officer_b": Role.COMMUNE_OFFICER,
            "leader_b": Role.COMMUNE_LEADER,
            "officer_c": Role.COMMUNE_OFFICER,
            "reviewer": Role.CITY_REVIEWER,
            "city_admin": Role.CITY_ADMIN,
            "other_reviewer": Role.CITY_REVIEWER,
            "outsider": None,
            "superuser": None,
            "anonymous": None,
        }
        self.assertTable(expected, access.role_of)


class IsSuperuserTests(AccessTestCase):
    def test_only_the_superuser_is_one(self) -> None:
        expected = dict.fromkeys(CAST, False) | {"superuser": True}
        self.assertTable(expected, access.is_superuser)


class IsCityStaffTests(AccessTestCase):
    def test_reviewers_and_city_admins_are_city_staff(self) -> None:
        expected = dict.fromkeys(CAST, False) | {"reviewer": True, "city_admin": True, "other_reviewer": True}
        self.assertTable(expected, access.is_city_staff)


class IsCityAdminTests(AccessTestCase):
    def test_only_city_admins_are(self) -> None:
        self.assertTable(dict.fromkeys(CAST, False) | {"city_admin": True}, access.is_city_admin)


class AdministeredProvincesTests(AccessTestCase):
    def test_the_city_admin_configures_their_province_and_the_superuser_all(self) -> None:
        expected = dict.fromkeys(CAST, set()) | {"city_admin": {31}, "superuser": {1, 31}}
        self.assertTable(expected, lambda user: set(access.administered_provinces(user).values_list("pk", flat=True)))


class VisibleProvincesTests(AccessTestCase):
    def test_each_role_sees_its_own_province_only(self) -> None:
        hai_phong, ha_noi = {31}, {1}
        expected = {
            "officer_a": hai_phong,
            "leader_a": hai_phong,
            "officer_b": hai_phong,
            "leader_b": hai_phong,
            "officer_c": ha_noi,
            "reviewer": hai_phong,
            "city_admin": hai_phong,
            "other_reviewer": ha_noi,
            "outsider": set(),
            "superuser": {1, 31},
            "anonymous": set(),
        }
        self.assertTable(expected, lambda user: set(access.visible_provinces(user).values_list("pk", flat=True)))

    def test_a_commune_role_sees_its_province_once_however_many_communes_it_has(self) -> None:
        factories.make_commune(11900, "Xã Thêm Một", self.province)
        self.assertEqual(list(access.visible_provinces(self.officer_a)), [self.province])


class VisibleCommunesTests(AccessTestCase):
    def test_commune_staff_see_their_commune_and_city_staff_their_province(self) -> None:
        a, b, c = 11809, 10966, 4
        expected = {
            "officer_a": {a},
            "leader_a": {a},
            "officer_b": {b},
            "leader_b": {b},
            "officer_c": {c},
            "reviewer": {a, b},
            "city_admin": {a, b},
            "other_reviewer": {c},
            "outsider": set(),
            "superuser": {a, b, c},
            "anonymous": set(),
        }
        self.assertTable(expected, lambda user: set(access.visible_communes(user).values_list("pk", flat=True)))

    def test_city_staff_see_communes_added_to_their_province(self) -> None:
        added = factories.make_commune(11900, "Xã Thêm Một", self.province)
        self.assertIn(added, access.visible_communes(self.reviewer))
        self.assertNotIn(added, access.visible_communes(self.officer_a))
        self.assertNotIn(added, access.visible_communes(self.other_reviewer))


class GetCommuneForViewTests(AccessTestCase):
    def answer(self, user, code: int) -> str:  # type: ignore[no-untyped-def]
        try:
            commune = access.get_commune_for_view(user, code)
        except Http404:
            return "404"
        self.assertEqual(commune.pk, code)
        return "ok"

    def test_commune_a(self) -> None:
        expected = dict.fromkeys(CAST, "404") | dict.fromkeys(
            ["officer_a", "leader_a", "reviewer", "city_admin", "superuser"], "ok"
        )
        self.assertTable(expected, lambda user: self.answer(user, 11809))

    def test_commune_b(self) -> None:
        expected = dict.fromkeys(CAST, "404") | dict.fromkeys(
            ["officer_b", "leader_b", "reviewer", "city_admin", "superuser"], "ok"
        )
        self.assertTable(expected, lambda user: self.answer(user, 10966))

    def test_commune_c_of_another_province(self) -> None:
        expected = dict.fromkeys(CAST, "404") | dict.fromkeys(["officer_c", "other_reviewer", "superuser"], "ok")
        self.assertTable(expected, lambda user: self.answer(user, 4))

    def test_an_unknown_code_is_404_even_for_the_superuser(self) -> None:
        self.assertTable(dict.fromkeys(CAST, "404"), lambda user: self.answer(user, 99999))

    def test_loads_the_province_with_the_commune(self) -> None:
        commune = access.get_commune_for_view(self.officer_a, 11809)
        with self.assertNumQueries(0):
            self.assertEqual(commune.province.name, "Thành phố Hải Phòng")


class GetProvinceForReviewTests(AccessTestCase):
    def answer(self, user, code: int) -> str:  # type: ignore[no-untyped-def]
        try:
            province = access.get_province_for_review(user, code)
        except Http404:
            return "404"
        except PermissionDenied:
            return "403"
        self.assertEqual(province.pk, code)
        return "ok"

    def test_hai_phong(self) -> None:
        expected = {
            "officer_a": "403",
            "leader_a": "403",
            "officer_b": "403",
            "leader_b": "403",
            "officer_c": "404",
            "reviewer": "ok",
            "city_admin": "ok",
            "other_reviewer": "404",
            "outsider": "404",
            "superuser": "ok",
            "anonymous": "404",
        }
        self.assertTable(expected, lambda user: self.answer(user, 31))

    def test_ha_noi(self) -> None:
        expected = dict.fromkeys(CAST, "404") | {"officer_c": "403", "other_reviewer": "ok", "superuser": "ok"}
        self.assertTable(expected, lambda user: self.answer(user, 1))

    def test_an_unknown_province_is_404_even_for_the_superuser(self) -> None:
        self.assertTable(dict.fromkeys(CAST, "404"), lambda user: self.answer(user, 99))

    def test_the_403_message_is_vietnamese(self) -> None:
        with self.assertRaisesMessage(PermissionDenied, "Chỉ cán bộ Trung tâm Phục vụ hành chính công"):
            access.get_province_for_review(self.leader_a, 31)


class VisibleReportsTests(AccessTestCase):
    def test_each_role_sees_the_reports_of_the_communes_it_sees(self) -> None:
        a, b, c = self.report_a.pk, self.report_b.pk, self.report_c.pk
        expected = {
            "officer_a": {a},
            "leader_a": {a},
            "officer_b": {b},
            "leader_b": {b},
            "officer_c": {c},
            "reviewer": {a, b},
            "city_admin": {a, b},
            "other_reviewer": {c},
            "outsider": set(),
            "superuser": {a, b, c},
            "anonymous": set(),
        }
        self.assertTable(expected, lambda user: set(access.visible_reports(user).values_list("pk", flat=True)))

    def test_visibility_does_not_depend_on_status(self) -> None:
        for status in ReportStatus.values:
            self.set_status(self.report_a, status)
            with self.subTest(status=status):
                self.assertIn(self.report_a, access.visible_reports(self.officer_a))
                self.assertIn(self.report_a, access.visible_reports(self.reviewer))
                self.assertNotIn(self.report_a, access.visible_reports(self.officer_b))


class GetReportForViewTests(AccessTestCase):
    def answer(self, user, report_id: int) -> str:  # type: ignore[no-untyped-def]
        try:
            report = access.get_report_for_view(user, report_id)
        except Http404:
            return "404"
        self.assertEqual(report.pk, report_id)
        return "ok"

    def test_report_of_commune_a(self) -> None:
        expected = dict.fromkeys(CAST, "404") | dict.fromkeys(
            ["officer_a", "leader_a", "reviewer", "city_admin", "superuser"], "ok"
        )
        for status in ReportStatus.values:
            self.set_status(self.report_a, status)
            with self.subTest(status=status):
                self.assertTable(expected, lambda user: self.answer(user, self.report_a.pk))

    def test_report_of_commune_c(self) -> None:
        expected = dict.fromkeys(CAST, "404") | dict.fromkeys(["officer_c", "other_reviewer", "superuser"], "ok")
        self.assertTable(expected, lambda user: self.answer(user, self.report_c.pk))

    def test_an_unknown_report_is_404(self) -> None:
        self.assertTable(dict.fromkeys(CAST, "404"), lambda user: self.answer(user, 999999))

    def test_loads_commune_province_and_regime_with_the_report(self) -> None:
        report = access.get_report_for_view(self.officer_a, self.report_a.pk)
        with self.assertNumQueries(0):
            self.assertEqual(report.commune.province.pk, 31)
            self.assertEqual(report.period.regime.name, "Báo cáo CCHC hằng tháng")


class CanEditReportTests(AccessTestCase):
    def test_commune_a_staff_and_the_superuser_edit_a_draft_or_returned_report(self) -> None:
        expected = dict.fromkeys(CAST, False) | dict.fromkeys(["officer_a", "leader_a", "superuser"], True)
        for status in EDITABLE:
            report = self.set_status(self.report_a, status)
            with self.subTest(status=status):
                self.assertTable(expected, lambda user: access.can_edit_report(user, report))  # noqa: B023

    def test_nobody_edits_a_submitted_accepted_or_issued_report(self) -> None:
        for status in LOCKED:
            report = self.set_status(self.report_a, status)
            with self.subTest(status=status):
                self.assertTable(dict.fromkeys(CAST, False), lambda user: access.can_edit_report(user, report))  # noqa: B023

    def test_a_submitting_officer_of_another_commune_cannot_edit(self) -> None:
        self.assertFalse(access.can_edit_report(self.submitting_officer_b, self.report_a))


class GetReportForChangeTests(AccessTestCase):
    def answer(self, user, report_id: int) -> str:  # type: ignore[no-untyped-def]
        try:
            report = access.get_report_for_change(user, report_id)
        except Http404:
            return "404"
        except PermissionDenied:
            return "403"
        self.assertEqual(report.pk, report_id)
        return "ok"

    def test_an_editable_report_opens_for_its_commune_and_the_superuser(self) -> None:
        expected = {
            "officer_a": "ok",
            "leader_a": "ok",
            "officer_b": "404",
            "leader_b": "404",
            "officer_c": "404",
            "reviewer": "403",
            "city_admin": "403",
            "other_reviewer": "404",
            "outsider": "404",
            "superuser": "ok",
            "anonymous": "404",
        }
        for status in EDITABLE:
            self.set_status(self.report_a, status)
            with self.subTest(status=status):
                self.assertTable(expected, lambda user: self.answer(user, self.report_a.pk))

    def test_a_locked_report_is_403_for_those_who_see_it_and_404_for_others(self) -> None:
        expected = dict.fromkeys(CAST, "404") | dict.fromkeys(
            ["officer_a", "leader_a", "reviewer", "city_admin", "superuser"], "403"
        )
        for status in LOCKED:
            self.set_status(self.report_a, status)
            with self.subTest(status=status):
                self.assertTable(expected, lambda user: self.answer(user, self.report_a.pk))

    def test_a_locked_report_says_it_can_no_longer_be_changed(self) -> None:
        self.set_status(self.report_a, ReportStatus.SUBMITTED)
        with self.assertRaisesMessage(PermissionDenied, "Báo cáo đã gửi hoặc đã ban hành, không thể sửa."):
            access.get_report_for_change(self.officer_a, self.report_a.pk)

    def test_city_staff_are_told_they_may_not_change_a_draft(self) -> None:
        with self.assertRaisesMessage(PermissionDenied, "Bạn không có quyền sửa báo cáo này."):
            access.get_report_for_change(self.reviewer, self.report_a.pk)

    def test_an_unknown_report_is_404(self) -> None:
        self.assertTable(dict.fromkeys(CAST, "404"), lambda user: self.answer(user, 999999))


class CanCreateReportTests(AccessTestCase):
    def test_commune_staff_create_for_their_commune_only(self) -> None:
        expected = dict.fromkeys(CAST, False) | dict.fromkeys(["officer_a", "leader_a", "superuser"], True)
        self.assertTable(expected, lambda user: access.can_create_report(user, self.commune_a))

    def test_commune_c(self) -> None:
        expected = dict.fromkeys(CAST, False) | dict.fromkeys(["officer_c", "superuser"], True)
        self.assertTable(expected, lambda user: access.can_create_report(user, self.commune_c))


class CanSubmitReportTests(AccessTestCase):
    def test_only_the_leader_of_the_commune_submits_an_editable_report(self) -> None:
        expected = dict.fromkeys(CAST, False) | {"leader_a": True}
        for status in EDITABLE:
            report = self.set_status(self.report_a, status)
            with self.subTest(status=status):
                self.assertTable(expected, lambda user: access.can_submit_report(user, report))  # noqa: B023

    def test_an_officer_allowed_to_submit_does_so_for_their_own_commune(self) -> None:
        for status in EDITABLE:
            report = self.set_status(self.report_a, status)
            with self.subTest(status=status):
                self.assertTrue(access.can_submit_report(self.submitting_officer_a, report))
                self.assertFalse(access.can_submit_report(self.submitting_officer_b, report))

    def test_nobody_submits_a_report_already_submitted_accepted_or_issued(self) -> None:
        for status in LOCKED:
            report = self.set_status(self.report_a, status)
            with self.subTest(status=status):
                self.assertTable(dict.fromkeys(CAST, False), lambda user: access.can_submit_report(user, report))  # noqa: B023
                self.assertFalse(access.can_submit_report(self.submitting_officer_a, report))

    def test_commune_c_is_submitted_by_nobody_in_the_cast(self) -> None:
        # commune C has only an officer without the permission to submit
        self.assertTable(dict.fromkeys(CAST, False), lambda user: access.can_submit_report(user, self.report_c))


class CanReviewReportTests(AccessTestCase):
    def test_the_reviewer_of_the_province_reviews_its_communes(self) -> None:
        expected = dict.fromkeys(CAST, False) | {"reviewer": True}
        for report in (self.report_a, self.report_b):
            with self.subTest(commune=report.commune.name):
                self.assertTable(expected, lambda user: access.can_review_report(user, report))  # noqa: B023

    def test_another_provinces_reviewer_reviews_only_their_own(self) -> None:
        expected = dict.fromkeys(CAST, False) | {"other_reviewer": True}
        self.assertTable(expected, lambda user: access.can_review_report(user, self.report_c))


class ManagedAccountsTests(AccessTestCase):
    def test_the_city_admin_manages_their_provinces_commune_staff_and_reviewers_only(self) -> None:
        managed = set(access.managed_accounts(self.city_admin).values_list("username", flat=True))
        self.assertEqual(
            managed,
            {"canbo.a", "lanhdao.a", "canbo.b", "lanhdao.b", "trungtam", "canbo.a.duocgui", "canbo.b.duocgui"},
        )

    def test_nobody_else_but_the_superuser_manages_accounts(self) -> None:
        for name in CAST:
            with self.subTest(name):
                count = access.managed_accounts(self.user(name)).count()
                if name == "superuser":
                    self.assertGreater(count, 10)
                elif name != "city_admin":
                    self.assertEqual(count, 0)

    def test_a_staff_or_superuser_account_of_the_province_is_never_managed_by_the_city_admin(self) -> None:
        promoted = factories.make_user("canbo.a.staff", Role.COMMUNE_OFFICER, commune=self.commune_a, staff=True)
        self.assertFalse(access.can_manage_account(self.city_admin, promoted))
        self.assertFalse(access.can_manage_account(self.city_admin, self.superuser))
        self.assertFalse(access.can_manage_account(self.city_admin, self.city_admin))
        self.assertFalse(access.can_manage_account(self.city_admin, self.officer_c))
        self.assertFalse(access.can_manage_account(self.city_admin, self.other_reviewer))
        self.assertFalse(access.can_manage_account(self.city_admin, self.outsider))
        self.assertTrue(access.can_manage_account(self.city_admin, self.officer_a))

    def test_the_city_admin_assigns_accounts_to_their_provinces_communes_only(self) -> None:
        self.assertEqual(set(access.assignable_communes(self.city_admin)), {self.commune_a, self.commune_b})
        self.assertEqual(access.assignable_communes(self.reviewer).count(), 0)
        self.assertEqual(access.assignable_communes(self.superuser).count(), 3)
