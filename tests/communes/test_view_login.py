"""Tests for logging in and out and changing the password (Django's auth views, our form and templates)."""

from datetime import timedelta

import time_machine
from axes.models import AccessAttempt
from django.conf import settings
from django.contrib.auth import SESSION_KEY
from django.test import Client, override_settings

from tests import factories
from tests.base import BaseTestCase

WRONG_PASSWORD_MESSAGE = "Tên đăng nhập hoặc mật khẩu không đúng."
THROTTLED_MESSAGE = "Bạn đã nhập sai quá nhiều lần."


class LoginTests(BaseTestCase):
    def post_login(self, username: str, password: str, **extra: str):  # type: ignore[no-untyped-def]
        return self.client.post("/accounts/login/", {"username": username, "password": password, **extra})

    def assertLoggedIn(self, user) -> None:  # type: ignore[no-untyped-def]  # noqa: N802
        self.assertEqual(self.client.session.get(SESSION_KEY), str(user.pk))

    def assertNotLoggedIn(self) -> None:  # noqa: N802
        self.assertNotIn(SESSION_KEY, self.client.session)

    def test_shows_the_vietnamese_login_page(self) -> None:
        response = self.client.get("/accounts/login/")
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, '<html lang="vi">')
        self.assertContains(response, "<title>Đăng nhập · Báo cáo CCHC</title>", html=False)
        self.assertContains(response, "Tên đăng nhập")
        self.assertContains(response, "Mật khẩu")
        self.assertContains(response, "Hệ thống báo cáo kết quả cải cách thủ tục hành chính")

    def test_the_right_password_logs_in_and_goes_home(self) -> None:
        response = self.post_login("canbo.a", factories.PASSWORD)
        self.assertRedirects(response, "/")
        self.assertLoggedIn(self.officer_a)

    def test_logging_in_returns_to_the_page_asked_for(self) -> None:
        response = self.post_login("canbo.a", factories.PASSWORD, next="/communes/11809/")
        self.assertRedirects(response, "/communes/11809/")

    def test_logging_in_never_redirects_to_another_site(self) -> None:
        response = self.post_login("canbo.a", factories.PASSWORD, next="https://evil.example/")
        self.assertRedirects(response, "/")

    def test_a_wrong_password_is_refused_in_vietnamese(self) -> None:
        response = self.post_login("canbo.a", "sai-mat-khau")
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, WRONG_PASSWORD_MESSAGE)
        self.assertNotLoggedIn()

    def test_an_unknown_user_gets_the_same_message(self) -> None:
        response = self.post_login("khong.ton.tai", factories.PASSWORD)
        self.assertContains(response, WRONG_PASSWORD_MESSAGE)
        self.assertNotLoggedIn()

    def test_empty_fields_are_refused_in_vietnamese(self) -> None:
        response = self.post_login("", "")
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, "Trường này là bắt buộc.")
        self.assertNotLoggedIn()

    def test_a_nul_character_is_refused_not_an_error(self) -> None:
        response = self.post_login("canbo.a\x00", factories.PASSWORD)
        self.assertEqual(response.status_code, 200)
        self.assertNotLoggedIn()

    def test_an_inactive_account_cannot_log_in(self) -> None:
        self.officer_a.is_active = False
        self.officer_a.save(update_fields=["is_active"])
        response = self.post_login("canbo.a", factories.PASSWORD)
        self.assertContains(response, WRONG_PASSWORD_MESSAGE)
        self.assertNotLoggedIn()

    def fail_login(self, username: str, times: int, client: Client | None = None) -> None:
        for _ in range(times):
            (client or self.client).post("/accounts/login/", {"username": username, "password": "sai-mat-khau"})

    def test_too_many_failures_refuse_even_the_right_password_with_the_time_left(self) -> None:
        for _ in range(settings.LOGIN_THROTTLE_ATTEMPTS - 1):
            self.assertContains(self.post_login("canbo.a", "sai-mat-khau"), WRONG_PASSWORD_MESSAGE)
        # The failure that reaches the limit already answers with the lockout page.
        self.assertContains(self.post_login("canbo.a", "sai-mat-khau"), THROTTLED_MESSAGE, status_code=429)
        response = self.post_login("canbo.a", factories.PASSWORD)
        self.assertContains(response, THROTTLED_MESSAGE, status_code=429)
        self.assertContains(
            response, f"Vui lòng thử lại sau {settings.LOGIN_THROTTLE_WINDOW // 60} phút.", status_code=429
        )
        self.assertContains(response, '<html lang="vi">', status_code=429)
        self.assertNotLoggedIn()

    def test_the_message_counts_down_from_the_latest_failure(self) -> None:
        with time_machine.travel("2026-06-01 08:00 +07:00", tick=False) as traveller:
            self.fail_login("canbo.a", settings.LOGIN_THROTTLE_ATTEMPTS)
            traveller.shift(timedelta(seconds=settings.LOGIN_THROTTLE_WINDOW - 150))
            response = self.post_login("canbo.a", factories.PASSWORD)
            self.assertContains(response, "Vui lòng thử lại sau 3 phút.", status_code=429)
            # Trying during the lockout restarts the wait; after a quiet window the pair is free.
            traveller.shift(timedelta(seconds=settings.LOGIN_THROTTLE_WINDOW + 1))
            self.assertRedirects(self.post_login("canbo.a", factories.PASSWORD), "/")

    def test_one_failure_fewer_than_the_limit_still_lets_the_right_password_in(self) -> None:
        self.fail_login("canbo.a", settings.LOGIN_THROTTLE_ATTEMPTS - 1)
        self.assertRedirects(self.post_login("canbo.a", factories.PASSWORD), "/")

    def test_the_user_name_is_counted_whatever_its_case_spaces_or_width(self) -> None:
        # The login form reads the name under NFKC, so full-width letters name the same account.
        variants = ["CANBO.A", " canbo.a", "Canbo.A ", "ｃａｎｂｏ.ａ", "ＣＡＮＢＯ．Ａ"]
        for index in range(settings.LOGIN_THROTTLE_ATTEMPTS):
            self.post_login(variants[index % len(variants)], "sai-mat-khau")
        for spelling in ("canbo.a", "ｃａｎｂｏ.ａ"):
            with self.subTest(spelling=spelling):
                self.assertContains(self.post_login(spelling, factories.PASSWORD), THROTTLED_MESSAGE, status_code=429)
        self.assertNotLoggedIn()

    def test_throttling_one_user_name_leaves_others_alone(self) -> None:
        self.fail_login("canbo.a", settings.LOGIN_THROTTLE_ATTEMPTS)
        self.assertRedirects(self.post_login("canbo.b", factories.PASSWORD), "/")

    def test_a_successful_login_resets_the_count_for_that_user_name(self) -> None:
        self.fail_login("canbo.a", settings.LOGIN_THROTTLE_ATTEMPTS - 1)
        self.assertRedirects(self.post_login("canbo.a", factories.PASSWORD), "/")
        self.client.post("/accounts/logout/")
        self.fail_login("canbo.a", settings.LOGIN_THROTTLE_ATTEMPTS - 1)
        self.assertRedirects(self.post_login("canbo.a", factories.PASSWORD), "/")

    def test_a_lock_on_one_address_does_not_lock_the_owner_out_elsewhere(self) -> None:
        attacker = Client(REMOTE_ADDR="203.0.113.7")
        self.fail_login("canbo.a", settings.LOGIN_THROTTLE_ATTEMPTS, client=attacker)
        response = attacker.post("/accounts/login/", {"username": "canbo.a", "password": factories.PASSWORD})
        self.assertContains(response, THROTTLED_MESSAGE, status_code=429)
        owner = Client(REMOTE_ADDR="10.0.0.9")
        response = owner.post("/accounts/login/", {"username": "canbo.a", "password": factories.PASSWORD})
        self.assertRedirects(response, "/")

    @override_settings(LOGIN_THROTTLE_CLIENT_IP_HEADER="HTTP_X_REAL_IP")
    def test_behind_the_proxy_the_address_comes_from_its_header(self) -> None:
        attacker = Client(REMOTE_ADDR="127.0.0.1", HTTP_X_REAL_IP="203.0.113.7")
        self.fail_login("canbo.a", settings.LOGIN_THROTTLE_ATTEMPTS, client=attacker)
        owner = Client(REMOTE_ADDR="127.0.0.1", HTTP_X_REAL_IP="10.0.0.9")
        response = owner.post("/accounts/login/", {"username": "canbo.a", "password": factories.PASSWORD})
        self.assertRedirects(response, "/")
        response = attacker.post("/accounts/login/", {"username": "canbo.a", "password": factories.PASSWORD})
        self.assertContains(response, THROTTLED_MESSAGE, status_code=429)

    def test_the_counters_are_kept_in_the_database(self) -> None:
        # Shared by every worker and server, unlike a per-process cache.
        self.fail_login("canbo.a", 2)
        attempt = AccessAttempt.objects.get()
        self.assertEqual(
            (attempt.username, attempt.ip_address, attempt.failures_since_start), ("canbo.a", "127.0.0.1", 2)
        )

    def test_a_form_without_its_security_token_is_refused_in_vietnamese(self) -> None:
        # What a user meets after leaving the login page open past the CSRF cookie's life.
        strict = Client(enforce_csrf_checks=True)
        response = strict.post("/accounts/login/", {"username": "canbo.a", "password": factories.PASSWORD})
        self.assertContains(response, "Phiên làm việc đã hết hạn", status_code=403)
        self.assertContains(response, '<html lang="vi">', status_code=403)
        self.assertContains(response, '<a href="/" class="btn btn-outline-primary">Về trang chủ</a>', status_code=403)


