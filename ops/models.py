from django.db import models


class Heartbeat(models.Model):
    """When a background process last proved it is alive (the task worker runs ops.tasks.beat)."""

    name = models.CharField("tiến trình", max_length=50, unique=True)
    seen_at = models.DateTimeField("lần cuối hoạt động")

    class Meta:
        verbose_name = "tín hiệu hoạt động"
        verbose_name_plural = "tín hiệu hoạt động"

    def __str__(self) -> str:
        return f"{self.name}: {self.seen_at:%Y-%m-%d %H:%M:%S}"
