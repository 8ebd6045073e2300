"""Who is asking: the people of CONTRACT.md's "People, actors and accounts".

The field guide asks a reader who they are and shows them the duties of the actors they act
for; an account role, where there is one, is the records apps' business. The words for each
person are in ``vocabulary.yaml`` under ``people``.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Person:
    id: str
    actors: tuple[str, ...]  # whose duties this person is shown, most relevant first


#: The people the field guide serves, in the order the start page offers them.
PEOPLE: tuple[Person, ...] = (
    Person("officer", ("police",)),
    Person("sergeant", ("police",)),
    Person("dispatcher", ("police",)),
    Person("city_employee", ("city_employees", "city_agencies")),
    Person("first_responder", ("first_responders",)),
    Person("records_clerk", ("city_agencies",)),
    Person("resident", ()),
)

PERSON = {person.id: person for person in PEOPLE}
