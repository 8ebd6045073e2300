"""Triage, verification and the case: the incident page's workflow actions, and the case
page (tasks, notes, timeline, actors, evidence with its custody, undecided duties).

Each action calls :mod:`eo152.incidents.workflow`, which checks the permission and keeps
who, when and why. A refused action shows the incident (or the case) again with an error
summary saying what to fix (422); an incident the account may not open is 404.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST, require_safe

from ..accounts.models import User
from ..accounts.permissions import require
from ..contract import label
from ..referrals.models import Referral
from ..services.records import ledger_entries
from ..web.language import language_of, url_with
from ..web.question_links import question_url
from ..web.texts import TEXTS
from . import services, staff_forms, workflow
from .models import Evidence, Incident, Investigation, Task
from .staff_views import (
    _breakable,
    _open,
    _sentence,
    _user,
    findings_answer,
    may_read_case,
    render_incident,
    signed_in,
)

#: Where each refusal of the workflow is shown: the form field's id and its question's key.
FIELDS = {
    "why": ("why", "case_why"),
    "related": ("related", "case_related"),
    "duplicate_of": ("duplicate-of", "case_duplicate_of"),
    "duplicate_why": ("duplicate-why", "case_why"),
    "how": ("how", "case_verify_how"),
    "by": ("how", "case_verify_how"),
    "assignee": ("assignee", "case_assignee"),
    "due_on": ("due-on", "case_due_on"),
    "open_why": ("open-why", "case_why"),
    "closed_reason": ("close-reason", "staff_close_reason"),
    "close_why": ("close-why", "case_why"),
    "state": ("actions-title", "staff_state"),
    "task": ("tasks-title", "case_task_kind"),
    "kind": ("task-kind", "case_task_kind"),
    "text": ("note-text", "case_note_text"),
    "happened_at": ("event-when", "case_event_when"),
    "what": ("event-what", "case_event_what"),
}
#: The workflow's refusals (field, its English message) in the page's words.
MESSAGES = {
    "say in a few words why": "case_error_why",
    f"keep it to {workflow.WHY_MAX} characters": "case_error_why_long",
    "a second verification must come from another person": "case_error_second",
    "is not an investigator": "case_error_assignee",
    "is in the past": "case_error_due_past",
    "an incident is not a duplicate of itself": "case_error_self",
}


def _case_url(incident: Incident, lang: str, part: str = "") -> str:
    return url_with(f"/incidents/{incident.reference}/case", lang) + (f"#{part}" if part else "")


def _incident_url(incident: Incident, lang: str) -> str:
    return url_with(f"/incidents/{incident.reference}", lang)


def _problem(problems: staff_forms.Problems, lang: str, field: str, key: str) -> None:
    texts = TEXTS[lang]
    anchor, question = FIELDS[field]
    problems.add(field, anchor, texts[question], texts[key])


def _refused(
    problems: staff_forms.Problems, lang: str, error: services.IntakeRefused, field: str = ""
) -> None:
    """A workflow refusal in the page's words (a reason's field is the form's own name)."""
    key = MESSAGES.get(error.message, "case_error_state")
    if error.field == "closed_reason":
        key = "case_error_reason"
    name = field if error.field == "why" and field else error.field
    _problem(problems, lang, name if name in FIELDS else "state", key)


def _others(
    user: User, text: str, lang: str, problems: staff_forms.Problems, field: str
) -> list[Incident]:
    """The incidents named by their references in ``text`` that ``user`` may open."""
    found: list[Incident] = []
    for reference in text.replace(",", " ").split():
        try:
            found.append(services.open_incident(user, reference))
        except Incident.DoesNotExist:
            texts = TEXTS[lang]
            anchor, question = FIELDS[field]
            problems.add(
                field,
                anchor,
                texts[question],
                texts["case_error_reference"].format(reference=reference[:20]),
            )
    return found


def _values(request: HttpRequest, *names: str) -> dict[str, str]:
    return {name: request.POST.get(name, "").strip() for name in names}


# -- the incident's workflow ----------------------------------------------------------------


