"""The field guide's path with Django's client: start, one question per page, check your
answers, the answer; "Don't know" stays unknown; follow-ups only when called for."""

from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

import pytest
from django.test import Client

from eo152.rules import decide
from eo152.web.flow import SCENARIOS, TILES, WHO, read_progress
from eo152.web.flow_answers import DONT_KNOW, QUESTIONS
from eo152.web.permalink import unpack
from eo152.web.texts import TEXTS


def _walk(
    scenario: str, choose: dict[str, str], lang: str = "en", who: str = "sergeant"
) -> tuple[str, list[str]]:
    """Tap through the path as a browser without JavaScript would: the start page's tile,
    then each question's button, until the check page; the pages seen and its address."""
    client = Client()
    response = client.get("/", {"lang": lang, "who": who, "what": scenario})
    seen = []
    while response.status_code == 302 and "/check" not in response["Location"]:
        url = response["Location"]
        page = client.get(url)
        assert page.status_code == 200, url
        step = urlsplit(url).path.rsplit("/", 1)[1]
        seen.append(step)
        query = {k: v[-1] for k, v in parse_qs(urlsplit(url).query).items()}
        response = client.get(
            urlsplit(url).path, {**query, "step": step, step: choose.get(step, DONT_KNOW)}
        )
    assert response.status_code == 302, response.content[:400]
    return response["Location"], seen


def _situation_of(check_url: str) -> tuple[dict, str]:
    page = Client().get(check_url).content.decode()
    href = page.split('class="usa-button usa-button--big" href="', 1)[1].split('"', 1)[0]
    query = parse_qs(urlsplit(href.replace("&amp;", "&")).query)
    return unpack(query["s"][0]), query["role"][0]


@pytest.mark.parametrize("scenario", list(SCENARIOS))
def test_every_scenario_reaches_a_decision_with_the_person_asking(scenario: str) -> None:
    first = {step: next(iter(QUESTIONS[step].answers)) for step in QUESTIONS}
    check_url, seen = _walk(scenario, first)
    assert 2 <= len(set(seen) & set(SCENARIOS[scenario].questions)) <= 5
    situation, role = _situation_of(check_url)
    assert role == "sergeant"
    answer = Client().get("/decision", {"lang": "en", "s": _packed(check_url), "role": role})
    assert answer.status_code == 200
    assert decide(situation).duties, "the answer says what the law asks"


def _packed(check_url: str) -> str:
    page = Client().get(check_url).content.decode()
    href = page.split('class="usa-button usa-button--big" href="', 1)[1].split('"', 1)[0]
    return parse_qs(urlsplit(href.replace("&amp;", "&")).query)["s"][0]


@pytest.mark.parametrize("scenario", list(SCENARIOS))
def test_dont_know_everywhere_is_accepted_and_leaves_the_facts_unknown(scenario: str) -> None:
    check_url, seen = _walk(scenario, {})
    assert seen == list(SCENARIOS[scenario].questions), "no follow-up without its answer"
    situation, _ = _situation_of(check_url)
    progress = read_progress("en", scenario, {})
    assert progress is not None
    assert situation == progress.situation(), "only what the tile itself says is known"
    for step in seen:
        for facts in QUESTIONS[step].answers.values():
            for path in facts:
                top = path.split(".")[0].removesuffix("[]")
                tile_paths = {p.split(".")[0].removesuffix("[]") for p in SCENARIOS[scenario].facts}
                if top not in tile_paths:
                    assert top not in situation, f"{path} answered 'Don't know' became a value"


def test_the_sergeants_staging_answer_is_that_ice_may_not_stage_on_an_i205() -> None:
    check_url, seen = _walk("staging", {"place": "city_lot", "paper": "ice_form"})
    assert seen == ["place", "paper"]
    situation, _ = _situation_of(check_url)
    duty = decide(situation).duty("federal_agents", "use_city_property")
    assert duty is not None and duty.outcome == "prohibited"


def test_the_shooting_answer_requires_aid_and_intervention() -> None:
    check_url, _ = _walk(
        "force", {"force": "gun", "hurt": "badly", "ongoing": "yes", "police": "recording"}
    )
    situation, _ = _situation_of(check_url)
    decision = decide(situation)
    for action in ("intervene", "render_aid", "record_body_camera"):
        duty = decision.duty("police", action)
        assert duty is not None and duty.outcome == "required", action


