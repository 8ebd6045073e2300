"""The staff's pages: the incidents an account may see, the officer's report, and an
incident with its findings first, as the field guidance shows an answer.

Every check is a permission of :mod:`eo152.accounts.permissions`. An incident the account
may not open answers 404, the same as one that does not exist, so a reference's existence
is never revealed. Every incident page shown is logged in the ledger (``record.read``,
the account's number, the SHA-256 of what was shown).
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Sequence
from dataclasses import replace
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.http.response import HttpResponseBase
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
from ..accounts.roles import Role
from ..contract import InvalidSituation, label
from ..rules import Decision
from ..services.decisions import PlacesUnavailable, engine_for, raised_not_applicable
from ..web.answers import answers_from_situation
from ..web.errors import error_page
from ..web.language import language_of, url_with
from ..web.presenting import Answer, Link, moment, present
from ..web.texts import TEXTS
from . import evidence as evidence_files
from . import services, staff_forms
from .models import BodyCamera, ClosedReason, Evidence, Finding, Incident, Reporting, Source, State

PER_PAGE = 50

View = Callable[..., HttpResponseBase]


def signed_in(view: View) -> View:
    """The view for a signed-in account; anyone else is sent to sign in, in their language."""

    @functools.wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        if not request.user.is_authenticated:
            lang = language_of(request)
            return HttpResponseRedirect(url_with("/sign-in", lang, next=request.get_full_path()))
        return view(request, *args, **kwargs)

    return wrapped


def _user(request: HttpRequest) -> User:
    assert isinstance(request.user, User)
    return request.user


def _open(user: User, reference: str) -> Incident:
    try:
        return services.open_incident(user, reference)
    except Incident.DoesNotExist:
        raise Http404(reference) from None


def _incident_url(incident: Incident, lang: str) -> str:
    return url_with(f"/incidents/{incident.reference}", lang)


# -- the list ----------------------------------------------------------------------------


@never_cache
@require_safe
@signed_in
def incident_list(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    require(user, "incidents.list")
    lang = language_of(request)
    pages = Paginator(services.visible_to(user).order_by("-id"), PER_PAGE)
    page = pages.get_page(request.GET.get("page"))
    incidents: list[Incident] = list(page.object_list)
    findings = _current_findings(incidents)
    rows = [
        {
            "incident": incident,
            "state": _state_words(incident, lang),
            "source": TEXTS[lang][f"staff_source_{incident.source}"],
            "filed_on": incident.filed_on,
            "counts": _counts(findings.get(incident.pk), lang),
        }
        for incident in incidents
    ]
    context = {
        "nav": "incidents",
        "rows": rows,
        "page": page,
        "may_file": user.has_perm("incidents.file"),
    }
    return render(request, "incidents/staff_list.html", context)


def _current_findings(incidents: Sequence[Incident]) -> dict[int, Finding]:
    """Each incident's latest finding, in one query."""
    latest: dict[int, Finding] = {}
    for finding in Finding.objects.filter(incident__in=incidents).order_by("incident_id", "-id"):
        latest.setdefault(finding.incident_id, finding)
    return latest


def _counts(finding: Finding | None, lang: str) -> str:
    """ "2 duties broken, 3 undecided": what the findings say, counted."""
    if finding is None:
        return ""
    texts = TEXTS[lang]
    duties = [d for d in finding.decision["duties"] if d["engaged"]]
    broken = sum(1 for d in duties if d["violation"] is True)
    undecided = sum(1 for d in duties if d["outcome"] == "indeterminate")
    parts = []
    if broken:
        key = "staff_count_broken_1" if broken == 1 else "staff_count_broken"
        parts.append(texts[key].format(count=broken))
    if undecided:
        parts.append(texts["staff_count_undecided"].format(count=undecided))
    return ", ".join(parts) or texts["staff_count_none"]


