"""The City's letter: the determination in force in one plain sentence first, then each
basis's sentence from bases.yaml and its cites; for a release, what is provided and the
released file's full SHA-256; for a release in part, also what is declined and why. It names
the request by the requester's own identifier, never by whom it concerns, and is a tagged
PDF/UA-1 file. Its page is the desk's, and each letter shown is logged as a read."""

from __future__ import annotations

import io
import json
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from django.test import Client
from pypdf import PdfReader

from .conftest import SUBPOENA

pytestmark = pytest.mark.db


def _log(user: Any, **changes: Any) -> Any:
    from eo152.datarequests import services

    return services.log_request(user, services.read_body({**SUBPOENA, **changes}))


def refused_request(make_user: Callable[..., Any]) -> Any:
    """An ICE administrative subpoena for an address, refused: C.R.S. 24-74-102 allows
    personal information for immigration enforcement on court-issued process only."""
    from eo152.datarequests import services

    request = _log(make_user("records_clerk"))
    services.determine(
        make_user("supervisor"), request, services.Choice("refuse", ("no-court-process",))
    )
    return request


def partly_released(make_user: Callable[..., Any], tmp_path: Path) -> tuple[Any, str]:
    """An address and an immigration status asked for together: the status goes
    (8 U.S.C. §1373), the address does not (C.R.S. 24-74-102). A clerk makes the release
    in part, a supervisor checks it. The request and the released file's SHA-256."""
    from eo152.datarequests import services

    logger, clerk, supervisor = (
        make_user("records_clerk"),
        make_user("records_clerk"),
        make_user("supervisor"),
    )
    request = _log(logger, data_categories=["address", "immigration_status"])
    path = tmp_path / "status.pdf"
    path.write_bytes(b"%PDF-1.4\n% the status record released\n%%EOF\n")
    released = services.add_file(
        clerk, request, "released", services.Upload(path, "application/pdf")
    )
    services.determine(
        clerk,
        request,
        services.Choice(
            "partial",
            ("status-information", "no-court-process"),
            released_categories=("immigration_status",),
            released_sha256=released.sha256,
        ),
    )
    services.check(supervisor, request)
    request.refresh_from_db()
    return request, released.sha256


def text_of(pdf: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)


def flat(text: str) -> str:
    return re.sub(r"\s+", "", text)


def test_a_refusal_says_so_first_then_the_law_and_its_cites(
    make_user: Callable[..., Any],
) -> None:
    from eo152.datarequests.bases import catalogue
    from eo152.datarequests.letter import letter_pdf

    request = refused_request(make_user)
    pdf = letter_pdf(request)
    text = text_of(pdf)
    assert "City and County of Denver" in text
    re_line = (
        f"Re: your request of November 20, 2026 (ERO-DEN-2026-0412), "
        f"our reference {request.reference}"
    )
    assert flat(re_line) in flat(text)
    decision = "The City of Denver declines your request."
    assert decision in text
    basis = catalogue()["no-court-process"]
    assert text.index(decision) < text.index("Colorado law bars local governments")
    for cite in basis.cites:
        assert flat(cite) in flat(text)
    assert "City Attorney, City and County of Denver" in text
    assert "Ready for the City Attorney's signature." in text
    # The letter answers the requester: never whom the request concerns.
    assert "Library card" not in text and "2231" not in text
    assert letter_pdf(request) == pdf, "the same determination prints the same letter"


def test_a_release_in_part_names_what_goes_what_does_not_and_the_files_hash(
    make_user: Callable[..., Any], tmp_path: Path
) -> None:
    from eo152.datarequests.letter import letter_pdf

    request, sha256 = partly_released(make_user, tmp_path)
    text = text_of(letter_pdf(request))
    decision = "The City of Denver provides part of what you asked for, enclosed."
    assert decision in text
    provided = text.index("What the City provides, and why")
    declined = text.index("What the City declines, and why")
    assert text.index(decision) < provided < declined
    assert "Records provided: immigration status." in text[provided:declined]
    assert "Records declined: address." in text[declined:]
    assert flat("8 U.S.C. §1373(a)") in flat(text[provided:declined])
    assert flat("C.R.S. 24-74-102") in flat(text[declined:])
    assert sha256 in flat(text[provided:declined]), "the full SHA-256, its two halves joined"


