"""{% dossier_panel report %}: the "Tính từ danh sách hồ sơ" box of the report pages.

A tag rather than view context so the report pages' views stay as they are; it makes the
three reads of queries.panel_for_report and nothing per figure.
"""

from typing import Any

from django import template

from communes import access
from dossiers.queries import panel_for_report
from reports.models import Report

register = template.Library()


@register.inclusion_tag("dossiers/includes/_report_panel.html", takes_context=True)
def dossier_panel(context: dict[str, Any], report: Report) -> dict[str, Any]:
    user = context["request"].user
    panel = panel_for_report(
        report, can_compute=access.can_edit_report(user, report), can_list=access.can_see_report_dossiers(user, report)
    )
    # The panel's <style> block needs the request's nonce to pass the Content-Security-Policy.
    return {
        "report": report,
        "panel": panel,
        "csrf_token": context.get("csrf_token"),
        "csp_nonce": context.get("csp_nonce"),
    }
