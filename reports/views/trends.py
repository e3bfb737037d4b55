"""Trend pages: the last 12 periods of a commune and of the city, as charts beside the numbers."""

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_safe

from communes import access
from communes.access import AuthenticatedHttpRequest
from reports.models import ReportingRegime
from reports.queries import trends as trend_queries
from reports.queries.city import BASIS_LABELS, parse_basis
from reports.queries.entry import recent_period_keys
from reports.rendering.charts import trend_charts


@login_required
@require_safe
def period_trends(request: AuthenticatedHttpRequest, period_id: int) -> HttpResponse:
    period = access.get_period_for_grid(request.user, period_id)
    basis = parse_basis(request.GET.get("basis"))
    trends = trend_queries.city_trends(period, basis=basis)
    context = {
        "period": period,
        "trends": trends,
        "charts": trend_charts(trends, prefix="city"),
        "table": trends.table(),
        "basis": basis,
        "basis_label": BASIS_LABELS[basis],
        "basis_labels": BASIS_LABELS,
    }
    return render(request, "reports/period_trends.html", context)


@login_required
@require_safe
def commune_trends(request: AuthenticatedHttpRequest, code: int) -> HttpResponse:
    commune = access.get_commune_for_view(request.user, code)
    regimes = list(ReportingRegime.objects.for_commune(commune).order_by("name"))
    chosen = request.GET.get("regime", "")
    regime = next((item for item in regimes if str(item.pk) == chosen), regimes[0] if regimes else None)
    context = {"commune": commune, "regimes": regimes, "regime": regime}
    if regime is not None:
        keys = recent_period_keys(regime.frequency, regime.cutoff_day, today=timezone.localdate(), count=1)
        if keys:
            trends = trend_queries.commune_trends(commune, regime, end=keys[0])
            context.update(trends=trends, charts=trend_charts(trends, prefix="commune"), table=trends.table())
    return render(request, "reports/commune_trends.html", context)
