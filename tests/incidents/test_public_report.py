"""The public report end to end with Django's test client: every page in English and
Spanish, "don't know" left out, the situation decided, one incident per draft, CSRF, and
nothing about the sender kept."""

from __future__ import annotations

import base64
import hashlib
import io
import json
import os
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.utils.html import escape
from PIL import Image

from eo152.incidents import abuse, services, workflow
from eo152.incidents.models import Contact, Evidence, Incident
from eo152.web.texts import TEXTS

pytestmark = [pytest.mark.db]

P = "report_wizard-current_step"

ANSWERS: dict[str, dict[str, Any]] = {
    "where": {"where-address": "1555 Elati St", "where-place_kind": "recreation_center"},
    "when": {"when-day": "2026-03-14", "when-time_of_day": "afternoon"},
    "agents": {"agents-agencies": ["ice", "cbp"]},
    "looks": {"looks-masked": "yes", "looks-showed_id": "no"},
    "did": {"did-did": ["pepper_spray", "pushed_down", "arrest", "filmed"]},
    "hurt": {"hurt-hurt": "serious"},
    "aid": {"aid-aid_blocked": "yes"},
    "protest": {"protest-protest": "no"},
    "story": {"story-narrative": "Agents sprayed people filming outside the rec center."},
    "files": {},
    "contact": {"contact-reporting": "anonymous"},
}

DONT_KNOW: dict[str, dict[str, Any]] = {
    "where": {"where-address": "Near the library", "where-place_kind": "dont_know"},
    "when": {"when-day": "", "when-time_of_day": "dont_know"},
    "agents": {"agents-agencies": ["dont_know"]},
    "looks": {"looks-masked": "dont_know", "looks-showed_id": "dont_know"},
    "did": {"did-did": ["dont_know"]},
    "hurt": {"hurt-hurt": "dont_know"},
    "aid": {"aid-aid_blocked": "dont_know"},
    "protest": {"protest-protest": "dont_know"},
    "story": {"story-narrative": "I only heard shouting."},
    "files": {},
    "contact": {"contact-reporting": "anonymous"},
}


@pytest.fixture(autouse=True)
def _static(collected_static: None) -> None:
    """Pages link the hashed names of the collected static files."""


@pytest.fixture
def client(db: None, ledger_ready: Path, settings: Any) -> Iterator[Client]:
    settings.RATELIMIT_ENABLE = True
    from django.core.cache import cache

    cache.clear()
    yield Client(enforce_csrf_checks=True)
    cache.clear()


def csrf(client: Client, lang: str = "en") -> str:
    page = client.get(f"/report/where?lang={lang}")
    match = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.content.decode())
    assert match, page.content.decode()[:500]
    return match.group(1)


def post(client: Client, step: str, data: dict[str, Any], lang: str = "en", **extra: Any) -> Any:
    body = {"csrfmiddlewaretoken": _form_token(client, step, lang), P: step, "lang": lang, **data}
    return client.post(f"/report/{step}?lang={lang}", body, **extra)


def _form_token(client: Client, step: str, lang: str) -> str:
    page = client.get(f"/report/{step}?lang={lang}")
    match = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.content.decode())
    assert match, (step, page.status_code, page.get("Location"))
    return match.group(1)


def start(client: Client, lang: str = "en") -> None:
    response = client.get(f"/report/new?lang={lang}")
    assert response.status_code == 302
    assert response["Location"] == f"/report/where?lang={lang}"


def fill(client: Client, answers: dict[str, dict[str, Any]], lang: str = "en") -> None:
    start(client, lang)
    for step, data in answers.items():
        response = post(client, step, data, lang)
        assert response.status_code == 302, (step, response.content.decode()[:3000])


def check_page(client: Client, lang: str = "en") -> str:
    page = client.get(f"/report/check?lang={lang}")
    assert page.status_code == 200
    return page.content.decode()


def send(client: Client, lang: str = "en", **extra: Any) -> Any:
    html = check_page(client, lang)
    token = re.search(r'name="report_token" value="([^"]+)"', html)
    csrf_token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html)
    assert token and csrf_token
    data = {
        "csrfmiddlewaretoken": csrf_token.group(1),
        P: "check",
        "lang": lang,
        "report_token": token.group(1),
        **extra,
    }
    return client.post(f"/report/check?lang={lang}", data)


def codes(html: str) -> tuple[str, str]:
    reference = re.search(r'id="reference">([^<]+)<', html)
    code = re.search(r'id="code">([^<]+)<', html)
    assert reference and code, html
    return reference.group(1), code.group(1)


