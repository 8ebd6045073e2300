"""The officer's report and the facts form, read from what the browser sent.

The situation is asked with the questions of "All questions" (:mod:`eo152.web.questions`)
and read into the contract's facts by :mod:`eo152.web.answers`, so the contract's vocabulary
stays in one place; this module adds the report's own parts (narrative, place by point,
personnel, body camera, files) and puts the time and the place questions in sections of
their own. Nothing here writes: a form with any error is answered with all of them.
"""

from __future__ import annotations

import re
import secrets
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import datetime
from functools import cache
from pathlib import Path
from typing import Any

from django.core.files.uploadedfile import UploadedFile
from django.http import QueryDict
from django.utils.datastructures import MultiValueDict

from ..contract import SITUATION, InvalidSituation, field_at, validate
from ..services.records import site_ledger
from ..web.answers import UnreadableAnswers, situation_from_answers
from ..web.questions import FormValues, Group, Question, build_groups, html_id
from ..web.texts import TEXTS
from .evidence import STAFF_TYPES, EvidenceRefused, detected_type
from .models import BodyCamera, Personnel
from .services import PersonSeen

#: Asked in the "When" and "Where" sections rather than among the scene's facts.
TIME_FACT = "at"
ADDRESS_FACT = "location.address"
POINT_FACTS = ("location.lat", "location.lon")
#: How many people the form has rows for (an officer rarely records more at one scene).
PERSONNEL_ROWS = 3
NARRATIVE_MAX = 20_000
CLIPS_MAX = 50
CLIP_MAX_LENGTH = 100
_STATE = re.compile(r"^[A-Z]{2}$")
SUBMISSION = re.compile(r"^[0-9a-f]{32}$")
_PERSON_FIELDS = ("agency", "unit", "badge", "plate", "plate_state")
_ITEM_INDEX = re.compile(r"\[\d+\]")


def agency_codes() -> tuple[str, ...]:
    """The contract's agency codes (``agents.agencies``), for the personnel rows."""
    agencies = field_at("agents.agencies")
    assert agencies is not None
    return agencies.values


def new_submission() -> str:
    """A form's one-time id: sent twice (a double click, a retry), it files one incident."""
    return secrets.token_hex(16)


@dataclass(frozen=True)
class Error:
    anchor: str  # the id of the field the summary links to
    question: str
    message: str


@dataclass
class Problems:
    """Errors by field name, and the summary's lines in the form's order."""

    by_field: dict[str, str] = field(default_factory=dict)
    summary: list[Error] = field(default_factory=list)

    def add(self, name: str, anchor: str, question: str, message: str) -> None:
        if name not in self.by_field:
            self.by_field[name] = message
            self.summary.append(Error(anchor, question, message))

    def __bool__(self) -> bool:
        return bool(self.by_field)


# -- the situation's questions, in the form's sections ---------------------------------


@dataclass(frozen=True)
class Sections:
    time: Question
    place: tuple[Question, ...]  # the address, then the point
    groups: tuple[Group, ...]  # the rest of "All questions"


def sections(values: FormValues, errors: Mapping[str, str], lang: str) -> Sections:
    groups = build_groups(values, errors, lang)
    by_name = {q.name: q for g in groups for q in g.questions}
    time = replace(by_name[TIME_FACT], hint=TEXTS[lang]["staff_time_hint"])
    place = (
        by_name[ADDRESS_FACT],
        *(_point_question(p, values, errors, lang) for p in POINT_FACTS),
    )
    taken = {TIME_FACT, ADDRESS_FACT}
    kept = tuple(
        replace(g, questions=tuple(q for q in g.questions if q.name not in taken)) for g in groups
    )
    return Sections(time, place, kept)


def _point_question(
    name: str, values: FormValues, errors: Mapping[str, str], lang: str
) -> Question:
    given = list(values.get(name, ()))
    return Question(
        name=name,
        id=html_id(name),
        widget="number",
        legend=TEXTS[lang][f"staff_{name.split('.')[1]}"],
        hint=TEXTS[lang]["staff_point_hint"],
        choices=(),
        value=given[0] if given else "",
        error=errors.get(name, ""),
    )


