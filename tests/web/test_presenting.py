"""The answer page's words, from real decisions of situations written from the law.

None of these situations is a public scenario: each is a case the order or the state law
speaks to (EO 152 P1's staging ban and its warrant exception, P6's duty to give aid, P7's
duty to intervene, P4 and SB25-276 on records), decided by the engine and then presented.
"""

from __future__ import annotations

import re
from typing import Any

import pytest

from eo152.contract.vocabulary import label, phrase
from eo152.services.decisions import decide_all, engine_for, raised_not_applicable
from eo152.web.presenting import Answer, UnknownRole, actors_of, moment, present
from eo152.web.reasons import Lexicon, plain_reasons, reason

POLICY = engine_for(None).policy
ICE = {"agencies": ["ICE_ERO"], "purpose": "civil_immigration"}
#: A dotted fact path or a value code of the contract, as the engine writes them.
RAW = re.compile(r"\b[a-z]+(?:\[\])?\.[a-z_]+\b|\b[a-z]+_[a-z_]+\b")


def _answer(situation: dict[str, Any], lang: str = "en", role: str = "") -> Answer:
    decision = decide_all(situation)
    assert not isinstance(decision, list)
    return present(decision, lang, POLICY, raised_not_applicable(decision), role, "PACKED")


def _says(outcome: str, pair: str, lang: str = "en") -> str:
    """A title as the vocabulary words it: the expected sentences follow its labels."""
    actor = pair.split("/")[0]
    return phrase(f"title_{outcome}", lang, actor=label(actor, lang), action=label(pair, lang))


def _words(key: str, lang: str = "en") -> str:
    words = label(key, lang)
    return words[:1].upper() + words[1:]


def _staging(authority: dict[str, str], **location: str) -> dict[str, Any]:
    return {"agents": ICE, "activities": ["staging"], "authority": authority, "location": location}


def test_staging_on_city_land_with_an_administrative_warrant_is_refused_in_the_heading():
    answer = _answer(
        _staging(
            {"kind": "administrative_warrant", "form": "I-200"}, ownership="city_owned", kind="park"
        )
    )
    assert answer.verdict == (
        _says("prohibited", "federal_agents/use_city_property"),
        f"{_words('authority.kind=administrative_warrant')} is not enough.",
    )
    assert answer.verdict_broken, "the agents are staging: the facts say the ban is broken"
    assert answer.explained[0] == answer.verdict_duty, "Why and the law explains it first"
    assert answer.verdict_duty is not None and "EO 152 P1" in answer.verdict_duty.cites
    sergeant = _answer(
        _staging({"kind": "administrative_warrant"}, ownership="city_owned", kind="park"),
        role="sergeant",
    )
    assert sergeant.verdict_duty not in sergeant.others, "said once, in the heading"
    assert "city_agencies" in {d.actor for d in sergeant.others}
    assert not answer.undecided


def test_the_same_staging_with_a_judges_warrant_is_allowed_and_says_why():
    answer = _answer(
        _staging({"kind": "judicial_warrant"}, ownership="city_owned", kind="recreation_center"),
        "es",
    )
    assert answer.verdict == (
        _says("permitted", "federal_agents/use_city_property", "es"),
        f"{_words('authority.kind=judicial_warrant', 'es')} lo permite.",
    )
    assert not answer.verdict_broken and not answer.broken


def test_staging_where_no_one_knows_whose_lot_it_is_says_so_and_names_the_fact():
    answer = _answer(
        {"agents": ICE, "activities": ["staging"], "location": {"kind": "parking_lot"}}
    )
    assert answer.undecided
    action = label("federal_agents/use_city_property")
    assert answer.verdict == (
        f"It is not settled whether federal agents may {action}.",
        f"It turns on {label('location.ownership')}.",
    )
    found = {link.text: link for link in answer.find_out}
    assert len(answer.find_out) == 3
    link = found[_words("location.ownership")]
    assert link.url.startswith("/all?lang=en&s=PACKED#f-location-ownership")


def test_a_chokehold_going_on_in_front_of_a_deputy_heads_the_page_with_intervene():
    situation = {
        "agents": ICE,
        "activities": ["arrest"],
        "force": {
            "kind": "neck_restraint",
            "could_cause_death_or_serious_bodily_injury": True,
            "ongoing": True,
            "target": "protester",
        },
        "city_personnel": [{"role": "dsd_deputy", "on_duty": True, "present": True}],
    }
    answer = _answer(situation, "en", role="officer")
    assert answer.verdict == (_says("required", "police/intervene"),)
    assert answer.must[0].title == answer.verdict[0]
    spanish = _answer(situation, "es", role="officer")
    assert spanish.verdict == (_says("required", "police/intervene", "es"),)
    assert spanish.verdict[0].startswith("La policía y los ayudantes del sheriff deben ")


def test_a_paramedic_is_shown_their_own_duty_first():
    situation = {
        "agents": ICE,
        "activities": ["arrest"],
        "force": {"kind": "taser", "ongoing": False},
        "injuries": [{"person": "bystander", "severity": "serious"}],
    }
    answer = _answer(situation, role="first_responder")
    assert answer.verdict == (_says("required", "first_responders/render_aid"),)
    assert [d.actor for d in answer.must] == ["first_responders"]
    assert "police" in {d.actor for d in answer.others}, "the others' duties are still there"


