"""The desk's pages: the list of federal data requests, the logging form, and one request
with the engine's answer first, then the split by category, the clock, the files and the
people's determinations. The steps (determine, check, pause...) are in :mod:`.views_steps`.

Every step goes through :mod:`eo152.datarequests.services`, which checks the permission
and writes the ledger first. A request the account may not read answers 404, like one
that does not exist. Every page of a request is logged as read.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_safe

from ..accounts.models import User
from ..accounts.permissions import require
from ..accounts.roles import Role
from ..contract.vocabulary import value_words
from ..incidents.services import IntakeRefused
from ..incidents.staff_forms import Error, Problems, upload_path
from ..incidents.staff_views import _breakable, _user, signed_in
from ..services.decisions import engine_for
from ..services.records import log_read
from ..web.language import language_of, url_with
from ..web.texts import TEXTS
from . import bases, clock, services
from .findings import engine_answer, needs_city_attorney
from .forms import AGENCIES, CATEGORIES, PROCESS_KINDS, PURPOSES, LogForm, worded
from .models import ANSWERS, RELEASES, Channel, DataRequest, Kind, RequestFile, State

#: The roles who work the desk (owner and backup are picked among them).
DESK = (Role.RECORDS_CLERK, Role.SUPERVISOR, Role.CITY_ATTORNEY)
#: The list's order: what is late first, what is answered last.
_URGENCY = {
    clock.Standing.OVERDUE: 0,
    clock.Standing.DUE_SOON: 1,
    clock.Standing.ON_TIME: 2,
    clock.Standing.PAUSED: 3,
    clock.Standing.ANSWERED: 4,
}


def request_url(found: DataRequest, lang: str) -> str:
    return url_with(f"/data-requests/{found.reference}", lang)


def opened(user: User, reference: str) -> DataRequest:
    try:
        return services.open_request(user, reference)
    except DataRequest.DoesNotExist:
        raise Http404(reference) from None


def categories_words(names: list[str], lang: str) -> str:
    return ", ".join(value_words(CATEGORIES, name, lang) for name in names)


def agencies_words(codes: list[str], lang: str) -> str:
    return ", ".join(value_words(AGENCIES, code, lang) for code in codes)


def process_words(authority: dict[str, Any], lang: str) -> str:
    words = value_words(PROCESS_KINDS, authority.get("kind", "unknown"), lang)
    form = authority.get("form")
    return f"{words} ({form})" if form else words


# -- the list ---------------------------------------------------------------------------------


@never_cache
@require_safe
@signed_in
def request_list(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    require(user, "data_requests.list")
    lang = language_of(request)
    texts = TEXTS[lang]
    state = request.GET.get("state", "")
    standing = request.GET.get("standing", "")
    found = services.visible_to(user).select_related("owner")
    if state in State.values:
        found = found.filter(state=state)
    today = timezone.localdate()
    rows: list[dict[str, Any]] = []
    for item in found:
        where = services.standing_of(item, today)
        if standing in clock.Standing.__members__.values() and where != standing:
            continue
        rows.append(
            {
                "request": item,
                "agencies": agencies_words(item.agencies, lang),
                "asked": categories_words(item.data_categories, lang),
                "process": process_words(item.authority, lang),
                "engine": texts[f"dr_kind_{engine_answer(item.split)}"],
                "state": texts[f"dr_state_{item.state}"],
                "standing": where.value,
                "standing_words": texts[f"dr_standing_{where.value}"],
                "rank": (_URGENCY[where], item.deadline),
            }
        )
    rows.sort(key=lambda row: row["rank"])
    context = {
        "nav": "data_requests",
        "rows": rows,
        "headline": _list_headline(rows, texts),
        "states": [(code, texts[f"dr_state_{code}"]) for code in State.values],
        "standings": [(item.value, texts[f"dr_standing_{item.value}"]) for item in clock.Standing],
        "chosen_state": state,
        "chosen_standing": standing,
        "may_log": user.has_perm("data_requests.log"),
    }
    return render(request, "datarequests/list.html", context)


def _list_headline(rows: list[dict[str, Any]], texts: dict[str, str]) -> str:
    """The answer the list gives first: how many are late, else how many are due soon."""
    late = sum(1 for row in rows if row["standing"] == clock.Standing.OVERDUE)
    soon = sum(1 for row in rows if row["standing"] == clock.Standing.DUE_SOON)
    if late:
        return texts["dr_list_overdue_one" if late == 1 else "dr_list_overdue"].format(count=late)
    if soon:
        return texts["dr_list_due_soon_one" if soon == 1 else "dr_list_due_soon"].format(count=soon)
    return texts["dr_list_none_late"] if rows else texts["dr_list_empty"]


# -- logging one ------------------------------------------------------------------------------

#: The service's field names, as the form's fields and their questions.
_LOG_FIELDS = {
    "channel": ("channel", "channel-0", "dr_channel"),
    "agencies": ("agencies", "agencies-0", "dr_agencies"),
    "component": ("component", "component", "dr_component"),
    "official": ("official", "official", "dr_official"),
    "purpose": ("purpose", "purpose", "dr_purpose"),
    "received_at": ("received_date", "received-date", "dr_received"),
    "received_date": ("received_date", "received-date", "dr_received"),
    "received_time": ("received_time", "received-time", "dr_received_time"),
    "data_categories": ("data_categories", "data-categories-0", "dr_categories"),
    "authority": ("authority_kind", "authority-kind-0", "dr_authority"),
    "authority_kind": ("authority_kind", "authority-kind-0", "dr_authority"),
    "form_number": ("form_number", "form-number", "dr_form_number"),
    "process_issuer": ("process_issuer", "process-issuer", "dr_process_issuer"),
    "process.date": ("process_date", "process-date", "dr_process_date"),
    "process_date": ("process_date", "process-date", "dr_process_date"),
    "process.document": ("process_document", "process-document", "dr_process_document"),
    "process_document": ("process_document", "process-document", "dr_process_document"),
    "concerning": ("concerning", "concerning", "dr_concerning"),
    "deadline": ("deadline", "deadline", "dr_deadline"),
    "external_id": ("external_id", "external-id", "dr_external_id"),
}

#: The service's refusals in the page's words (by the field it names).
_LOG_REFUSALS = {
    "agencies": "dr_error_agencies",
    "data_categories": "dr_error_data_categories",
    "channel": "dr_error_channel",
    "received_at": "dr_error_received_future",
    "process.date": "dr_error_process_date_future",
    "deadline": "dr_error_deadline_early",
    "process.document": "dr_error_process_document",
    "authority": "dr_error_authority",
    "purpose": "dr_error_purpose",
}


@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
@signed_in
def new_request(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    require(user, "data_requests.log")
    lang = language_of(request)
    texts = TEXTS[lang]
    if request.method != "POST":
        return _log_form(request, lang, LogForm(lang=lang), Problems())
    form = LogForm(request.POST, request.FILES, lang=lang)
    problems = Problems()
    if form.is_valid():
        upload = form.cleaned_data["process_document"]
        document = None
        if upload:
            document = services.Upload(upload_path(upload), upload.content_type, upload.name or "")
        try:
            logged = services.log_request(user, form.request_input(), document)
        except IntakeRefused as refused:
            field = refused.field.split("[")[0]
            key = _LOG_REFUSALS.get(field)
            message = texts[key] if key else refused.message
            _add(problems, field, message, texts)
        else:
            return HttpResponseRedirect(request_url(logged, lang), status=303)
    for name, messages in form.errors.items():
        _add(problems, name, str(messages[0]), texts)
    return _log_form(request, lang, form, problems, status=422)


def _add(problems: Problems, field: str, message: str, texts: dict[str, str]) -> None:
    name, anchor, question = _LOG_FIELDS.get(field, (field, "log-form", "dr_new_title"))
    problems.add(name, anchor, texts[question], message)


def _log_form(
    request: HttpRequest, lang: str, form: LogForm, problems: Problems, status: int = 200
) -> HttpResponse:
    texts = TEXTS[lang]
    data = form.data if form.is_bound else {}
    now_here = timezone.localtime()
    values = {
        name: data.get(name, "")
        for name in (
            "channel",
            "component",
            "official",
            "purpose",
            "received_date",
            "received_time",
            "authority_kind",
            "form_number",
            "process_issuer",
            "process_date",
            "concerning",
            "deadline",
            "external_id",
        )
    }
    if not form.is_bound:
        values.update(
            received_date=now_here.date().isoformat(),
            received_time=now_here.strftime("%H:%M"),
            purpose="unknown",
        )
    chosen = {
        name: set(data.getlist(name)) if form.is_bound else set()  # type: ignore[attr-defined]
        for name in ("agencies", "data_categories")
    }
    context = {
        "nav": "data_requests",
        "values": values,
        "chosen": chosen,
        "picked": {name: [values[name]] for name in ("channel", "authority_kind")},
        "channels": [(code, texts[f"dr_channel_{code}"]) for code in Channel.values],
        "agencies": worded(AGENCIES, lang),
        "purposes": worded(PURPOSES, lang),
        "categories": worded(CATEGORIES, lang),
        "kinds": worded(PROCESS_KINDS, lang),
        "deadline_hint": texts["dr_deadline_hint"].format(days=settings.EO152_DATA_REQUEST_DAYS),
        "errors": problems.summary,
        "problems": problems.by_field,
    }
    return render(request, "datarequests/new.html", context, status=status)


# -- one request ------------------------------------------------------------------------------


@never_cache
@require_safe
@signed_in
def request_page(request: HttpRequest, reference: str) -> HttpResponse:
    user = _user(request)
    found = opened(user, reference)
    return render_request(request, user, found)


@dataclass(frozen=True)
class Refusal:
    """A step the service refused: which form, which field, in the page's words."""

    form: str
    field: str
    message: str


