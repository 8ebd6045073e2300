"""The incidents API under /api/v1/ (see ``api.py``)."""

from __future__ import annotations

from django.urls import path

from . import api

urlpatterns = [
    path("incidents", api.incidents, name="api-incidents"),
    path("incidents/<str:reference>", api.incident, name="api-incident"),
]
