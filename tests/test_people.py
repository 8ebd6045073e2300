"""The people of CONTRACT.md's "People, actors and accounts" (eo152/contract/people.py)."""

from eo152.contract.actions import ACTIONS
from eo152.contract.people import PEOPLE
from eo152.contract.vocabulary import LABELS, LANGUAGES


def test_every_person_acts_for_actors_of_the_contract() -> None:
    for person in PEOPLE:
        assert set(person.actors) <= set(ACTIONS), person.id


def test_every_person_has_words_in_every_language() -> None:
    for person in PEOPLE:
        assert all(LABELS[person.id].get(lang) for lang in LANGUAGES), person.id


def test_the_contract_table_maps_people_to_their_actors() -> None:
    # CONTRACT.md: officers, sergeants and dispatchers act on police duties; a records clerk
    # on City agencies' (share_data); a resident on no one's.
    actors = {person.id: person.actors for person in PEOPLE}
    assert actors["sergeant"] == ("police",)
    assert actors["records_clerk"] == ("city_agencies",)
    assert actors["resident"] == ()
