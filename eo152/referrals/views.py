"""The referral pages: make one from a case, the list, one referral (its snapshot first,
then sign-off, sending, acknowledgement) and its packet as a .zip.

Every step goes through :mod:`eo152.referrals.services`, which checks the permission and
keeps who and when. A referral the account may not read answers 404, like one that does
not exist; a refusal of the service (the maker signing off, sending before sign-off) is a
page saying so in plain words (422).
"""

from __future__ import annotations

import json
import tempfile
import zipfile
from pathlib import Path
from typing import Any

from django.http import FileResponse, Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import (
    require_GET,
    require_http_methods,
    require_POST,
    require_safe,
)

from ..accounts.models import User
from ..accounts.permissions import require
from ..accounts.roles import Office
from ..incidents import staff_forms
from ..incidents.models import Evidence, Finding, Incident
from ..incidents.services import IntakeRefused
from ..incidents.staff_views import _breakable, _open, _user, findings_answer, signed_in
from ..services.records import log_read
from ..web.language import language_of, url_with
from ..web.presenting import moment
from ..web.texts import TEXTS
from . import services
from .models import Language, Referral, State
from .offenses import offenses, sources
from .packet import export_packet

#: The service's refusals (field) in the page's words.
REFUSALS = {
    "signed_off_by": "referral_refused_maker",
    "state": "referral_refused_state",
}


def _referral_url(referral: Referral, lang: str) -> str:
    return url_with(f"/referrals/{referral.reference}", lang)


def _offense_words(code: str, lang: str) -> str:
    offense = offenses()[code]
    return f"{offense.label[lang]} (C.R.S. {offense.crs}, NIBRS {offense.nibrs})"


# -- making one -------------------------------------------------------------------------------


@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
@signed_in
def new_referral(request: HttpRequest, reference: str) -> HttpResponse:
    user = _user(request)
    incident = _open(user, reference)
    require(user, "referrals.create", incident)
    lang = language_of(request)
    files = list(Evidence.objects.filter(incident=incident))
    if request.method != "POST":
        return _new_form(request, lang, incident, files, {}, staff_forms.Problems())
    post = request.POST
    values = {name: post.get(name, "") for name in ("offense", "office", "language")}
    included = {item.pk for item in files if post.get(f"include-{item.pk}")}
    withheld = {item.pk for item in files if post.get(f"withhold-{item.pk}")}
    problems = staff_forms.Problems()
    texts = TEXTS[lang]
    if values["offense"] not in offenses():
        problems.add(
            "offense", "offense", texts["referral_offense"], texts["referral_error_offense"]
        )
    if values["office"] not in Office.values:
        problems.add(
            "office",
            "office-denver_da",
            texts["referral_office_question"],
            texts["referral_error_office"],
        )
    if values["language"] not in Language.values:
        problems.add(
            "language", "language-en", texts["referral_language"], texts["referral_error_language"]
        )
    if included & withheld:
        problems.add(
            "evidence", "evidence", texts["referral_evidence"], texts["referral_error_both"]
        )
    if not problems:
        try:
            referral = services.create(
                user,
                incident,
                values["office"],
                values["offense"],
                evidence=[item for item in files if item.pk in included],
                do_not_disclose=[item for item in files if item.pk in withheld],
                language=values["language"],
            )
        except IntakeRefused as error:
            key = {"evidence": "referral_error_file"}.get(error.field, "referral_error_state")
            problems.add("evidence", "evidence", texts["referral_evidence"], texts[key])
        else:
            return HttpResponseRedirect(_referral_url(referral, lang), status=303)
    chosen = {"included": included, "withheld": withheld, **values}
    return _new_form(request, lang, incident, files, chosen, problems, status=422)


