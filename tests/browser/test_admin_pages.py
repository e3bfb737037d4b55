"""Every admin screen opens under the app's Content-Security-Policy: the base class fails a test on
any blocked script or style, and each list, add and change page must answer without a server error."""

from django.contrib import admin
from django.test import RequestFactory
from django.urls import reverse

from reports import services
from tests import factories
from tests.browser.base import BrowserTestCase


class AdminPagesTests(BrowserTestCase):
    def setUp(self) -> None:
        super().setUp()
        province = factories.make_province()
        commune = factories.make_commune(11809, "Xã Hùng Thắng", province)
        report = factories.make_report(commune, factories.make_period(factories.make_regime(province)))
        self.superuser = factories.make_user("quantri.he.thong", superuser=True)
        services.record_event(report, kind="saved", by=self.superuser)

    def admin_paths(self) -> list[str]:
        request = RequestFactory().get("/admin/")
        request.user = self.superuser
        paths = [reverse("admin:index")]
        for model, model_admin in admin.site._registry.items():
            name = f"admin:{model._meta.app_label}_{model._meta.model_name}"
            paths.append(reverse(f"{name}_changelist"))
            if model_admin.has_add_permission(request):
                paths.append(reverse(f"{name}_add"))
            first = model_admin.get_queryset(request).order_by("pk").first()
            if first is not None:
                paths.append(reverse(f"{name}_change", args=[first.pk]))
        return paths

    def test_every_list_add_and_change_page_opens_under_the_policy(self) -> None:
        self.login("quantri.he.thong")
        for path in self.admin_paths():
            with self.subTest(path=path):
                response = self.page.goto(self.url(path))
                assert response is not None
                self.assertEqual(response.status, 200, path)
                self.assertNotIn("Server Error", self.page.title())
