"""Tests for the Vietnamese error pages wired in config/urls.py (handler403/404/500)."""

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.test import RequestFactory
from django.urls import get_resolver

from tests.base import BaseTestCase


class ErrorPageTests(BaseTestCase):
    def render(self, status: int, *args):  # type: ignore[no-untyped-def]
        request = RequestFactory().get("/bat-ky/")
        request.user = self.officer_a
        handler = get_resolver().resolve_error_handler(status)
        return handler(request, *args)

    def test_403_shows_the_reason_in_vietnamese(self) -> None:
        response = self.render(403, PermissionDenied("Bạn không có quyền sửa báo cáo này."))
        self.assertContains(response, "Không có quyền truy cập", status_code=403)
        self.assertContains(response, "Bạn không có quyền sửa báo cáo này.", status_code=403)
        self.assertContains(response, '<html lang="vi">', status_code=403)

    def test_403_without_a_reason_has_a_default_message(self) -> None:
        response = self.render(403, PermissionDenied())
        self.assertContains(response, "Bạn không có quyền thực hiện thao tác này.", status_code=403)

    def test_404_does_not_repeat_the_internal_message(self) -> None:
        response = self.render(404, Http404("Không tìm thấy báo cáo 123."))
        self.assertContains(response, "Không tìm thấy trang", status_code=404)
        self.assertNotContains(response, "123", status_code=404)

    def test_500_is_vietnamese_and_needs_no_database(self) -> None:
        with self.assertNumQueries(0):
            response = self.render(500)
        self.assertContains(response, "Hệ thống đang gặp sự cố", status_code=500)
        self.assertContains(response, '<html lang="vi">', status_code=500)

    def test_an_unknown_address_shows_the_404_page_to_anonymous_users_too(self) -> None:
        response = self.client.get("/khong-co-trang-nay/")
        self.assertContains(response, "Không tìm thấy trang", status_code=404)
        self.assertNotContains(response, "Đăng xuất", status_code=404)