def _state_words(incident: Incident, lang: str) -> str:
    texts = TEXTS[lang]
    words = texts[f"staff_state_{incident.state}"]
    if incident.state == State.CLOSED and incident.closed_reason:
        words = f"{words}: {texts[f'staff_closed_{incident.closed_reason}']}"
    return words


# -- the officer's report -------------------------------------------------------------------


@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
@signed_in
def new_report(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    require(user, "incidents.file")
    lang = language_of(request)
    if request.method != "POST":
        return _report_form(request, lang, {}, staff_forms.Problems(), None)
    values = staff_forms.form_values(request.POST)
    if "switch_lang" in request.POST:  # the other language, answers kept (files are chosen again)
        return _report_form(request, lang, values, staff_forms.Problems(), None)
    report, problems = staff_forms.read_report(request.POST, request.FILES, lang)
    if problems:
        return _report_form(request, lang, values, problems, report, status=422)
    intake = services.Intake(
        source=Source.OFFICER,
        situation=report.situation,
        narrative=report.narrative,
        occurred_at=staff_forms.occurred_at(report.situation),
        reporting=Reporting.ON_DUTY,
        personnel=report.personnel,
        body_camera=report.body_camera,
        body_camera_clips=report.clips,
        external_id=f"form:{report.submission}",
        language=lang,
    )
    try:
        filed = services.file_incident(intake, by=user)
    except InvalidSituation as error:
        staff_forms.situation_problems(staff_forms.invalid_errors(error), values, lang, problems)
        return _report_form(request, lang, values, problems, report, status=422)
    except services.IntakeRefused as error:
        name = "at" if error.field == "occurred_at" else error.field
        texts = TEXTS[lang]
        problems.add(name, "f-at", texts["staff_time"], texts["staff_error_future"])
        return _report_form(request, lang, values, problems, report, status=422)
    except PlacesUnavailable:
        return _places_unavailable(request, lang)
    if filed.created:  # a second submit of the same form: its files are already attached
        for upload in report.files:
            evidence_files.attach(
                filed.incident,
                staff_forms.upload_path(upload),
                by=user,
                claimed_type=upload.content_type,
                label=upload.name or "",
            )
    return HttpResponseRedirect(_incident_url(filed.incident, lang), status=303)


def _submission(request: HttpRequest, report: staff_forms.Report | None) -> str:
    """The form's one-time id: the one it was sent with, else a new one."""
    if report is not None:
        return report.submission
    sent = request.POST.get("submission", "") if request.method == "POST" else ""
    return sent if staff_forms.SUBMISSION.match(sent) else staff_forms.new_submission()


def _report_form(
    request: HttpRequest,
    lang: str,
    values: dict[str, list[str]],
    problems: staff_forms.Problems,
    report: staff_forms.Report | None,
    status: int = 200,
) -> HttpResponse:
    texts = TEXTS[lang]
    post = request.POST if request.method == "POST" else None
    context = {
        "nav": "incidents",
        "sections": staff_forms.sections(values, problems.by_field, lang),
        "errors": problems.summary,
        "problems": problems.by_field,
        "people": staff_forms.person_rows(post, problems.by_field),
        "agencies": [
            (code, _sentence(label(f"agents.agencies={code}", lang)))
            for code in staff_forms.agency_codes()
        ],
        "cameras": [(value, texts[f"staff_camera_{value}"]) for value in BodyCamera.values],
        "narrative": post.get("narrative", "") if post else "",
        "body_camera": post.get("body_camera", "") if post else "",
        "clips": post.get("body_camera_clips", "") if post else "",
        "file_errors": [m for name, m in problems.by_field.items() if name.startswith("files:")],
        "submission": _submission(request, report),
    }
    return render(request, "incidents/staff_report.html", context, status=status)


# -- one incident -----------------------------------------------------------------------------


def decision_of(finding: Finding) -> Decision:
    """The stored decision as the engine gave it, for the answer page's presentation."""
    return Decision.from_dict(finding.decision, finding.situation)


def findings_answer(incident: Incident, finding: Finding, lang: str, may_change: bool) -> Answer:
    """The finding as the field guidance's answer page says it, everyone's duties; its
    links to a fact go to this incident's facts form (or nowhere, for who may not change)."""
    decision = decision_of(finding)
    policy = engine_for(settings.EO152_READINGS).policy
    known = {rule.id for rule in policy.rules}
    # A finding made under an older policy may name a rule no longer in force.
    ruled_out = raised_not_applicable(
        replace(decision, not_applicable=[n for n in decision.not_applicable if n.rule in known]),
        settings.EO152_READINGS,
    )
    answer = present(decision, lang, policy, ruled_out)

    def relinked(links: tuple[Link, ...]) -> tuple[Link, ...]:
        facts = url_with(f"/incidents/{incident.reference}/facts", lang)
        return tuple(
            replace(link, url=f"{facts}#{link.url.partition('#')[2]}" if may_change else "")
            for link in links
        )

    return replace(answer, find_out=relinked(answer.find_out), told=relinked(answer.told))


@never_cache
@require_safe
@signed_in
def incident_page(request: HttpRequest, reference: str) -> HttpResponse:
    user = _user(request)
    return render_incident(request, user, _open(user, reference))


def render_incident(
    request: HttpRequest,
    user: User,
    incident: Incident,
    problems: staff_forms.Problems | None = None,
    values: dict[str, str] | None = None,
    status: int = 200,
) -> HttpResponse:
    """The incident page (with ``problems``, and what was typed in ``values``, after a refused
    workflow action, its summary first)."""
    lang = language_of(request)
    texts = TEXTS[lang]
    finding = services.current_finding(incident)
    may_change = user.has_perm("incidents.change", incident)
    answer = findings_answer(incident, finding, lang, may_change)
    contact = (
        services.contact_for(user, incident)
        if incident.reporting == Reporting.CONFIDENTIAL
        else None
    )
    files = list(Evidence.objects.filter(incident=incident))
    personnel = list(incident.personnel.all())
    may_assign = user.has_perm("incidents.assign", incident)
    location = incident.situation.get("location") or {}
    context = {
        "nav": "incidents",
        "incident": incident,
        "answer": answer,
        "state": _state_words(incident, lang),
        "source": texts[f"staff_source_{incident.source}"],
        "occurred": _when(incident, finding, lang),
        "address": location.get("address", ""),
        "point": (location.get("lat"), location.get("lon")) if "lat" in location else None,
        "place_facts": [
            _sentence(label(f"location.{fact}={location[fact]}", lang))
            for fact in ("kind", "ownership")
            if isinstance(location.get(fact), str) and location[fact] != "unknown"
        ],
        "personnel": [
            {
                "agency": _sentence(label(f"agents.agencies={p.agency}", lang)),
                "unit": p.unit,
                "badge": p.badge,
                "plate": p.plate,
                "plate_state": p.plate_state,
                "description": p.description,
            }
            for p in personnel
        ],
        "camera": texts[f"staff_camera_{incident.body_camera}"] if incident.body_camera else "",
        "files": [
            {"item": f, "sha256": _breakable(f.sha256), "leaf": _breakable(f.receipt["leaf_hash"])}
            for f in files
        ],
        "may_see_original": user.has_perm("incidents.view_original", incident),
        "contact": contact,
        "may_change": may_change,
        "may_assign": may_assign,
        "investigators": _investigators(),
        "assigned_to_me": incident.assigned_investigator_id == user.pk,
        "errors": problems.summary if problems else [],
        "problems": problems.by_field if problems else {},
        "values": values or {},
        **_workflow(user, incident, lang),
    }
    shown = {
        "finding": finding.pk,
        "decision": finding.decision,
        "record_sha256": incident.record_sha256,
        "state": incident.state,
        "evidence": [f.sha256 for f in files],
    }
    services.log_shown(user, incident, shown, "page")
    return render(request, "incidents/staff_incident.html", context, status=status)


def _workflow(user: User, incident: Incident, lang: str) -> dict[str, Any]:
    """The workflow's actions this account may take now, its confirmations and the
    history of its status (who, when, why)."""
    texts = TEXTS[lang]
    state = incident.state
    verifications = list(incident.verifications.select_related("by"))
    verified_by_me = any(v.by_id == user.pk for v in verifications)
    return {
        "may_triage": state == State.RECEIVED and user.has_perm("incidents.triage", incident),
        "may_mark_duplicate": state in (State.RECEIVED, State.TRIAGED)
        and user.has_perm("incidents.triage", incident),
        "may_verify": state == State.TRIAGED
        and not verified_by_me
        and user.has_perm("incidents.verify", incident),
        "verified_by_me": verified_by_me and state == State.TRIAGED,
        "may_open": state == State.VERIFIED
        and user.has_perm("incidents.open_investigation", incident),
        "may_close": state != State.CLOSED and user.has_perm("incidents.close", incident),
        "reasons": [
            (value, _sentence(texts[f"staff_closed_{value}"])) for value in ClosedReason.values
        ],
        "has_case": hasattr(incident, "investigation") and may_read_case(user, incident),
        "verifications": verifications,
        "linked": list(services.visible_to(user).filter(linked=incident).order_by("reference")),
        "duplicate_of": services.visible_to(user).filter(duplicates=incident).first(),
        "history": status_history(incident, lang),
    }


def may_read_case(user: User, incident: Incident) -> bool:
    """The case (its notes, timeline, custody) is read by the roles that read every incident,
    not by the officer or partner system that filed it: among those who may open the
    incident, they are the ones who may also list referrals (incidents.view refuses the
    prosecutor)."""
    return user.has_perm("incidents.view", incident) and user.has_perm("referrals.list")


def status_history(incident: Incident, lang: str) -> list[dict[str, Any]]:
    """Each change of the incident's status, oldest first: when, who, the status, why."""
    rows: list[dict[str, Any]] = []
    before = None
    for entry in incident.history.select_related("history_user").order_by("history_id"):
        if entry.state == before and not entry.history_change_reason:
            continue
        before = entry.state
        who = entry.history_user
        rows.append(
            {
                "at": entry.history_date,
                "who": who.username if who is not None else TEXTS[lang]["case_history_nobody"],
                "state": TEXTS[lang][f"staff_state_{entry.state}"],
                "why": entry.history_change_reason or "",
            }
        )
    return rows


def _when(incident: Incident, finding: Finding, lang: str) -> str:
    """When it happened, as the current facts say (a change of the facts may correct it)."""
    at = finding.situation.get("at")
    if isinstance(at, str):
        return moment(at, lang)
    return moment(incident.occurred_at.isoformat(), lang) if incident.occurred_at else ""


def _breakable(digest: str) -> list[str]:
    """A hash in groups of eight, which a phone's screen may wrap between (``<wbr>``)."""
    return [digest[i : i + 8] for i in range(0, len(digest), 8)]


def _investigators() -> list[User]:
    return list(User.objects.filter(role=Role.INVESTIGATOR, is_active=True).order_by("username"))


# -- evidence ---------------------------------------------------------------------------------


@never_cache
@require_GET  # a HEAD would be logged as a view that showed nothing
@signed_in
def evidence_file(request: HttpRequest, reference: str, evidence_id: int) -> FileResponse:
    """A file to view or download (``?download=1``); ``?original=1`` the file as sent,
    for the assigned investigator. Logged as custody before a byte is sent."""
    user = _user(request)
    incident = _open(user, reference)
    item = Evidence.objects.filter(incident=incident, pk=evidence_id).first()
    if item is None:
        raise Http404(reference)
    download = request.GET.get("download") == "1"
    try:
        opened = evidence_files.open_file(
            user, item, original=request.GET.get("original") == "1", download=download
        )
    except PermissionDenied:
        raise Http404(reference) from None
    extension = opened.media_type.split("/")[-1].split("+")[0]
    response = FileResponse(
        opened.stream,
        content_type=opened.media_type,
        as_attachment=download,
        filename=f"{incident.reference}-{item.pk}.{extension}",
    )
    # The file is the evidence, not a page of this site: nothing in it may run.
    response["Content-Security-Policy"] = "sandbox; default-src 'none'"
    return response


# -- actions ----------------------------------------------------------------------------------


@require_POST
@signed_in
def assign(request: HttpRequest, reference: str) -> HttpResponse:
    user = _user(request)
    incident = _open(user, reference)
    lang = language_of(request)
    chosen = User.objects.filter(pk=_number(request.POST.get("investigator"))).first()
    require(user, "incidents.assign", incident)
    if chosen is None:
        return _refused(request, lang)
    try:
        services.assign(user, incident, chosen)
    except services.IntakeRefused:
        return _refused(request, lang)
    return HttpResponseRedirect(_incident_url(incident, lang), status=303)


def _number(text: str | None) -> int:
    return int(text) if text and text.isdigit() else 0


def _refused(request: HttpRequest, lang: str) -> HttpResponse:
    texts = TEXTS[lang]
    return error_page(
        request, 422, texts["staff_action_refused_title"], texts["staff_action_refused"]
    )


def _places_unavailable(request: HttpRequest, lang: str) -> HttpResponse:
    texts = TEXTS[lang]
    return error_page(
        request, 503, texts["places_unavailable_title"], texts["places_unavailable_text"]
    )


# -- changing the facts -----------------------------------------------------------------------


@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
@signed_in
def change_facts(request: HttpRequest, reference: str) -> HttpResponse:
    user = _user(request)
    incident = _open(user, reference)
    require(user, "incidents.change", incident)
    lang = language_of(request)
    texts = TEXTS[lang]
    if request.method != "POST":
        values = answers_from_situation(incident.situation)
        services.log_shown(
            user,
            incident,
            {"situation": incident.situation, "record_sha256": incident.record_sha256},
            "facts",
        )
        return _facts_form(
            request, lang, incident, values, incident.narrative, staff_forms.Problems()
        )
    values = staff_forms.form_values(request.POST)
    # A post without the field (not this form's) leaves the narrative as it was.
    narrative = request.POST.get("narrative", incident.narrative).strip()
    problems = staff_forms.Problems()
    if "switch_lang" in request.POST:
        return _facts_form(request, lang, incident, values, narrative, problems)
    situation, errors = staff_forms.read_situation(values, lang)
    staff_forms.situation_problems(errors, values, lang, problems)
    if len(narrative) > staff_forms.NARRATIVE_MAX:
        problems.add(
            "narrative", "narrative", texts["staff_narrative"], texts["staff_error_narrative_long"]
        )
    if problems:
        return _facts_form(request, lang, incident, values, narrative, problems, status=422)
    try:
        kept = staff_forms.keep_unasked(incident.situation, situation)
        services.change_facts(user, incident, kept, narrative)
    except InvalidSituation as error:
        staff_forms.situation_problems(staff_forms.invalid_errors(error), values, lang, problems)
        return _facts_form(request, lang, incident, values, narrative, problems, status=422)
    except PlacesUnavailable:
        return _places_unavailable(request, lang)
    return HttpResponseRedirect(_incident_url(incident, lang), status=303)


def _facts_form(
    request: HttpRequest,
    lang: str,
    incident: Incident,
    values: dict[str, list[str]],
    narrative: str,
    problems: staff_forms.Problems,
    status: int = 200,
) -> HttpResponse:
    context = {
        "nav": "incidents",
        "incident": incident,
        "sections": staff_forms.sections(values, problems.by_field, lang),
        "errors": problems.summary,
        "problems": problems.by_field,
        "narrative": narrative,
    }
    return render(request, "incidents/staff_facts.html", context, status=status)


def _sentence(words: str) -> str:
    return words[:1].upper() + words[1:]
