"""Tests for config/settings.py: production settings pass `check --deploy`, and a missing secret stops the app.

The checks run `manage.py` in a subprocess, because settings are read once per process.
"""

import os
import secrets
import string
import subprocess
import sys

from django.conf import settings
from django.test import SimpleTestCase

# Variables a developer's shell or CI may have set; production is simulated without them.
INHERITED = ("DJANGO_DEBUG", "DJANGO_SECRET_KEY", "DJANGO_ALLOWED_HOSTS", "DATABASE_URL", "REDIS_URL")


def run_manage(*args: str, **env: str) -> subprocess.CompletedProcess[str]:
    clean_env = {key: value for key, value in os.environ.items() if key not in INHERITED}
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=settings.BASE_DIR,
        env=clean_env | env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def random_secret_key() -> str:
    alphabet = string.ascii_letters + string.digits + "!@#%^&*(-_=+)"
    return "".join(secrets.choice(alphabet) for _ in range(50))


class ProductionSettingsTests(SimpleTestCase):
    def test_check_deploy_passes_without_warnings(self) -> None:
        result = run_manage(
            "check",
            "--deploy",
            "--fail-level",
            "WARNING",
            DJANGO_SECRET_KEY=random_secret_key(),
            DJANGO_ALLOWED_HOSTS="example.invalid",
        )
        self.assertEqual(result.returncode, 0, result.stderr + result.stdout)
        self.assertIn("System check identified no issues", result.stdout)
        self.assertNotIn("WARNINGS", result.stderr)

    def test_a_missing_secret_key_stops_the_app_when_debug_is_off(self) -> None:
        result = run_manage("check")
        self.assertNotEqual(result.returncode, 0)
        self.assertIn("ImproperlyConfigured", result.stderr)
        self.assertIn("DJANGO_SECRET_KEY must be set when DJANGO_DEBUG is off.", result.stderr)

    def test_a_missing_secret_key_also_stops_the_server_and_migrations(self) -> None:
        result = run_manage("migrate", "--check")
        self.assertNotEqual(result.returncode, 0)
        self.assertIn("ImproperlyConfigured", result.stderr)

    def test_debug_needs_no_secret_key(self) -> None:
        result = run_manage("check", DJANGO_DEBUG="True")
        self.assertEqual(result.returncode, 0, result.stderr)


class SettingsTests(SimpleTestCase):
    def test_vietnamese_language_and_time_zone(self) -> None:
        self.assertEqual(settings.LANGUAGE_CODE, "vi")
        self.assertEqual(settings.TIME_ZONE, "Asia/Ho_Chi_Minh")
        self.assertTrue(settings.USE_TZ)

    def test_login_is_throttled(self) -> None:
        self.assertGreater(settings.LOGIN_THROTTLE_ATTEMPTS, 0)
        self.assertGreater(settings.LOGIN_THROTTLE_WINDOW, 0)
