"""The printed report: on-screen preview, DOCX and PDF downloads."""

from django.urls import URLPattern

urlpatterns: list[URLPattern] = []
