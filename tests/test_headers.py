"""Security headers, Vietnamese messages, quiet expected errors and structured logs (issue 13 item 4)."""

import logging
import os
import re
from pathlib import Path
from unittest import mock

from django.conf import settings
from django.core.checks import run_checks
from django.test import override_settings
from django.utils.translation import gettext, override

from communes.logs import key_values
from reports import workflow
from reports.models import ReportStatus
from tests import factories
from tests.base import BaseTestCase

TEMPLATES = Path(settings.BASE_DIR) / "templates"
# Print templates WeasyPrint reads (and the HTML export saved as a file): never served as a page.
PRINT_ONLY = {TEMPLATES / "reports" / "print" / "report.html"}
INLINE = [
    (re.compile(r"<script(?![^>]*\bsrc=)[^>]*>", re.I), "inline <script>"),
    (re.compile(r"\sstyle\s*=", re.I), "style attribute"),
    (re.compile(r"\son[a-z]+\s*=", re.I), "event handler attribute"),
    (re.compile(r"javascript:", re.I), "javascript: URL"),
    (re.compile(r"<style(?![^>]*\bnonce=)[^>]*>", re.I), "<style> without the nonce"),
]


class ContentSecurityPolicyTests(BaseTestCase):
    def test_pages_carry_a_strict_policy(self) -> None:
        self.login(self.officer_a)
        policy = self.client.get("/")["Content-Security-Policy"]
        self.assertIn("default-src 'self'", policy)
        self.assertIn("script-src 'self'", policy)
        self.assertIn("frame-ancestors 'none'", policy)
        self.assertIn("object-src 'none'", policy)
        self.assertNotIn("unsafe-inline", policy)
        self.assertNotIn("unsafe-eval", policy)

    def test_the_login_page_and_the_admin_carry_it_too(self) -> None:
        self.assertIn("default-src 'self'", self.client.get("/accounts/login/")["Content-Security-Policy"])
        self.login(self.superuser)
        self.assertIn("default-src 'self'", self.client.get("/admin/")["Content-Security-Policy"])

    def test_no_template_has_inline_script_or_style(self) -> None:
        problems = []
        for path in sorted(TEMPLATES.rglob("*.html")):
            if path in PRINT_ONLY:
                continue
            text = path.read_text(encoding="utf-8")
            for pattern, what in INLINE:
                for match in pattern.finditer(text):
                    line = text.count("\n", 0, match.start()) + 1
                    problems.append(f"{path.relative_to(TEMPLATES)}:{line}: {what}")
        self.assertEqual(problems, [], "Move inline code to static files and classes (CSP forbids it).")

    def test_the_preview_styles_its_margins_with_the_requests_nonce(self) -> None:
        report = factories.make_report(self.commune_a)
        self.login(self.officer_a)
        response = self.client.get(f"/reports/{report.pk}/preview/")
        nonce = re.search(r"'nonce-([^']+)'", response["Content-Security-Policy"])
        assert nonce is not None
        self.assertContains(response, f'<style nonce="{nonce.group(1)}">')
        self.assertContains(response, "--bc-margin-top:")


class PrivacyHeaderTests(BaseTestCase):
    def test_every_response_denies_unused_browser_features(self) -> None:
        for response in (self.client.get("/accounts/login/"), self.client.get("/khong-co/")):
            self.assertIn("camera=()", response["Permissions-Policy"])
            self.assertIn("geolocation=()", response["Permissions-Policy"])

    def test_pages_for_a_logged_in_user_are_never_stored(self) -> None:
        report = factories.make_report(self.commune_a)
        self.login(self.officer_a)
        for path in ("/", "/communes/", f"/reports/{report.pk}/", f"/reports/{report.pk}/history/"):
            with self.subTest(path=path):
                self.assertIn("no-store", self.client.get(path)["Cache-Control"])

    def test_downloads_are_never_stored(self) -> None:
        report = factories.make_report(self.commune_a)
        self.login(self.officer_a)
        for fmt in ("pdf", "docx"):
            with self.subTest(fmt=fmt):
                response = self.client.get(f"/reports/{report.pk}/download/{fmt}/")
                self.assertEqual(response.status_code, 200)
                self.assertIn("no-store", response["Cache-Control"])


