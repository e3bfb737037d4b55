"""The user admin for city administrators: accounts of their own province's commune staff and reviewers."""

from django.contrib.auth import get_user_model

from communes.models import Membership, Role
from tests import factories
from tests.base import BaseTestCase

User = get_user_model()

ENGLISH = ("Please correct", "Select an option", "Show counts", "Hide counts", "Run", "Enabled")


def add_data(**changes: str) -> dict[str, str]:
    data = {
        "username": "canbo.moi",
        "usable_password": "true",
        "password1": "Mat-khau-2026!",
        "password2": "Mat-khau-2026!",
        "first_name": "Lan",
        "last_name": "Nguyễn Thị",
        "email": "canbo.moi@example.invalid",
        "membership-TOTAL_FORMS": "1",
        "membership-INITIAL_FORMS": "0",
        "membership-MIN_NUM_FORMS": "1",
        "membership-MAX_NUM_FORMS": "1",
        "membership-0-role": Role.COMMUNE_OFFICER,
        "membership-0-commune": "11809",
        "membership-0-province": "",
    }
    return data | changes


def change_data(user: object, **changes: str) -> dict[str, str]:
    membership = user.membership  # type: ignore[attr-defined]
    data = {
        "username": user.username,  # type: ignore[attr-defined]
        "first_name": user.first_name,  # type: ignore[attr-defined]
        "last_name": "",
        "email": user.email,  # type: ignore[attr-defined]
        "is_active": "on",
        "membership-TOTAL_FORMS": "1",
        "membership-INITIAL_FORMS": "1",
        "membership-MIN_NUM_FORMS": "1",
        "membership-MAX_NUM_FORMS": "1",
        "membership-0-id": str(membership.pk),
        "membership-0-user": str(user.pk),  # type: ignore[attr-defined]
        "membership-0-role": membership.role,
        "membership-0-commune": str(membership.commune_id or ""),
        "membership-0-province": str(membership.province_id or ""),
    }
    return data | changes


