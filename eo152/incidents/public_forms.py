"""The public report's questions, one form per page, and what their answers mean as the
contract's situation.

Every question can be answered "don't know", and such an answer leaves its fact out of the
situation: unknown, never "no". Nothing here asks for immigration status or citizenship.
"""

from __future__ import annotations

import shutil
import tempfile
from collections.abc import Mapping
from datetime import date, datetime, time
from pathlib import Path
from time import time as time_now
from typing import Any
from zoneinfo import ZoneInfo

from django import forms
from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.utils import timezone

from ..web.texts import TEXTS
from .evidence import PUBLIC_MAX_BYTES, PUBLIC_TYPES, EvidenceRefused, detected_type
from .models import Reporting
from .services import ContactDetails

DONT_KNOW = "dont_know"
YES, NO = "yes", "no"
YES_NO = (YES, NO, DONT_KNOW)

#: "What kind of place" → location.kind (the places registry fills it in from the address
#: when the resident does not know).
PLACE_KINDS = (
    "street",
    "sidewalk",
    "park",
    "parking_lot",
    "school",
    "library",
    "recreation_center",
    "shelter",
    "hospital",
    "clinic",
    "place_of_worship",
    "courthouse",
    "residence",
    "business",
    "other",
    DONT_KNOW,
)

#: A rough time of day → the hour (in Denver) it stands for.
TIMES_OF_DAY = {"morning": 9, "afternoon": 14, "evening": 19, "night": 23}

#: Agencies a resident can tell apart, → agents.agencies. "ICE" is ICE_ERO: the part of ICE
#: that makes arrests in the street, which is what a resident sees.
AGENCIES = {
    "ice": "ICE_ERO",
    "cbp": "CBP",
    "border_patrol": "BORDER_PATROL",
    "fbi": "FBI",
    "dea": "DEA",
    "atf": "ATF",
    "marshals": "USMS",
    "other_federal": "OTHER_FEDERAL",
    "local_police": "LOCAL",
    "state_police": "STATE",
}

#: What the agents did → activities.
ACTIVITIES = {
    "arrest": "arrest",
    "took_away": "detention",
    "search": "search",
    "questions": "interview",
    "filmed": "surveillance",
    "crowd": "crowd_control",
}
#: Force they used → force.kind, most serious first: the report keeps the most serious one.
FORCE = {
    "gun": "firearm",
    "vehicle": "vehicle",
    "neck": "neck_restraint",
    "baton": "impact",
    "taser": "taser",
    "pepper_spray": "chemical",
    "pushed_down": "takedown",
    "grabbed": "control_hold",
}
NONE_OF_THESE = "none_of_these"
DID = (*ACTIVITIES, *FORCE, NONE_OF_THESE, DONT_KNOW)

#: Was anyone hurt → injuries (nobody: none; otherwise one injury of that severity).
HURT = ("nobody", "minor", "serious", "fatal", DONT_KNOW)

REPORTING = (Reporting.ANONYMOUS.value, Reporting.CONFIDENTIAL.value)

NARRATIVE_MAX = 5000
DENVER = ZoneInfo("America/Denver")


def _choices(values: tuple[str, ...] | Mapping[str, str]) -> list[tuple[str, str]]:
    return [(value, value) for value in values]


