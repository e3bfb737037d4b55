"""GET /healthz: database, migrations and the task worker's heartbeat, as JSON without login."""

import json
from datetime import timedelta
from unittest import mock

from django.core.management import call_command
from django.test import override_settings
from django.utils import timezone

from ops.models import Heartbeat
from ops.tasks import WORKER
from tests.base import BaseTestCase


class HealthzTests(BaseTestCase):
    def get(self):  # type: ignore[no-untyped-def]
        return self.client.get("/healthz")

    def test_healthy_when_the_worker_ran_its_heartbeat_recently(self) -> None:
        # Django's immediate backend in tests runs the task at once, as the worker would.
        call_command("heartbeat", stdout=mock.MagicMock())
        response = self.get()
        self.assertEqual(response.status_code, 200)
        self.assertEqual(response["Content-Type"], "application/json")
        body = json.loads(response.content)
        self.assertEqual(body["status"], "ok")
        self.assertIs(body["database"], True)
        self.assertIs(body["migrations"], True)
        self.assertIs(body["worker"]["ok"], True)
        self.assertLessEqual(body["worker"]["seen_seconds_ago"], 5)
        self.assertIn("no-store", response["Cache-Control"])

    def test_a_worker_never_seen_or_long_silent_fails(self) -> None:
        body = json.loads(self.get().content)
        self.assertEqual((body["status"], body["worker"]["seen_seconds_ago"]), ("fail", None))
        Heartbeat.objects.create(name=WORKER, seen_at=timezone.now() - timedelta(minutes=10))
        response = self.get()
        self.assertEqual(response.status_code, 503)
        self.assertFalse(json.loads(response.content)["worker"]["ok"])

    @override_settings(HEALTHZ_REQUIRE_WORKER=False)
    def test_a_web_machine_may_ignore_the_worker(self) -> None:
        self.assertEqual(self.get().status_code, 200)

    def test_unapplied_migrations_fail(self) -> None:
        call_command("heartbeat", stdout=mock.MagicMock())
        with (
            mock.patch("ops.views._migrated", False),
            mock.patch("ops.views.MigrationExecutor.migration_plan", return_value=[("x", False)]),
        ):
            response = self.get()
        self.assertEqual(response.status_code, 503)
        self.assertIs(json.loads(response.content)["migrations"], False)

    def test_an_unreachable_database_answers_503_not_500(self) -> None:
        with mock.patch("ops.views.connections") as connections:
            connections.__getitem__.return_value.cursor.side_effect = OSError("down")
            response = self.get()
        self.assertEqual(response.status_code, 503)
        self.assertEqual(json.loads(response.content), {"status": "fail", "database": False})

    def test_needs_no_login_and_reveals_no_secret(self) -> None:
        call_command("heartbeat", stdout=mock.MagicMock())
        text = self.get().content.decode()
        for secret in ("SECRET", "password", "postgres://", "sqlite"):
            self.assertNotIn(secret, text)

    def test_only_reading_is_allowed(self) -> None:
        self.assertEqual(self.client.post("/healthz").status_code, 405)