class AdminLoginThrottleTests(BaseTestCase):
    """The admin's own login form is throttled by the same counters as the app's."""

    def post_admin_login(self, username: str, password: str, client: Client | None = None):  # type: ignore[no-untyped-def]
        return (client or self.client).post(
            "/admin/login/", {"username": username, "password": password, "next": "/admin/"}
        )

    def test_the_admin_login_is_throttled(self) -> None:
        for _ in range(settings.LOGIN_THROTTLE_ATTEMPTS - 1):
            self.assertEqual(self.post_admin_login("sieuquantri", "sai-mat-khau").status_code, 200)
        self.assertContains(self.post_admin_login("sieuquantri", "sai-mat-khau"), THROTTLED_MESSAGE, status_code=429)
        response = self.post_admin_login("sieuquantri", factories.PASSWORD)
        self.assertContains(response, THROTTLED_MESSAGE, status_code=429)
        self.assertNotIn(SESSION_KEY, self.client.session)

    def test_failures_on_either_form_add_up(self) -> None:
        half = settings.LOGIN_THROTTLE_ATTEMPTS // 2
        for _ in range(half):
            self.post_admin_login("quantri", "sai-mat-khau")
        for _ in range(settings.LOGIN_THROTTLE_ATTEMPTS - half):
            self.client.post("/accounts/login/", {"username": "quantri", "password": "sai-mat-khau"})
        response = self.client.post("/accounts/login/", {"username": "quantri", "password": factories.PASSWORD})
        self.assertContains(response, THROTTLED_MESSAGE, status_code=429)
        self.assertContains(
            self.post_admin_login("ｑｕａｎｔｒｉ", factories.PASSWORD), THROTTLED_MESSAGE, status_code=429
        )

    def test_the_admin_lock_does_not_reach_another_address(self) -> None:
        attacker = Client(REMOTE_ADDR="203.0.113.7")
        for _ in range(settings.LOGIN_THROTTLE_ATTEMPTS):
            self.post_admin_login("quantri", "sai-mat-khau", client=attacker)
        owner = Client(REMOTE_ADDR="10.0.0.9")
        self.assertRedirects(self.post_admin_login("quantri", factories.PASSWORD, client=owner), "/admin/")


