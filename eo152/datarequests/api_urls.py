"""Routes of the data-request desk (filled in by its pages)."""

from __future__ import annotations

from django.urls import URLPattern

urlpatterns: list[URLPattern] = []