def test_a_follow_up_is_asked_only_when_its_answer_calls_for_it() -> None:
    _, seen = _walk("force", {"force": "neck"})
    assert "restrained" in seen
    _, seen = _walk("force", {"force": "gun"})
    assert "restrained" not in seen
    check_url, _ = _walk("force", {"force": "neck", "restrained": "yes"})
    situation, _ = _situation_of(check_url)
    assert situation["force"] == {"kind": "neck_restraint", "excessive": True}


def test_a_follow_up_answered_on_the_same_page_is_kept() -> None:
    """With JavaScript the follow-up is revealed in place and sent with its parent."""
    response = Client().get(
        "/guide/force/force",
        {"lang": "en", "who": "officer", "step": "force", "force": "strikes", "restrained": "yes"},
    )
    assert response.status_code == 302
    assert "/guide/force/hurt?" in response["Location"]
    assert "restrained=yes" in response["Location"]


def test_a_changed_answer_drops_the_follow_up_it_no_longer_calls_for() -> None:
    progress = read_progress("en", "force", {"force": "gun", "restrained": "yes"})
    assert progress is not None and "restrained" not in progress.answers
    assert "excessive" not in progress.situation()["force"]


def test_a_question_sent_without_an_answer_is_summarised_as_an_error() -> None:
    response = Client().get(
        "/guide/staging/place", {"lang": "es", "who": "officer", "step": "place"}
    )
    assert response.status_code == 422
    page = response.content.decode()
    assert 'id="error-summary"' in page and 'href="#place-city_lot"' in page
    assert "Elija una respuesta, o No sé" in page
    assert 'id="place-city_lot"' in page


def test_the_start_page_summarises_a_missing_choice() -> None:
    response = Client().get("/", {"lang": "en", "what": "staging"})
    assert response.status_code == 422
    page = response.content.decode()
    assert 'href="#who-officer"' in page and "Choose who you are" in page


def test_the_start_page_offers_every_person_and_tile_with_the_law_a_tap_away() -> None:
    page = Client().get("/", {"lang": "es"}).content.decode()
    for person in WHO:
        assert f'id="who-{person}"' in page
    for tile in TILES:
        assert f'value="{tile}"' in page
    assert "¿Quién es usted?" in page and "¿Qué está pasando?" in page
    assert 'href="/decision?lang=es&amp;s=' in page


def test_a_resident_goes_to_the_residents_page_and_something_else_to_all_questions() -> None:
    assert (
        Client().get("/", {"lang": "es", "who": "resident", "what": "force"})["Location"]
        == "/resident?lang=es"
    )
    assert (
        Client().get("/", {"lang": "en", "who": "officer", "what": "other"})["Location"]
        == "/all?lang=en"
    )


def test_the_residents_page_says_whom_to_call_in_both_languages() -> None:
    english = Client().get("/resident", {"lang": "en"}).content.decode()
    spanish = Client().get("/resident", {"lang": "es"}).content.decode()
    assert (
        "Call 911 if someone is hurt." in english and "Office of the Independent Monitor" in english
    )
    assert "Llame al 911 si alguien está herido." in spanish
    assert "immigration status" in english and "estatus migratorio" in spanish


@pytest.mark.parametrize("url", ["/", "/resident", "/all", "/guide/staging/place?who=officer"])
@pytest.mark.parametrize("lang", ["en", "es"])
def test_every_page_says_what_the_order_is(url: str, lang: str) -> None:
    page = Client().get(url, {"lang": lang}).content.decode()
    sentence = {
        "en": "Executive Order 152 is a Denver order",
        "es": "La Orden Ejecutiva 152 es una orden de Denver",
    }
    assert sentence[lang] in page


def test_old_links_of_the_form_reach_all_questions() -> None:
    response = Client().get("/", {"lang": "es", "s": "e30"})
    assert response.status_code == 302 and response["Location"] == "/all?lang=es&s=e30"
    assert Client().post("/", {"lang": "en", "surge": "true"}).status_code == 303


def test_check_your_answers_has_a_change_link_for_each_answer() -> None:
    check_url, _ = _walk("staging", {"place": "library", "paper": "judge"}, lang="es")
    page = Client().get(check_url).content.decode()
    assert "Revise sus respuestas" in page
    assert page.count(">Cambiar<") == 3
    assert "/guide/staging/paper?lang=es&amp;who=sergeant&amp;place=library&amp;paper=judge" in page


def test_every_question_of_the_guide_is_a_question_in_both_languages() -> None:
    for step in QUESTIONS:
        english, spanish = TEXTS["en"][f"flow_q_{step}"], TEXTS["es"][f"flow_q_{step}"]
        assert english.endswith("?"), english
        assert spanish.startswith("¿") and spanish.endswith("?"), spanish
