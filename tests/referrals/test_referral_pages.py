"""The referral pages: making one from the case (an offense of the vocabulary, the office,
the language, each file included or held back), the list, the referral answer-first, sign-off
by another person, sending only after it, the prosecutor's view of their office only, the
packet as a .zip; refusals in plain words, CSRF on every POST, text shown escaped."""

from __future__ import annotations

import io
import subprocess
import sys
import zipfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from django.test import Client

from eo152.accounts.models import User
from eo152.incidents import workflow
from eo152.referrals import services
from eo152.referrals.models import Referral
from eo152.referrals.offenses import offenses
from eo152.web.texts import TEXTS
from tests.referrals.conftest import Case

pytestmark = [pytest.mark.db]
EN = TEXTS["en"]


@pytest.fixture(autouse=True)
def _static(collected_static: None) -> None:
    """Pages link the hashed names of the collected static files."""


def _client(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _form(case: Case, **extra: str) -> dict[str, str]:
    return {
        "lang": "en",
        "offense": "assault_first_degree",
        "office": "denver_da",
        "language": "en",
        f"include-{case.files[0].pk}": "1",
        f"withhold-{case.files[1].pk}": "1",
        **extra,
    }


def _made(case: Case) -> Referral:
    client = _client(case.investigator)
    answer = client.post(f"/incidents/{case.incident.reference}/referrals/new", _form(case))
    assert answer.status_code == 303, answer.content.decode()[:3000]
    reference = answer["Location"].split("?")[0].rsplit("/", 1)[1]
    return Referral.objects.get(reference=reference)


def test_the_form_offers_the_vocabulary_and_each_file(case: Case) -> None:
    page = _client(case.investigator).get(f"/incidents/{case.incident.reference}/referrals/new")
    assert page.status_code == 200
    text = page.content.decode()
    for code, offense in offenses().items():
        assert f'value="{code}"' in text
        assert f"C.R.S. {offense.crs}, NIBRS {offense.nibrs}" in text
    for item in case.files:
        assert f'name="include-{item.pk}"' in text and f'name="withhold-{item.pk}"' in text
    assert EN["referral_office_denver_da"] in text and EN["referral_office_colorado_ag"] in text


def test_a_referral_is_made_as_a_snapshot_with_a_file_held_back(case: Case) -> None:
    referral = _made(case)
    assert (referral.office, referral.offense, referral.state) == (
        "denver_da",
        "assault_first_degree",
        "draft",
    )
    assert [e["sha256"] for e in referral.snapshot["evidence"]] == [case.files[0].sha256]
    assert referral.snapshot["withheld"] == 1
    text = _client(case.investigator).get(f"/referrals/{referral.reference}").content.decode()
    crs = offenses()["assault_first_degree"].crs
    heading = EN["referral_answer"].format(
        offense="Assault in the first degree",
        crs=f"C.R.S. {crs}",
        nibrs="13A",
        office=EN["referral_office_denver_da"],
    )
    assert text.index(heading) < text.index(EN["referral_facts"])
    shown = text.replace("<wbr>", "")
    assert case.files[0].sha256 in shown and case.files[1].sha256 not in shown
    assert EN["referral_withheld"].format(count=1) in text
    assert EN["referral_refused_maker"] in text and EN["referral_sign_off"] not in text


def test_bad_choices_are_refused_and_say_why(case: Case) -> None:
    client = _client(case.investigator)
    url = f"/incidents/{case.incident.reference}/referrals/new"
    wrong = client.post(url, _form(case, offense="jaywalking", office="fbi", language="fr"))
    assert wrong.status_code == 422
    text = wrong.content.decode()
    for key in ("referral_error_offense", "referral_error_office", "referral_error_language"):
        assert EN[key] in text
    both = client.post(url, _form(case, **{f"withhold-{case.files[0].pk}": "1"}))
    assert both.status_code == 422 and EN["referral_error_both"] in both.content.decode()
    assert Referral.objects.count() == 0


def test_only_an_open_investigation_is_referred_and_only_by_who_may(
    case: Case, make_user: Callable[..., User]
) -> None:
    url = f"/incidents/{case.incident.reference}/referrals/new"
    assert _client(make_user("investigator")).get(url).status_code == 403  # not assigned
    assert _client(make_user("monitor")).get(url).status_code == 403
    assert _client(make_user("prosecutor", "denver_da")).get(url).status_code == 404
    workflow.close(case.supervisor, case.incident, "resolved", "done")
    closed = _client(case.investigator).post(url, _form(case))
    assert closed.status_code == 422 and EN["referral_error_state"] in closed.content.decode()


def test_the_maker_cannot_sign_off_and_it_cannot_leave_before(case: Case) -> None:
    referral = _made(case)
    maker = _client(case.investigator)
    early = maker.post(f"/referrals/{referral.reference}/send", {"lang": "en"})
    assert early.status_code == 422 and EN["referral_refused_not_signed"] in early.content.decode()
    own = maker.post(f"/referrals/{referral.reference}/sign-off", {"lang": "en"})
    assert own.status_code == 422
    assert EN["referral_refused_maker"] in own.content.decode()
    assert EN["referral_refused_title"] in own.content.decode()
    referral.refresh_from_db()
    assert referral.state == "draft" and referral.signed_off_by is None
    checker = _client(case.supervisor)
    assert (
        EN["referral_sign_off"] in checker.get(f"/referrals/{referral.reference}").content.decode()
    )
    assert checker.post(f"/referrals/{referral.reference}/sign-off").status_code == 303
    page = maker.get(f"/referrals/{referral.reference}").content.decode()
    assert EN["referral_send"] in page
    assert maker.post(f"/referrals/{referral.reference}/send").status_code == 303
    referral.refresh_from_db()
    case.incident.refresh_from_db()
    assert referral.state == "sent" and case.incident.state == "referred"
    again = maker.post(f"/referrals/{referral.reference}/send")
    assert again.status_code == 422 and EN["referral_refused_state"] in again.content.decode()


def _sent(case: Case) -> Referral:
    referral = _made(case)
    services.sign_off(case.supervisor, referral)
    services.send(case.investigator, referral)
    referral.refresh_from_db()
    return referral


def test_a_prosecutor_sees_only_what_was_sent_to_their_office(
    case: Case, make_user: Callable[..., User]
) -> None:
    draft = _made(case)
    da = _client(make_user("prosecutor", "denver_da"))
    assert da.get(f"/referrals/{draft.reference}").status_code == 404
    assert draft.reference not in da.get("/referrals").content.decode()
    sent = _sent(case)
    listed = da.get("/referrals").content.decode()
    assert sent.reference in listed and draft.reference not in listed
    assert EN["referral_nav"] in listed
    page = da.get(f"/referrals/{sent.reference}")
    assert page.status_code == 200
    text = page.content.decode()
    assert EN["referral_acknowledge"] in text and EN["referral_download"] in text
    assert case.investigator.username not in text and case.investigator.actor in text
    assert f"/incidents/{case.incident.reference}" not in text
    ag = _client(make_user("prosecutor", "colorado_ag"))
    assert ag.get(f"/referrals/{sent.reference}").status_code == 404
    assert ag.get(f"/referrals/{sent.reference}/packet").status_code == 404
    assert ag.post(f"/referrals/{sent.reference}/acknowledge").status_code == 404
    assert sent.reference not in ag.get("/referrals").content.decode()
    assert da.post(f"/referrals/{sent.reference}/sign-off").status_code == 403
    assert da.post(f"/referrals/{sent.reference}/acknowledge").status_code == 303
    sent.refresh_from_db()
    assert sent.state == "acknowledged" and sent.acknowledged_at is not None


def test_who_may_not_list_or_act(case: Case, make_user: Callable[..., User]) -> None:
    referral = _made(case)
    officer = _client(case.officer)
    assert officer.get("/referrals").status_code == 403
    assert EN["referral_nav"] not in officer.get("/incidents").content.decode()
    assert officer.get(f"/referrals/{referral.reference}").status_code == 404
    monitor = _client(make_user("monitor"))
    assert monitor.get(f"/referrals/{referral.reference}").status_code == 200
    assert monitor.post(f"/referrals/{referral.reference}/sign-off").status_code == 403
    assert monitor.post(f"/referrals/{referral.reference}/send").status_code == 403
    lawyer = _client(make_user("city_attorney"))
    assert lawyer.get(f"/referrals/{referral.reference}/packet").status_code == 403
    assert (
        _client(make_user("prosecutor", "denver_da")).get("/referrals/RF-ZZZZ-ZZZZ").status_code
        == 404
    )


def test_the_packet_downloads_as_a_zip_that_verifies(case: Case, tmp_path: Path) -> None:
    referral = _sent(case)
    answer = _client(case.supervisor).get(f"/referrals/{referral.reference}/packet")
    assert answer.status_code == 200
    assert answer["Content-Type"] == "application/zip"
    assert f'filename="{referral.reference}.zip"' in answer["Content-Disposition"]
    body = b"".join(answer.streaming_content)  # type: ignore[attr-defined]
    with zipfile.ZipFile(io.BytesIO(body)) as zipped:
        zipped.extractall(tmp_path)
    bag = tmp_path / referral.reference
    assert (bag / "bagit.txt").exists()
    checked = subprocess.run(
        [sys.executable, "-m", "eo152", "packet", "verify", str(bag)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert checked.returncode == 0, checked.stdout + checked.stderr


def test_every_post_needs_the_csrf_token(case: Case) -> None:
    referral = _made(case)
    checked = Client(enforce_csrf_checks=True)
    checked.force_login(case.investigator)
    url = f"/incidents/{case.incident.reference}/referrals/new"
    assert checked.post(url, _form(case)).status_code == 403
    checked.force_login(case.supervisor)
    for step in ("sign-off", "send", "acknowledge"):
        assert checked.post(f"/referrals/{referral.reference}/{step}").status_code == 403
    assert Referral.objects.count() == 1
    referral.refresh_from_db()
    assert referral.state == "draft"


def test_script_is_shown_escaped(case: Case) -> None:
    script = "<script>alert(1)</script>"
    case.incident.narrative = script
    case.incident.save()
    referral = _made(case)
    text = _client(case.supervisor).get(f"/referrals/{referral.reference}").content.decode()
    assert script not in text and "&lt;script&gt;alert(1)&lt;/script&gt;" in text


@pytest.mark.parametrize("lang", ["en", "es"])
def test_the_pages_speak_the_language_asked(case: Case, lang: str) -> None:
    referral = _made(case)
    texts = TEXTS[lang]
    client = _client(case.supervisor)
    pages: list[Any] = [
        client.get(f"/referrals?lang={lang}"),
        client.get(f"/referrals/{referral.reference}?lang={lang}"),
        _client(case.investigator).get(
            f"/incidents/{case.incident.reference}/referrals/new?lang={lang}"
        ),
    ]
    for page in pages:
        assert f'<html lang="{lang}">' in page.content.decode()
    assert texts["referral_list_title"] in pages[0].content.decode()
    assert texts["referral_steps"] in pages[1].content.decode()
    assert texts["referral_new_title"] in pages[2].content.decode()