def _questions(found: Sections) -> dict[str, Question]:
    """Every question by its field name (list items included), for the error summary."""
    questions = [found.time, *found.place, *(q for g in found.groups for q in g.questions)]
    questions += [item for q in questions for item in q.items]
    return {q.name: q for q in questions}


def situation_problems(
    errors: Mapping[str, str], values: FormValues, lang: str, problems: Problems
) -> None:
    """Put the situation's errors (by contract path) into ``problems``, each with its
    question, in the form's order."""
    questions = _questions(sections(values, errors, lang))
    for name in questions:
        if name in errors:
            question = questions[name]
            problems.add(name, question.anchor, question.legend, errors[name])
    for name, message in errors.items():  # a path the form does not ask: a tampered form
        problems.add(name, "situation", name, message)


def read_situation(values: FormValues, lang: str) -> tuple[dict[str, Any], dict[str, str]]:
    """The situation the answers give, and the errors by contract path (none if it reads)."""
    try:
        situation = situation_from_answers(values, lang)
        validate(situation)
    except UnreadableAnswers as error:
        return {}, error.errors
    except InvalidSituation as error:
        return {}, invalid_errors(error)
    return situation, {}


def invalid_errors(error: InvalidSituation) -> dict[str, str]:
    """The contract's field errors by the form's names (``city_personnel[0].role`` is asked
    as ``city_personnel[].role``). They are in English, as the engine writes them."""
    return {_ITEM_INDEX.sub("[]", e.path).removesuffix("[]"): e.message for e in error.errors}


@cache
def _unasked() -> tuple[str, ...]:
    """The contract's facts the form does not ask (the API's own reference, the
    jurisdiction): a change of the facts through the form keeps them as they were."""
    asked = {name.split(".")[0].removesuffix("[]") for name in _questions(sections({}, {}, "en"))}
    return tuple(fact.name for fact in SITUATION.fields if fact.name not in asked)


def keep_unasked(before: Mapping[str, Any], after: dict[str, Any]) -> dict[str, Any]:
    """``after``, with the facts of ``before`` that the form does not ask."""
    return {**{name: before[name] for name in _unasked() if name in before}, **after}


def occurred_at(situation: Mapping[str, Any]) -> datetime | None:
    at = situation.get(TIME_FACT)
    return datetime.fromisoformat(at) if isinstance(at, str) else None


def form_values(data: QueryDict, names: Sequence[str] = ()) -> dict[str, list[str]]:
    """What was posted, as lists, for refilling the form and reading the answers."""
    return {key: data.getlist(key) for key in data if not names or key in names}


# -- the report's own parts -------------------------------------------------------------


@dataclass(frozen=True)
class PersonRow:
    index: int
    values: dict[str, str]
    errors: dict[str, str]

    def id(self, name: str) -> str:
        return f"personnel-{self.index}-{name.replace('_', '-')}"


@dataclass
class Report:
    situation: dict[str, Any]
    narrative: str
    personnel: list[PersonSeen]
    body_camera: str
    clips: list[str]
    files: list[UploadedFile]
    submission: str


def person_rows(data: QueryDict | None, errors: Mapping[str, str]) -> list[PersonRow]:
    rows = []
    for index in range(PERSONNEL_ROWS):
        values = {
            name: (data.get(f"personnel-{index}-{name}", "") if data else "").strip()
            for name in _PERSON_FIELDS
        }
        row_errors = {
            name: errors[f"personnel-{index}-{name}"]
            for name in _PERSON_FIELDS
            if f"personnel-{index}-{name}" in errors
        }
        rows.append(PersonRow(index, values, row_errors))
    return rows


