"""Test runner: fast password hashing, quiet expected 403/404 logs, browser tests in their own
serial phase after the parallel one (with the tests that fork processes), and one plain closing line for both phases."""

import logging
import shutil
import tempfile
import unittest
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from django.conf import settings
from django.test.runner import DiscoverRunner, partition_suite_by_case

# Tests with these tags run one by one in this process after the parallel phase. "browser": they
# drive Chromium against a live server thread; sharing the two CPU cores with the parallel
# processes made their server round trips slow enough to fail (issue 8). "forks": they start
# processes, which the parallel runner's daemonic workers may not do.
SERIAL_TAGS = frozenset({"browser", "forks"})


def _cases(suite: unittest.TestSuite) -> Iterator[unittest.TestCase]:
    for test in suite:
        if isinstance(test, unittest.TestSuite):
            yield from _cases(test)
        else:
            yield test


def _tags(test: unittest.TestCase) -> set[str]:
    method = getattr(test, test._testMethodName, None)
    return set(getattr(test, "tags", set())) | set(getattr(method, "tags", set()))


class ProjectTestRunner(DiscoverRunner):
    def setup_test_environment(self, **kwargs: Any) -> None:
        super().setup_test_environment(**kwargs)
        settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
        # Rendered files cached by tests go to a folder of their own, removed at the end.
        self._render_cache = tempfile.mkdtemp(prefix="tthc-render-cache-")
        settings.RENDER_CACHE_DIR = Path(self._render_cache)
        # Tests provoke 403s and 404s on purpose; real errors (500s) are still logged. Tasks
        # run at once in tests, and the framework logs each start and finish.
        for name in ("django.request", "django.security", "django.tasks"):
            logging.getLogger(name).setLevel(logging.ERROR)

    def build_suite(self, test_labels: Any = None, **kwargs: Any) -> unittest.TestSuite:
        """The parallel phase first, then the browser tests one by one in this process.

        Both phases sit in one suite, so one result (and one closing line) covers them, and the
        browser phase uses the main test database while the workers used their clones.
        """
        parallel = self.parallel
        self.parallel = 1
        suite = super().build_suite(test_labels, **kwargs)
        tests = list(_cases(suite))
        serial = [test for test in tests if SERIAL_TAGS & _tags(test)]
        rest = self.test_suite([test for test in tests if not SERIAL_TAGS & _tags(test)])
        subsuites = partition_suite_by_case(rest)
        # As DiscoverRunner does: no more processes (and test database clones) than test classes.
        self.parallel = max(1, min(parallel, len(subsuites)))
        if self.parallel > 1:
            rest = self.parallel_test_suite(subsuites, self.parallel, self.failfast, self.debug_mode, self.buffer)
        return self.test_suite([rest, self.test_suite(serial)])

    def run_suite(self, suite: Any, **kwargs: Any) -> Any:
        # run_tests sets these on the outer suite after build_suite; the parallel part needs them.
        for part in suite:
            part.serialized_aliases = suite.serialized_aliases
            part.used_aliases = suite.used_aliases
        return super().run_suite(suite, **kwargs)

    def teardown_test_environment(self, **kwargs: Any) -> None:
        shutil.rmtree(self._render_cache, ignore_errors=True)
        super().teardown_test_environment(**kwargs)

    def suite_result(self, suite: Any, result: Any, **kwargs: Any) -> int:
        failed = len(result.failures) + len(result.errors) + len(result.unexpectedSuccesses)
        skipped = len(result.skipped)
        # A class skipped as a whole is listed in `skipped` but never counted in testsRun.
        passed = max(0, result.testsRun - failed - skipped)
        print(f"\n{passed} passed, {failed} failed, {skipped} skipped")
        return super().suite_result(suite, result, **kwargs)
