"""The data-request API under /api/v1/ (see ``api.py``)."""

from __future__ import annotations

from django.urls import path

from . import api

urlpatterns = [
    path("data-requests", api.data_requests, name="api-data-requests"),
    path("data-requests/<str:reference>", api.data_request, name="api-data-request"),
    path("data-requests/<str:reference>/files", api.files, name="api-data-request-files"),
    path(
        "data-requests/<str:reference>/determinations",
        api.determinations,
        name="api-data-request-determinations",
    ),
    path("data-requests/<str:reference>/check", api.check, name="api-data-request-check"),
    path(
        "data-requests/<str:reference>/send-back",
        api.send_back,
        name="api-data-request-send-back",
    ),
]
