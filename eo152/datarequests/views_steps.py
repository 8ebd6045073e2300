"""The desk's steps on one request, each a small POST form of its page: a determination
(with the released file, for a release), the second person's check or return, the clock's
pause and resume, the owner and backup, and emptying what the request concerns.

A refusal of the service (the wrong person, the wrong state, a missing file) shows on the
request's page as an error on that form's field (422), never as a server error.
"""

from __future__ import annotations

from collections.abc import Callable

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.views.decorators.http import require_POST

from ..accounts.models import User
from ..incidents.services import IntakeRefused
from ..incidents.staff_forms import upload_path
from ..incidents.staff_views import _user, signed_in
from ..web.language import language_of
from ..web.texts import TEXTS
from . import services
from .forms import DetermineForm
from .models import RELEASES, DataRequest, Kind
from .views import Refusal, opened, render_request, request_url

#: The service's refusals (by the field it names) in the page's words.
REFUSALS = {
    "state": "dr_refused_state",
    "made_by": "dr_refused_logger",
    "checked_by": "dr_refused_checker",
    "released_file": "dr_refused_file",
    "released_categories": "dr_refused_categories",
    "bases": "dr_refused_bases",
    "reason": "dr_refused_reason",
    "new_deadline": "dr_refused_new_deadline",
    "owner": "dr_refused_person",
    "backup": "dr_refused_backup",
    "file": "dr_refused_file_type",
    "kind": "dr_refused_kind",
    "concerning": "dr_refused_state",
    "permission": "dr_refused_permission",
}

Step = Callable[[User, DataRequest], object]


def _run(request: HttpRequest, reference: str, form: str, step: Step) -> HttpResponse:
    """Take the step; a refusal (or a permission the account lacks for this request) is
    the page again with the form's error."""
    user = _user(request)
    found = opened(user, reference)
    lang = language_of(request)
    texts = TEXTS[lang]
    try:
        step(user, found)
    except IntakeRefused as refused:
        key = REFUSALS.get(refused.field)
        message = texts[key] if key else refused.message
        field = refused.field
    except PermissionDenied:
        if not user.has_perm("data_requests.manage", found):
            raise  # not of the desk at all: 403, as for any page it may not use
        message, field = texts["dr_refused_permission"], "permission"
    else:
        return HttpResponseRedirect(request_url(found, lang), status=303)
    found = opened(user, reference)  # as stored: nothing of the refused step was kept
    return render_request(request, user, found, Refusal(form, field, message), status=422)


@require_POST
@signed_in
def determine(request: HttpRequest, reference: str) -> HttpResponse:
    kind = request.POST.get("kind", "")
    if kind not in Kind.values:
        kind = Kind.REFUSE
        wrong_kind = True
    else:
        wrong_kind = False

    def step(user: User, found: DataRequest) -> None:
        if wrong_kind:
            raise IntakeRefused("kind", "is not a determination we know")
        form = DetermineForm(
            request.POST,
            request.FILES,
            kind=kind,
            categories=list(found.split),
            lang=language_of(request),
        )
        if not form.is_valid():
            field, messages = next(iter(form.errors.items()))
            raise IntakeRefused(field, str(messages[0]))
        data = form.cleaned_data
        upload = data["released_file"]
        choice = services.Choice(
            kind=kind,
            bases=tuple(data["bases"]),
            reason=data["reason"],
            released_categories=tuple(data["released_categories"]),
            new_deadline=data["new_deadline"],
        )
        if kind in RELEASES and upload:
            given = services.Upload(upload_path(upload), upload.content_type, upload.name or "")
            services.determine_with_file(user, found, choice, given)
        else:
            services.determine(user, found, choice)

    return _run(request, reference, f"determine-{kind}", step)


@require_POST
@signed_in
def check(request: HttpRequest, reference: str) -> HttpResponse:
    return _run(request, reference, "check", services.check)


@require_POST
@signed_in
def send_back(request: HttpRequest, reference: str) -> HttpResponse:
    reason = request.POST.get("reason", "")
    return _run(
        request, reference, "send-back", lambda user, found: services.send_back(user, found, reason)
    )


@require_POST
@signed_in
def pause(request: HttpRequest, reference: str) -> HttpResponse:
    reason = request.POST.get("reason", "")
    return _run(
        request, reference, "pause", lambda user, found: services.pause(user, found, reason)
    )


@require_POST
@signed_in
def resume(request: HttpRequest, reference: str) -> HttpResponse:
    return _run(request, reference, "resume", services.resume)


@require_POST
@signed_in
def people(request: HttpRequest, reference: str) -> HttpResponse:
    def step(user: User, found: DataRequest) -> None:
        owner = User.objects.filter(pk=_number(request.POST.get("owner"))).first()
        if owner is None:
            raise IntakeRefused("owner", "choose who owns the request")
        backup = User.objects.filter(pk=_number(request.POST.get("backup"))).first()
        services.set_people(user, found, owner, backup)

    return _run(request, reference, "people", step)


@require_POST
@signed_in
def remove_concerning(request: HttpRequest, reference: str) -> HttpResponse:
    return _run(request, reference, "concerning", services.remove_concerning)


def _number(text: str | None) -> int:
    return int(text) if text and text.isdigit() else 0