class LogoutTests(BaseTestCase):
    def test_logging_out_by_post_returns_to_the_login_page(self) -> None:
        self.login(self.officer_a)
        response = self.client.post("/accounts/logout/")
        self.assertRedirects(response, "/accounts/login/")
        self.assertNotIn(SESSION_KEY, self.client.session)
        self.assertRedirects(self.client.get("/"), "/accounts/login/?next=/")

    def test_logging_out_by_get_is_not_allowed(self) -> None:
        self.login(self.officer_a)
        self.assertEqual(self.client.get("/accounts/logout/").status_code, 405)
        self.assertIn(SESSION_KEY, self.client.session)

    def test_every_page_offers_the_logout_button_as_a_form(self) -> None:
        self.login(self.officer_a)
        response = self.client.get("/")
        self.assertContains(response, '<form method="post" action="/accounts/logout/">')
        self.assertContains(response, "Đăng xuất")


class PasswordChangeTests(BaseTestCase):
    NEW_PASSWORD = "Hung-Thang-2026-moi"

    def post_change(self, old: str, new1: str, new2: str):  # type: ignore[no-untyped-def]
        return self.client.post(
            "/accounts/password-change/", {"old_password": old, "new_password1": new1, "new_password2": new2}
        )

    def test_anonymous_is_sent_to_the_login_page(self) -> None:
        for path in ("/accounts/password-change/", "/accounts/password-change/done/"):
            with self.subTest(path=path):
                self.assertLoginRedirect(self.client.get(path), path)

    def test_shows_the_vietnamese_form(self) -> None:
        self.login(self.officer_a)
        response = self.client.get("/accounts/password-change/")
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, '<h1 class="h4 mb-3">Đổi mật khẩu</h1>', html=False)
        self.assertContains(response, "Mật khẩu cũ")
        self.assertContains(response, "Xác nhận mật khẩu mới")

    def test_changes_the_password_and_keeps_the_user_logged_in(self) -> None:
        self.login(self.officer_a)
        response = self.post_change(factories.PASSWORD, self.NEW_PASSWORD, self.NEW_PASSWORD)
        self.assertRedirects(response, "/accounts/password-change/done/")
        self.officer_a.refresh_from_db()
        self.assertTrue(self.officer_a.check_password(self.NEW_PASSWORD))
        response = self.client.get("/accounts/password-change/done/")
        self.assertContains(response, "Mật khẩu của bạn đã được thay đổi.")

    def test_a_wrong_old_password_changes_nothing(self) -> None:
        self.login(self.officer_a)
        response = self.post_change("sai-mat-khau", self.NEW_PASSWORD, self.NEW_PASSWORD)
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, "Mật khẩu cũ không chính xác.")
        self.officer_a.refresh_from_db()
        self.assertTrue(self.officer_a.check_password(factories.PASSWORD))

    def test_a_weak_or_mismatched_new_password_changes_nothing(self) -> None:
        self.login(self.officer_a)
        for new1, new2, message in [
            ("12345678", "12345678", "Mật khẩu của bạn không được hoàn toàn bằng số."),
            ("abc", "abc", "ít nhất 8 ký tự"),
            (self.NEW_PASSWORD, self.NEW_PASSWORD + "x", "Hai trường mật khẩu không giống nhau."),
        ]:
            with self.subTest(new=new1):
                response = self.post_change(factories.PASSWORD, new1, new2)
                self.assertContains(response, message)
        self.officer_a.refresh_from_db()
        self.assertTrue(self.officer_a.check_password(factories.PASSWORD))
