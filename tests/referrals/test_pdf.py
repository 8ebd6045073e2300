"""The referral packet's PDF: tagged PDF/UA-1, in the referral's language, with its title,
and its text in reading order with every evidence file's full SHA-256."""

from __future__ import annotations

import io
import re
from typing import Any

import pytest
from pypdf import PdfReader

from eo152.referrals import services
from eo152.referrals.pdf import render_pdf

pytestmark = [pytest.mark.db]


def sent_referral(case: Any, language: str) -> dict[str, Any]:
    """A referral to the Denver DA, signed off by another person and sent: its document."""
    referral = services.create(
        case.investigator, case.incident, "denver_da", "assault_first_degree",
        evidence=case.files[:1], do_not_disclose=case.files[1:], language=language,
    )  # fmt: skip
    services.sign_off(case.supervisor, referral)
    services.send(case.investigator, referral)
    referral.refresh_from_db()
    return services.packet_document(referral)


@pytest.mark.parametrize("language", ["en", "es"])
def test_the_pdf_is_tagged_titled_and_in_the_referral_language(case: Any, language: str) -> None:
    document = sent_referral(case, language)
    pdf = render_pdf(document)
    reader = PdfReader(io.BytesIO(pdf))
    root = reader.trailer["/Root"]
    assert bool(root["/MarkInfo"]["/Marked"])
    assert "/StructTreeRoot" in root
    assert root["/Lang"] == language
    text = "".join(page.extract_text() for page in reader.pages)
    assert document["reference"] in text
    flat = re.sub(r"\s+", "", text)
    for item in document["referral"]["evidence"]:
        assert item["sha256"] in flat
