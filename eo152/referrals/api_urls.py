"""The referrals API under /api/v1/ (see ``api.py``)."""

from __future__ import annotations

from django.urls import path

from . import api

urlpatterns = [
    path("referrals", api.referrals, name="api-referrals"),
    path("referrals/<str:reference>", api.referral, name="api-referral"),
    path("referrals/<str:reference>/sign-off", api.step("sign-off"), name="api-referral-sign-off"),
    path("referrals/<str:reference>/send", api.step("send"), name="api-referral-send"),
    path(
        "referrals/<str:reference>/acknowledge",
        api.step("acknowledge"),
        name="api-referral-acknowledge",
    ),
]
