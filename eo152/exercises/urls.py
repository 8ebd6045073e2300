"""Routes of tabletop exercises (filled in by its pages)."""

from __future__ import annotations

from django.urls import URLPattern

urlpatterns: list[URLPattern] = []
