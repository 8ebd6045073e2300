"""The place query: "is this spot City property?" asked by coordinates, by address, or by one
line of text that is either, answered the same way (and refused the same way) whether the CLI,
the API or the places page asked.

A refusal is a :class:`PlaceQueryError` that says what is wrong and where: the API turns it
into a problem document, the CLI into one line and exit status 2, the page into a sentence
in the visitor's language (chosen by ``kind``).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # the places library loads numpy and shapely: only when a query is answered
    from ..places import AddressAnswer, Answer, Registry


@dataclass(eq=False)
class PlaceQueryError(ValueError):
    """A query that cannot be answered as asked.

    ``kind`` is one of ``ambiguous``, ``incomplete``, ``not_a_number``, ``out_of_range``,
    ``empty_address``, ``unreadable_address``; ``status`` the HTTP status it calls for (400 for
    a query badly formed, 422 for one well formed that cannot be a place); ``errors`` the
    fields at fault, each with what is wrong with it.
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


def place_query(
    lat: str | float | None = None, lon: str | float | None = None, address: str | None = None
) -> PlaceQuery:
    """A point (``lat`` and ``lon``) or an ``address``, not both, not neither."""
    if address is not None and (lat is not None or lon is not None):
        raise PlaceQueryError(
            "ambiguous", 400, "Ambiguous lookup", "Give lat and lon, or address, not both."
        )
    if address is not None:
        if not address.strip():
            errors = [("address", "is empty")]
            raise PlaceQueryError(
                "empty_address", 400, "Empty address", "The address is empty.", errors
            )
        return PlaceQuery(address=address)
    missing = [name for name, value in (("lat", lat), ("lon", lon)) if value is None]
    if missing:
        errors = [(name, "is required (or give address)") for name in missing]
        raise PlaceQueryError(
            "incomplete", 400, "Incomplete lookup", "Give lat and lon, or address.", errors
        )
    assert lat is not None and lon is not None
    _require_number(lat, "lat")
    _require_number(lon, "lon")
    return PlaceQuery(point=(lat, lon))


def look_up(registry: Registry, query: PlaceQuery) -> Answer | AddressAnswer:
    """The registry's answer for the query; coordinates off Earth and an address with no
    house number and street are refused (422)."""
    if query.point is not None:
        return _point(registry, *query.point)
    assert query.address is not None
    return _address(registry, query.address)


def look_up_text(registry: Registry, text: str) -> Answer | AddressAnswer:
    """One line of text: two numbers are a point (``39.739, -104.988``), anything else an
    address."""
    from ..places import InvalidCoordinates, parse_point

    try:
        point = parse_point(text)
    except InvalidCoordinates as error:
        raise _out_of_range(error) from None
    if point is not None:
        return registry.lookup(*point)
    return _address(registry, text)


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
