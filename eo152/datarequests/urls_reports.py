"""The desk's reports: a request's letter, the account (page and CSV), the public tally."""

from __future__ import annotations

from django.urls import path

from . import views_reports

urlpatterns = [
    path(
        "data-requests/<str:reference>/letter.pdf",
        views_reports.letter,
        name="data_request_letter",
    ),
    path("data-requests/account", views_reports.account_page, name="data_request_account"),
    path("data-requests/account.csv", views_reports.account_csv, name="data_request_account_csv"),
    path("data-requests/tally", views_reports.tally_page, name="data_request_tally"),
]
