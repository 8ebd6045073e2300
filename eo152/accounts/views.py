"""Sign in (a local account, or the City's account when configured), sign out, and the
page a locked account gets.

Five wrong passwords for one account name lock it for an hour (django-axes, settings
``AXES_*``); the locked page says so and whom to ask, in the page's language.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib.auth import authenticate, login, logout
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from ..web.language import language_of, url_with
from ..web.texts import TEXTS
from .forms import SignIn


def _next(request: HttpRequest, lang: str) -> str:
    """Where to go once signed in: the page that asked (this site's only), else the
    account's own list (a prosecutor's is the referrals sent to their office)."""
    asked = request.POST.get("next") or request.GET.get("next") or ""
    if asked and url_has_allowed_host_and_scheme(
        asked, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return asked
    user = request.user
    if not user.has_perm("incidents.list") and user.has_perm("referrals.list"):
        return url_with("/referrals", lang)
    return url_with(settings.LOGIN_REDIRECT_URL, lang)


@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
def sign_in(request: HttpRequest) -> HttpResponse:
    lang = language_of(request)
    if request.method != "POST":
        return _page(request, lang, SignIn())
    form = SignIn.read(request.POST, lang)
    if form.errors:
        return _page(request, lang, form, status=422)
    user = authenticate(request, username=form.username, password=form.password)
    if user is None:
        # A locked account is answered by axes' middleware (``locked_out``), whatever this says.
        form.errors["password"] = TEXTS[lang]["sign_in_error_wrong"]
        return _page(request, lang, form, status=422)
    login(request, user)
    return HttpResponseRedirect(_next(request, lang), status=303)


@require_POST
def sign_out(request: HttpRequest) -> HttpResponse:
    lang = language_of(request)
    logout(request)
    return HttpResponseRedirect(url_with("/sign-in", lang, signed_out="1"), status=303)


def locked_out(
    request: HttpRequest, response: HttpResponse | None = None, credentials: Any = None
) -> HttpResponse:
    """axes' answer for a locked account (``AXES_LOCKOUT_CALLABLE``)."""
    return render(request, "accounts/locked.html", {"nav": "sign_in"}, status=429)


def _page(request: HttpRequest, lang: str, form: SignIn, status: int = 200) -> HttpResponse:
    texts = TEXTS[lang]
    labels = {"username": texts["sign_in_username"], "password": texts["sign_in_password"]}
    context = {
        "nav": "sign_in",
        "form": form,
        "errors": [
            {"anchor": f"sign-in-{name}", "question": labels[name], "message": message}
            for name, message in form.errors.items()
        ],
        "next": request.POST.get("next") or request.GET.get("next") or "",
        "oidc": settings.EO152_OIDC,
        "signed_out": request.GET.get("signed_out") == "1",
        "refused": request.GET.get("refused") == "1",
    }
    return render(request, "accounts/sign_in.html", context, status=status)
