"""System checks for production settings that Django's own checks do not cover."""

import os
from typing import Any

from django.conf import settings
from django.core.checks import CheckMessage, Error, register

LOCAL_CACHES = (
    "django.core.cache.backends.locmem.LocMemCache",
    "django.core.cache.backends.dummy.DummyCache",
)


@register("caches", deploy=False)
def shared_cache_with_several_workers(app_configs: Any, **kwargs: Any) -> list[CheckMessage]:
    """The per-user render limit is counted in the cache; a per-process cache counts per worker.

    gunicorn (deploy/gunicorn.conf.py) reads its number of workers from WEB_CONCURRENCY, so with
    debug off and more than one worker the cache must be shared (REDIS_URL), or the app refuses to start.
    """
    try:
        workers = int(os.environ.get("WEB_CONCURRENCY", "1"))
    except ValueError:
        workers = 1
    backend = settings.CACHES["default"]["BACKEND"]
    if settings.DEBUG or workers <= 1 or backend not in LOCAL_CACHES:
        return []
    return [
        Error(
            f"{workers} tiến trình web (WEB_CONCURRENCY) nhưng bộ nhớ đệm không dùng chung: "
            "giới hạn tải tệp theo người dùng sẽ bị đếm riêng ở từng tiến trình.",
            hint="Đặt REDIS_URL (ví dụ redis://127.0.0.1:6379/0) hoặc chạy một tiến trình web.",
            id="communes.E001",
        )
    ]
