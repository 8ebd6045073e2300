"""The public door: the report (one question a page), its confirmation's receipt, and the
status page. No account needed."""

from __future__ import annotations

from django.urls import URLPattern, path

from . import public_views

report = public_views.ReportWizard.as_view(url_name=public_views.STEP_URL)

urlpatterns: list[URLPattern] = [
    path("report", public_views.start, name="public_report"),
    path("report/status", public_views.status, name="public_status"),
    path("report/receipt.json", public_views.receipt, name="public_receipt"),
    path("report/new", report, name="public_report_new"),
    path("report/<slug:step>", report, name=public_views.STEP_URL),
]
