"""Every address the app answers: the pages, the health check and the API under /api/v1/."""

from __future__ import annotations

from django.urls import include, path

from . import errors, health, places_page, views

urlpatterns = [
    path("", views.check, name="check"),
    path("decision", views.decision, name="decision"),
    path("places", places_page.places_page, name="places"),
    path("healthz", health.healthz, name="healthz"),
    path("api/v1/", include("eo152.api.urls")),
]

handler400 = errors.bad_request
handler404 = errors.not_found
handler500 = errors.server_error
handler403 = errors.forbidden