@require_POST
@signed_in
def triage(request: HttpRequest, reference: str) -> HttpResponse:
    user = _user(request)
    incident = _open(user, reference)
    require(user, "incidents.triage", incident)
    lang = language_of(request)
    values = _values(request, "why", "related")
    problems = staff_forms.Problems()
    related = _others(user, values["related"], lang, problems, "related")
    if not problems:
        try:
            workflow.triage(user, incident, values["why"], related)
        except services.IntakeRefused as error:
            _refused(problems, lang, error)
    if problems:
        return render_incident(request, user, incident, problems, values, status=422)
    return HttpResponseRedirect(_incident_url(incident, lang), status=303)


@require_POST
@signed_in
def mark_duplicate(request: HttpRequest, reference: str) -> HttpResponse:
    user = _user(request)
    incident = _open(user, reference)
    require(user, "incidents.triage", incident)
    lang = language_of(request)
    values = _values(request, "duplicate_of", "duplicate_why")
    problems = staff_forms.Problems()
    originals = _others(user, values["duplicate_of"], lang, problems, "duplicate_of")
    if not problems and len(originals) != 1:
        _problem(problems, lang, "duplicate_of", "case_error_reference_one")
    if not problems:
        try:
            workflow.mark_duplicate(user, incident, originals[0], values["duplicate_why"])
        except services.IntakeRefused as error:
            _refused(problems, lang, error, "duplicate_why")
    if problems:
        return render_incident(request, user, incident, problems, values, status=422)
    return HttpResponseRedirect(_incident_url(incident, lang), status=303)


@require_POST
@signed_in
def verify(request: HttpRequest, reference: str) -> HttpResponse:
    user = _user(request)
    incident = _open(user, reference)
    lang = language_of(request)
    values = _values(request, "how")
    problems = staff_forms.Problems()
    try:
        workflow.verify(user, incident, values["how"])
    except services.IntakeRefused as error:
        _refused(problems, lang, error, "how")
        return render_incident(request, user, incident, problems, values, status=422)
    return HttpResponseRedirect(_incident_url(incident, lang), status=303)


@require_POST
@signed_in
def open_investigation(request: HttpRequest, reference: str) -> HttpResponse:
    user = _user(request)
    incident = _open(user, reference)
    require(user, "incidents.open_investigation", incident)
    lang = language_of(request)
    values = _values(request, "assignee", "due_on", "open_why")
    problems = staff_forms.Problems()
    chosen = values["assignee"]
    assignee = User.objects.filter(pk=int(chosen)).first() if chosen.isdigit() else None
    if assignee is None:
        _problem(problems, lang, "assignee", "case_error_assignee")
    due_on = _day(values["due_on"])
    if due_on is None:
        _problem(problems, lang, "due_on", "case_error_due_on")
    if assignee is not None and due_on is not None:
        try:
            workflow.open_investigation(user, incident, assignee, due_on, values["open_why"])
        except services.IntakeRefused as error:
            _refused(problems, lang, error, "open_why")
    if problems:
        return render_incident(request, user, incident, problems, values, status=422)
    return HttpResponseRedirect(_case_url(incident, lang), status=303)


@require_POST
@signed_in
def close(request: HttpRequest, reference: str) -> HttpResponse:
    user = _user(request)
    incident = _open(user, reference)
    lang = language_of(request)
    values = _values(request, "reason", "close_why")
    problems = staff_forms.Problems()
    try:
        workflow.close(user, incident, values["reason"], values["close_why"])
    except services.IntakeRefused as error:
        _refused(problems, lang, error, "close_why")
        return render_incident(request, user, incident, problems, values, status=422)
    return HttpResponseRedirect(_incident_url(incident, lang), status=303)


def _day(text: str) -> date | None:
    try:
        return date.fromisoformat(text)
    except ValueError:
        return None


# -- the case page --------------------------------------------------------------------------


def _case(user: User, reference: str) -> tuple[Incident, Investigation]:
    """The incident and its case, if ``user`` may read it and it has one (else 404)."""
    incident = _open(user, reference)
    case = Investigation.objects.filter(incident=incident).select_related("assignee").first()
    if case is None or not may_read_case(user, incident):
        raise Http404(reference)
    return incident, case


