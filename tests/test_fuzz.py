"""Property-based tests (hypothesis, bounded and derandomised): whatever a user or a file sends,
the forms, the autosave and the import never answer 500, refuse in Vietnamese, and save nothing
when they refuse.

Each example runs in a savepoint rolled back afterwards, so examples do not see each other.
"""

import json
import re
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from django.db import transaction
from django.test import Client
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from hypothesis.extra.django import TestCase as HypothesisTestCase

from reports.exchange import ImportProblems, import_report_data
from reports.models import Report, ReportEvent, ReportStatus
from tests import factories
from tests.base import BaseTestCase
from tests.reports.test_exchange import HUNG_THANG, counts, seed
from tests.test_security_matrix import url_patterns

BOUNDED = settings(
    max_examples=25,
    derandomize=True,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
VIETNAMESE = re.compile(r"[ăâđêôơưàáảãạèéẻẽẹìíỉĩịòóỏõọùúủũụỳýỷỹỵ]", re.IGNORECASE)
# Text a hostile or careless user may type: any code point (controls, NUL, surrogates excluded by
# the browser's encoding are still sent by scripts), numbers written oddly, very long words.
HOSTILE_TEXT = st.one_of(
    st.text(max_size=60),
    st.text(alphabet=st.characters(codec="utf-8"), max_size=30),
    st.sampled_from(
        ["", " ", "\x00", "-1", "1e309", "NaN", "99999999999999999999", "1,5", "０１２", "<script>", "x" * 6000]
    ),
)
JSON_VALUES = st.recursive(
    st.one_of(st.none(), st.booleans(), st.integers(), st.floats(), st.text(max_size=20)),
    lambda children: st.lists(children, max_size=3) | st.dictionaries(st.text(max_size=8), children, max_size=3),
    max_leaves=8,
)


@contextmanager
def rolled_back() -> Iterator[None]:
    with transaction.atomic():
        yield
        transaction.set_rollback(True)


def paths(value: Any, prefix: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    """Every path to a value inside a JSON document."""
    found = [prefix]
    if isinstance(value, dict):
        for key, item in value.items():
            found += paths(item, (*prefix, key))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            found += paths(item, (*prefix, index))
    return found


def replaced(document: Any, path: tuple[Any, ...], value: Any) -> Any:
    if not path:
        return value
    copy = json.loads(json.dumps(document))
    target = copy
    for key in path[:-1]:
        target = target[key]
    target[path[-1]] = value
    return copy


class ImportFuzzTests(HypothesisTestCase, BaseTestCase):
    document = seed(HUNG_THANG)
    document_paths = paths(document)

    @BOUNDED
    @given(data=st.data())
    def test_a_damaged_file_is_imported_or_refused_in_vietnamese_with_nothing_written(
        self, data: st.DataObject
    ) -> None:
        path = data.draw(st.sampled_from(self.document_paths))
        damaged = replaced(self.document, path, data.draw(JSON_VALUES))
        with rolled_back():
            before = counts()
            try:
                import_report_data(damaged)
            except ImportProblems as refused:
                self.assertEqual(counts(), before)
                self.assertTrue(refused.problems)
                for problem in refused.problems:
                    self.assertRegex(problem.message, VIETNAMESE)


class AutosaveFuzzTests(HypothesisTestCase, BaseTestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        cls.report = factories.make_report(cls.commune_a, status=ReportStatus.DRAFT)

    @classmethod
    def form_fields(cls) -> dict[str, str]:
        """The edit page's field names and values, read once (the page as a browser gets it)."""
        if not hasattr(cls, "_fields"):
            client = Client()
            client.force_login(cls.officer_a)
            page = client.get(f"/reports/{cls.report.pk}/edit/").content.decode()
            fields = dict(re.findall(r'name="([^"]+)"[^>]*?value="([^"]*)"', page))
            fields.update(dict.fromkeys(re.findall(r'<textarea[^>]*name="([^"]+)"', page), ""))
            fields.pop("csrfmiddlewaretoken", None)
            cls._fields = fields
        return cls._fields

    @BOUNDED
    @given(data=st.data())
    def test_autosave_and_check_never_fail_and_refuse_in_vietnamese(self, data: st.DataObject) -> None:
        fields = self.form_fields()
        changes = data.draw(st.dictionaries(st.sampled_from(sorted(fields)), HOSTILE_TEXT, min_size=1, max_size=4))
        endpoint = data.draw(st.sampled_from(["autosave", "check"]))
        client = Client()
        client.force_login(self.officer_a)
        with rolled_back():
            before = Report.objects.values().get(pk=self.report.pk)
            events = ReportEvent.objects.count()
            response = client.post(f"/reports/{self.report.pk}/{endpoint}/", {**fields, **changes})
            self.assertIn(response.status_code, (200, 400, 409), response.content[:300])
            body = response.json()
            if response.status_code != 200:
                self.assertEqual(Report.objects.values().get(pk=self.report.pk), before)
                self.assertEqual(ReportEvent.objects.count(), events)
                self.assertRegex(json.dumps(body, ensure_ascii=False), VIETNAMESE)


class FormFuzzTests(HypothesisTestCase, BaseTestCase):
    """Every URL that takes a POST, as the roles that may use it, with random fields."""

    FIELD_NAMES = (
        "reason", "body", "answer", "issued_on", "number", "username", "password", "old_password",
        "new_password1", "new_password2", "version", "q", "comments-TOTAL_FORMS", "comments-0-body",
        "comments-0-anchor", "basis", "kind", "text", "narrative", "status", "next",
    )  # fmt: skip

    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        regime = factories.make_regime(cls.province)
        cls.period = factories.make_period(regime)
        cls.report = factories.make_report(cls.commune_a, cls.period, status=ReportStatus.SUBMITTED)

    def post_urls(self) -> list[str]:
        values = {"report_id": self.report.pk, "period_id": self.period.pk, "commune_code": self.commune_a.pk,
                  "code": self.commune_a.pk, "comment_id": 0, "revision": 0, "figure": "x"}  # fmt: skip
        urls = []
        for route, name in url_patterns():
            if name.startswith("admin:") or name in ("logout",):
                continue
            url = "/" + route
            for key, value in values.items():
                url = re.sub(rf"<(?:\w+:)?{key}>", str(value), url)
            urls.append(url)
        return urls

    @BOUNDED
    @given(data=st.data())
    def test_no_post_answers_500(self, data: st.DataObject) -> None:
        url = data.draw(st.sampled_from(self.post_urls()))
        user = data.draw(st.sampled_from([self.officer_a, self.leader_a, self.reviewer, self.superuser]))
        fields = data.draw(st.dictionaries(st.sampled_from(self.FIELD_NAMES), HOSTILE_TEXT, max_size=5))
        client = Client()
        client.force_login(user)
        with rolled_back():
            events = ReportEvent.objects.count()
            response = client.post(url, fields)
            self.assertLess(response.status_code, 500, f"{url} as {user.username}: {fields!r}")
            if response.status_code >= 400:
                self.assertEqual(ReportEvent.objects.count(), events)
