"""The referral packet's PDF: tagged PDF/UA-1 in the referral's language, with its title and
metadata, its text extractable in reading order with every evidence file's full SHA-256,
and no finding of the PDF/UA-1 checker."""

from __future__ import annotations

import io
import re
from datetime import timedelta
from itertools import pairwise
from typing import Any

import pytest
from django.utils import timezone
from pypdf import PdfReader
from pypdf.generic import DictionaryObject

from eo152.incidents import services as incidents
from eo152.incidents import workflow
from eo152.incidents.models import Personnel
from eo152.referrals import services
from eo152.referrals.pdf import render_pdf

from .conftest import SHOOTING

pytestmark = [pytest.mark.db]

TITLES = {
    "en": "Referral {reference} to the Denver District Attorney",
    "es": "Remisión {reference} a la Fiscalía del Distrito de Denver",
}
#: Where each part of the referral starts, in the order a reader meets them.
PARTS = {
    "en": ("What the law says", "The facts", "The evidence", "Activity log", "Check this packet"),
    "es": (
        "Lo que dice la ley",
        "Los hechos",
        "Las pruebas",
        "Registro de actividad",
        "Comprobar este paquete",
    ),
}


def sent_referral(case: Any, language: str) -> dict[str, Any]:
    """The investigator establishes that the agents staged at the City's rec center (a rule
    broken), an agent and a car are identified, a task is done and an event is on the
    timeline; a referral to the Denver DA with one file (the other held back) is signed off
    by the supervisor and sent. Its packet's document."""
    situation = {**SHOOTING, "activities": ["staging", "arrest"], "authority": {"kind": "none"}}
    incidents.change_facts(case.investigator, case.incident, situation)
    Personnel.objects.create(
        incident=case.incident, agency="ICE_ERO", unit="Denver field office", badge="4471",
        plate="ABC123", plate_state="CO", description="Grey SUV",
    )  # fmt: skip
    investigation = case.incident.investigation
    workflow.finish_task(case.investigator, investigation.tasks.first(), "Two witnesses")
    workflow.add_event(
        case.investigator, investigation, timezone.now() - timedelta(days=1), "Shots fired"
    )
    referral = services.create(
        case.investigator, case.incident, "denver_da", "assault_first_degree",
        evidence=case.files[:1], do_not_disclose=case.files[1:], language=language,
    )  # fmt: skip
    services.sign_off(case.supervisor, referral)
    services.send(case.investigator, referral)
    referral.refresh_from_db()
    return services.packet_document(referral)


def text_of(reader: PdfReader) -> str:
    return "\n".join(page.extract_text() for page in reader.pages)


@pytest.mark.parametrize("language", ["en", "es"])
def test_the_pdf_is_tagged_titled_and_in_the_referral_language(case: Any, language: str) -> None:
    document = sent_referral(case, language)
    reader = PdfReader(io.BytesIO(render_pdf(document)))
    root = reader.trailer["/Root"]
    assert bool(root["/MarkInfo"]["/Marked"]), "a tagged PDF"
    assert root["/StructTreeRoot"]["/K"], "with a structure tree"
    assert root["/Lang"] == language
    assert bool(root["/ViewerPreferences"]["/DisplayDocTitle"])
    title = TITLES[language].format(reference=document["reference"])
    info = reader.metadata
    assert info is not None and info.title == title
    assert (
        info.author == "City and County of Denver"
        and info.subject
        and "SHA-256" in str(info["/Keywords"])
    )
    xmp = reader.xmp_metadata
    assert xmp is not None and xmp.dc_title == {"x-default": title}
    assert 'pdfuaid:part="1"' in root["/Metadata"].get_object().get_data().decode()


