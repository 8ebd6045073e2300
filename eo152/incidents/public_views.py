"""The public door: a resident reports what happened (no account), one question a page, and
later checks the report's status with its reference and follow-up code.

The draft lives in the session (its file in the data folder's ``drafts``), so it survives
between pages and server workers and needs no JavaScript. Nothing about the sender (address,
browser, time of day) is kept with a report: the flood limits name a client by a hash that
changes daily (:mod:`.abuse`), and the filing service keeps the day only.
"""

from __future__ import annotations

import json
import secrets
from datetime import date
from pathlib import Path
from typing import Any

from django.core.files.storage import FileSystemStorage
from django.core.files.uploadedfile import UploadedFile
from django.forms import Form
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_safe
from formtools.wizard.views import NamedUrlSessionWizardView, WizardView

from ..services.decisions import PlacesUnavailable
from ..web.errors import error_page
from ..web.language import language_of, url_with
from ..web.texts import TEXTS
from . import abuse, services
from .evidence import EvidenceRefused, attach
from .models import ClosedReason, Source, State
from .public_forms import (
    DONT_KNOW,
    STEPS,
    StepForm,
    contact_from,
    drafts_folder,
    occurred_at_from,
    on_disk,
    prune_drafts,
    situation_from,
)

#: The session's note of the last report it filed (its reference): for the receipt's download.
FILED = "eo152_report_filed"
STEP_URL = "public_report_step"
CHECK = "check"

# How each kind of field is drawn (the template knows these kinds).
RADIO, CHECKBOXES, TEXT, TEXTAREA, DATE, FILE, TEL, EMAIL = (
    "radio",
    "checkboxes",
    "text",
    "textarea",
    "date",
    "file",
    "tel",
    "email",
)
FIELD_KINDS = {
    "address": TEXT,
    "place_kind": RADIO,
    "day": DATE,
    "time_of_day": RADIO,
    "agencies": CHECKBOXES,
    "masked": RADIO,
    "showed_id": RADIO,
    "did": CHECKBOXES,
    "hurt": RADIO,
    "aid_blocked": RADIO,
    "protest": RADIO,
    "narrative": TEXTAREA,
    "file": FILE,
    "reporting": RADIO,
    "name": TEXT,
    "phone": TEL,
    "email": EMAIL,
}
AUTOCOMPLETE = {"name": "name", "phone": "tel", "email": "email", "address": "street-address"}


@require_safe
def start(request: HttpRequest) -> HttpResponse:
    """``/report``: what this is, what we never ask, and anonymous or confidential."""
    return render(request, "incidents/public_start.html", {"nav": "report"})


