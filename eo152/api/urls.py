from __future__ import annotations

from django.urls import path

from . import decisions, docs, places, policy

urlpatterns = [
    path("decisions", decisions.decisions, name="api-decisions"),
    path("policy", policy.policy, name="api-policy"),
    path("places/lookup", places.lookup, name="api-places-lookup"),
    path("places/layers", places.layers, name="api-places-layers"),
    path("places/layers/<str:layer_id>.geojson", places.layer_geojson, name="api-places-layer"),
    path("openapi.json", docs.openapi_json, name="api-openapi"),
    path("docs", docs.docs, name="api-docs"),
]