@never_cache
@require_safe
@signed_in
def case_page(request: HttpRequest, reference: str) -> HttpResponse:
    user = _user(request)
    incident, case = _case(user, reference)
    return _render_case(request, user, incident, case)


def _render_case(
    request: HttpRequest,
    user: User,
    incident: Incident,
    case: Investigation,
    problems: staff_forms.Problems | None = None,
    values: dict[str, str] | None = None,
    status: int = 200,
) -> HttpResponse:
    lang = language_of(request)
    texts = TEXTS[lang]
    finding = services.current_finding(incident)
    may_change = user.has_perm("incidents.change", incident)
    answer = findings_answer(incident, finding, lang, may_change)
    tasks = list(case.tasks.select_related("done_by"))
    left = sum(1 for task in tasks if task.done_at is None)
    due = case.due_on.isoformat()
    files = list(Evidence.objects.filter(incident=incident))
    notes = list(case.notes.select_related("author"))
    timeline = list(case.timeline.select_related("added_by"))
    context: dict[str, Any] = {
        "nav": "incidents",
        "incident": incident,
        "case": case,
        "verdict": texts["case_answer"].format(open=left, total=len(tasks), due=due)
        if left
        else texts["case_answer_done"].format(due=due),
        "may_work": user.has_perm("incidents.investigate", incident),
        "may_change": may_change,
        "may_refer": user.has_perm("referrals.create", incident)
        and incident.state == "investigation_opened",
        "undecided": undecided_duties(incident, finding.decision, answer, lang, may_change),
        "tasks": [{"task": task, "words": _task_words(task.kind, lang)} for task in tasks],
        "task_kinds": [(kind, _task_words(kind, lang)) for kind in workflow.CASE_TEMPLATE],
        "notes": notes,
        "timeline": timeline,
        "personnel": [
            {
                "agency": _sentence(label(f"agents.agencies={p.agency}", lang)),
                "unit": p.unit,
                "badge": p.badge,
                "plate": p.plate,
                "plate_state": p.plate_state,
            }
            for p in incident.personnel.all()
        ],
        "files": custody_of(incident, files, lang),
        "referrals": list(Referral.objects.filter(incident=incident).order_by("id")),
        "errors": problems.summary if problems else [],
        "problems": problems.by_field if problems else {},
        "values": values or {},
    }
    shown = {
        "case": case.pk,
        "tasks": [(task.kind, task.done_at is not None) for task in tasks],
        "notes": [note.pk for note in notes],
        "timeline": [event.pk for event in timeline],
    }
    services.log_shown(user, incident, shown, "case")
    return render(request, "incidents/case_page.html", context, status=status)


def _task_words(kind: str, lang: str) -> str:
    return TEXTS[lang].get(f"case_task_{kind}", kind)


def undecided_duties(
    incident: Incident, decision: dict[str, Any], answer: Any, lang: str, may_change: bool
) -> list[dict[str, Any]]:
    """Each engaged duty the findings leave undecided, with why: the facts it waits on
    (each a link to its question on the facts form, for who may change the facts) and
    the open questions of law."""
    titles = {(d.actor, d.action): d.title for d in (*answer.depends, *answer.others)}
    facts_url = url_with(f"/incidents/{incident.reference}/facts", lang)
    undecided = []
    for duty in decision["duties"]:
        if not duty["engaged"] or duty["outcome"] != "indeterminate":
            continue
        undecided.append(
            {
                "title": titles.get((duty["actor"], duty["action"])) or duty["plain"],
                "plain": duty["plain"],
                "missing": [
                    {
                        "text": _sentence(label(fact, lang)),
                        "url": f"{facts_url}#{_anchor(fact)}" if may_change else "",
                    }
                    for fact in duty["missing_facts"]
                ],
                "questions": [str(q["question"][lang]) for q in duty["open_questions"]],
            }
        )
    return undecided


def _anchor(fact: str) -> str:
    """The fact's question on the form (the facts form has the same anchors)."""
    return question_url(fact, "en", "").partition("#")[2]