@pytest.mark.parametrize("lang", ["en", "es"])
def test_a_resident_files_a_report_and_gets_number_code_and_receipt(
    client: Client, lang: str
) -> None:
    fill(client, ANSWERS, lang)
    html = check_page(client, lang)
    texts = TEXTS[lang]
    assert texts["resident_report_a_agencies_ice"] in html
    assert html.count(texts["flow_change"]) == 14
    response = send(client, lang)
    assert response.status_code == 200
    html = response.content.decode()
    assert f'<html lang="{lang}">' in html
    assert escape(texts["resident_done_write_down"]) in html
    reference, code = codes(html)
    incident = Incident.objects.get()
    assert incident.reference == reference and incident.language == lang
    assert services.public_status(reference, code) is not None
    receipt = client.get("/report/receipt.json")
    assert receipt["Content-Disposition"] == 'attachment; filename="receipt.json"'
    assert json.loads(receipt.content) == incident.receipt


def test_the_situation_is_the_contracts_and_is_decided(client: Client) -> None:
    fill(client, ANSWERS)
    send(client)
    incident = Incident.objects.get()
    assert incident.situation == {
        "jurisdiction": "denver",
        "location": {"address": "1555 Elati St", "kind": "recreation_center"},
        "agents": {"agencies": ["ICE_ERO", "CBP"], "masked": True, "identification_visible": False},
        "activities": ["arrest", "surveillance"],
        "force": {"kind": "chemical"},
        "injuries": [{"severity": "serious"}],
        "aid_blocked": True,
        "protest": {"present": False},
    }
    assert incident.occurred_at is not None
    local = incident.occurred_at.astimezone(ZoneInfo("America/Denver"))
    assert (local.date().isoformat(), local.hour) == ("2026-03-14", 14)  # "afternoon"
    assert incident.source == "public" and incident.reporting == "anonymous"
    assert incident.filed_at is None
    finding = services.current_finding(incident)
    assert finding.situation["location"]["address"] == "1555 Elati St"
    assert finding.decision["duties"], "the engine decided the facts"
    assert not Contact.objects.exists()


def test_dont_know_leaves_every_fact_out(client: Client) -> None:
    fill(client, DONT_KNOW)
    html = check_page(client)
    assert html.count(escape(TEXTS["en"]["dont_know"])) >= 8
    send(client)
    incident = Incident.objects.get()
    assert incident.situation == {
        "jurisdiction": "denver",
        "location": {"address": "Near the library"},
    }
    assert incident.occurred_at is None


def test_a_double_submit_files_one_incident_and_shows_the_same_confirmation(
    client: Client,
) -> None:
    fill(client, ANSWERS)
    html = check_page(client)
    token = re.search(r'name="report_token" value="([^"]+)"', html)
    csrf_token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html)
    assert token and csrf_token
    data = {
        "csrfmiddlewaretoken": csrf_token.group(1),
        P: "check",
        "lang": "en",
        "report_token": token.group(1),
    }
    first = client.post("/report/check?lang=en", data)
    second = client.post("/report/check?lang=en", data)
    assert first.status_code == second.status_code == 200
    assert codes(first.content.decode()) == codes(second.content.decode())
    assert Incident.objects.count() == 1


def test_script_in_a_text_field_is_shown_escaped(client: Client) -> None:
    attack = '<script>alert("x")</script>'
    answers = {
        **ANSWERS,
        "where": {"where-address": attack, "where-place_kind": "street"},
        "story": {"story-narrative": attack},
    }
    fill(client, answers)
    html = check_page(client)
    assert attack not in html
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;" in html
    page = client.get("/report/story?lang=en").content.decode()
    assert attack not in page and "&lt;script&gt;" in page


def test_a_missing_or_wrong_csrf_token_is_refused_and_nothing_is_stored(client: Client) -> None:
    fill(client, ANSWERS)
    html = check_page(client)
    token = re.search(r'name="report_token" value="([^"]+)"', html)
    assert token
    data = {P: "check", "lang": "en", "report_token": token.group(1)}
    assert client.post("/report/check?lang=en", data).status_code == 403
    wrong = {**data, "csrfmiddlewaretoken": "x" * 64}
    assert client.post("/report/check?lang=en", wrong).status_code == 403
    assert not Incident.objects.exists()
    status = client.post("/report/status", {"reference": "EO-AAAA-AAAA", "code": "A"})
    assert status.status_code == 403


