"""Flood protection for the public door: per-client rate limits that never keep an address,
and a proof-of-work (ALTCHA, self-hosted) asked for once a client is past its limit.

A client is named by a keyed hash of its address: HMAC-SHA256 under the site's secret key and
today's UTC date. The address itself is never written anywhere; the hash changes every day,
so yesterday's counts cannot be tied to today's, and without the secret key nobody can test
an address against it. django-ratelimit keeps only counters under (a hash of) that name in
the cache.
"""

from __future__ import annotations

import hashlib
import hmac
from datetime import UTC, datetime

from django import forms
from django.conf import settings
from django.http import HttpRequest
from django_altcha import AltchaField
from django_ratelimit.core import is_ratelimited

#: Reports filed per client per hour before the proof-of-work is asked. A resident who saw
#: one event files one report, a witness group a few; a sixth in an hour from one address is
#: rare for people and cheap for a script, so from then on each report costs a proof.
REPORT_RATE = "5/h"
#: Status lookups per client per hour. Someone checking a few reports, retyping a code they
#: got wrong, stays well under it; guessing codes (60 random bits) needs millions of tries.
STATUS_RATE = "30/h"

REPORT_GROUP = "eo152.public.report"
STATUS_GROUP = "eo152.public.status"

#: REMOTE_ADDR values that mean the request came through our own nginx over the Unix socket.
_FROM_OUR_PROXY = {"", "unix", "unix:"}


def client_address(request: HttpRequest) -> str:
    """The address the request came from. Behind the project's nginx (Granian on a Unix socket)
    REMOTE_ADDR is empty and nginx's X-Real-IP says who connected; a request that reached us
    over TCP carries its own address, and a header it sent is not believed."""
    remote = str(request.META.get("REMOTE_ADDR") or "").strip()
    if remote.lower() in _FROM_OUR_PROXY or remote.lower().startswith("unix:"):
        return str(request.META.get("HTTP_X_REAL_IP") or "").strip()
    return remote


def client_key(group: str, request: HttpRequest) -> str:
    """The client's name for today: HMAC(secret key, UTC date + address); never the address."""
    day = datetime.now(UTC).date().isoformat()
    key = hmac.new(settings.SECRET_KEY.encode(), digestmod=hashlib.sha256)
    key.update(f"{day}\n{client_address(request)}".encode())
    return key.hexdigest()


def _past(request: HttpRequest, group: str, rate: str, count: bool) -> bool:
    # RATELIMIT_ENABLE (EO152_RATE_LIMITS=0, for the load benchmark) makes this always False.
    return bool(is_ratelimited(request, group=group, key=client_key, rate=rate, increment=count))


def report_limited(request: HttpRequest, count: bool = True) -> bool:
    """True when this client has filed past REPORT_RATE; ``count`` adds this attempt."""
    return _past(request, REPORT_GROUP, REPORT_RATE, count)


def status_limited(request: HttpRequest, count: bool = True) -> bool:
    """True when this client has looked up past STATUS_RATE; ``count`` adds this lookup."""
    return _past(request, STATUS_GROUP, STATUS_RATE, count)


class ProofForm(forms.Form):
    """The proof-of-work a client past its limit sends with the form: the ALTCHA widget
    solves it in the browser (a few seconds of a phone's work) and the server checks it,
    once (a used challenge is kept in the cache and refused again)."""

    altcha = AltchaField(hidefooter=True, hidelogo=True)

    def __init__(self, *args: object, lang: str = "en", **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        widget = self.fields["altcha"].widget
        # A form's copy of a widget shares its options dict: give this form its own.
        widget.options = {**widget.options, "language": lang}