class StepForm(forms.Form):
    """A page's form: its messages in the page's language."""

    #: The step's title key in the catalogue (the page's h1).
    title = ""

    def __init__(self, *args: Any, lang: str = "en", **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.lang = lang
        self.texts = TEXTS[lang]
        for name, field in self.fields.items():
            key = f"resident_report_error_{name}"
            if key in self.texts:
                field.error_messages["required"] = self.texts[key]
                field.error_messages["invalid_choice"] = self.texts[key]

    def refuse(self, field: str, key: str) -> None:
        self.add_error(field, self.texts[key])


class WhereForm(StepForm):
    title = "resident_report_where_title"
    address = forms.CharField(max_length=300, strip=True)
    place_kind = forms.ChoiceField(choices=_choices(PLACE_KINDS), required=False)


class WhenForm(StepForm):
    title = "resident_report_when_title"
    day = forms.DateField(required=False, input_formats=["%Y-%m-%d", "%m/%d/%Y", "%d/%m/%Y"])
    time_of_day = forms.ChoiceField(choices=_choices((*TIMES_OF_DAY, DONT_KNOW)), required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["day"].error_messages["invalid"] = self.texts["resident_report_error_day"]

    def clean_day(self) -> date | None:
        day: date | None = self.cleaned_data.get("day")
        if day is not None and day > timezone.localdate():
            self.refuse("day", "resident_report_error_day_future")
            return None
        return day


class AgentsForm(StepForm):
    title = "resident_report_agents_title"
    agencies = forms.MultipleChoiceField(choices=_choices((*AGENCIES, DONT_KNOW)))


class LooksForm(StepForm):
    title = "resident_report_looks_title"
    masked = forms.ChoiceField(choices=_choices(YES_NO))
    showed_id = forms.ChoiceField(choices=_choices(YES_NO))


class ActionsForm(StepForm):
    title = "resident_report_did_title"
    did = forms.MultipleChoiceField(choices=_choices(DID))


class HurtForm(StepForm):
    title = "resident_report_hurt_title"
    hurt = forms.ChoiceField(choices=_choices(HURT))


class AidForm(StepForm):
    title = "resident_report_aid_title"
    aid_blocked = forms.ChoiceField(choices=_choices(YES_NO))


class ProtestForm(StepForm):
    title = "resident_report_protest_title"
    protest = forms.ChoiceField(choices=_choices(YES_NO))


class StoryForm(StepForm):
    title = "resident_report_story_title"
    narrative = forms.CharField(max_length=NARRATIVE_MAX, strip=True)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["narrative"].error_messages["max_length"] = self.texts[
            "resident_report_error_narrative_long"
        ]


class FilesForm(StepForm):
    """One photo, video or sound file, checked by its bytes as soon as it arrives (a file
    that is not what it says is refused here, and the rest of the draft is kept)."""

    title = "resident_report_files_title"
    file = forms.FileField(required=False)

    def clean_file(self) -> UploadedFile | None:
        upload: UploadedFile | None = self.cleaned_data.get("file")
        if upload is None:
            return None
        if (upload.size or 0) > PUBLIC_MAX_BYTES:
            self.refuse("file", "resident_report_error_file_big")
            return None
        try:
            with on_disk(upload) as path:
                detected_type(path, upload.content_type, PUBLIC_TYPES)
        except EvidenceRefused:
            self.refuse("file", "resident_report_error_file_type")
            return None
        return upload


class ContactForm(StepForm):
    title = "resident_report_contact_title"
    reporting = forms.ChoiceField(choices=_choices(REPORTING))
    name = forms.CharField(max_length=200, required=False, strip=True)
    phone = forms.CharField(max_length=40, required=False, strip=True)
    email = forms.EmailField(max_length=254, required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["email"].error_messages["invalid"] = self.texts["resident_report_error_email"]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("reporting") == Reporting.CONFIDENTIAL and not (
            data.get("phone") or data.get("email")
        ):
            self.refuse("phone", "resident_report_error_contact")
        if data.get("reporting") == Reporting.ANONYMOUS:
            # An anonymous report keeps no contact, whatever was typed before switching.
            data.update(name="", phone="", email="")
        return data


class CheckForm(StepForm):
    """The check-your-answers page: nothing to fill in; sending it files the report."""

    title = "resident_report_check_title"


STEPS: tuple[tuple[str, type[StepForm]], ...] = (
    ("where", WhereForm),
    ("when", WhenForm),
    ("agents", AgentsForm),
    ("looks", LooksForm),
    ("did", ActionsForm),
    ("hurt", HurtForm),
    ("aid", AidForm),
    ("protest", ProtestForm),
    ("story", StoryForm),
    ("files", FilesForm),
    ("contact", ContactForm),
    ("check", CheckForm),
)


class on_disk:  # a context manager, named like open()
    """The upload as a file on disk: its temporary file when Django streamed it there (the
    site's upload handler always does), else a copy removed afterwards."""

    def __init__(self, upload: UploadedFile) -> None:
        self.upload = upload
        self.copy: Path | None = None

    def __enter__(self) -> Path:
        temporary = getattr(self.upload, "temporary_file_path", None)
        if temporary is not None:
            return Path(temporary())
        name = getattr(self.upload.file, "name", None)
        if isinstance(name, str) and Path(name).is_file():
            return Path(name)
        with tempfile.NamedTemporaryFile(prefix="eo152-upload-", delete=False) as copy:
            self.upload.seek(0)
            shutil.copyfileobj(self.upload, copy)
            self.copy = Path(copy.name)
        return self.copy

    def __exit__(self, *_: object) -> None:
        if self.copy is not None:
            self.copy.unlink(missing_ok=True)
        self.upload.seek(0)


# -- what the answers mean --------------------------------------------------------------


def _yes_no(answer: str | None) -> bool | None:
    return {YES: True, NO: False}.get(answer or "")


def situation_from(answers: Mapping[str, Any]) -> dict[str, Any]:
    """The contract's situation for the cleaned answers of every step; a fact answered
    "don't know" (or not answered) is left out."""
    situation: dict[str, Any] = {"jurisdiction": "denver"}
    location: dict[str, Any] = {"address": answers["address"]}
    if answers.get("place_kind") not in ("", None, DONT_KNOW):
        location["kind"] = answers["place_kind"]
    situation["location"] = location

    agents: dict[str, Any] = {}
    agencies = [AGENCIES[a] for a in answers.get("agencies", ()) if a in AGENCIES]
    if agencies and DONT_KNOW not in answers.get("agencies", ()):
        agents["agencies"] = agencies
    for field, answer in (("masked", "masked"), ("identification_visible", "showed_id")):
        if (value := _yes_no(answers.get(answer))) is not None:
            agents[field] = value
    if agents:
        situation["agents"] = agents

    did = answers.get("did", ())
    if DONT_KNOW not in did:
        if activities := [ACTIVITIES[d] for d in ACTIVITIES if d in did]:
            situation["activities"] = activities
        if force := [FORCE[d] for d in FORCE if d in did]:
            situation["force"] = {"kind": force[0]}

    hurt = answers.get("hurt")
    if hurt == "nobody":
        situation["injuries"] = []
    elif hurt in ("minor", "serious", "fatal"):
        situation["injuries"] = [{"severity": hurt}]

    if (aid := _yes_no(answers.get("aid_blocked"))) is not None:
        situation["aid_blocked"] = aid
    if (protest := _yes_no(answers.get("protest"))) is not None:
        situation["protest"] = {"present": protest}
    return situation


def occurred_at_from(answers: Mapping[str, Any]) -> datetime | None:
    """When it happened, from the day and rough time (noon when only the day is known); None
    when the day is not known. Never later than now (tonight's "night" reported this noon)."""
    day: date | None = answers.get("day")
    if day is None:
        return None
    hour = TIMES_OF_DAY.get(answers.get("time_of_day") or "", 12)
    at = datetime.combine(day, time(hour), tzinfo=DENVER)
    return min(at, timezone.now())


def contact_from(answers: Mapping[str, Any]) -> ContactDetails | None:
    if answers.get("reporting") != Reporting.CONFIDENTIAL:
        return None
    return ContactDetails(
        answers.get("name", ""), answers.get("phone", ""), answers.get("email", "")
    )


def drafts_folder() -> Path:
    """Where a draft's file waits between pages: the data folder, shared by every worker."""
    from ..config import Settings

    folder = Settings.from_env().data_dir / "drafts"
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def prune_drafts(now: float | None = None) -> int:
    """Delete draft files older than a session can live (a draft abandoned with its file,
    whose session is gone); the number deleted. Called as each new draft starts."""
    oldest = (now if now is not None else time_now()) - settings.SESSION_COOKIE_AGE
    pruned = 0
    for path in drafts_folder().iterdir():
        try:
            if path.is_file() and path.stat().st_mtime < oldest:
                path.unlink()
                pruned += 1
        except FileNotFoundError:  # another worker pruned it first
            continue
    return pruned
