"""The form's answers become a situation, and a situation refills the form."""

from __future__ import annotations

import pytest

from eo152.web.answers import UnreadableAnswers, answers_from_situation, situation_from_answers


def test_no_answer_at_all_is_a_situation_of_unknowns():
    assert situation_from_answers({}, "en") == {}


def test_dont_know_leaves_the_fact_out_rather_than_saying_no():
    values = {"surge": [""], "force.kind": [""], "agents.agencies": []}
    assert situation_from_answers(values, "en") == {}


def test_yes_and_no_are_true_and_false():
    values = {"surge": ["true"], "protest.present": ["false"]}
    assert situation_from_answers(values, "en") == {"surge": True, "protest": {"present": False}}


def test_none_of_these_is_an_empty_list_not_an_unknown():
    assert situation_from_answers({"activities": ["none"]}, "en") == {"activities": []}


def test_a_list_of_people_is_one_item_from_its_facts():
    values = {"injuries": [""], "injuries[].severity": ["serious"]}
    assert situation_from_answers(values, "en") == {"injuries": [{"severity": "serious"}]}


def test_no_one_injured_is_an_empty_list():
    assert situation_from_answers({"injuries": ["false"]}, "en") == {"injuries": []}


def test_someone_injured_without_details_is_one_item_of_unknowns():
    assert situation_from_answers({"injuries": ["true"]}, "en") == {"injuries": [{}]}


def test_a_local_time_is_denver_time():
    situation = situation_from_answers({"at": ["2026-03-10T14:30"]}, "en")
    assert situation == {"at": "2026-03-10T14:30:00-06:00"}


@pytest.mark.parametrize(("lang", "words"), [("en", "Enter a date"), ("es", "Escriba una fecha")])
def test_a_time_that_is_not_one_is_named_in_the_page_language(lang, words):
    with pytest.raises(UnreadableAnswers) as raised:
        situation_from_answers({"at": ["tomorrow"]}, lang)
    assert raised.value.errors["at"].startswith(words)


def test_a_number_that_is_not_one_is_named():
    with pytest.raises(UnreadableAnswers) as raised:
        situation_from_answers({"location.lat": ["north"]}, "en")
    assert set(raised.value.errors) == {"location.lat"}


def test_a_situation_refills_the_form_it_came_from():
    values = {
        "agents.agencies": ["ICE_ERO", "CBP"],
        "activities": ["none"],
        "authority.kind": ["administrative_warrant"],
        "authority.form": ["I-205"],
        "force.ongoing": ["false"],
        "injuries": ["true"],
        "injuries[].person": ["protester"],
        "at": ["2026-03-10T14:30"],
    }
    situation = situation_from_answers(values, "en")
    assert answers_from_situation(situation) == values


@pytest.mark.parametrize("at", ["9999-12-31T23:00:00-07:00", "0001-01-01T00:00:00+05:00"])
def test_the_first_and_last_days_a_date_holds_can_be_changed_back_in_the_form(at: str) -> None:
    # "Change your answers" on a permalink dated at the edge of time once crashed (a 500).
    answers = answers_from_situation({"at": at})
    assert answers["at"] == [at[:16]]


@pytest.mark.parametrize(
    ("lang", "typed"),
    [
        ("en", "2026-03-10T14:30"),  # what a date picker sends, in either language
        ("es", "2026-03-10T14:30"),
        ("en", "03/10/2026 2:30 PM"),  # typed by hand: month first in English
        ("en", "03/10/2026 14:30"),
        ("es", "10/03/2026 14:30"),  # day first in Spanish
    ],
)
def test_a_date_is_read_as_its_reader_writes_it(lang: str, typed: str) -> None:
    assert situation_from_answers({"at": [typed]}, lang) == {"at": "2026-03-10T14:30:00-06:00"}


def test_a_spanish_date_is_not_read_month_first() -> None:
    # 13/03/2026 is the 13th of March to a Spanish reader and no date at all month first.
    assert situation_from_answers({"at": ["13/03/2026 09:00"]}, "es")["at"].startswith(
        "2026-03-13T09:00"
    )
    with pytest.raises(UnreadableAnswers):
        situation_from_answers({"at": ["13/03/2026 09:00"]}, "en")
