"""Every address the project answers: the pages, the health check and the API under
/api/v1/, each app's own routes included here (the public report, staff pages, sign-in),
and the error handlers."""

from __future__ import annotations

from django.urls import include, path

from . import errors, health

urlpatterns = [
    path("", include("eo152.web.urls")),
    path("", include("eo152.incidents.urls_public")),
    path("", include("eo152.incidents.urls_staff")),
    path("", include("eo152.accounts.urls")),
    path("", include("eo152.referrals.urls")),
    path("", include("eo152.datarequests.urls")),
    path("", include("eo152.datarequests.urls_reports")),
    path("", include("eo152.exercises.urls")),
    path("healthz", health.healthz, name="healthz"),
    path("api/v1/", include("eo152.incidents.api_urls")),
    path("api/v1/", include("eo152.referrals.api_urls")),
    path("api/v1/", include("eo152.datarequests.api_urls")),
    path("api/v1/", include("eo152.api.urls")),
]

handler400 = errors.bad_request
handler404 = errors.not_found
handler500 = errors.server_error
handler403 = errors.forbidden
