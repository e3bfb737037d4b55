"""Rendering a download within limits, so no user can tie up the service with PDFs.

Each process renders in a small pool of threads (RENDER_THREADS; WeasyPrint itself draws one PDF
at a time per process, see rendering/pdf.py), each user may have at most
RENDER_PER_USER renders running (counted in the cache: shared across workers when REDIS_URL is
set, which communes/checks.py requires in production with several workers), and a request waits
at most RENDER_TIME_LIMIT seconds for its file. A render past its time keeps its user's slot
until it ends, so retrying cannot pile up work; the content rules bound how long any render takes
(tests/reports/test_render_limits.py measures the worst case).
"""

import contextlib
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from concurrent.futures import TimeoutError as FutureTimeout

from django.conf import settings
from django.core.cache import cache

_pool: ThreadPoolExecutor | None = None


class RenderRefused(Exception):
    """A download refused for now; `status` is the HTTP status to answer with."""

    def __init__(self, message: str, status: int) -> None:
        super().__init__(message)
        self.message = message
        self.status = status


def _executor() -> ThreadPoolExecutor:
    global _pool  # noqa: PLW0603 - one pool per process, created on first use (after gunicorn forks)
    if _pool is None:
        _pool = ThreadPoolExecutor(max_workers=settings.RENDER_THREADS, thread_name_prefix="render")
    return _pool


def _slot_key(user_id: int) -> str:
    return f"render-slots:{user_id}"


def _acquire(user_id: int) -> bool:
    key = _slot_key(user_id)
    # The slot count expires on its own should a process die mid-render.
    cache.add(key, 0, timeout=settings.RENDER_TIME_LIMIT * 10)
    try:
        taken = cache.incr(key)
    except ValueError:
        cache.set(key, 1, timeout=settings.RENDER_TIME_LIMIT * 10)
        taken = 1
    if taken > settings.RENDER_PER_USER:
        _release(user_id)
        return False
    return True


def _release(user_id: int) -> None:
    with contextlib.suppress(ValueError):  # the count expired meanwhile
        cache.decr(_slot_key(user_id))


def render_within_limits(user_id: int, render: Callable[[], bytes]) -> bytes:
    """`render()`'s bytes, or RenderRefused when the user has too many renders or time runs out."""
    if not _acquire(user_id):
        raise RenderRefused(
            f"Bạn đang tải {settings.RENDER_PER_USER} tệp cùng lúc. Vui lòng chờ các tệp đó tải xong rồi thử lại.",
            status=429,
        )

    def run() -> bytes:
        try:
            return render()
        finally:
            _release(user_id)

    future: Future[bytes] = _executor().submit(run)
    try:
        return future.result(timeout=settings.RENDER_TIME_LIMIT)
    except FutureTimeout:
        # Not yet started: drop it and free the slot. Started: it finishes in the background and
        # frees the slot then.
        if future.cancel():
            _release(user_id)
        raise RenderRefused(
            f"Tạo tệp mất quá {settings.RENDER_TIME_LIMIT} giây nên đã dừng chờ. "
            "Báo cáo có thể quá dài hoặc hệ thống đang bận; vui lòng thử lại sau ít phút.",
            status=503,
        ) from None