def render_request(
    request: HttpRequest,
    user: User,
    found: DataRequest,
    refusal: Refusal | None = None,
    status: int = 200,
) -> HttpResponse:
    lang = language_of(request)
    texts = TEXTS[lang]
    concerning = user.has_perm("data_requests.view_concerning", found)
    context = {
        "nav": "data_requests",
        "dr": found,
        "state": texts[f"dr_state_{found.state}"],
        "answer": _answer(found, lang),
        "split": _split(found, lang),
        "changes": [
            _capital(
                texts[f"dr_change_{item['outcome']}"].format(
                    process=value_words(PROCESS_KINDS, item["kind"], lang)
                )
            )
            for item in found.changes_with
        ],
        "facts": _facts(found, lang, concerning),
        "clock": _clock(found, lang),
        "files": [
            {"file": item, "sha256": _breakable(item.sha256), "role": texts[f"dr_file_{item.role}"]}
            for item in found.files.select_related("added_by")
        ]
        if concerning
        else [],
        "see_files": concerning,
        "history": _history(found, lang),
        "steps": _steps(user, found, lang, _chosen(request, refusal)),
        "refusal": refusal,
        "errors": [Error(f"{refusal.form}-form", texts["dr_refused_title"], refusal.message)]
        if refusal
        else [],
        "letter": services.in_force(found) is not None
        and user.has_perm("data_requests.letter", found),
        "answered": _answered(found, lang),
    }
    log_read(
        services.RECORD_TYPE,
        found.reference,
        services.record_of(found, include_concerning=concerning),
        "page",
        user.actor,
    )
    return render(request, "datarequests/request.html", context, status=status)


