"""The running pages through Django's test client: a facilitator opens and runs an exercise
on the console, players join with the code and no account and answer on /play, in English
and Spanish; refused steps answer 422 and store nothing; the facilitator's pages are for
trainers only; without JavaScript each page says to refresh."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client

from eo152.web.texts import TEXTS

pytestmark = pytest.mark.db

STAGING = "staging-rec-center"


@pytest.fixture
def trainer(make_user: Callable[..., Any], collected_static: None) -> Client:
    client = Client()
    client.force_login(make_user("supervisor"))
    return client


def _open(trainer: Client) -> str:
    response = trainer.post("/exercises?lang=en", {"scenario": STAGING, "readings": ""})
    assert response.status_code == 303
    match = re.search(r"/exercises/([0-9A-Z]{6})\?lang=en$", response["Location"])
    assert match
    return match.group(1)


def _join(code: str, name: str, role: str, lang: str = "en") -> Client:
    player = Client()
    response = player.post(
        "/play?lang=en", {"code": code.lower(), "name": name, "role": role, "player_lang": lang}
    )
    assert response.status_code == 303, response.content.decode()
    assert response["Location"] == f"/play/{code}?lang={lang}"
    return player


def test_a_facilitator_runs_an_exercise_and_players_answer_without_accounts(
    trainer: Client,
) -> None:
    en, es = TEXTS["en"], TEXTS["es"]
    code = _open(trainer)
    page = trainer.get(f"/exercises/{code}?lang=en").content.decode()
    assert code in page and en["ex_console_refresh"] in page
    assert en["ex_console_lobby"].format(count=0) in page
    ana = _join(code, "Ana", "patrol")
    bea = _join(code, "Bea", "sergeant", "es")
    waiting = bea.get(f"/play/{code}?lang=es").content.decode()
    assert es["ex_play_lobby"] in waiting and es["ex_play_refresh"] in waiting
    assert trainer.post(f"/exercises/{code}/release?lang=en").status_code == 303
    part = bea.get(f"/play/{code}?lang=es").content.decode()
    assert "Hay seis camionetas sin marcas" in part
    assert es["ex_pick_prohibited"] in part and "<legend" in part
    response = ana.post(
        f"/play/{code}?lang=en",
        {
            "inject": "vans-in-the-lot",
            "pick:police/record_body_camera": "required",
            "pick:police/de_escalate": "required",
            "pick:police/obstruct_lawful_enforcement": "prohibited",
            "pick:police/intervene": "unsure",
            "comment": "Call the sergeant.",
        },
    )
    assert response.status_code == 303
    done = ana.get(f"/play/{code}?lang=en").content.decode()
    assert en["ex_play_answered"] in done
    console = trainer.get(f"/exercises/{code}?lang=en").content.decode()
    assert "Ana" in console and "3 of 3" in console
    assert en["ex_role_answered"].format(role="Sergeant", answered=0, players=1) in console
    status = trainer.get(f"/exercises/{code}/status.json").json()
    assert status["state"] == "running"
    assert ana.get(f"/play/{code}/status.json").json()["state"] == "running"
    assert trainer.post(f"/exercises/{code}/finish?lang=en").status_code == 303
    assert en["ex_play_finished"] in ana.get(f"/play/{code}?lang=en").content.decode()
    hot = trainer.get(f"/exercises/{code}/hot-wash?lang=en")
    assert hot.status_code == 200
    pdf = trainer.get(f"/exercises/{code}/report.pdf?lang=es")
    assert pdf["Content-Type"] == "application/pdf" and pdf.content.startswith(b"%PDF")
    csv = trainer.get(f"/exercises/{code}/report.csv?lang=en")
    assert csv["Content-Type"].startswith("text/csv")


def test_a_duplicate_name_and_a_wrong_code_are_refused_on_the_join_page(trainer: Client) -> None:
    from eo152.exercises.models import Player

    en = TEXTS["en"]
    code = _open(trainer)
    _join(code, "Ana", "patrol")
    twice = Client().post(
        "/play?lang=en", {"code": code, "name": "ANA", "role": "patrol", "player_lang": "en"}
    )
    assert twice.status_code == 422
    assert en["ex_refused_name_taken"] in twice.content.decode()
    wrong = Client().post(
        "/play?lang=en", {"code": "ZZZZZZ", "name": "Cy", "role": "patrol", "player_lang": "en"}
    )
    assert wrong.status_code == 422
    assert en["ex_refused_no_such_code"] in wrong.content.decode()
    assert Player.objects.count() == 1
    # The roles offered are the scenario's once the code is known.
    offered = Client().get(f"/play?code={code}&lang=en").content.decode()
    assert "Sergeant" in offered and "Records clerk" not in offered


def test_an_answer_to_a_part_not_out_is_refused_and_stores_nothing(trainer: Client) -> None:
    from eo152.exercises.models import PlayerAnswer

    code = _open(trainer)
    ana = _join(code, "Ana", "patrol")
    trainer.post(f"/exercises/{code}/release?lang=en")
    refused = ana.post(
        f"/play/{code}?lang=en",
        {"inject": "force-used", "pick:police/intervene": "required"},
    )
    assert refused.status_code == 422
    assert TEXTS["en"]["ex_refused_not_released"] in refused.content.decode()
    bad = ana.post(
        f"/play/{code}?lang=en", {"inject": "vans-in-the-lot", "pick:police/intervene": "maybe"}
    )
    assert bad.status_code == 422
    assert PlayerAnswer.objects.count() == 0


def test_a_refused_step_shows_on_the_console(trainer: Client) -> None:
    code = _open(trainer)
    refused = trainer.post(f"/exercises/{code}/skip?lang=es")
    assert refused.status_code == 422
    assert TEXTS["es"]["ex_refused_nothing_to_skip"] in refused.content.decode()
    past = trainer.post(
        f"/exercises/{code}/actions?lang=en",
        {"objective": "cameras", "action": "Train.", "owner": "Training Unit", "due": "2001-01-01"},
    )
    assert past.status_code == 422


def test_a_browser_without_the_players_cookie_is_sent_to_join(trainer: Client) -> None:
    code = _open(trainer)
    response = Client().get(f"/play/{code}?lang=es")
    assert response.status_code == 303
    assert response["Location"] == f"/play?lang=es&code={code}"
    assert Client().get(f"/play/{code}/status.json").status_code == 404


@pytest.mark.parametrize(
    ("role", "allowed"),
    [
        ("officer", False),
        ("intake", False),
        ("supervisor", True),
        ("investigator", False),
        ("monitor", False),
        ("city_attorney", True),
        ("records_clerk", False),
        ("administrator", True),
    ],
)
def test_the_facilitators_pages_are_for_trainers(
    trainer: Client, make_user: Callable[..., Any], role: str, allowed: bool
) -> None:
    code = _open(trainer)
    client = Client()
    client.force_login(make_user(role))
    for address in (
        "/exercises",
        f"/exercises/{code}",
        f"/exercises/{code}/status.json",
        f"/exercises/{code}/hot-wash",
        f"/exercises/{code}/report.csv",
    ):
        assert client.get(address).status_code == (200 if allowed else 403), address
    posted = client.post(f"/exercises/{code}/pause")
    assert posted.status_code == (422 if allowed else 403)
    anonymous = Client().get(f"/exercises/{code}")
    assert anonymous.status_code == 302 and anonymous["Location"].startswith("/sign-in")