def test_the_letter_is_tagged_titled_english_and_passes_the_pdf_ua_checker(
    make_user: Callable[..., Any], tmp_path: Path
) -> None:
    from eo152.datarequests.letter import letter_pdf

    request, _ = partly_released(make_user, tmp_path)
    pdf = letter_pdf(request)
    reader = PdfReader(io.BytesIO(pdf))
    root = reader.trailer["/Root"]
    assert bool(root["/MarkInfo"]["/Marked"]) and root["/StructTreeRoot"]["/K"]
    assert root["/Lang"] == "en"
    info = reader.metadata
    assert info is not None and info.title and request.reference in info.title
    assert info.author == "City and County of Denver"
    assert 'pdfuaid:part="1"' in root["/Metadata"].get_object().get_data().decode()
    pdfua = pytest.importorskip("pdfua", reason="the PDF/UA-1 checker (dev dependency pdfua)")
    path = tmp_path / "letter.pdf"
    path.write_bytes(pdf)
    assert [(f.rule_id, f.message) for f in pdfua.validate(str(path)).findings] == []


def test_no_letter_before_a_determination_is_in_force(
    make_user: Callable[..., Any], tmp_path: Path
) -> None:
    """A release waiting for its second person is not in force yet."""
    from eo152.datarequests import services
    from eo152.datarequests.letter import letter_pdf
    from eo152.incidents.services import IntakeRefused

    logger, clerk = make_user("records_clerk"), make_user("records_clerk")
    request = _log(logger, authority={"kind": "court_issued_subpoena"})
    with pytest.raises(IntakeRefused) as none:
        letter_pdf(request)
    assert none.value.field == "state"
    path = tmp_path / "answer.pdf"
    path.write_bytes(b"%PDF-1.4\n% released\n%%EOF\n")
    released = services.add_file(
        clerk, request, "released", services.Upload(path, "application/pdf")
    )
    services.determine(
        clerk,
        request,
        services.Choice("release", ("court-process",), released_sha256=released.sha256),
    )
    with pytest.raises(IntakeRefused):
        letter_pdf(request)


@pytest.fixture
def _static(collected_static: None) -> None:
    """Pages link the hashed names of the collected static files."""


def _client(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.mark.usefixtures("_static")
def test_the_letter_page_is_the_desks_and_logs_each_letter_read(
    make_user: Callable[..., Any],
) -> None:
    from eo152.services.records import site_ledger

    request = refused_request(make_user)
    address = f"/data-requests/{request.reference}/letter.pdf"
    store = site_ledger().log.store
    start = site_ledger().log.tree_size
    answer = _client(make_user("records_clerk")).get(address)
    assert answer.status_code == 200 and answer["Content-Type"] == "application/pdf"
    assert b"".join(answer).startswith(b"%PDF")
    # Only this request's entries: a shared PostgreSQL ledger also takes other runs' entries.
    entries = [json.loads(text) for _, text in store.entry_page(start, 100000)]
    (entry,) = [e for e in entries if e.get("record_id") == request.reference]
    assert entry["kind"] == "record.read" and entry["part"] == "letter"
    assert _client(make_user("monitor")).get(address).status_code == 403
    assert Client().get(address).status_code == 302, "sign in first"
    assert _client(make_user("city_attorney")).head(address).status_code == 405


@pytest.mark.usefixtures("_static")
def test_a_letter_asked_for_too_soon_says_so(make_user: Callable[..., Any]) -> None:
    clerk = make_user("records_clerk")
    request = _log(clerk)
    answer = _client(clerk).get(f"/data-requests/{request.reference}/letter.pdf")
    assert answer.status_code == 409
    assert "no determination in force" in answer.content.decode()


def test_a_review_letter_gives_the_day_the_city_will_answer(
    make_user: Callable[..., Any],
) -> None:
    """The basis's {deadline} is the request's deadline, in words."""
    from eo152.datarequests import services
    from eo152.datarequests.letter import letter_pdf

    request = _log(make_user("records_clerk"))
    services.determine(
        make_user("city_attorney"), request, services.Choice("review", ("open-question",))
    )
    text = text_of(letter_pdf(request))
    assert "The City of Denver has not decided your request yet." in text
    assert flat("The City will respond by December 4, 2026.") in flat(text)
