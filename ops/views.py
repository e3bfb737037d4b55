"""/healthz for load balancers and monitoring: JSON, no login, no secrets."""

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, connections
from django.db.migrations.executor import MigrationExecutor
from django.http import HttpRequest, JsonResponse
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

from ops.models import Heartbeat
from ops.tasks import WORKER

_migrated = False


def _migrations_applied() -> bool:
    """No migration left to apply; once true it stays true for this process (a deploy restarts it)."""
    global _migrated  # noqa: PLW0603 - per-process memo: loading the migration graph costs ~100 ms
    if not _migrated:
        executor = MigrationExecutor(connections[DEFAULT_DB_ALIAS])
        _migrated = not executor.migration_plan(executor.loader.graph.leaf_nodes())
    return _migrated


@require_safe
@never_cache
def healthz(request: HttpRequest) -> JsonResponse:
    checks: dict[str, object] = {}
    try:
        with connections[DEFAULT_DB_ALIAS].cursor() as cursor:
            cursor.execute("SELECT 1")
        checks["database"] = True
    except Exception:  # noqa: BLE001 - any failure to reach the database is "down", never a 500
        return JsonResponse({"status": "fail", "database": False}, status=503)
    checks["migrations"] = _migrations_applied()
    seen = Heartbeat.objects.filter(name=WORKER).values_list("seen_at", flat=True).first()
    age = None if seen is None else int((timezone.now() - seen).total_seconds())
    worker_ok = age is not None and age <= settings.HEALTHZ_WORKER_MAX_AGE
    checks["worker"] = {"ok": worker_ok, "seen_seconds_ago": age, "max_age": settings.HEALTHZ_WORKER_MAX_AGE}
    healthy = checks["migrations"] and (worker_ok or not settings.HEALTHZ_REQUIRE_WORKER)
    return JsonResponse({"status": "ok" if healthy else "fail", **checks}, status=200 if healthy else 503)