def read_report(
    data: QueryDict, files: MultiValueDict[str, UploadedFile], lang: str
) -> tuple[Report, Problems]:
    """The officer's report, and its problems (all of them, in the form's order)."""
    texts = TEXTS[lang]
    values = form_values(data)
    problems = Problems()
    situation, situation_errors = read_situation(values, lang)
    if not any(value.strip() for value in values.get(TIME_FACT, ())):
        situation_errors[TIME_FACT] = texts["staff_error_time"]
    situation_problems(situation_errors, values, lang, problems)
    narrative = data.get("narrative", "").strip()
    if not narrative:
        problems.add(
            "narrative", "narrative", texts["staff_narrative"], texts["staff_error_narrative"]
        )
    elif len(narrative) > NARRATIVE_MAX:
        problems.add(
            "narrative", "narrative", texts["staff_narrative"], texts["staff_error_narrative_long"]
        )
    personnel = _read_personnel(data, lang, problems)
    body_camera = data.get("body_camera", "")
    if body_camera not in BodyCamera.values:
        problems.add(
            "body_camera",
            f"body-camera-{BodyCamera.values[0]}",
            texts["staff_body_camera"],
            texts["staff_error_body_camera"],
        )
    clips = _read_clips(data.get("body_camera_clips", ""), lang, problems)
    uploads = [upload for upload in files.getlist("files") if upload.name]
    _check_files(uploads, lang, problems)
    submission = data.get("submission", "")
    report = Report(
        situation,
        narrative,
        personnel,
        body_camera,
        clips,
        uploads,
        submission if SUBMISSION.match(submission) else new_submission(),
    )
    return report, problems


def _read_personnel(data: QueryDict, lang: str, problems: Problems) -> list[PersonSeen]:
    texts = TEXTS[lang]
    codes = agency_codes()
    seen = []
    for row in person_rows(data, {}):
        given = row.values
        if not any(given.values()):
            continue
        number = row.index + 1
        question = texts["staff_person"].format(number=number)
        if given["agency"] not in codes:
            problems.add(
                f"personnel-{row.index}-agency",
                row.id("agency"),
                question,
                texts["staff_error_agency"],
            )
        for name in ("unit", "badge", "plate"):
            limit: int = getattr(Personnel._meta.get_field(name), "max_length", 0)
            if len(given[name]) > limit:
                problems.add(
                    f"personnel-{row.index}-{name}",
                    row.id(name),
                    question,
                    texts["staff_error_too_long"].format(count=limit),
                )
        state = given["plate_state"].upper()
        if state and not _STATE.match(state):
            problems.add(
                f"personnel-{row.index}-plate_state",
                row.id("plate_state"),
                question,
                texts["staff_error_plate_state"],
            )
        seen.append(
            PersonSeen(
                agency=given["agency"],
                unit=given["unit"],
                badge=given["badge"],
                plate=given["plate"].upper(),
                plate_state=state,
            )
        )
    return seen


def _read_clips(text: str, lang: str, problems: Problems) -> list[str]:
    texts = TEXTS[lang]
    clips = list(dict.fromkeys(line.strip() for line in text.splitlines() if line.strip()))
    if len(clips) > CLIPS_MAX or any(len(clip) > CLIP_MAX_LENGTH for clip in clips):
        problems.add(
            "body_camera_clips",
            "body-camera-clips",
            texts["staff_clips"],
            texts["staff_error_clips"].format(count=CLIPS_MAX, length=CLIP_MAX_LENGTH),
        )
    return clips


def _check_files(uploads: list[UploadedFile], lang: str, problems: Problems) -> None:
    """Each file's bytes read before anything is filed: a refused one stores nothing."""
    texts = TEXTS[lang]
    limit = site_ledger().settings.max_bytes
    for upload in uploads:
        name = upload.name or ""
        if (upload.size or 0) > limit:
            message = texts["staff_error_file_large"].format(name=name, size=limit >> 20)
        else:
            try:
                detected_type(upload_path(upload), upload.content_type, STAFF_TYPES)
                continue
            except EvidenceRefused:
                message = texts["staff_error_file_type"].format(name=name)
        problems.add(f"files:{name}", "files", texts["staff_files"], message)


def upload_path(upload: UploadedFile) -> Path:
    """Where the upload lies on disk: the settings stream every upload to a file
    (``FILE_UPLOAD_HANDLERS``), so a large video never sits in memory."""
    return Path(upload.temporary_file_path())  # type: ignore[attr-defined]
