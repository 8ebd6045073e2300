"""The staff's pages: the incidents list, the officer's report, an incident, its files,
its facts and the actions on it (sign-in required; each checks its permission)."""

from __future__ import annotations

from django.urls import path

from . import staff_views

urlpatterns = [
    path("incidents", staff_views.incident_list, name="incidents"),
    path("incidents/new", staff_views.new_report, name="new_report"),
    path("incidents/<str:reference>", staff_views.incident_page, name="incident"),
    path("incidents/<str:reference>/facts", staff_views.change_facts, name="incident_facts"),
    path(
        "incidents/<str:reference>/evidence/<int:evidence_id>",
        staff_views.evidence_file,
        name="incident_evidence",
    ),
    path("incidents/<str:reference>/assign", staff_views.assign, name="incident_assign"),
    path("incidents/<str:reference>/review", staff_views.start_review, name="incident_review"),
    path("incidents/<str:reference>/close", staff_views.close, name="incident_close"),
]
