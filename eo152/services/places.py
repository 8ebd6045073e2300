"""The place query: "is this spot City property?" asked by coordinates, by address, or by one
line of text that is either, answered the same way (and refused the same way) whether the CLI,
the API or the places page asked.

A refusal is a :class:`PlaceQueryError` that says what is wrong and where: the API turns it
into a problem document, the CLI into one line and exit status 2, the page into a sentence
in the visitor's language (chosen by ``kind``).

Every answer carries a verdict (:func:`place_verdict`): City property and protected space as
yes, no or unknown, and what the decision engine says of immigration agents staging there
(the order's P1), so the page, the API and the CLI say the same thing.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cache
from typing import TYPE_CHECKING, Any

from .decisions import decide_all

if TYPE_CHECKING:  # the places library loads numpy and shapely: only when a query is answered
    from ..places import AddressAnswer, Answer, Intersection, NameSearch, Registry


@dataclass(eq=False)
class PlaceQueryError(ValueError):
    """A query that cannot be answered as asked.

    ``kind`` is one of ``ambiguous``, ``incomplete``, ``not_a_number``, ``out_of_range``,
    ``empty_address``, ``empty_query``, ``unreadable_address``; ``status`` the HTTP status it
    calls for (400 for a query badly formed, 422 for one well formed that cannot be a place);
    ``errors`` the fields at fault, each with what is wrong with it.
    """

    kind: str
    status: int
    title: str
    message: str
    errors: list[tuple[str, str]] = field(default_factory=list)

    def __str__(self) -> str:
        return self.message


@dataclass(frozen=True)
class PlaceQuery:
    """A point or an address, as asked: read before anything is opened, so a badly formed
    query is refused for what it is whatever state the registry is in."""

    point: tuple[str | float, str | float] | None = None  # as given: messages quote it
    address: str | None = None
    text: str | None = None  # one line read as the places page reads it (``look_up_text``)


def place_query(
    lat: str | float | None = None,
    lon: str | float | None = None,
    address: str | None = None,
    q: str | None = None,
) -> PlaceQuery:
    """A point (``lat`` and ``lon``), an ``address`` or a line of text ``q``: exactly one."""
    given = sum(part is not None for part in (address, q)) + (lat is not None or lon is not None)
    if given > 1:
        raise PlaceQueryError(
            "ambiguous", 400, "Ambiguous lookup", "Give lat and lon, or address, or q: one."
        )
    if q is not None:
        if not q.strip():
            errors = [("q", "is empty")]
            raise PlaceQueryError("empty_query", 400, "Empty query", "The query is empty.", errors)
        return PlaceQuery(text=q)
    if address is not None:
        if not address.strip():
            errors = [("address", "is empty")]
            raise PlaceQueryError(
                "empty_address", 400, "Empty address", "The address is empty.", errors
            )
        return PlaceQuery(address=address)
    missing = [name for name, value in (("lat", lat), ("lon", lon)) if value is None]
    if missing:
        errors = [(name, "is required (or give address, or q)") for name in missing]
        raise PlaceQueryError(
            "incomplete", 400, "Incomplete lookup", "Give lat and lon, or address, or q.", errors
        )
    assert lat is not None and lon is not None
    _require_number(lat, "lat")
    _require_number(lon, "lon")
    return PlaceQuery(point=(lat, lon))


def look_up(
    registry: Registry, query: PlaceQuery
) -> Answer | AddressAnswer | NameSearch | Intersection:
    """The registry's answer for the query; coordinates off Earth and an address with no
    house number and street are refused (422)."""
    if query.point is not None:
        return _point(registry, *query.point)
    if query.text is not None:
        return look_up_text(registry, query.text)
    assert query.address is not None
    return _address(registry, query.address)


def look_up_text(
    registry: Registry, text: str
) -> Answer | AddressAnswer | NameSearch | Intersection:
    """One line of text, read in this order: two numbers are a point (``39.739, -104.988``);
    two streets joined by "/", "&", "and" or "at" an intersection, if the loaded streets
    have them; a house number and a street an address; anything else a place's name. What
    cannot be placed comes back with nothing matched (never silently as another place)."""
    from ..places import InvalidCoordinates, parse_point, split_intersection

    try:
        point = parse_point(text)
    except InvalidCoordinates as error:
        raise _out_of_range(error) from None
    if point is not None:
        return registry.lookup(*point)
    streets = split_intersection(text)
    if streets is not None:
        crossing = registry.intersection(*streets)
        if crossing.problem != "street_not_found":
            return crossing
        named = registry.find_name(text)
        return named if named.matches else crossing
    address = registry.lookup_address(text)
    return address if address.normalized is not None else registry.find_name(text)


def _require_number(value: str | float, name: str) -> None:
    try:
        float(value)
    except ValueError:
        message = f"{name} {value!r} is not a number"
        raise PlaceQueryError(
            "not_a_number", 400, "Not a number", message, [(name, message)]
        ) from None


def _point(registry: Registry, lat: str | float, lon: str | float) -> Answer:
    from ..places import InvalidCoordinates

    try:
        return registry.lookup(lat, lon)
    except InvalidCoordinates as error:
        raise _out_of_range(error) from None


def _out_of_range(error: Exception) -> PlaceQueryError:
    message = str(error)
    name = "lon" if message.startswith("lon") else "lat"
    return PlaceQueryError(
        "out_of_range", 422, "Coordinates out of range", message, [(name, message)]
    )


def _address(registry: Registry, text: str) -> AddressAnswer:
    if not text.strip():
        raise PlaceQueryError(
            "empty_address",
            400,
            "Empty address",
            "The address is empty.",
            [("address", "is empty")],
        )
    found = registry.lookup_address(text)
    if found.normalized is None:
        message = f"cannot read a house number and a street in {text!r}"
        raise PlaceQueryError(
            "unreadable_address", 422, "Unreadable address", message, [("address", message)]
        )
    return found


# -- The verdict: "City property? Protected space?" and what the order says there ----------

#: The answers of a verdict's two questions.
YES, NO, UNKNOWN = "yes", "no", "unknown"
#: The ownerships that make a place City property by the API's definition (docs/places.md).
CITY_HELD = frozenset({"city_owned", "city_controlled"})
#: The defined terms, one per instrument, whose places the law protects as such: the order's
#: protected spaces (P3) and Colorado's courthouses (C.R.S. 13-1-403). Their kinds are read
#: from the policy's definitions, so the list of kinds is written once, in the policy.
PROTECTING_TERMS = (
    ("denver-eo-152", "protected_space"),
    ("colorado-crs-13-1-403", "state_courthouse_environs"),
)
#: The situation the verdict asks the engine about: immigration agents on civil enforcement
#: staging at the place with only an ICE administrative warrant, the case P1 is about.
STAGING = {
    "jurisdiction": "denver",
    "agents": {"agencies": ["ICE_ERO"], "purpose": "civil_immigration"},
    "activities": ["staging"],
    "authority": {"kind": "administrative_warrant", "form": "I-205"},
}
#: The actor and action of the order's staging ban (P1) in a decision.
P1_PAIR = ("federal_agents", "use_city_property")


@dataclass(frozen=True)
class PlaceVerdict:
    """Whether a place is City property and a protected space (``yes``, ``no``, ``unknown``),
    and what the decision engine says of agents staging there (P1).

    ``outcome`` is the engine's outcome for the staging ban, or ``not_applicable`` when a
    fact the place gives ruled it out; ``plain`` is the engine's words for it (``because``
    the facts that ruled it out); ``open_questions`` the open legal questions it turns on.
    """

    city_property: str
    protected_space: str
    outcome: str
    plain: dict[str, str]
    because: tuple[str, ...]
    open_questions: tuple[dict[str, Any], ...]

    def to_dict(self) -> dict[str, str]:
        """The API's ``verdict``."""
        return {"city_property": self.city_property, "protected_space": self.protected_space}