def test_a_step_sent_empty_shows_the_error_summary_linked_to_the_field(client: Client) -> None:
    start(client, "es")
    response = post(client, "agents", {}, "es")
    assert response.status_code == 422
    html = response.content.decode()
    assert 'id="error-summary" tabindex="-1"' in html
    message = TEXTS["es"]["resident_report_error_agencies"]
    assert f'<a href="#agencies-ice">{escape(message)}</a>' in html
    assert 'id="agencies-ice-error"' in html
    assert "<title>Error:" in html


def _status(client: Client, reference: str, code: str, lang: str = "en") -> Any:
    page = client.get(f"/report/status?lang={lang}").content.decode()
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page)
    assert token
    return client.post(
        "/report/status",
        {"csrfmiddlewaretoken": token.group(1), "lang": lang, "reference": reference, "code": code},
    )


def test_status_with_the_right_code_and_the_same_answer_for_wrong_and_unknown(
    client: Client,
) -> None:
    fill(client, ANSWERS)
    reference, code = codes(send(client).content.decode())
    right = _status(client, reference.lower(), code.lower(), "es")
    assert right.status_code == 200
    assert escape(TEXTS["es"]["resident_status_received"]) in right.content.decode()
    wrong = _status(client, reference, "AAAA-AAAA-AAAA")
    unknown = _status(client, "EO-0000-0000", code)

    def answer(response: Any) -> str:
        html = response.content.decode()
        html = re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", html)
        return re.sub(r'name="reference" type="text" value="[^"]*"', "", html)

    assert wrong.status_code == unknown.status_code == 200
    assert answer(wrong) == answer(unknown)
    assert escape(TEXTS["en"]["resident_status_not_found"]) in answer(wrong)
    assert reference not in answer(wrong).replace(f'value="{reference}"', "")


def test_a_closed_report_says_why_in_plain_words(client: Client, make_user: Any) -> None:
    fill(client, ANSWERS)
    reference, code = codes(send(client).content.decode())
    incident = Incident.objects.get()
    workflow.close(make_user("investigator"), incident, "duplicate", "reported twice")
    html = _status(client, reference, code).content.decode()
    assert escape(TEXTS["en"]["resident_status_closed"]) in html
    assert escape(TEXTS["en"]["resident_status_closed_duplicate"]) in html


def test_a_flood_of_reports_from_one_client_meets_the_limit_and_the_proof_of_work(
    client: Client,
) -> None:
    for _ in range(5):
        fill(client, DONT_KNOW)
        assert send(client).status_code == 200
    fill(client, DONT_KNOW)
    response = send(client)
    assert response.status_code == 429
    html = response.content.decode()
    assert escape(TEXTS["en"]["resident_proof_no_script"]) in html
    assert "<altcha-widget" in html
    assert Incident.objects.count() == 5
    # Another client (another address behind the proxy) is not held back.
    other = Client(enforce_csrf_checks=True, REMOTE_ADDR="", HTTP_X_REAL_IP="198.51.100.7")
    fill(other, DONT_KNOW)
    assert send(other).status_code == 200


def test_a_solved_proof_of_work_lets_the_report_through(client: Client, settings: Any) -> None:
    import altcha

    settings.RATELIMIT_ENABLE = True
    for _ in range(5):
        fill(client, DONT_KNOW)
        send(client)
    fill(client, DONT_KNOW)
    challenge = altcha.create_challenge(
        altcha.ChallengeOptions(hmac_key=settings.ALTCHA_HMAC_KEY, max_number=1000)
    )
    solution = altcha.solve_challenge(
        challenge.challenge, challenge.salt, challenge.algorithm, challenge.max_number, 0
    )
    assert solution is not None
    payload = base64.b64encode(
        json.dumps(
            {
                "algorithm": challenge.algorithm,
                "challenge": challenge.challenge,
                "number": solution.number,
                "salt": challenge.salt,
                "signature": challenge.signature,
            }
        ).encode()
    ).decode()
    assert send(client, altcha=payload).status_code == 200
    assert Incident.objects.count() == 6


def test_status_lookups_are_limited_too(client: Client) -> None:
    for _ in range(abuse_limit(abuse.STATUS_RATE)):
        assert _status(client, "EO-0000-0000", "AAAA").status_code == 200
    response = _status(client, "EO-0000-0000", "AAAA")
    assert response.status_code == 429
    assert escape(TEXTS["en"]["resident_proof_no_script"]) in response.content.decode()


def test_limits_are_off_when_the_setting_says(client: Client, settings: Any) -> None:
    settings.RATELIMIT_ENABLE = False
    for _ in range(abuse_limit(abuse.STATUS_RATE) + 2):
        assert _status(client, "EO-0000-0000", "AAAA").status_code == 200