def _answered(found: DataRequest, lang: str) -> str | None:
    """What the people decided, for an answered request: it leads the page, before the
    engine's answer it rests on."""
    settled = services.in_force(found) if found.state == State.CLOSED else None
    if settled is None:
        return None
    when = timezone.localtime(settled.checked_at or settled.made_at).date().isoformat()
    return TEXTS[lang]["dr_answered"].format(
        answer=TEXTS[lang][f"dr_kind_{settled.kind}"], day=when
    )


def _capital(words: str) -> str:
    """Words that open a line: "a court order..." as "A court order..."."""
    return words[:1].upper() + words[1:]


def _questions(lang: str) -> dict[str, str]:
    policy = engine_for(settings.EO152_READINGS).policy
    return {key: question.question[lang] for key, question in policy.questions.items()}


def _law_of(rules: list[str], conflicts: list[dict[str, Any]], lang: str) -> str:
    """Which law speaks for the answer ("Colorado law"): the one that prevailed in a
    conflict on sharing data, else the first rule's."""
    for conflict in conflicts:
        if conflict.get("action") == "share_data":
            rules = [conflict["prevailing"]["rule"], *rules]
            break
    if not rules:
        return ""
    policy = engine_for(settings.EO152_READINGS).policy
    instrument = policy.instrument(rules[0].split("/")[0])
    return TEXTS[lang][f"law_level_{instrument.level}"] if instrument else ""


def _law_named(instrument_id: str, lang: str) -> str:
    """ "Colorado law (SB25-276)": an instrument's level and its short name."""
    instrument = engine_for(settings.EO152_READINGS).policy.instrument(instrument_id)
    if instrument is None:
        return instrument_id
    level = TEXTS[lang][f"law_level_{instrument.level}"]
    return f"{level} ({instrument.short or instrument.title})"


