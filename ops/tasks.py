"""The worker's heartbeat: a task that only the task worker runs, stamping when it ran."""

from django.tasks import task
from django.utils import timezone

from ops.models import Heartbeat

WORKER = "task-worker"


@task()
def beat() -> None:
    Heartbeat.objects.update_or_create(name=WORKER, defaults={"seen_at": timezone.now()})