def custody_of(incident: Incident, files: list[Evidence], lang: str) -> list[dict[str, Any]]:
    """Each file with every ledger entry about it (stored, viewed, downloaded, exported, a
    copy made): what, by which account, when, and its place in the log."""
    texts = TEXTS[lang]
    digests: dict[str, list[dict[str, Any]]] = {}
    for item in files:
        digests.setdefault(item.sha256, [])
        if item.shown_sha256:
            digests.setdefault(item.shown_sha256, [])
    for index, entry in ledger_entries(marker=incident.reference):
        found = digests.get(entry.get("sha256", ""))
        if found is not None and entry.get("incident") == incident.reference:
            kind = str(entry.get("kind", ""))
            found.append(
                {
                    "leaf_index": index,
                    "what": texts.get(f"case_custody_{kind.replace('.', '_')}", kind),
                    "actor": entry.get("actor", ""),
                    "at": entry.get("at", ""),
                }
            )
    shown = []
    for item in files:
        entries = list(digests[item.sha256])
        if item.shown_sha256 and item.shown_sha256 != item.sha256:
            entries += digests[item.shown_sha256]
        shown.append(
            {
                "item": item,
                "sha256": _breakable(item.sha256),
                "custody": sorted(entries, key=lambda e: e["leaf_index"]),
            }
        )
    return shown


# -- the case's work ------------------------------------------------------------------------


@require_POST
@signed_in
def finish_task(request: HttpRequest, reference: str, task_id: int) -> HttpResponse:
    user = _user(request)
    incident, case = _case(user, reference)
    lang = language_of(request)
    task = Task.objects.filter(investigation=case, pk=task_id).first()
    if task is None:
        raise Http404(reference)
    problems = staff_forms.Problems()
    try:
        workflow.finish_task(user, task, request.POST.get("note", ""))
    except services.IntakeRefused:
        _problem(problems, lang, "task", "case_error_task_done")
        return _render_case(request, user, incident, case, problems, status=422)
    return HttpResponseRedirect(_case_url(incident, lang, "tasks-title"), status=303)


@require_POST
@signed_in
def add_task(request: HttpRequest, reference: str) -> HttpResponse:
    user = _user(request)
    incident, case = _case(user, reference)
    lang = language_of(request)
    problems = staff_forms.Problems()
    try:
        workflow.add_task(user, case, request.POST.get("kind", ""))
    except services.IntakeRefused:
        _problem(problems, lang, "kind", "case_error_kind")
        return _render_case(request, user, incident, case, problems, status=422)
    return HttpResponseRedirect(_case_url(incident, lang, "tasks-title"), status=303)


@require_POST
@signed_in
def add_note(request: HttpRequest, reference: str) -> HttpResponse:
    user = _user(request)
    incident, case = _case(user, reference)
    lang = language_of(request)
    values = _values(request, "text")
    problems = staff_forms.Problems()
    try:
        workflow.add_note(user, case, values["text"])
    except services.IntakeRefused:
        _problem(problems, lang, "text", "case_error_note")
        return _render_case(request, user, incident, case, problems, values, status=422)
    return HttpResponseRedirect(_case_url(incident, lang, "notes-title"), status=303)


@require_POST
@signed_in
def add_event(request: HttpRequest, reference: str) -> HttpResponse:
    user = _user(request)
    incident, case = _case(user, reference)
    require(user, "incidents.investigate", incident)
    lang = language_of(request)
    values = _values(request, "happened_at", "what")
    problems = staff_forms.Problems()
    happened_at = _moment(values["happened_at"])
    if happened_at is None:
        _problem(problems, lang, "happened_at", "case_error_when")
    elif not values["what"]:
        _problem(problems, lang, "what", "case_error_what")
    else:
        try:
            workflow.add_event(user, case, happened_at, values["what"])
        except services.IntakeRefused as error:
            key = "case_error_when_future" if error.field == "happened_at" else "case_error_what"
            _problem(problems, lang, error.field, key)
    if problems:
        return _render_case(request, user, incident, case, problems, values, status=422)
    return HttpResponseRedirect(_case_url(incident, lang, "timeline-title"), status=303)


def _moment(text: str) -> datetime | None:
    """A ``datetime-local`` value, in the site's time zone (Denver)."""
    try:
        naive = datetime.fromisoformat(text)
    except ValueError:
        return None
    if naive.tzinfo is not None:
        return naive
    return timezone.make_aware(naive)