def test_a_records_clerk_asked_for_an_address_without_process_must_refuse():
    situation = {
        "agents": ICE,
        "authority": {"kind": "none"},
        "requests": [{"kind": "data", "data_categories": ["address"]}],
    }
    answer = _answer(situation, role="records_clerk")
    assert answer.verdict == (_says("prohibited", "city_agencies/share_data"),)
    assert [d.action for d in answer.must_not] == ["share_data"]
    assert not [d for d in (*answer.must, *answer.must_not) if d.actor != "city_agencies"]


def test_a_situation_the_law_does_not_reach_says_so():
    answer = _answer({})
    assert answer.verdict == ("The law in force says nothing about this situation as described.",)
    assert answer.told == ()


def test_the_staging_ban_falling_away_on_private_land_is_the_verdict_in_words():
    answer = _answer(
        _staging({"kind": "none"}, ownership="private", kind="business"), role="sergeant"
    )
    ban = _says("prohibited", "federal_agents/use_city_property").removesuffix(".")
    said = (
        f"The rule that f{ban[1:]} does not apply here.",
        f"{_words('location.ownership')}: {label('location.ownership=private')}.",
    )
    assert answer.verdict == said
    assert " ".join(said) in answer.not_applicable
    assert answer.verdict_duty is None and not answer.undecided
    spanish = _answer(_staging({"kind": "none"}, ownership="private", kind="business"), "es")
    assert spanish.verdict[0].startswith("La regla de que los agentes federales no deben ")


def test_every_title_is_a_sentence_with_its_actor_and_its_polarity():
    answer = _answer(
        {"agents": ICE, "activities": ["staging"], "location": {"kind": "parking_lot"}}
    )
    duties = (*answer.must, *answer.must_not, *answer.depends, *answer.folded)
    assert duties
    for duty in duties:
        assert duty.title.endswith(".")
        assert label(duty.actor).lower() in duty.title.lower()
        assert re.search(r"\b(must|must not|may)\b", duty.title), duty.title
    profiling = next(d for d in answer.folded if d.action == "racial_profiling")
    assert profiling.title == (
        "Police and sheriff's deputies must not stop or question people because of their race, "
        "ethnic group or where they come from."
    )


def test_undecided_duties_end_their_if_lines_in_a_title_that_agrees_in_spanish():
    situation = {"agents": ICE, "activities": ["arrest"], "location": {"kind": "street"}}
    lines = [line for d in _answer(situation, "es").folded for line in d.if_lines]
    aid = _says("required", "police/render_aid", "es").removesuffix(".")
    assert any(x.endswith(f": l{aid[1:]}.") for x in lines), lines
    assert not any(" debe " in x for x in lines)


def test_what_you_told_us_lists_each_answer_with_a_link_to_its_question():
    situation = {
        **_staging({"kind": "consent"}, ownership="city_owned"),
        "at": "2026-12-02T09:11:00Z",
    }
    told = {link.text: link for link in _answer(situation, "es").told}
    assert told[_words("at", "es")].note == "2 dic 2026, 2:11 a. m. (hora de Denver)"
    assert told[_words("location.ownership", "es")].note == label(
        "location.ownership=city_owned", "es"
    )
    # The change link goes to the question (its first choice), as the form's error summary.
    assert told[_words("authority.kind", "es")].url == (
        "/all?lang=es&s=PACKED#f-authority-kind-judicial-warrant"
    )


@pytest.mark.parametrize(
    ("at", "lang", "shown"),
    [
        ("2026-12-02T09:11:00+00:00", "en", "2 Dec 2026, 2:11 a.m. (Denver time)"),
        ("2026-12-02T09:11:00+00:00", "es", "2 dic 2026, 2:11 a. m. (hora de Denver)"),
        ("2026-07-04T12:05:00-06:00", "en", "4 Jul 2026, 12:05 p.m. (Denver time)"),
        ("2026-01-10T00:30:00-07:00", "es", "10 ene 2026, 12:30 a. m. (hora de Denver)"),
        ("2026-03-10T00:30:00-07:00", "en", "10 Mar 2026, 1:30 a.m. (Denver time)"),  # summer time
    ],
)
def test_moments_are_written_for_people_in_denver_time(at: str, lang: str, shown: str):
    assert moment(at, lang) == shown


def test_a_role_that_is_no_one_is_refused_and_no_role_means_everyone():
    with pytest.raises(UnknownRole, match="'captain' is not one of"):
        actors_of("captain")
    assert actors_of("") == ()
    assert actors_of("sergeant") == ("police",)


@pytest.mark.parametrize("lang", ["en", "es"])
def test_every_form_of_reason_is_put_in_words(lang: str):
    lexicon = Lexicon(POLICY)
    because = [
        "location.ownership = city_owned",
        "activities include staging, arrest",
        "authority.kind = administrative_warrant is not a judicial warrant",
        "authority.kind = judicial_warrant: a judicial warrant",
        "force.excessive not given: presumed true (unless the force is lawful, such as an agent "
        "returning fire at a shooter)",
        "injuries: some",
        "city_personnel: some with role in [dpd_officer, dsd_deputy] and on_duty is true",
        "requests: none with kind is jail_access",
    ]
    reasons = plain_reasons(because, lang, lexicon)
    assert all(r.plain for r in reasons), [r.text for r in reasons if not r.plain]
    assert not [r.text for r in reasons if RAW.search(r.text)]


def test_a_reason_of_an_unknown_form_keeps_english_but_never_a_path():
    shown = reason("location.kind = moon; frobnicated by force.kind", "es", Lexicon(POLICY))
    assert not shown.plain, "marked as English"
    assert "force.kind" not in shown.text and "what force the agents are using" in shown.text
