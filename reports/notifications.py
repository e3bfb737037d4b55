"""E-mails about reports: who is told what, rendered from templates/reports/email/."""

from collections.abc import Iterable
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import EmailMessage, mailers
from django.template.loader import render_to_string

from communes.models import COMMUNE_ROLES, Role
from reports.models import Report


def commune_addresses(commune_ids: Iterable[int]) -> dict[int, list[str]]:
    """E-mail addresses of the active commune staff, per commune, in one query."""
    users = (
        get_user_model()
        .objects.filter(
            is_active=True,
            membership__role__in=COMMUNE_ROLES,
            membership__commune_id__in=list(commune_ids),
        )
        .exclude(email="")
        .values_list("membership__commune_id", "email")
    )
    addresses: dict[int, list[str]] = {}
    for commune_id, email in users:
        addresses.setdefault(commune_id, []).append(email)
    return addresses


def reviewer_addresses(province_id: int) -> list[str]:
    return list(
        get_user_model()
        .objects.filter(is_active=True, membership__role=Role.CITY_REVIEWER, membership__province_id=province_id)
        .exclude(email="")
        .values_list("email", flat=True)
    )


def build_message(template: str, context: dict[str, Any], to: list[str]) -> EmailMessage:
    subject = render_to_string(f"reports/email/{template}_subject.txt", context).strip()
    body = render_to_string(f"reports/email/{template}.txt", context)
    return EmailMessage(subject=" ".join(subject.split()), body=body, from_email=settings.DEFAULT_FROM_EMAIL, to=to)


def send(messages: list[EmailMessage]) -> int:
    messages = [m for m in messages if m.to]
    if not messages:
        return 0
    with mailers.default as connection:
        return connection.send_messages(messages) or 0


def notify_report(report: Report, template: str, *, to_city: bool, extra: dict[str, Any] | None = None) -> int:
    """Tell the city reviewers (to_city) or the commune staff about a transition of `report`."""
    context = {"report": report, "commune": report.commune, "period": report.period, **(extra or {})}
    if to_city:
        to = reviewer_addresses(report.commune.province_id)
    else:
        to = commune_addresses([report.commune_id]).get(report.commune_id, [])
    return send([build_message(template, context, to)])
