from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from communes import views as commune_views
from communes.forms import LoginForm
from ops import views as ops_views

admin.site.site_header = "Quản trị hệ thống báo cáo CCHC"
admin.site.site_title = "Quản trị báo cáo CCHC"
admin.site.index_title = "Cấu hình hệ thống"

urlpatterns = [
    path("", commune_views.home, name="home"),
    path("healthz", ops_views.healthz, name="healthz"),
    path(
        "accounts/login/",
        auth_views.LoginView.as_view(authentication_form=LoginForm),
        name="login",
    ),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("accounts/password-change/", auth_views.PasswordChangeView.as_view(), name="password_change"),
    path(
        "accounts/password-change/done/",
        auth_views.PasswordChangeDoneView.as_view(),
        name="password_change_done",
    ),
    path("communes/", include("communes.urls")),
    path("reports/", include("reports.urls")),
    path("", include("dossiers.urls")),
    path("admin/", admin.site.urls),
]

handler403 = "communes.views.error_403"
handler404 = "communes.views.error_404"
handler500 = "communes.views.error_500"
