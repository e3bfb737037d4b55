"""django-axes hooks: who a failed login is counted against, and the Vietnamese lockout page.

Failures are counted per pair (normalised user name, client address) so that nobody can lock a
known user name out for everyone: the owner still logs in from their usual address while an
attacker elsewhere is stopped. Every login form (the app's and the admin's) goes through Django's
authenticate(), which django-axes watches, so one throttle covers them all.
"""

import math
import unicodedata
from datetime import datetime, timedelta
from typing import Any

from axes.helpers import get_client_username, get_cool_off
from axes.models import AccessAttempt
from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone


def normalise_username(value: str) -> str:
    """The user name as the login form reads it (NFKC, like UsernameField), then case-folded and
    stripped, so look-alike spellings ("ｃａｎｂｏ.ａ", "CANBO.A ") are counted as one."""
    return unicodedata.normalize("NFKC", value).strip().casefold()


def username_for_throttle(request: HttpRequest, credentials: dict[str, Any] | None) -> str:
    raw = (credentials or {}).get("username")
    if raw is None:
        raw = request.POST.get("username", "")
    return normalise_username(str(raw))


def client_address(request: HttpRequest) -> str:
    """The client's address from the header the reverse proxy sets (DJANGO_CLIENT_IP_HEADER).

    When the header holds a list (X-Forwarded-For), the right-most entry is the one our own proxy
    appended; the others come from the client and could be forged to dodge the count."""
    value = request.META.get(settings.LOGIN_THROTTLE_CLIENT_IP_HEADER) or request.META.get("REMOTE_ADDR") or ""
    return str(value).split(",")[-1].strip()


def remaining(request: HttpRequest, credentials: dict[str, Any] | None) -> timedelta:
    """How long the pair stays locked: the cool-off counts from the latest failure."""
    cool_off: timedelta = get_cool_off(request) or timedelta(seconds=settings.LOGIN_THROTTLE_WINDOW)
    latest: datetime | None = (
        AccessAttempt.objects.filter(
            username=get_client_username(request, credentials), ip_address=client_address(request)
        )
        .order_by("-attempt_time")
        .values_list("attempt_time", flat=True)
        .first()
    )
    if latest is None:
        return cool_off
    return max(latest + cool_off - timezone.now(), timedelta(0))


def lockout_response(
    request: HttpRequest, original_response: HttpResponse | None, credentials: dict[str, Any] | None
) -> HttpResponse:
    minutes = max(1, math.ceil(remaining(request, credentials).total_seconds() / 60))
    return render(request, "registration/locked_out.html", {"minutes": minutes}, status=429)