def _answer(found: DataRequest, lang: str) -> dict[str, Any]:
    texts = TEXTS[lang]
    duty = found.share_data or {}
    kind = engine_answer(found.split)
    conflicts = [c for c in found.findings.get("conflicts", []) if c.get("action") == "share_data"]
    law = _law_of(list(duty.get("rules", [])), conflicts, lang)
    outcome = duty.get("outcome", "permitted")
    headline = texts[f"dr_headline_{kind}"]
    if law and f"dr_headline_{kind}_{outcome}" in texts:
        headline = texts[f"dr_headline_{kind}_{outcome}"].format(law=law)
    asked = _questions(lang)
    return {
        "kind": kind,
        "headline": headline,
        "plain": (duty.get("plain") or {}).get(lang, ""),
        "cites": duty.get("cites", []),
        "because": duty.get("because", []),
        "questions": [
            question.get("question", {}).get(lang) or asked.get(question["id"], question["id"])
            for question in duty.get("open_questions", [])
        ],
        "conflicts": [
            texts["dr_conflict"].format(
                prevailing=_law_named(c["prevailing"]["instrument"], lang),
                overridden=_law_named(c["overridden"]["instrument"], lang),
            )
            for c in conflicts
        ],
    }


def _split(found: DataRequest, lang: str) -> list[dict[str, Any]]:
    texts = TEXTS[lang]
    asked = _questions(lang)
    return [
        {
            "name": name,
            "words": _capital(value_words(CATEGORIES, name, lang)),
            "outcome": texts[f"dr_split_{item['outcome']}"],
            "kind": item["outcome"],
            "cites": item["cites"],
            "questions": [asked.get(key, key) for key in item["open_questions"]],
        }
        for name, item in found.split.items()
    ]


def _facts(found: DataRequest, lang: str, concerning: bool) -> list[tuple[str, str]]:
    texts = TEXTS[lang]
    received = timezone.localtime(found.received_at)
    facts = [
        (texts["dr_agencies"], agencies_words(found.agencies, lang)),
        (texts["dr_component"], found.component),
        (texts["dr_official"], found.official),
        (texts["dr_purpose"], value_words(PURPOSES, found.purpose, lang)),
        (texts["dr_channel"], texts[f"dr_channel_{found.channel}"]),
        (texts["dr_received"], received.strftime("%Y-%m-%d %H:%M")),
        (texts["dr_categories"], categories_words(found.data_categories, lang)),
        (texts["dr_authority"], process_words(found.authority, lang)),
        (texts["dr_process_issuer"], found.process_issuer),
        (texts["dr_process_date"], found.process_date.isoformat() if found.process_date else ""),
        (texts["dr_external_id"], found.external_id),
    ]
    if concerning:
        kept = found.concerning
        if found.concerning_removed_at is not None:
            kept = texts["dr_concerning_removed"]
        facts.append((texts["dr_concerning"], kept))
    return [(question, answer or texts["dr_none_given"]) for question, answer in facts]


def _holiday_words(name: str, lang: str) -> str:
    """A holiday's name in ``lang``: the ``holidays`` package names US holidays in English
    only, so texts_desk.yaml holds each name's words; a name it does not know (a new
    holiday) stays as the package gives it."""
    base, observed, _ = name.partition(" (observed)")
    key = "dr_holiday_" + "".join(c if c.isalnum() else "_" for c in base.lower()).strip("_")
    words = TEXTS[lang].get(key, base)
    return TEXTS[lang]["dr_holiday_observed"].format(name=words) if observed else words


def _clock(found: DataRequest, lang: str) -> dict[str, Any]:
    texts = TEXTS[lang]
    today = timezone.localdate()
    standing = services.standing_of(found, today)
    # The holidays the deadline skipped: between the day it came and the deadline.
    start = timezone.localtime(found.received_at).date()
    days = [start + timedelta(days=n) for n in range(1, (found.deadline - start).days + 1)]
    holidays = [(day, name) for day in days if (name := clock.holiday_name(day))]
    left = clock.business_days_between(today, found.deadline)
    return {
        "deadline": found.deadline,
        "standing": standing.value,
        "standing_words": texts[f"dr_standing_{standing.value}"],
        "left": texts["dr_days_left"].format(count=left)
        if left >= 0
        else texts["dr_days_late"].format(count=-left),
        "holidays": [
            texts["dr_holiday"].format(day=day.isoformat(), name=_holiday_words(name, lang))
            for day, name in holidays
        ],
        "paused": found.paused_at,
        "pause_reason": found.pause_reason,
    }