def abuse_limit(rate: str) -> int:
    return int(rate.split("/")[0])


def test_the_client_key_hashes_the_address_and_believes_x_real_ip_only_from_the_proxy() -> None:
    from django.test import RequestFactory

    factory = RequestFactory()
    proxied = factory.get("/", REMOTE_ADDR="", HTTP_X_REAL_IP="203.0.113.9")
    direct = factory.get("/", REMOTE_ADDR="192.0.2.1", HTTP_X_REAL_IP="203.0.113.9")
    assert abuse.client_address(proxied) == "203.0.113.9"
    assert abuse.client_address(direct) == "192.0.2.1"
    key = abuse.client_key("g", proxied)
    assert re.fullmatch(r"[0-9a-f]{64}", key) and "203.0.113.9" not in key
    assert key != abuse.client_key("g", direct)


def test_nothing_about_the_sender_is_kept_with_the_report_or_in_the_session(
    client: Client,
) -> None:
    from django.contrib.sessions.models import Session

    address, agent = "203.0.113.77", "EvilBrowser/9.9 (secret-agent-string)"
    sender = Client(enforce_csrf_checks=True, REMOTE_ADDR=address, HTTP_USER_AGENT=agent)
    fill(sender, ANSWERS)
    send(sender)
    incident = Incident.objects.get()
    finding = services.current_finding(incident)
    stored = json.dumps(
        [
            {k: str(v) for k, v in incident.__dict__.items() if not k.startswith("_")},
            finding.situation,
            finding.decision,
        ]
    )
    for session in Session.objects.all():
        stored += json.dumps(session.get_decoded(), default=str)
    assert address not in stored and "EvilBrowser" not in stored
    assert incident.filed_at is None
    entry = json.loads(incident.receipt["entry"])
    assert re.fullmatch(r"\d{4}-\d{2}-\d{2}", entry["at"])


def _jpeg() -> bytes:
    image = Image.new("RGB", (32, 24), (200, 40, 40))
    buffer = io.BytesIO()
    image.save(buffer, "JPEG")
    return buffer.getvalue()


def test_a_photo_is_kept_with_its_original_hash_and_the_draft_file_removed(
    client: Client,
) -> None:
    photo = _jpeg()
    start(client)
    for step, data in ANSWERS.items():
        if step == "files":
            upload = SimpleUploadedFile("rec-center.jpg", photo, content_type="image/jpeg")
            data = {"files-file": upload}
        assert post(client, step, data).status_code == 302, step
    drafts = Path(os.environ["EO152_DATA_DIR"]) / "drafts"
    assert [p.name for p in drafts.iterdir()] == ["rec-center.jpg"]
    assert "rec-center.jpg" in check_page(client)
    send(client)
    evidence = Evidence.objects.get()
    assert evidence.sha256 == hashlib.sha256(photo).hexdigest()
    assert evidence.media_type == "image/jpeg"
    assert evidence.shown_sha256 and evidence.added_by is None
    assert list(drafts.iterdir()) == []


def test_a_file_whose_bytes_do_not_match_is_refused_and_the_draft_kept(client: Client) -> None:
    start(client, "es")
    steps = list(ANSWERS.items())
    for step, data in steps[:9]:
        assert post(client, step, data, "es").status_code == 302
    fake = SimpleUploadedFile("photo.jpg", b"%PDF-1.4 not a photo", content_type="image/jpeg")
    response = post(client, "files", {"files-file": fake}, "es")
    assert response.status_code == 422
    html = response.content.decode()
    assert escape(TEXTS["es"]["resident_report_error_file_type"]) in html
    assert 'href="#file"' in html
    story = client.get("/report/story?lang=es").content.decode()
    assert "Agents sprayed people" in story
    for step, data in steps[9:]:
        assert post(client, step, data, "es").status_code == 302
    send(client, "es")
    assert Incident.objects.count() == 1 and not Evidence.objects.exists()


def test_a_change_from_the_check_page_returns_to_it(client: Client) -> None:
    fill(client, ANSWERS)
    page = client.get("/report/hurt?lang=en&change=1").content.decode()
    assert 'name="change" value="1"' in page
    response = post(client, "hurt", {"hurt-hurt": "minor", "change": "1"})
    assert response["Location"] == "/report/check?lang=en"