def city_property(ownership: str) -> str:
    if ownership == "unknown":
        return UNKNOWN
    return YES if ownership in CITY_HELD else NO


def protected_space(kind: str) -> str:
    if kind == "unknown":
        return UNKNOWN
    return YES if kind in protected_kinds() else NO


@cache
def protected_kinds() -> frozenset[str]:
    """The place kinds the order or state law protects, read from the policy's terms."""
    import yaml

    from ..contract.locations import LOCATION_KINDS
    from ..rules import DEFAULT_POLICY_DIR
    from ..rules.conditions import Atom, Parser, kleene

    kinds: set[str] = set()
    for folder, term in PROTECTING_TERMS:
        text = (DEFAULT_POLICY_DIR / folder / "definitions.yaml").read_text("utf-8")
        written: dict[str, Any] = yaml.safe_load(text)
        terms: dict[str, tuple[object, Any]] = {n: (None, c) for n, c in written.items()}
        condition = Parser(terms, {}).parse(term)
        for kind in LOCATION_KINDS:

            def truth(atom: Atom, kind: str = kind) -> bool | None:
                # Only the place's kind is known here; every other fact is unknown.
                return kind in atom.values if atom.path == "location.kind" else None

            if kleene(condition, truth):
                kinds.add(kind)
    return frozenset(kinds)


def place_verdict(found: Answer | AddressAnswer | NameSearch | Intersection) -> PlaceVerdict:
    """The verdict for what a query found (all ``unknown`` where nothing was found)."""
    from ..places import Answer

    answer = found if isinstance(found, Answer) else found.answer
    facts = answer.location_facts() if answer else {}
    location = {name: value for name, value in facts.items() if value is not None}
    decision = decide_all({**STAGING, "location": location})
    assert not isinstance(decision, list)
    ownership, kind = facts.get("ownership", UNKNOWN), facts.get("kind", UNKNOWN)
    verdict = (city_property(ownership), protected_space(kind))
    duty = next((d for d in decision.duties if (d.actor, d.action) == P1_PAIR), None)
    if duty is not None:
        return PlaceVerdict(*verdict, duty.outcome, dict(duty.plain), (), duty.open_questions)
    # No rule of the pair spoke: the facts of the place ruled the staging ban out.
    because = tuple(
        reason for n in decision.not_applicable if _is_p1(n.rule) for reason in n.because
    )
    return PlaceVerdict(*verdict, "not_applicable", {}, tuple(dict.fromkeys(because)), ())


def _is_p1(rule_id: str) -> bool:
    return rule_id in _p1_rules()


@cache
def _p1_rules() -> frozenset[str]:
    """The rules that speak to agents using City property (P1's pair)."""
    from ..rules import default_engine

    return frozenset(
        rule.id for rule in default_engine().policy.rules if (rule.actor, rule.action) == P1_PAIR
    )


def answer_dict(found: Answer | AddressAnswer | NameSearch | Intersection) -> dict[str, Any]:
    """What the API and ``eo152 places lookup --json`` answer: the registry's answer with the
    verdict."""
    return found.to_dict() | {"verdict": place_verdict(found).to_dict()}


def point_of_address(address: str) -> tuple[float, float] | None:
    """The point the places layers give an address, or None when no layer carries it (or
    there are no layers to read): what a shared link keeps instead of the typed words."""
    from .. import places  # numpy, shapely: only when an address is given

    try:
        found = places.Registry.current().fill({"address": address}).answer
    except places.StoreError:
        return None
    return (found.lat, found.lon) if found is not None else None
