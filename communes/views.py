from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from communes import access
from communes.access import AuthenticatedHttpRequest
from communes.models import Role
from reports.queries import home as home_queries


@require_GET
@login_required
def home(request: AuthenticatedHttpRequest) -> HttpResponse:
    membership = access.membership_of(request.user)
    if access.is_superuser(request.user) and membership is None:
        return render(
            request, "communes/home_superuser.html", {"provinces": home_queries.provinces_for_superuser_home()}
        )
    if membership is None:
        return render(request, "communes/home_no_role.html")
    # The scope constraint on Membership gives commune roles a commune and city roles a province.
    if membership.is_commune_role and membership.commune is not None:
        context = {"membership": membership, **home_queries.commune_home(membership.commune, membership=membership)}
        return render(request, "communes/home_commune.html", context)
    if membership.province is not None:
        context = {"membership": membership, **home_queries.city_home(membership.province, membership=membership)}
        return render(request, "communes/home_city.html", context)
    return render(request, "communes/home_no_role.html")


@require_GET
@login_required
def commune_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    communes = access.visible_communes(request.user).select_related("province").order_by("province_id", "name")
    # PostgreSQL refuses NUL characters in a query parameter; drop them rather than fail.
    search = request.GET.get("q", "").replace("\x00", "").strip()[:100]
    if search:
        communes = communes.matching(search)
    page = Paginator(communes, 50).get_page(request.GET.get("page"))
    return render(request, "communes/commune_list.html", {"page": page, "search": search})


@require_GET
@login_required
def commune_detail(request: AuthenticatedHttpRequest, code: int) -> HttpResponse:
    commune = access.get_commune_for_view(request.user, code)
    context = {
        "commune": commune,
        "reports": home_queries.reports_for_commune_detail(commune),
        "is_city_staff": access.is_city_staff(request.user),
        "Role": Role,
    }
    return render(request, "communes/commune_detail.html", context)


def error_403(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return render(request, "403.html", {"message": str(exception) if exception else ""}, status=403)


def error_404(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return render(request, "404.html", status=404)


def error_500(request: HttpRequest) -> HttpResponse:
    return render(request, "500.html", status=500)