class AccountAdminTests(BaseTestCase):
    def test_the_city_admin_lists_their_provinces_accounts_only(self) -> None:
        self.login(self.city_admin)
        response = self.client.get("/admin/auth/user/")
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, "canbo.a")
        self.assertContains(response, "trungtam")
        for hidden in ("canbo.c", "trungtam.hn", "sieuquantri", "nguoingoai", '/change/">quantri<'):
            self.assertNotContains(response, hidden)
        for english in ENGLISH:
            self.assertNotContains(response, english)

    def test_the_city_admin_creates_a_commune_officer_who_can_log_in(self) -> None:
        self.login(self.city_admin)
        response = self.client.post("/admin/auth/user/add/", add_data())
        created = User.objects.get(username="canbo.moi")
        self.assertRedirects(response, f"/admin/auth/user/{created.pk}/change/")
        self.assertEqual(created.membership.role, Role.COMMUNE_OFFICER)
        self.assertEqual(created.membership.commune_id, 11809)
        self.assertFalse(created.is_staff or created.is_superuser)
        # Through the login form: django-axes needs the request whose client it counts.
        self.assertRedirects(
            self.client.post("/accounts/login/", {"username": "canbo.moi", "password": "Mat-khau-2026!"}),
            "/",
            fetch_redirect_response=False,
        )

    def test_an_account_without_a_role_is_refused_in_vietnamese(self) -> None:
        self.login(self.city_admin)
        data = add_data(**{"membership-TOTAL_FORMS": "0"})
        response = self.client.post("/admin/auth/user/add/", data)
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, "Vui lòng sửa các lỗi dưới đây.")
        self.assertFalse(User.objects.filter(username="canbo.moi").exists())

    def test_another_provinces_commune_or_the_admin_role_is_refused(self) -> None:
        self.login(self.city_admin)
        for changes in (
            {"membership-0-commune": "4"},
            {"membership-0-role": Role.CITY_ADMIN, "membership-0-commune": "", "membership-0-province": "31"},
            {"membership-0-role": Role.CITY_REVIEWER, "membership-0-commune": "", "membership-0-province": "1"},
        ):
            with self.subTest(changes):
                response = self.client.post("/admin/auth/user/add/", add_data(**changes))
                self.assertEqual(response.status_code, 200)
                for english in ENGLISH:
                    self.assertNotContains(response, english)
                self.assertFalse(User.objects.filter(username="canbo.moi").exists())

    def test_the_city_admin_cannot_make_an_account_staff_or_superuser(self) -> None:
        self.login(self.city_admin)
        data = change_data(self.officer_a, is_staff="on", is_superuser="on")
        response = self.client.post(f"/admin/auth/user/{self.officer_a.pk}/change/", data)
        self.assertRedirects(response, "/admin/auth/user/")
        self.officer_a.refresh_from_db()
        self.assertFalse(self.officer_a.is_staff or self.officer_a.is_superuser)

    def test_the_city_admin_deactivates_an_account(self) -> None:
        self.login(self.city_admin)
        data = change_data(self.officer_a)
        del data["is_active"]
        self.client.post(f"/admin/auth/user/{self.officer_a.pk}/change/", data)
        self.officer_a.refresh_from_db()
        self.assertFalse(self.officer_a.is_active)

    def test_the_deactivate_action_touches_managed_accounts_only(self) -> None:
        self.login(self.city_admin)
        ids = [self.officer_b.pk, self.officer_c.pk, self.superuser.pk]
        self.client.post("/admin/auth/user/", {"action": "deactivate_accounts", "_selected_action": ids})
        self.assertEqual(
            set(User.objects.filter(is_active=False).values_list("username", flat=True)), {self.officer_b.username}
        )

    def test_the_city_admin_resets_a_password(self) -> None:
        self.login(self.city_admin)
        url = f"/admin/auth/user/{self.leader_a.pk}/password/"
        self.assertEqual(self.client.get(url).status_code, 200)
        data = {"password1": "Mat-khau-moi-2026", "password2": "Mat-khau-moi-2026", "usable_password": "true"}
        self.assertRedirects(self.client.post(url, data), f"/admin/auth/user/{self.leader_a.pk}/change/")
        self.leader_a.refresh_from_db()
        self.assertTrue(self.leader_a.check_password("Mat-khau-moi-2026"))

    def test_other_provinces_superusers_and_staff_are_out_of_reach(self) -> None:
        self.login(self.city_admin)
        staff = factories.make_user("canbo.a.staff", Role.COMMUNE_OFFICER, commune=self.commune_a, staff=True)
        for account in (self.officer_c, self.other_reviewer, self.superuser, staff, self.outsider):
            with self.subTest(account.username):
                for suffix in ("change/", "password/"):
                    # The admin answers as for a missing account (a redirect or 404), never the form.
                    response = self.client.get(f"/admin/auth/user/{account.pk}/{suffix}")
                    self.assertIn(response.status_code, (302, 404))
                data = {"password1": "Mat-khau-moi-2026", "password2": "Mat-khau-moi-2026", "usable_password": "true"}
                self.client.post(f"/admin/auth/user/{account.pk}/password/", data)
                account.refresh_from_db()
                self.assertTrue(account.check_password(factories.PASSWORD))

    def test_the_city_admin_never_deletes_accounts(self) -> None:
        self.login(self.city_admin)
        response = self.client.post(f"/admin/auth/user/{self.officer_a.pk}/delete/", {"post": "yes"})
        self.assertEqual(response.status_code, 403)
        self.assertTrue(Membership.objects.filter(user=self.officer_a).exists())

    def test_reviewers_and_commune_staff_do_not_manage_accounts(self) -> None:
        for user in (self.reviewer, self.officer_a):
            self.login(user)
            response = self.client.get("/admin/auth/user/")
            self.assertNotEqual(response.status_code, 200)


class RegimeAdminWidgetTests(BaseTestCase):
    def test_the_regime_page_uses_a_searchable_two_pane_commune_box_and_vietnamese_target_labels(self) -> None:
        regime = factories.make_regime(self.province)
        regime.targets.create(indicator="rate_online_submission", minimum="60.00")
        self.login(self.city_admin)
        response = self.client.get(f"/admin/reports/reportingregime/{regime.pk}/change/")
        self.assertContains(response, "selectfilter")
        self.assertContains(response, "Tỷ lệ nộp hồ sơ trực tuyến ≥ 60%")
        self.assertNotContains(response, "rate_online_submission ≥")
        self.assertNotContains(response, "Phường Ba Đình")
        for english in ENGLISH:
            self.assertNotContains(response, english)
