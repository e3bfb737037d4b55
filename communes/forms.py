from typing import Any

from django import forms
from django.conf import settings
from django.contrib.auth.forms import AuthenticationForm

from communes import throttle


class ThrottledAuthenticationForm(AuthenticationForm):
    """Django's login form, refusing further tries after too many failures."""

    error_messages = {
        **AuthenticationForm.error_messages,
        "invalid_login": "Tên đăng nhập hoặc mật khẩu không đúng. Lưu ý: mật khẩu phân biệt chữ hoa, chữ thường.",
        "throttled": "Bạn đã nhập sai quá nhiều lần. Vui lòng thử lại sau %(minutes)d phút.",
    }

    def clean(self) -> dict[str, Any]:
        username = self.data.get("username", "") or ""
        address = self.request.META.get(settings.LOGIN_THROTTLE_CLIENT_IP_HEADER, "") if self.request else ""
        if throttle.is_locked(username=username, address=address):
            raise forms.ValidationError(
                self.error_messages["throttled"],
                code="throttled",
                params={"minutes": settings.LOGIN_THROTTLE_WINDOW // 60},
            )
        try:
            cleaned = super().clean()
        except forms.ValidationError:
            throttle.record_failure(username=username, address=address)
            raise
        throttle.clear(username=username)
        return cleaned
