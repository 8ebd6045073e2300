"""The pages: "Check a situation", its decision, and the places map."""

from __future__ import annotations

from django.urls import path

from . import places_page, views

urlpatterns = [
    path("", views.check, name="check"),
    path("decision", views.decision, name="decision"),
    path("places", places_page.places_page, name="places"),
]
