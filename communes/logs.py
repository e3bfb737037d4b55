"""Structured log lines (one line, key=value) for the audit trail, and quiet expected errors.

Operators grep and ship these lines: every workflow transition (reports/services.record_event)
and every failed login are logged on the "tthc.audit" logger as `event=... key=value ...`.
"""

import logging
from typing import Any

from django.contrib.auth.signals import user_login_failed
from django.dispatch import receiver
from django.http import HttpRequest

audit = logging.getLogger("tthc.audit")


def _value(value: object) -> str:
    text = str(value)
    # Quote values with spaces, quotes or line breaks so that each record stays one parseable line.
    if not text or any(char in text for char in ' "=\n\r\t'):
        return '"' + text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n").replace("\r", "\\r") + '"'
    return text


def key_values(event: str, **fields: object) -> str:
    return " ".join([f"event={_value(event)}", *(f"{key}={_value(value)}" for key, value in fields.items())])


def log_event(event: str, *, level: int = logging.INFO, **fields: object) -> None:
    audit.log(level, key_values(event, **fields))


@receiver(user_login_failed, dispatch_uid="communes.logs.login_failed")
def log_failed_login(
    sender: object, credentials: dict[str, Any], request: HttpRequest | None = None, **kwargs: Any
) -> None:
    # Imported here: login_throttle imports axes' models, which need the app registry ready.
    from communes.login_throttle import client_address, normalise_username

    log_event(
        "login_failed",
        level=logging.WARNING,
        username=normalise_username(str(credentials.get("username", ""))),
        address=client_address(request) if request is not None else "",
        path=request.path if request is not None else "",
    )


class ExpectedErrorsWithoutTraceback(logging.Filter):
    """403 and 404 answers are expected (a user following an old link, a forbidden action): log them
    as one line, without the traceback Django attaches to PermissionDenied and Http404."""

    def filter(self, record: logging.LogRecord) -> bool:
        if getattr(record, "status_code", None) in (400, 403, 404, 405, 429):
            record.exc_info = None
            record.exc_text = None
        return True