@pytest.mark.parametrize("language", ["en", "es"])
def test_the_text_comes_in_reading_order_with_every_hash_in_full(case: Any, language: str) -> None:
    document = sent_referral(case, language)
    text = text_of(PdfReader(io.BytesIO(render_pdf(document))))
    snapshot = document["referral"]
    assert document["reference"] in text
    assert "C.R.S. 18-3-202" in text and "13A" in text
    flat = re.sub(r"\s+", "", text)
    assert snapshot["evidence"], "the referral has a file"
    for item in snapshot["evidence"]:
        assert item["sha256"] in flat, "the full SHA-256, its two halves joined"
    held = {"en": "Files held back: 1", "es": "Archivos retenidos: 1"}[language]
    assert held in text
    for duty in snapshot["findings"]["duties"]:
        if duty["engaged"]:
            for cite in duty["cites"]:
                assert re.sub(r"\s+", "", cite) in flat
    starts = [text.index(document["reference"]), *(text.index(part) for part in PARTS[language])]
    assert starts == sorted(starts), "heading, findings, facts, evidence, activity, checking"
    assert "eo152 packet verify" in text[starts[-1] :]
    # Broken rules first: the one the facts broke comes before any other.
    broken = {"en": "Broken:", "es": "Violada:"}[language]
    law = text[starts[1] : starts[2]]
    assert law.index(broken) < law.index({"en": "Outcome", "es": "Resultado"}[language])
    activity = text[starts[4] : starts[5]]
    for entry in document["activity"]:
        assert entry["actor"] is None or entry["actor"] in activity


def structure(reader: PdfReader) -> list[tuple[str, DictionaryObject]]:
    """The structure elements in the tree's order: each one's type and itself."""
    found: list[tuple[str, DictionaryObject]] = []

    def walk(node: Any) -> None:
        node = node.get_object()
        if isinstance(node, DictionaryObject):
            if "/S" in node:
                found.append((str(node["/S"]), node))
            kids = node.get("/K")
            if kids is not None:
                kids = kids.get_object()
                for kid in kids if isinstance(kids, list) else [kids]:
                    walk(kid)

    walk(reader.trailer["/Root"]["/StructTreeRoot"])
    return found


def test_headings_go_in_order_and_tables_have_scoped_headers(case: Any) -> None:
    document = sent_referral(case, "es")
    elements = structure(PdfReader(io.BytesIO(render_pdf(document))))
    levels = [int(kind[2]) for kind, _ in elements if re.fullmatch(r"/H[1-6]", kind)]
    assert levels[0] == 1 and levels.count(1) == 1
    assert all(b <= a + 1 for a, b in pairwise(levels)), "no level skipped"
    headers = [element for kind, element in elements if kind == "/TH"]
    assert headers and all(h["/A"]["/Scope"] in ("/Row", "/Column") for h in headers)
    english = [element for _, element in elements if element.get("/Lang") == "en"]
    assert english, "the citations and the statute's sources are marked English"


def test_the_pdf_passes_the_pdf_ua_checker(case: Any, tmp_path: Any) -> None:
    """``pdfua`` (PyPI) checks the machine-checkable part of PDF/UA-1 it implements."""
    pdfua = pytest.importorskip("pdfua", reason="the PDF/UA-1 checker (dev dependency pdfua)")
    path = tmp_path / "referral.pdf"
    path.write_bytes(render_pdf(sent_referral(case, "es")))
    report = pdfua.validate(str(path))
    assert [(f.rule_id, f.message) for f in report.findings] == []


def test_a_draft_without_files_says_so_and_prints_the_same_twice(case: Any) -> None:
    referral = services.create(case.investigator, case.incident, "colorado_ag", "robbery")
    document = services.packet_document(referral)
    pdf = render_pdf(document)
    assert render_pdf(document) == pdf, "the same document gives the same file"
    text = text_of(PdfReader(io.BytesIO(pdf)))
    assert "Referral " + referral.reference + " to the Colorado Attorney General" in text
    assert "Not signed off yet" in text and "Not sent yet" in text
    assert "No file is in this referral." in text and "held back" not in text
    assert "C.R.S. 18-4-301" in text and "120" in text
