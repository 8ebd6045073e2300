"""Places queries: coordinates, addresses and one line of text, as the service, the API and
the places page read them. Any query is answered or refused with ``PlaceQueryError`` (a kind,
a 400 or 422, a message); over HTTP, never a 5xx."""

from __future__ import annotations

from urllib.parse import quote, urlencode

import pytest
from django.test import Client
from hypothesis import given, settings
from hypothesis import strategies as st

from eo152 import places
from eo152.config import Settings
from eo152.services.places import PlaceQueryError, look_up, look_up_text, place_query

from .budget import examples

KINDS = {
    "ambiguous",
    "incomplete",
    "not_a_number",
    "out_of_range",
    "empty_address",
    "unreadable_address",
}

#: Numbers as people and programs write them, and text that is almost a number.
NUMBERS = st.one_of(
    st.floats().map(repr),
    st.floats(-200, 200).map(lambda f: f"{f:.6f}"),
    st.integers().map(str),
    # Arabic-Indic digits: float() reads them as 39.7.
    st.sampled_from(
        ["nan", "-inf", "1e999", "1_000", " 39.7 ", "39,7", "0x10", "\u0663\u0669.\u0667", ""]
    ),
    st.text(max_size=20),
)
ADDRESSES = st.one_of(
    st.text(max_size=80),
    st.builds(
        lambda number, street, suffix: f"{number} {street} {suffix}",
        st.integers(-10, 10**12),
        st.sampled_from(["Bannock", "Colfax", "N Broadway", "Ñandú", "", "#$%"]),
        st.sampled_from(["St", "Ave", "Street, Denver, CO 80202", "Apt 5", ""]),
    ),
)
LINES = st.one_of(
    ADDRESSES,
    st.builds(
        lambda a, sep, b: f"{a}{sep}{b}", NUMBERS, st.sampled_from([",", " ", ", ", ";"]), NUMBERS
    ),
)


@pytest.fixture
def registry(denver_data: Settings) -> places.Registry:
    return places.Registry.current()


def _refused_as_documented(error: PlaceQueryError) -> None:
    assert error.kind in KINDS and error.status in (400, 422), error
    assert str(error).strip(), error


@settings(max_examples=examples(120))
@given(
    lat=st.none() | NUMBERS,
    lon=st.none() | NUMBERS,
    address=st.none() | ADDRESSES,
)
def test_any_point_or_address_is_answered_or_refused(
    registry: places.Registry, lat: str | None, lon: str | None, address: str | None
) -> None:
    try:
        look_up(registry, place_query(lat, lon, address))
    except PlaceQueryError as error:
        _refused_as_documented(error)


@settings(max_examples=examples(120))
@given(LINES)
def test_any_line_of_text_is_answered_or_refused(registry: places.Registry, text: str) -> None:
    try:
        look_up_text(registry, text)
    except PlaceQueryError as error:
        _refused_as_documented(error)


#: Query strings as a client may send them: repeated, unknown, empty and badly escaped
#: parameters, besides well-formed ones.
QUERY_STRINGS = st.one_of(
    st.lists(
        st.tuples(
            st.sampled_from(["lat", "lon", "address", "q", "lang", ""]) | st.text(max_size=8),
            NUMBERS | ADDRESSES,
        ),
        max_size=5,
    ).map(urlencode),
    st.text(max_size=120).map(lambda text: quote(text, safe="=&%+;")),
    st.binary(max_size=80).map(lambda raw: quote(raw, safe="=&%")),
)


@settings(max_examples=examples(80))
@given(QUERY_STRINGS)
def test_the_lookup_api_answers_any_query_string_without_a_server_error(
    registry: places.Registry, query: str
) -> None:
    response = Client(raise_request_exception=False).get(f"/api/v1/places/lookup?{query}")
    assert response.status_code in (200, 400, 422), (response.status_code, query)
    expected = "application/json" if response.status_code == 200 else "application/problem+json"
    assert response["Content-Type"].startswith(expected)


@settings(max_examples=examples(40))
@given(QUERY_STRINGS)
def test_the_places_page_answers_any_query_string_without_a_server_error(
    registry: places.Registry, collected_static: None, query: str
) -> None:
    response = Client(raise_request_exception=False).get(f"/places?{query}")
    assert response.status_code in (200, 400, 422), (response.status_code, query)
    assert response["Content-Type"].startswith("text/html")