def _new_form(
    request: HttpRequest,
    lang: str,
    incident: Incident,
    files: list[Evidence],
    values: dict[str, Any],
    problems: staff_forms.Problems,
    status: int = 200,
) -> HttpResponse:
    texts = TEXTS[lang]
    context = {
        "nav": "incidents",
        "incident": incident,
        "offenses": [(code, _offense_words(code, lang)) for code in offenses()],
        "offices": [(code, texts[f"referral_office_{code}"]) for code in Office.values],
        "languages": [(code, texts[f"referral_language_{code}"]) for code in Language.values],
        "files": files,
        "values": {"office": Office.DENVER_DA, "language": lang, **values},
        "included": values.get("included", set()),
        "withheld": values.get("withheld", set()),
        "errors": problems.summary,
        "problems": problems.by_field,
    }
    return render(request, "referrals/new.html", context, status=status)


# -- reading ----------------------------------------------------------------------------------


def _opened(user: User, reference: str) -> Referral:
    try:
        return services.open_referral(user, reference)
    except Referral.DoesNotExist:
        raise Http404(reference) from None


@never_cache
@require_safe
@signed_in
def referral_list(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    require(user, "referrals.list")
    lang = language_of(request)
    texts = TEXTS[lang]
    referrals = services.visible_to(user).select_related("incident").order_by("-id")
    rows = [
        {
            "referral": referral,
            "office": texts[f"referral_office_{referral.office}"],
            "offense": _offense_words(referral.offense, lang),
            "state": texts[f"referral_state_{referral.state}"],
        }
        for referral in referrals
    ]
    context = {
        "nav": "referrals",
        "rows": rows,
        "see_incidents": user.has_perm("incidents.list"),
    }
    return render(request, "referrals/list.html", context)


@never_cache
@require_safe
@signed_in
def referral_page(request: HttpRequest, reference: str) -> HttpResponse:
    user = _user(request)
    referral = _opened(user, reference)
    return _render_referral(request, user, referral)


def _render_referral(
    request: HttpRequest, user: User, referral: Referral, refusal: str = "", status: int = 200
) -> HttpResponse:
    lang = language_of(request)
    texts = TEXTS[lang]
    snapshot = referral.snapshot
    offense = snapshot["offense"]
    incident = referral.incident
    facts = snapshot["incident"]
    # The findings as they were when the referral was made, in the page's words.
    finding = Finding(situation=facts["situation"], decision_json=json.dumps(snapshot["findings"]))
    answer = findings_answer(incident, finding, lang, False)
    state = referral.state
    maker = referral.created_by_id == user.pk
    may_sign = state == State.DRAFT and user.has_perm("referrals.sign_off", incident)
    may_send = user.has_perm("referrals.send", incident) and state in (
        State.DRAFT,
        State.SIGNED_OFF,
    )
    context = {
        "nav": "referrals",
        "referral": referral,
        "refusal": texts[refusal] if refusal else "",
        "answer_line": texts["referral_answer"].format(
            offense=offense["label"][lang],
            crs=offense["crs"],
            nibrs=offense["nibrs"],
            office=texts[f"referral_office_{referral.office}"],
        ),
        "state": texts[f"referral_state_{state}"],
        "next": texts[_NEXT[state]] if state in _NEXT else "",
        "steps": [
            (texts["referral_made"], _who(user, referral.created_by), referral.created_at),
            (
                texts["referral_signed_off"],
                _who(user, referral.signed_off_by),
                referral.signed_off_at,
            ),
            (texts["referral_sent"], _who(user, referral.sent_by), referral.sent_at),
            (texts["referral_acknowledged"], "", referral.acknowledged_at),
        ],
        "may_sign_off": may_sign and not maker,
        "maker_may_not_sign": may_sign and maker,
        "may_send": may_send and state == State.SIGNED_OFF,
        "not_signed_yet": may_send and state == State.DRAFT,
        "may_acknowledge": state == State.SENT and user.has_perm("referrals.acknowledge", referral),
        "may_download": user.has_perm("referrals.export", referral),
        "see_incident": user.has_perm("incidents.view", incident),
        "occurred": moment(facts["occurred_at"], lang) if facts.get("occurred_at") else "",
        "facts": facts,
        "answer": answer,
        "files": [
            {"file": item, "sha256": _breakable(item["sha256"])} for item in snapshot["evidence"]
        ],
        "fingerprint": _breakable(referral.snapshot_sha256),
        "withheld": snapshot["withheld"],
        "withheld_line": texts["referral_withheld"].format(count=snapshot["withheld"]),
        "case": _case(snapshot.get("investigation"), lang),
        "sources": sources(),
    }
    log_read(services.RECORD_TYPE, referral.reference, referral.snapshot_sha256, "page", user.actor)
    return render(request, "referrals/referral.html", context, status=status)


#: What comes next after each state, in the page's words.
_NEXT = {
    State.DRAFT: "referral_next_sign_off",
    State.SIGNED_OFF: "referral_next_send",
    State.SENT: "referral_next_acknowledge",
}


def _case(case: dict[str, Any] | None, lang: str) -> dict[str, Any] | None:
    """The case's tasks and timeline as the snapshot keeps them, in the page's words."""
    if case is None:
        return None
    texts = TEXTS[lang]
    return {
        "timeline": [(moment(e["happened_at"], lang), e["what"]) for e in case["timeline"]],
        "tasks": [
            (texts.get(f"case_task_{task['kind']}", task["kind"]), task["done_at"], task["note"])
            for task in case["tasks"]
        ],
    }


def _who(viewer: User, person: User | None) -> str:
    """A person as the viewer may know them: the City's staff by name, a prosecutor by the
    account number the packet names."""
    if person is None:
        return ""
    return person.username if viewer.has_perm("incidents.list") else person.actor


# -- the steps --------------------------------------------------------------------------------


def _step(request: HttpRequest, reference: str, step: Any) -> HttpResponse:
    user = _user(request)
    referral = _opened(user, reference)
    lang = language_of(request)
    try:
        step(user, referral)
    except IntakeRefused as error:
        key = REFUSALS.get(error.field, "referral_refused_state")
        if step is services.send and referral.signed_off_by_id is None:
            key = "referral_refused_not_signed"
        referral.refresh_from_db()
        return _render_referral(request, user, referral, key, status=422)
    return HttpResponseRedirect(_referral_url(referral, lang), status=303)


@require_POST
@signed_in
def sign_off(request: HttpRequest, reference: str) -> HttpResponse:
    return _step(request, reference, services.sign_off)


@require_POST
@signed_in
def send(request: HttpRequest, reference: str) -> HttpResponse:
    return _step(request, reference, services.send)


@require_POST
@signed_in
def acknowledge(request: HttpRequest, reference: str) -> HttpResponse:
    return _step(request, reference, services.acknowledge)


@never_cache
@require_GET  # a HEAD would log an export that sent nothing
@signed_in
def packet(request: HttpRequest, reference: str) -> FileResponse:
    """The packet as a .zip: the bag written in a temporary folder (the export logged first,
    by export_packet), zipped into a temporary file that is gone once it is sent."""
    user = _user(request)
    referral = _opened(user, reference)
    require(user, "referrals.export", referral)
    archive = tempfile.TemporaryFile(prefix="eo152-packet-")  # noqa: SIM115 (the response closes it)
    with tempfile.TemporaryDirectory(prefix="eo152-packet-") as folder:
        bag = Path(folder) / referral.reference
        export_packet(user, referral, bag)
        with zipfile.ZipFile(archive, "w", zipfile.ZIP_DEFLATED) as zipped:
            for path in sorted(bag.rglob("*")):
                if path.is_file():
                    zipped.write(path, path.relative_to(folder).as_posix())
    archive.seek(0)
    return FileResponse(
        archive,
        as_attachment=True,
        filename=f"{referral.reference}.zip",
        content_type="application/zip",
    )