def test_the_check_page_sends_an_unfinished_draft_back_to_its_first_question(
    client: Client,
) -> None:
    start(client)
    post(client, "where", ANSWERS["where"])
    response = client.get("/report/check?lang=en")
    assert response["Location"] == "/report/when?lang=en"


@pytest.mark.parametrize("lang", ["en", "es"])
def test_the_start_page_says_what_we_never_ask_and_the_trade_off(client: Client, lang: str) -> None:
    html = client.get(f"/report?lang={lang}").content.decode()
    texts = TEXTS[lang]
    for key in ("resident_report_never_ask", "resident_report_anonymous_means"):
        assert escape(texts[key]) in html
    assert f'href="/report/new?lang={lang}"' in html


def test_a_private_report_keeps_the_contact_and_needs_a_way_back(client: Client) -> None:
    start(client, "es")
    for step, data in list(ANSWERS.items())[:10]:
        assert post(client, step, data, "es").status_code == 302
    response = post(client, "contact", {"contact-reporting": "confidential"}, "es")
    assert response.status_code == 422
    assert escape(TEXTS["es"]["resident_report_error_contact"]) in response.content.decode()
    contact = {"contact-reporting": "confidential", "contact-phone": "720-555-0100"}
    assert post(client, "contact", contact, "es").status_code == 302
    send(client, "es")
    incident = Incident.objects.get()
    assert incident.reporting == "confidential"
    assert Contact.objects.get(incident=incident).phone == "720-555-0100"


def test_an_anonymous_report_keeps_no_contact_typed_before_switching(client: Client) -> None:
    answers = {
        **ANSWERS,
        "contact": {"contact-reporting": "anonymous", "contact-email": "me@example.com"},
    }
    fill(client, answers)
    send(client)
    assert not Contact.objects.exists()


def test_when_the_places_are_unavailable_the_draft_is_kept_for_later(
    client: Client, monkeypatch: pytest.MonkeyPatch
) -> None:
    from eo152.services.decisions import PlacesUnavailable

    def unavailable(*_: object, **__: object) -> None:
        raise PlacesUnavailable("the registry is being rebuilt")

    fill(client, ANSWERS)
    with monkeypatch.context() as patch:
        patch.setattr(services, "file_incident", unavailable)
        response = send(client)
    assert response.status_code == 503
    assert escape(TEXTS["en"]["resident_report_busy"]) in response.content.decode()
    assert not Incident.objects.exists()
    assert send(client).status_code == 200
    assert Incident.objects.count() == 1


def test_a_submit_racing_the_first_gets_the_first_incident_and_its_code(
    client: Client, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Two submits of one draft at the same instant: the second looked before the first was
    written, so it decides and logs too, then finds the draft taken when it writes."""
    intake = services.Intake(
        source="public", situation={"activities": ["staging"]}, reporting="anonymous"
    )
    first = services.file_incident(intake, by=None, draft_token="draft-1")
    with monkeypatch.context() as patch:
        looked = iter([None])  # the second's first look finds nothing; its second finds it
        real = services.filed_draft
        patch.setattr(services, "filed_draft", lambda token: next(looked, None) or real(token))
        second = services.file_incident(intake, by=None, draft_token="draft-1")
    assert not second.created and second.incident.pk == first.incident.pk
    assert second.followup_code == first.followup_code
    assert Incident.objects.count() == 1


def test_the_follow_up_code_is_kept_nowhere(client: Client) -> None:
    """Not in the incident, its finding, the session or the cache: only its hash."""
    from django.contrib.sessions.models import Session
    from django.core.cache import cache

    fill(client, ANSWERS)
    page = send(client).content.decode()
    code = codes(page)[1]
    compact = code.replace("-", "")
    incident = Incident.objects.get()
    stored = json.dumps(
        [
            list(Incident.objects.values().get().values()),
            list(incident.findings.values_list("decision_json", "situation")),
            [s.get_decoded() for s in Session.objects.all()],
        ],
        default=str,
    )
    assert code not in stored and compact not in stored
    assert cache.get(code) is None
    assert incident.followup_sha256 and services.public_status(incident.reference, code)


def test_abandoned_draft_files_are_pruned(client: Client) -> None:
    import time

    from eo152.incidents.public_forms import drafts_folder, prune_drafts

    old = drafts_folder() / "old.jpg"
    old.write_bytes(b"x")
    new = drafts_folder() / "new.jpg"
    new.write_bytes(b"y")
    long_ago = time.time() - 2 * 24 * 3600
    os.utime(old, (long_ago, long_ago))
    start(client)
    assert not old.exists() and new.exists()
    assert prune_drafts() == 0
