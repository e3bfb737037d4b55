"""Response headers Django does not set by itself: Permissions-Policy and no-store for private pages."""

from collections.abc import Callable

from django.http import HttpRequest
from django.http.response import HttpResponseBase
from django.utils.cache import add_never_cache_headers

# The app uses none of these browser features; denying them limits what injected content could do.
PERMISSIONS_POLICY = ", ".join(
    f"{feature}=()"
    for feature in (
        "accelerometer",
        "autoplay",
        "camera",
        "display-capture",
        "geolocation",
        "gyroscope",
        "magnetometer",
        "microphone",
        "midi",
        "payment",
        "usb",
    )
)


class PrivacyHeadersMiddleware:
    """Permissions-Policy on every response; `Cache-Control: no-store` on every response to a
    logged-in user and on every download, so no shared or browser cache keeps a report or scan."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        response = self.get_response(request)
        response.headers.setdefault("Permissions-Policy", PERMISSIONS_POLICY)
        user = getattr(request, "user", None)
        is_download = "attachment" in response.headers.get("Content-Disposition", "")
        if (user is not None and user.is_authenticated) or is_download:
            add_never_cache_headers(response)
        return response
