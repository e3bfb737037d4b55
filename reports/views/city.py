"""The city Centre's figure screens: the period grid with figures and the reminder button, the
city totals with their drill-downs, and the national view for superusers."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path
from django.utils import timezone
from django.views.decorators.http import require_GET, require_POST

from communes import access
from communes.access import AuthenticatedHttpRequest
from dossiers import queries as dossier_queries
from reports import reminders
from reports.figures import FIGURE_LABELS
from reports.queries import city

# Rows of the city grid per page; the counts above it cover every commune.
GRID_PAGE_SIZE = 200


@login_required
@require_GET
def period_grid(request: AuthenticatedHttpRequest, period_id: int) -> HttpResponse:
    period = access.get_period_for_grid(request.user, period_id)
    query = city.GridQuery.from_params(request.GET)
    data = city.period_figures(period)
    # A province-wide grid can hold thousands of communes; the counts above it cover them all.
    page = Paginator(query.apply(data.rows), GRID_PAGE_SIZE).get_page(request.GET.get("page"))
    columns = city.grid_columns(data)
    context = {
        "period": period,
        "data": data,
        "query": query,
        "page": page,
        "columns": columns,
        # Computed from dossier lists or typed, per report (issue 12).
        "lines": dossier_queries.with_figure_origins(city.grid_lines(page, columns)),
        "span": len(columns) + len(city.GRID_SORT_COLUMNS) + 1,
        "can_remind": access.can_send_reminders(request.user, period),
    }
    return render(request, "reports/period_grid.html", context)


@login_required
@require_POST
def period_remind(request: AuthenticatedHttpRequest, period_id: int) -> HttpResponse:
    period = access.get_period_for_reminders(request.user, period_id)
    result = reminders.remind_owing_communes(period, today=timezone.localdate())
    messages.success(request, result.summary)
    return redirect("reports:period_grid", period_id=period.pk)


@login_required
@require_GET
def period_totals(request: AuthenticatedHttpRequest, period_id: int) -> HttpResponse:
    period = access.get_period_for_grid(request.user, period_id)
    basis = city.parse_basis(request.GET.get("basis"))
    data = city.period_figures(period, basis=basis)
    context = {
        "period": period,
        "data": data,
        "basis": basis,
        "basis_labels": city.BASIS_LABELS,
        "results_headers": city.RESULTS_FORM_HEADERS,
        "results_rows": city.results_table(data.totals),
        "groups": city.totals_groups(data.totals),
    }
    return render(request, "reports/period_totals.html", context)


@login_required
@require_GET
def period_figure(request: AuthenticatedHttpRequest, period_id: int, figure: str) -> HttpResponse:
    period = access.get_period_for_grid(request.user, period_id)
    if figure not in FIGURE_LABELS:
        raise Http404("Không có số liệu này.")
    basis = city.parse_basis(request.GET.get("basis"))
    data = city.period_figures(period, basis=basis)
    drill = city.drill_down(data, figure, outcome=request.GET.get("outcome", "")[: city.MAX_PARAMETER])
    page = Paginator(drill.lines, GRID_PAGE_SIZE).get_page(request.GET.get("page"))
    context = {"period": period, "basis": basis, "basis_label": city.BASIS_LABELS[basis], "drill": drill, "page": page}
    return render(request, "reports/period_figure.html", context)


@login_required
@require_GET
def national(request: AuthenticatedHttpRequest) -> HttpResponse:
    access.check_national_view(request.user)
    keys = city.national_period_keys()
    key = city.national_key(request.GET.get("period"), keys)
    basis = city.parse_basis(request.GET.get("basis"))
    data = city.national_figures(key, basis=basis) if key is not None else None
    context = {"keys": keys, "key": key, "basis": basis, "basis_labels": city.BASIS_LABELS, "data": data}
    return render(request, "reports/national.html", context)


urlpatterns = [
    path("periods/<int:period_id>/", period_grid, name="period_grid"),
    path("periods/<int:period_id>/remind/", period_remind, name="period_remind"),
    path("periods/<int:period_id>/totals/", period_totals, name="period_totals"),
    path("periods/<int:period_id>/totals/<str:figure>/", period_figure, name="period_figure"),
    path("national/", national, name="national"),
]
