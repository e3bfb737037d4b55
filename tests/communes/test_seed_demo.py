"""Tests for the seed_demo command's accounts (communes/demo.py).

seed_demo also loads demo reports (reports/demo.py); those are tested with the reports.
"""

from io import StringIO

from django.contrib.auth import authenticate, get_user_model
from django.core.management import CommandError, call_command
from django.test import RequestFactory, TestCase, override_settings

from communes.models import Commune, Membership, Role

User = get_user_model()

EXPECTED = {
    # username: (role, commune code, province code)
    "canbo.hungthang": (Role.COMMUNE_OFFICER, 11809, None),
    "lanhdao.hungthang": (Role.COMMUNE_LEADER, 11809, None),
    "canbo.binhgiang": (Role.COMMUNE_OFFICER, 10966, None),
    "lanhdao.binhgiang": (Role.COMMUNE_LEADER, 10966, None),
    "trungtam.haiphong": (Role.CITY_REVIEWER, None, 31),
    "quantri.haiphong": (Role.CITY_ADMIN, None, 31),
}


def seed(*args: str) -> str:
    out = StringIO()
    call_command("seed_demo", *args, stdout=out)
    return out.getvalue()


class SeedDemoTests(TestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        call_command("load_communes", stdout=StringIO())

    def test_refuses_when_debug_is_off(self) -> None:
        with override_settings(DEBUG=False), self.assertRaisesMessage(CommandError, "DJANGO_DEBUG=True"):
            seed()
        self.assertFalse(User.objects.exists())

    def test_runs_when_debug_is_off_with_force(self) -> None:
        with override_settings(DEBUG=False):
            seed("--force")
        self.assertEqual(User.objects.count(), 7)

    def test_runs_when_debug_is_on(self) -> None:
        with override_settings(DEBUG=True):
            seed()
        self.assertEqual(User.objects.count(), 7)

    def test_creates_the_seven_accounts_with_the_demo_password(self) -> None:
        seed("--force")
        self.assertEqual(set(User.objects.values_list("username", flat=True)), {*EXPECTED, "admin"})
        for username in [*EXPECTED, "admin"]:
            with self.subTest(username=username):
                # django-axes (first backend) needs the request whose client it counts.
                user = authenticate(RequestFactory().post("/accounts/login/"), username=username, password="demo-2026")
                self.assertIsNotNone(user)
                self.assertTrue(user.is_active)

    def test_gives_each_account_its_role_and_scope(self) -> None:
        seed("--force")
        for username, (role, commune, province) in EXPECTED.items():
            with self.subTest(username=username):
                membership = Membership.objects.get(user__username=username)
                self.assertEqual(membership.role, role)
                self.assertEqual(membership.commune_id, commune)
                self.assertEqual(membership.province_id, province)
                self.assertFalse(membership.can_submit)

    def test_only_the_city_admin_and_the_superuser_reach_the_admin(self) -> None:
        seed("--force")
        staff = set(User.objects.filter(is_staff=True).values_list("username", flat=True))
        self.assertEqual(staff, {"quantri.haiphong", "admin"})
        self.assertEqual(list(User.objects.filter(is_superuser=True).values_list("username", flat=True)), ["admin"])

    def test_the_demo_city_admin_configures_hai_phongs_communes_in_the_admin(self) -> None:
        seed("--force")
        self.client.force_login(User.objects.get(username="quantri.haiphong"))
        self.assertEqual(self.client.get("/admin/communes/commune/11809/change/").status_code, 200)
        self.assertEqual(self.client.get("/admin/communes/province/31/change/").status_code, 200)

    def test_the_superuser_has_no_membership(self) -> None:
        seed("--force")
        self.assertFalse(Membership.objects.filter(user__username="admin").exists())

    def test_accounts_carry_vietnamese_full_names(self) -> None:
        seed("--force")
        self.assertEqual(User.objects.get(username="canbo.hungthang").get_full_name(), "Nguyễn Thị Lan")
        self.assertEqual(User.objects.get(username="lanhdao.hungthang").get_full_name(), "Trần Đình Nhuận")

    def test_prints_the_accounts_and_the_password(self) -> None:
        output = seed("--force")
        self.assertIn("Tài khoản mẫu (mật khẩu chung: demo-2026):", output)
        self.assertIn("canbo.hungthang", output)
        self.assertIn("Cán bộ xã", output)
        self.assertIn("Quản trị hệ thống", output)

    def test_running_twice_is_idempotent_and_resets_the_demo_state(self) -> None:
        seed("--force")
        officer = User.objects.get(username="canbo.hungthang")
        officer.set_password("doi-mat-khau-2026")
        officer.is_superuser = True
        officer.save(update_fields=["password", "is_superuser"])
        Membership.objects.filter(user=officer).update(role=Role.COMMUNE_LEADER)
        seed("--force")
        self.assertEqual(User.objects.count(), 7)
        self.assertEqual(Membership.objects.count(), 6)
        officer.refresh_from_db()
        self.assertTrue(officer.check_password("demo-2026"))
        self.assertFalse(officer.is_superuser)
        self.assertEqual(officer.membership.role, Role.COMMUNE_OFFICER)

    def test_refuses_before_the_communes_are_loaded(self) -> None:
        Commune.objects.filter(pk=11809).delete()
        with self.assertRaisesMessage(CommandError, "load_communes"):
            seed("--force")
        self.assertFalse(User.objects.exists())
