"""Test runner: fast password hashing, quiet expected 403/404 logs, and a plain closing line."""

import logging
from typing import Any

from django.conf import settings
from django.test.runner import DiscoverRunner


class ProjectTestRunner(DiscoverRunner):
    def setup_test_environment(self, **kwargs: Any) -> None:
        super().setup_test_environment(**kwargs)
        settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
        # Tests provoke 403s and 404s on purpose; real errors (500s) are still logged.
        for name in ("django.request", "django.security"):
            logging.getLogger(name).setLevel(logging.ERROR)

    def suite_result(self, suite: Any, result: Any, **kwargs: Any) -> int:
        failed = len(result.failures) + len(result.errors) + len(result.unexpectedSuccesses)
        skipped = len(result.skipped)
        # A class skipped as a whole is listed in `skipped` but never counted in testsRun.
        passed = max(0, result.testsRun - failed - skipped)
        print(f"\n{passed} passed, {failed} failed, {skipped} skipped")
        return super().suite_result(suite, result, **kwargs)
