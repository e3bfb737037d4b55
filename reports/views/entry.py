"""Data entry: opening, editing and saving a commune's report."""

from django.urls import URLPattern

urlpatterns: list[URLPattern] = []
