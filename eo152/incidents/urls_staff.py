"""The staff's pages: the incidents list, the officer's report, an incident, its files,
its facts, the workflow's actions on it and its case (sign-in required; each checks its
permission)."""

from __future__ import annotations

from django.urls import path

from . import case_views, staff_views

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
    path("incidents/<str:reference>/triage", case_views.triage, name="incident_triage"),
    path(
        "incidents/<str:reference>/duplicate",
        case_views.mark_duplicate,
        name="incident_duplicate",
    ),
    path("incidents/<str:reference>/verify", case_views.verify, name="incident_verify"),
    path(
        "incidents/<str:reference>/investigation",
        case_views.open_investigation,
        name="incident_open_investigation",
    ),
    path("incidents/<str:reference>/close", case_views.close, name="incident_close"),
    path("incidents/<str:reference>/case", case_views.case_page, name="case"),
    path(
        "incidents/<str:reference>/case/tasks/<int:task_id>/done",
        case_views.finish_task,
        name="case_task_done",
    ),
    path("incidents/<str:reference>/case/tasks", case_views.add_task, name="case_tasks"),
    path("incidents/<str:reference>/case/notes", case_views.add_note, name="case_notes"),
    path("incidents/<str:reference>/case/timeline", case_views.add_event, name="case_timeline"),
]
