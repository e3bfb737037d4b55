"""The period page's files panel reads the state of the period's ZIP itself, so the page's view
(the period grid) needs no change to show it: two queries, whatever the number of communes."""

from django import template

from reports.models import Period
from reports.period_files import ExportState, export_state

register = template.Library()


@register.simple_tag
def period_zip_state(period: Period) -> ExportState:
    return export_state(period)
