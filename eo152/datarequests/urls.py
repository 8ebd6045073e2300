"""The desk's pages (sign-in required; each checks its permission through the service).

A reference is matched by its shape (DR-XXXX-XXXX), so that the reports' pages beside it
(/data-requests/tally, /data-requests/account) are never taken for a request.
"""

from __future__ import annotations

from django.urls import path, re_path

from . import views, views_steps

REQUEST = r"^data-requests/(?P<reference>[Dd][Rr]-[0-9A-Za-z]{4}-[0-9A-Za-z]{4})"

urlpatterns = [
    path("data-requests", views.request_list, name="data_requests"),
    path("data-requests/new", views.new_request, name="data_request_new"),
    re_path(REQUEST + r"$", views.request_page, name="data_request"),
    re_path(
        REQUEST + r"/files/(?P<sha256>[0-9a-f]{64})$",
        views.request_file,
        name="data_request_file",
    ),
    re_path(REQUEST + r"/determine$", views_steps.determine, name="data_request_determine"),
    re_path(REQUEST + r"/check$", views_steps.check, name="data_request_check"),
    re_path(REQUEST + r"/send-back$", views_steps.send_back, name="data_request_send_back"),
    re_path(REQUEST + r"/pause$", views_steps.pause, name="data_request_pause"),
    re_path(REQUEST + r"/resume$", views_steps.resume, name="data_request_resume"),
    re_path(REQUEST + r"/people$", views_steps.people, name="data_request_people"),
    re_path(
        REQUEST + r"/concerning$",
        views_steps.remove_concerning,
        name="data_request_concerning",
    ),
]
