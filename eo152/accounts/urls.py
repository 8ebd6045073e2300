"""Signing in and out; the City's single sign-on under /oidc/ when it is configured."""

from __future__ import annotations

from django.conf import settings
from django.urls import URLPattern, URLResolver, include, path

from . import views

urlpatterns: list[URLPattern | URLResolver] = [
    path("sign-in", views.sign_in, name="sign_in"),
    path("sign-out", views.sign_out, name="sign_out"),
]
if settings.EO152_OIDC:
    urlpatterns.append(path("oidc/", include("mozilla_django_oidc.urls")))
