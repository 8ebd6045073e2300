"""The pages: the field guide (start, questions, check your answers, residents), "All
questions", the decision, the places map and what the law says."""

from __future__ import annotations

from django.urls import path

from . import flow_views, law, places_page, views

urlpatterns = [
    path("", flow_views.start, name="start"),
    path("guide/<slug:scenario>/check", flow_views.check_answers, name="check_answers"),
    path("guide/<slug:scenario>/<slug:step>", flow_views.question, name="question"),
    path("resident", flow_views.resident, name="resident"),
    path("all", views.check, name="check"),
    path("decision", views.decision, name="decision"),
    path("places", places_page.places_page, name="places"),
    path("law", law.law, name="law"),
]
