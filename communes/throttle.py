"""Counting failed logins per user name and per client address in the cache."""

import hashlib

from django.conf import settings
from django.core.cache import cache


def _key(kind: str, value: str) -> str:
    digest = hashlib.sha256(value.strip().lower().encode()).hexdigest()[:32]
    return f"login-fail:{kind}:{digest}"


def is_locked(*, username: str, address: str) -> bool:
    limit = settings.LOGIN_THROTTLE_ATTEMPTS
    return bool(cache.get(_key("user", username), 0) >= limit) or bool(cache.get(_key("addr", address), 0) >= limit * 3)


def record_failure(*, username: str, address: str) -> None:
    window = settings.LOGIN_THROTTLE_WINDOW
    for key in (_key("user", username), _key("addr", address)):
        cache.add(key, 0, window)
        try:
            cache.incr(key)
        except ValueError:
            cache.set(key, 1, window)


def clear(*, username: str) -> None:
    cache.delete(_key("user", username))
