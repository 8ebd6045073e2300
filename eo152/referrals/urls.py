"""The referral pages (sign-in required; each checks its permission)."""

from __future__ import annotations

from django.urls import path

from . import views

urlpatterns = [
    path("incidents/<str:reference>/referrals/new", views.new_referral, name="referral_new"),
    path("referrals", views.referral_list, name="referrals"),
    path("referrals/<str:reference>", views.referral_page, name="referral"),
    path("referrals/<str:reference>/sign-off", views.sign_off, name="referral_sign_off"),
    path("referrals/<str:reference>/send", views.send, name="referral_send"),
    path("referrals/<str:reference>/acknowledge", views.acknowledge, name="referral_acknowledge"),
    path("referrals/<str:reference>/packet", views.packet, name="referral_packet"),
]