def _history(found: DataRequest, lang: str) -> list[dict[str, Any]]:
    texts = TEXTS[lang]
    titles = {code: basis.title_in(lang) for code, basis in bases.catalogue().items()}
    return [
        {
            "kind": texts[f"dr_kind_{item.kind}"],
            "status": texts[f"dr_status_{item.status}"],
            "bases": [titles.get(code, code) for code in item.bases],
            "released": categories_words(item.released_categories, lang),
            "reason": item.reason,
            "against": item.against_engine,
            "made_by": item.made_by.username,
            "made_at": item.made_at,
            "checked_by": item.checked_by.username if item.checked_by else "",
            "checked_at": item.checked_at,
            "return_reason": item.return_reason,
            "new_deadline": item.new_deadline,
            "file": _breakable(item.released_file.sha256) if item.released_file else [],
        }
        for item in found.determinations.select_related("made_by", "checked_by", "released_file")
    ]


# -- the steps each viewer may take -----------------------------------------------------------


def _chosen(request: HttpRequest, refusal: Refusal | None) -> str:
    """The determination whose form is shown: the one refused, the one asked for
    (``?decide=``), else the one the law points to."""
    if refusal is not None and refusal.form.startswith("determine-"):
        return refusal.form.removeprefix("determine-")
    return request.GET.get("decide", "")


def _steps(user: User, found: DataRequest, lang: str, chosen: str) -> dict[str, Any]:
    texts = TEXTS[lang]
    may = user.has_perm
    answer = engine_answer(found.split)
    rules = list((found.share_data or {}).get("rules", []))
    for item in found.split.values():
        rules += item["rules"]
    is_open = found.state in (State.OPEN, State.IN_REVIEW)
    going_against = may("data_requests.go_against_engine", found)
    determine: list[dict[str, Any]] = []
    if is_open and may("data_requests.determine", found):
        for kind in Kind.values:
            if kind in RELEASES and not may("data_requests.make_release", found):
                continue
            against = kind in ANSWERS and needs_city_attorney(found.split, kind)
            suggested = {basis.code for basis in bases.suggested(kind, rules)}
            determine.append(
                {
                    "kind": kind,
                    "words": texts[f"dr_kind_{kind}"],
                    "engine": kind == answer,
                    "against": against,
                    "allowed": going_against or not against,
                    "logger": kind in RELEASES and found.logged_by_id == user.pk,
                    "bases": [
                        (basis.code, basis.title_in(lang), basis.code in suggested)
                        for basis in bases.for_kind(kind)
                    ],
                }
            )
    proposed = services.pending(found)
    check = None
    if proposed is not None and may("data_requests.check", found):
        check = {
            "proposed": proposed,
            "kind": texts[f"dr_kind_{proposed.kind}"],
            "released": categories_words(proposed.released_categories, lang),
            "sha256": _breakable(proposed.released_file.sha256) if proposed.released_file else [],
            "maker": proposed.made_by.username,
            "may": user.pk not in (proposed.made_by_id, found.logged_by_id),
        }
    manage = may("data_requests.manage", found)
    kinds: list[str] = [item["kind"] for item in determine]
    if chosen not in kinds:
        chosen = answer if answer in kinds else (kinds[0] if kinds else "")
    return {
        "determine": [item for item in determine if item["kind"] == chosen],
        "other_kinds": [item for item in determine if item["kind"] != chosen],
        "categories": [(name, value_words(CATEGORIES, name, lang)) for name in found.split],
        "check": check,
        "pause": manage and found.state != State.CLOSED and found.paused_at is None,
        "resume": manage and found.paused_at is not None,
        "people": manage and found.state != State.CLOSED,
        "desk": list(User.objects.filter(role__in=DESK, is_active=True).order_by("username"))
        if manage
        else [],
        "remove_concerning": manage
        and found.state == State.CLOSED
        and found.concerning_removed_at is None
        and bool(found.concerning),
        "any": bool(determine) or check is not None or manage,
    }


# -- files ------------------------------------------------------------------------------------


@never_cache
@require_GET  # a HEAD would be logged as a download that sent nothing
@signed_in
def request_file(request: HttpRequest, reference: str, sha256: str) -> FileResponse:
    """A file of the request (the process presented, a file released), logged as custody
    before a byte is sent. Only the desk: the process names whom the request concerns."""
    user = _user(request)
    found = opened(user, reference)
    try:
        item, stream = services.open_file(user, found, sha256)
    except (PermissionDenied, RequestFile.DoesNotExist):
        raise Http404(reference) from None
    extension = item.media_type.split("/")[-1].split("+")[0]
    response = FileResponse(
        stream,
        content_type=item.media_type,
        as_attachment=True,
        filename=f"{found.reference}-{item.role}-{item.sha256[:8]}.{extension}",
    )
    # The file is what the requester sent, not a page of this site: nothing in it may run.
    response["Content-Security-Policy"] = "sandbox; default-src 'none'"
    return response
