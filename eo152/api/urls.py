from __future__ import annotations

from django.urls import path

from . import decisions, docs, policy

urlpatterns = [
    path("decisions", decisions.decisions, name="api-decisions"),
    path("policy", policy.policy, name="api-policy"),
    path("openapi.json", docs.openapi_json, name="api-openapi"),
    path("docs", docs.docs, name="api-docs"),
]