class ReportWizard(NamedUrlSessionWizardView):  # type: ignore[misc]
    form_list = STEPS
    template_name = "incidents/public_step.html"

    @property
    def file_storage(self) -> FileSystemStorage:
        return FileSystemStorage(location=drafts_folder())

    @property
    def lang(self) -> str:
        return language_of(self.request)

    def get_step_url(self, step: str) -> str:
        return url_with(reverse(self.url_name, kwargs={"step": step}), self.lang)

    def get_form_kwargs(self, step: str | None = None) -> dict[str, Any]:
        return {"lang": self.lang}

    # -- pages ------------------------------------------------------------------------

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        step = kwargs.get("step")
        if step is None:  # "Start now": a new draft
            prune_drafts()
            self.storage.reset()
            self.storage.current_step = self.steps.first
            self.storage.extra_data = {"token": secrets.token_urlsafe(24)}
            return HttpResponseRedirect(self.get_step_url(self.steps.first))
        if step == CHECK and (missing := self._first_unanswered()):
            return HttpResponseRedirect(self.get_step_url(missing))
        if step not in self.get_form_list():
            return HttpResponseRedirect(self.get_step_url(self.steps.first))
        response: HttpResponse = super().get(request, *args, **kwargs)
        return response

    def post(self, *args: Any, **kwargs: Any) -> HttpResponse:
        request = self.request
        if kwargs.get("step") == CHECK:
            token = request.POST.get("report_token", "")
            if token and (filed := services.filed_draft(token)):  # a double submit, a reload
                return _confirmation(request, filed)
            if abuse.report_limited(request):
                proof = abuse.ProofForm(request.POST, lang=self.lang)
                if not proof.is_valid():
                    self.storage.current_step = CHECK
                    form = self.get_form(CHECK, data=self.storage.get_step_data(CHECK))
                    return self.render(form, proof=proof, status=429)
        try:
            response: HttpResponse = super().post(*args, **kwargs)
        except PlacesUnavailable:  # the draft is kept: the resident can send it again later
            texts = TEXTS[self.lang]
            return error_page(
                request, 503, texts["resident_report_busy_title"], texts["resident_report_busy"]
            )
        return response

    def render_next_step(self, form: Form, **kwargs: Any) -> HttpResponse:
        """After a change made from the check page, back to the check page."""
        if self.request.POST.get("change") and not self._first_unanswered():
            self.storage.current_step = CHECK
            return HttpResponseRedirect(self.get_step_url(CHECK))
        response: HttpResponse = super().render_next_step(form, **kwargs)
        return response

    def render_done(self, form: Form, **kwargs: Any) -> HttpResponse:
        # Filed in answer to the check page's POST itself, never by a GET of a "done" page.
        response: HttpResponse = WizardView.render_done(self, form, **kwargs)
        return response

    def render(
        self,
        form: Form | None = None,
        proof: Form | None = None,
        status: int | None = None,
        **kwargs: Any,
    ) -> HttpResponse:
        form = form or self.get_form()
        context = self.get_context_data(form=form, **kwargs)
        if proof is not None:
            context.update(proof=proof)
        if status is None:
            status = 422 if form.is_bound and form.errors else 200
        response: HttpResponse = self.render_to_response(context, status=status)
        return response

    def get_context_data(self, form: Form, **kwargs: Any) -> dict[str, Any]:
        context: dict[str, Any] = super().get_context_data(form=form, **kwargs)
        assert isinstance(form, StepForm)
        step = self.steps.current
        texts = TEXTS[self.lang]
        fields = [_field(form, name, texts) for name in form.fields]
        errors = [
            {"anchor": f["anchor"], "message": f["error"]} for f in fields if f.get("error")
        ] + [{"anchor": "main-content", "message": str(e)} for e in form.non_field_errors()]
        previous = self.steps.prev
        context.update(
            nav="report",
            step=step,
            title=texts[form.title],
            hint=texts.get(f"resident_report_{step}_hint", ""),
            fields=fields,
            errors=errors,
            action=self.get_step_url(step),
            back_url=self.get_step_url(previous) if previous else url_with("/report", self.lang),
            change=bool(self.request.GET.get("change") or self.request.POST.get("change")),
            number=self.steps.step1,
            count=self.steps.count,
        )
        if step == CHECK:
            extra = self.storage.extra_data
            if "token" not in extra:
                extra = {**extra, "token": secrets.token_urlsafe(24)}
                self.storage.extra_data = extra
            context.update(rows=self._rows(texts), token=extra["token"])
        return context

    # -- the answers ------------------------------------------------------------------

    def _first_unanswered(self) -> str | None:
        for step in self.get_form_list():
            if step != CHECK and self.get_cleaned_data_for_step(step) is None:
                return str(step)
        return None

    def _rows(self, texts: dict[str, str]) -> list[dict[str, str]]:
        rows = []
        for step, form_class in STEPS:
            if step == CHECK:
                continue
            data = self.get_cleaned_data_for_step(step) or {}
            for name in form_class.base_fields:
                if name in ("name", "phone", "email") and data.get("reporting") != "confidential":
                    continue
                rows.append(
                    {
                        "question": texts[f"resident_report_q_{name}"],
                        "answer": _answer_text(name, data.get(name), self.lang),
                        "change_url": url_with(
                            reverse(STEP_URL, kwargs={"step": step}), self.lang, change="1"
                        ),
                    }
                )
        return rows

    def done(self, form_list: Any, form_dict: dict[str, Form], **kwargs: Any) -> HttpResponse:
        answers: dict[str, Any] = {}
        for form in form_dict.values():
            answers.update(form.cleaned_data)
        token = str(
            self.storage.extra_data.get("token")
            or self.request.POST.get("report_token")
            or secrets.token_urlsafe(24)
        )
        filed, file_kept = self._file(answers, token)
        # What the receipt's download needs: the reference, never the code.
        self.request.session[FILED] = filed.incident.reference
        return _confirmation(self.request, filed, file_kept)

    def _file(self, answers: dict[str, Any], token: str) -> tuple[services.Filed, bool]:
        """File the draft once (a second submit gets the first's incident); attach its
        file. Whether the file was kept is the second value."""
        intake = services.Intake(
            source=Source.PUBLIC,
            situation=situation_from(answers),
            narrative=answers["narrative"],
            occurred_at=occurred_at_from(answers),
            reporting=answers["reporting"],
            contact=contact_from(answers),
            language=self.lang,
        )
        filed = services.file_incident(intake, by=None, draft_token=token)
        file_kept = True
        upload: UploadedFile | None = answers.get("file")
        if upload is not None:
            try:
                if filed.created:
                    with on_disk(upload) as path:
                        attach(
                            filed.incident, Path(path), by=None, claimed_type=upload.content_type
                        )
            except EvidenceRefused:
                file_kept = False
            finally:
                upload.close()
        return filed, file_kept


def _confirmation(
    request: HttpRequest, filed: services.Filed, file_kept: bool = True
) -> HttpResponse:
    context = {
        "nav": "report",
        "reference": filed.incident.reference,
        "code": filed.followup_code,
        "file_kept": file_kept,
        "status_url": url_with("/report/status", language_of(request)),
    }
    response = render(request, "incidents/public_done.html", context)
    response["Cache-Control"] = "no-store"  # the follow-up code is on it
    return response


