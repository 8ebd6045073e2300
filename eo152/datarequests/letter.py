"""The City's letter answering a federal data request: the determination in force, in
English, as a tagged PDF/UA-1 file made with WeasyPrint like the referral packet
(eo152/referrals/pdf.py), with DejaVu fonts and no network.

The letter answers the requester, so it names the request by their own identifier and the
day it arrived, never by whom it concerns. Its date is the day the determination took
effect, so the same determination prints the same letter.
"""

from __future__ import annotations

import hashlib
from datetime import date
from typing import Any

from django.template.loader import render_to_string
from django.utils import dateformat, timezone, translation
from weasyprint import HTML

from ..contract.vocabulary import label
from ..incidents.services import IntakeRefused
from ..web.texts import TEXTS
from .bases import Basis, catalogue
from .findings import category_words
from .models import DataRequest, Determination, Kind
from .services import in_force

TEMPLATE = "datarequests/letter_pdf.html"
AUTHOR = "City and County of Denver"
LANG = "en"


def letter_pdf(request: DataRequest) -> bytes:
    """The letter for the determination in force; IntakeRefused("state") when there is none."""
    determination = in_force(request)
    if determination is None:
        raise IntakeRefused("state", "no determination is in force: there is no letter to send")
    html = render_to_string(TEMPLATE, context(request, determination))
    identity = f"{request.reference}:{determination.pk}".encode()
    pdf: bytes = HTML(string=html).write_pdf(
        pdf_variant="pdf/ua-1",
        # The same determination gives the same file identifier, as the referral packet does.
        pdf_identifier=hashlib.sha256(identity).hexdigest()[:32].encode("ascii"),
    )
    return pdf


def context(request: DataRequest, determination: Determination) -> dict[str, Any]:
    """What the letter prints, every word from the catalogue (texts_reports.yaml)."""
    texts = TEXTS[LANG]
    took_effect = determination.checked_at or determination.made_at
    received = long_date(timezone.localtime(request.received_at).date())
    values = {"date": received, "reference": request.reference}
    re_line = (
        texts["letter_re"].format(external_id=request.external_id, **values)
        if request.external_id
        else texts["letter_re_no_id"].format(**values)
    )
    return {
        "lang": LANG,
        "t": texts,
        "title": texts["letter_title"].format(reference=request.reference),
        "author": AUTHOR,
        "dated": long_date(timezone.localtime(took_effect).date()),
        "to": [
            line
            for line in (
                request.official,
                request.component,
                ", ".join(label(f"agents.agencies={code}") for code in request.agencies),
            )
            if line
        ],
        "re": re_line,
        "decision": texts[f"letter_decision_{determination.kind}"].format(
            deadline=long_date(request.deadline)
        ),
        "sections": sections(request, determination),
    }


def sections(request: DataRequest, determination: Determination) -> list[dict[str, Any]]:
    """The legal basis, in parts a reader can follow: for a release, what is provided (the
    released file's SHA-256 with it); for a release in part, also what is declined, each
    part with the bases that carry it."""
    texts = TEXTS[LANG]
    chosen = [catalogue()[code] for code in determination.bases]
    deadline = long_date(request.deadline)
    if determination.kind not in (Kind.RELEASE, Kind.PARTIAL):
        return [_section(texts["letter_basis"], "", chosen, deadline)]
    released = determination.released_categories
    sha256 = determination.released_file.sha256 if determination.released_file else ""
    provided = _section(
        texts["letter_provided"],
        texts["letter_provided_categories"].format(categories=_words(released)),
        [basis for basis in chosen if basis.determination == Kind.RELEASE],
        deadline,
        sha256,
    )
    if determination.kind == Kind.RELEASE:
        return [provided]
    declined = [name for name in request.data_categories if name not in released]
    return [
        provided,
        _section(
            texts["letter_declined"],
            texts["letter_declined_categories"].format(categories=_words(declined)),
            [basis for basis in chosen if basis.determination == Kind.REFUSE],
            deadline,
        ),
    ]


def _section(
    heading: str, what: str, bases: list[Basis], deadline: str, sha256: str = ""
) -> dict[str, Any]:
    return {
        "heading": heading,
        "what": what,
        "bases": [
            {"text": basis.letter.format(deadline=deadline), "cites": list(basis.cites)}
            for basis in bases
        ],
        "sha256": sha256,
        "halves": (sha256[:32], sha256[32:]),
    }


def _words(categories: list[str]) -> str:
    return ", ".join(category_words(name) for name in categories)


def long_date(day: date) -> str:
    """ "December 3, 2026", as a letter in English gives a date (Django's month names)."""
    with translation.override(LANG):
        return dateformat.format(day, "F j, Y")
