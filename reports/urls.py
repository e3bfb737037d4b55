from django.urls import path  # noqa: F401

app_name = "reports"

# Each views module owns its routes; see reports/views/.
urlpatterns: list = []