class VietnameseMessageTests(BaseTestCase):
    def test_django_messages_left_in_english_by_its_catalogue_are_vietnamese(self) -> None:
        with override("vi"):
            self.assertEqual(
                gettext("Null characters are not allowed."),
                "Không được dùng ký tự rỗng (NUL).",
            )
            self.assertEqual(gettext("Enter a valid duration."), "Nhập một khoảng thời gian hợp lệ.")

    def test_a_nul_character_in_the_login_form_is_refused_in_vietnamese(self) -> None:
        response = self.client.post("/accounts/login/", {"username": "canbo.a\x00", "password": "x"})
        self.assertContains(response, "Không được dùng ký tự rỗng (NUL).")
        self.assertNotContains(response, "Null characters")


class AdminFilterScopeTests(BaseTestCase):
    def test_a_city_admin_sees_only_their_provinces_regimes_in_the_filters(self) -> None:
        factories.make_period(factories.make_regime(self.province, name="Chế độ Hải Phòng"))
        factories.make_period(factories.make_regime(self.other_province, name="Chế độ Hà Nội"))
        self.login(self.city_admin)
        response = self.client.get("/admin/reports/period/")
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, "Chế độ Hải Phòng")
        self.assertNotContains(response, "Chế độ Hà Nội")


class LoggingTests(BaseTestCase):
    def test_an_expected_403_is_one_line_without_a_traceback(self) -> None:
        report = factories.make_report(self.commune_a)
        self.login(self.reviewer)
        # The console handler of config/settings.py, with its filter and one-line format.
        handler = logging.getLogger("django.request").handlers[0]
        with self.assertLogs("django.request", level="WARNING") as captured:
            response = self.client.post(f"/reports/{report.pk}/submit/")
        self.assertEqual(response.status_code, 403)
        self.assertEqual(len(captured.records), 1)
        record = captured.records[0]
        self.assertIsNotNone(record.exc_info)  # Django attaches the exception...
        self.assertTrue(handler.filter(record))
        formatted = handler.format(record)  # ...which the filter drops before formatting.
        self.assertNotIn("Traceback", formatted)
        self.assertNotIn("\n", formatted)
        self.assertIn("level=WARNING logger=django.request Forbidden", formatted)

    def test_a_failed_login_is_one_structured_line(self) -> None:
        with self.assertLogs("tthc.audit", level="WARNING") as captured:
            self.client.post("/accounts/login/", {"username": "ＣＡＮＢＯ.Ａ", "password": "sai"})
        self.assertEqual(
            captured.records[0].getMessage(),
            "event=login_failed username=canbo.a address=127.0.0.1 path=/accounts/login/",
        )

    def test_every_transition_is_one_structured_line(self) -> None:
        report = factories.make_report(self.commune_a, status=ReportStatus.SUBMITTED)
        with self.assertLogs("tthc.audit", level="INFO") as captured:
            workflow.accept_report(report, by=self.reviewer)
        self.assertIn(
            f"event=report_event kind=accepted report={report.pk} commune={self.commune_a.pk} "
            f"period={report.period_id} status=accepted by=trungtam",
            [record.getMessage() for record in captured.records],
        )

    def test_values_with_spaces_are_quoted_so_a_record_stays_one_line(self) -> None:
        self.assertEqual(key_values("x", note='a "b"\nc', empty=""), 'event=x note="a \\"b\\"\\nc" empty=""')


class SharedCacheCheckTests(BaseTestCase):
    @override_settings(DEBUG=False)
    def test_several_workers_without_a_shared_cache_refuse_to_start(self) -> None:
        with self.settings(CACHES={"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}):
            with mock.patch.dict(os.environ, {"WEB_CONCURRENCY": "3"}):
                self.assertIn("communes.E001", [m.id for m in run_checks(tags=["caches"])])
            with mock.patch.dict(os.environ, {"WEB_CONCURRENCY": "1"}):
                self.assertNotIn("communes.E001", [m.id for m in run_checks(tags=["caches"])])
        redis = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": "redis://x"}}
        with self.settings(CACHES=redis), mock.patch.dict(os.environ, {"WEB_CONCURRENCY": "3"}):
            self.assertNotIn("communes.E001", [m.id for m in run_checks(tags=["caches"])])
