"""Tests for the constraints and derived names of communes.models."""

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from communes.models import CommuneKind, Membership, Province, Role
from tests import factories
from tests.base import BaseTestCase


class MembershipConstraintTests(BaseTestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        cls.newcomer = factories.make_user("moi")

    def assertRefused(self, **fields) -> None:  # type: ignore[no-untyped-def]  # noqa: N802
        with self.assertRaises(IntegrityError), transaction.atomic():
            Membership.objects.create(user=self.newcomer, **fields)
        self.assertFalse(Membership.objects.filter(user=self.newcomer).exists())

    def test_a_commune_role_needs_a_commune(self) -> None:
        for role in (Role.COMMUNE_OFFICER, Role.COMMUNE_LEADER):
            with self.subTest(role=role):
                self.assertRefused(role=role)
                self.assertRefused(role=role, province=self.province)

    def test_a_commune_role_has_no_province(self) -> None:
        self.assertRefused(role=Role.COMMUNE_OFFICER, commune=self.commune_a, province=self.province)

    def test_a_city_role_needs_a_province_and_no_commune(self) -> None:
        for role in (Role.CITY_REVIEWER, Role.CITY_ADMIN):
            with self.subTest(role=role):
                self.assertRefused(role=role)
                self.assertRefused(role=role, commune=self.commune_a)
                self.assertRefused(role=role, commune=self.commune_a, province=self.province)

    def test_an_unknown_role_is_refused(self) -> None:
        self.assertRefused(role="mayor", province=self.province)

    def test_valid_memberships_are_stored(self) -> None:
        Membership.objects.create(user=self.newcomer, role=Role.COMMUNE_LEADER, commune=self.commune_b)
        self.assertEqual(self.newcomer.membership.commune, self.commune_b)

    def test_a_user_has_one_membership(self) -> None:
        with self.assertRaises(IntegrityError), transaction.atomic():
            Membership.objects.create(user=self.officer_a, role=Role.COMMUNE_LEADER, commune=self.commune_a)

    def test_the_form_message_is_vietnamese(self) -> None:
        membership = Membership(user=self.newcomer, role=Role.CITY_REVIEWER, commune=self.commune_a)
        with self.assertRaisesMessage(ValidationError, "Vai trò cấp xã phải gắn với một xã"):
            membership.validate_constraints()

    def test_str_names_the_user_and_role(self) -> None:
        self.assertEqual(str(self.officer_a.membership), "canbo.a – Cán bộ xã")
        self.assertTrue(self.officer_a.membership.is_commune_role)
        self.assertFalse(self.reviewer.membership.is_commune_role)


class ProvinceMarginConstraintTests(BaseTestCase):
    def assertRefused(self, **margins: int) -> None:  # noqa: N802
        with self.assertRaises(IntegrityError), transaction.atomic():
            Province.objects.filter(pk=31).update(**margins)

    def test_defaults_are_legal(self) -> None:
        province = Province.objects.get(pk=31)
        self.assertEqual(
            (province.margin_top_mm, province.margin_bottom_mm, province.margin_left_mm, province.margin_right_mm),
            (20, 20, 30, 15),
        )

    def test_margins_outside_nghi_dinh_30_are_refused(self) -> None:
        for field, low, high in [
            ("margin_top_mm", 20, 25),
            ("margin_bottom_mm", 20, 25),
            ("margin_left_mm", 30, 35),
            ("margin_right_mm", 15, 20),
        ]:
            with self.subTest(field=field):
                self.assertRefused(**{field: low - 1})
                self.assertRefused(**{field: high + 1})
                Province.objects.filter(pk=31).update(**{field: high})
                Province.objects.filter(pk=31).update(**{field: low})

    def test_the_form_message_is_vietnamese(self) -> None:
        province = Province(code=2, name="Tỉnh Thử", kind="tỉnh", margin_left_mm=29)
        with self.assertRaisesMessage(ValidationError, "Lề trái phải từ 30 đến 35 mm (Nghị định 30/2020)."):
            province.validate_constraints()


class CommuneNameTests(BaseTestCase):
    def test_names_for_running_text(self) -> None:
        self.assertEqual(str(self.commune_a), "Xã Hùng Thắng")
        self.assertEqual(self.commune_a.short_name, "Hùng Thắng")
        self.assertEqual(self.commune_a.kind_word, "xã")
        self.assertEqual(self.commune_a.name_in_text, "xã Hùng Thắng")

    def test_a_special_zone_and_a_ward(self) -> None:
        zone = factories.make_commune(11914, "Đặc khu Cát Hải", self.province, kind=CommuneKind.DAC_KHU)
        self.assertEqual(zone.name_in_text, "đặc khu Cát Hải")
        ward = factories.make_commune(11111, "Phường 1", self.province, kind=CommuneKind.PHUONG)
        self.assertEqual(ward.short_name, "Phường 1")
        self.assertEqual(ward.name_in_text, "phường 1")

    def test_province_short_name(self) -> None:
        self.assertEqual(self.province.short_name, "Hải Phòng")
        self.assertEqual(str(self.province), "Thành phố Hải Phòng")
