"""The desk's forms: what the browser sent, read into the service's inputs.

Each form checks only what a browser can get wrong by itself (a box left empty, a date
that is not one); what the law and the request's state allow is the service's, which
refuses a request whole. Every error is in the page's language, from texts_desk.yaml.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django import forms
from django.utils import timezone

from ..contract import field_at
from ..contract.vocabulary import value_words
from ..web.texts import TEXTS
from .bases import for_kind
from .models import Channel
from .services import RequestInput

AGENCIES = "agents.agencies"
PURPOSES = "agents.purpose"
CATEGORIES = "requests[].data_categories"
PROCESS_KINDS = "authority.kind"


def contract_values(path: str) -> tuple[str, ...]:
    found = field_at(path)
    assert found is not None, path
    return found.values


def worded(path: str, lang: str) -> list[tuple[str, str]]:
    """The contract's codes at ``path`` with their words in ``lang``."""
    return [(code, value_words(path, code, lang)) for code in contract_values(path)]


def _errors(lang: str, key: str) -> dict[str, str]:
    message = TEXTS[lang][key]
    return {"required": message, "invalid": message, "invalid_choice": message}


class LogForm(forms.Form):
    """A request as the records clerk logs it."""

    def __init__(self, *args: Any, lang: str, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        texts = TEXTS[lang]
        channels = [(code, texts[f"dr_channel_{code}"]) for code in Channel.values]
        self.fields["channel"] = forms.ChoiceField(
            choices=channels, error_messages=_errors(lang, "dr_error_channel")
        )
        self.fields["agencies"] = forms.MultipleChoiceField(
            choices=worded(AGENCIES, lang), error_messages=_errors(lang, "dr_error_agencies")
        )
        self.fields["component"] = forms.CharField(required=False, max_length=120)
        self.fields["official"] = forms.CharField(required=False, max_length=120)
        self.fields["purpose"] = forms.ChoiceField(
            choices=worded(PURPOSES, lang), error_messages=_errors(lang, "dr_error_purpose")
        )
        self.fields["received_date"] = forms.DateField(
            error_messages=_errors(lang, "dr_error_received")
        )
        self.fields["received_time"] = forms.TimeField(
            error_messages=_errors(lang, "dr_error_received")
        )
        self.fields["data_categories"] = forms.MultipleChoiceField(
            choices=worded(CATEGORIES, lang),
            error_messages=_errors(lang, "dr_error_data_categories"),
        )
        self.fields["authority_kind"] = forms.ChoiceField(
            choices=worded(PROCESS_KINDS, lang),
            error_messages=_errors(lang, "dr_error_authority"),
        )
        self.fields["form_number"] = forms.CharField(required=False, max_length=40)
        self.fields["process_issuer"] = forms.CharField(required=False, max_length=200)
        self.fields["process_date"] = forms.DateField(
            required=False, error_messages=_errors(lang, "dr_error_process_date")
        )
        self.fields["process_document"] = forms.FileField(required=False)
        self.fields["concerning"] = forms.CharField(required=False, max_length=2000)
        self.fields["deadline"] = forms.DateField(
            required=False, error_messages=_errors(lang, "dr_error_deadline")
        )
        self.fields["external_id"] = forms.CharField(required=False, max_length=100)
        too_long = texts["dr_error_too_long"]
        for field in self.fields.values():
            field.error_messages["max_length"] = too_long

    def request_input(self) -> RequestInput:
        """The checked form as the service's input (call after ``is_valid()``)."""
        data = self.cleaned_data
        received = timezone.make_aware(
            datetime.combine(data["received_date"], data["received_time"])
        )
        authority: dict[str, Any] = {"kind": data["authority_kind"]}
        if data["form_number"].strip():
            authority["form"] = data["form_number"].strip()
        return RequestInput(
            agencies=list(data["agencies"]),
            purpose=data["purpose"],
            received_at=received,
            channel=data["channel"],
            data_categories=list(data["data_categories"]),
            authority=authority,
            process_issuer=data["process_issuer"].strip(),
            process_date=data["process_date"],
            concerning=data["concerning"].strip(),
            deadline=data["deadline"],
            external_id=data["external_id"].strip(),
            component=data["component"].strip(),
            official=data["official"].strip(),
        )


class DetermineForm(forms.Form):
    """One determination: its kind fixes which bases it may rest on."""

    def __init__(self, *args: Any, kind: str, categories: list[str], lang: str, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.kind = kind
        self.fields["bases"] = forms.MultipleChoiceField(
            required=False,
            choices=[(basis.code, basis.title_in(lang)) for basis in for_kind(kind)],
            error_messages=_errors(lang, "dr_error_bases"),
        )
        self.fields["reason"] = forms.CharField(required=False, max_length=4000)
        self.fields["released_categories"] = forms.MultipleChoiceField(
            required=False,
            choices=[(name, name) for name in categories],
            error_messages=_errors(lang, "dr_error_released_categories"),
        )
        self.fields["released_file"] = forms.FileField(required=False)
        self.fields["new_deadline"] = forms.DateField(
            required=False, error_messages=_errors(lang, "dr_error_new_deadline")
        )
        self.fields["reason"].error_messages["max_length"] = TEXTS[lang]["dr_error_too_long"]
