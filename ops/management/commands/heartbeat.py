from typing import Any

from django.core.management.base import BaseCommand

from ops.tasks import beat


class Command(BaseCommand):
    help = "Xếp một tác vụ nhịp tim vào hàng đợi; tiến trình xử lý tác vụ chạy nó và ghi thời điểm (xem /healthz)."

    def handle(self, *args: Any, **options: Any) -> None:
        # A systemd timer runs this every minute (deploy/systemd/tthc-heartbeat.timer): /healthz
        # then knows the worker drains the queue, not merely that its process exists.
        result = beat.enqueue()
        self.stdout.write(f"Đã xếp tác vụ nhịp tim {result.id}.")