@require_safe
def receipt(request: HttpRequest) -> HttpResponse:
    """``/report/receipt.json``: the ledger's receipt of the report this browser filed."""
    reference = request.session.get(FILED)
    incident = services.find(reference) if isinstance(reference, str) else None
    if incident is None:
        texts = TEXTS[language_of(request)]
        return error_page(request, 404, texts["error_404_title"], texts["error_404_text"])
    body = json.dumps(incident.receipt, indent=2, sort_keys=True, ensure_ascii=False)
    response = HttpResponse(body + "\n", content_type="application/json")
    response["Content-Disposition"] = 'attachment; filename="receipt.json"'
    response["Cache-Control"] = "no-store"
    return response


# -- the status page --------------------------------------------------------------------

#: The closed reasons in plain words (the catalogue's key for each).
CLOSED_REASONS = {reason.value: f"resident_status_closed_{reason.value}" for reason in ClosedReason}
STATES = {state.value: f"resident_status_{state.value}" for state in State}


@require_http_methods(["GET", "HEAD", "POST"])
def status(request: HttpRequest) -> HttpResponse:
    """``/report/status``: the reference and the code (POST, so the code stays out of
    addresses and logs) → the status only. A wrong code and an unknown reference get the
    same answer."""
    lang = language_of(request)
    texts = TEXTS[lang]
    context: dict[str, Any] = {"nav": "report", "errors": [], "error": {}}
    if request.method != "POST":
        return render(request, "incidents/public_status.html", context)
    reference = request.POST.get("reference", "").strip()[:40]
    code = request.POST.get("code", "").strip()[:40]
    context.update(reference=reference)
    for name, value in (("reference", reference), ("code", code)):
        if not value:
            context["error"][name] = texts[f"resident_status_error_{name}"]
            context["errors"].append(
                {"anchor": name, "message": texts[f"resident_status_error_{name}"]}
            )
    if context["errors"]:
        return render(request, "incidents/public_status.html", context, status=422)
    if abuse.status_limited(request):
        proof = abuse.ProofForm(request.POST, lang=lang)
        if not proof.is_valid():
            context["proof"] = proof
            return render(request, "incidents/public_status.html", context, status=429)
    found = services.public_status(reference, code)
    if found is None:
        context["not_found"] = True
        return render(request, "incidents/public_status.html", context)
    context["found"] = {
        "reference": found.reference,
        "state": texts[STATES[found.state]],
        "closed": texts[CLOSED_REASONS[found.closed_reason]] if found.closed_reason else "",
        "filed_on": found.filed_on,
    }
    response = render(request, "incidents/public_status.html", context)
    response["Cache-Control"] = "no-store"
    return response


# -- drawing the fields -----------------------------------------------------------------


def _field(form: StepForm, name: str, texts: dict[str, str]) -> dict[str, Any]:
    field = form[name]
    kind = FIELD_KINDS[name]
    choices = getattr(field.field, "choices", None) or []
    value = field.value()
    chosen = set(value if isinstance(value, list) else [value] if value else [])
    errors = form.errors.get(name) if form.is_bound else None
    options = [
        {
            "value": choice,
            "id": f"{name}-{choice}",
            "label": texts["dont_know"]
            if choice == DONT_KNOW
            else texts[f"resident_report_a_{name}_{choice}"],
            "checked": choice in chosen,
            "dont_know": choice == DONT_KNOW,
        }
        for choice, _ in choices
    ]
    anchor = options[0]["id"] if options else name
    return {
        "name": f"{form.prefix}-{name}" if form.prefix else name,
        "id": name if not options else anchor,
        "anchor": anchor,
        "kind": kind,
        "label": texts[f"resident_report_q_{name}"],
        "hint": texts.get(f"resident_report_q_{name}_hint", ""),
        "error": str(errors[0]) if errors else "",
        "options": options,
        "value": "" if kind in (FILE, RADIO, CHECKBOXES) or value is None else str(value),
        "autocomplete": AUTOCOMPLETE.get(name, ""),
        "max_length": getattr(field.field, "max_length", None) or "",
        "required": field.field.required,
    }


def _answer_text(name: str, value: Any, lang: str) -> str:
    """An answer as the check page shows it; "don't know" or blank as "Don't know"."""
    texts = TEXTS[lang]
    if name == "file":
        return str(getattr(value, "name", "") or "") or texts["resident_report_no_file"]
    if name in ("name", "phone", "email") and not value:
        return texts["resident_report_not_given"]
    if value in (None, "", [], DONT_KNOW):
        return texts["dont_know"]
    if name == "reporting":
        return texts[f"resident_report_a_reporting_{value}"]
    if isinstance(value, date):
        return value.strftime("%m/%d/%Y" if lang == "en" else "%d/%m/%Y")
    if isinstance(value, list):
        return "\n".join(
            texts["dont_know"] if v == DONT_KNOW else texts[f"resident_report_a_{name}_{v}"]
            for v in value
        )
    if name in FIELD_KINDS and FIELD_KINDS[name] == RADIO:
        return texts[f"resident_report_a_{name}_{value}"]
    return str(value)
