"""The same bad place query gets the same refusal from the CLI and the API, because both ask
``eo152.services.places`` (the page shows the same refusal in the visitor's language)."""

from __future__ import annotations

import json

import pytest
from django.test import Client
from typer.testing import CliRunner

from eo152.cli import app
from eo152.config import Settings
from eo152.services.places import PlaceQueryError, place_query


@pytest.mark.parametrize(
    ("lat", "lon", "address", "message"),
    [
        ("abc", "-104.98", None, "lat 'abc' is not a number"),
        ("95", "-104.98", None, "lat '95' is out of range (-90 to 90)"),
        (None, None, "Bannock", "cannot read a house number and a street in 'Bannock'"),
    ],
)
def test_the_cli_and_the_api_refuse_a_bad_place_query_in_the_same_words(
    denver_data: Settings, lat: str | None, lon: str | None, address: str | None, message: str
) -> None:
    asked = {k: v for k, v in (("lat", lat), ("lon", lon), ("address", address)) if v}
    problem = Client().get("/api/v1/places/lookup", asked).json()
    assert problem["detail"] == message
    arguments = ["--address", address] if address else [lat, lon]
    env = {"EO152_DATA_DIR": str(denver_data.data_dir)}
    result = CliRunner(env=env).invoke(app, ["places", "lookup", *arguments])
    assert result.exit_code == 2
    assert message in " ".join(result.stderr.split())


@pytest.mark.parametrize(
    ("asked", "kind", "status"),
    [
        ({"lat": "39.7", "address": "x"}, "ambiguous", 400),
        ({"lat": "39.7"}, "incomplete", 400),
        ({"address": "  "}, "empty_address", 400),
        ({"lat": "north", "lon": "-104.9"}, "not_a_number", 400),
    ],
)
def test_a_badly_formed_query_is_refused_before_the_registry_is_opened(
    asked: dict[str, str], kind: str, status: int
) -> None:
    with pytest.raises(PlaceQueryError) as refused:
        place_query(asked.get("lat"), asked.get("lon"), asked.get("address"))
    assert (refused.value.kind, refused.value.status) == (kind, status)


def test_the_cli_and_the_api_describe_the_policy_from_one_document(denver_data: Settings) -> None:
    served = Client().get("/api/v1/policy").json()["instruments"]
    result = CliRunner().invoke(app, ["policy", "show", "--json"])
    assert result.exit_code == 0, result.output
    printed = json.loads(result.stdout)
    assert [i["id"] for i in printed] == [i["id"] for i in served]
    for full, summary in zip(printed, served, strict=True):
        assert {key: full[key] for key in summary} == summary
        assert full["sections"] and "rules" in full


@pytest.mark.parametrize(
    "body", ['{"surge": NaN}', '{"surge": Infinity}', '{"surge": tru}', '\xff{"surge": true}']
)
def test_a_body_that_is_not_json_gets_the_same_words_from_the_cli_and_the_api(body: str) -> None:
    raw = body.encode("latin-1")
    answer = Client().post("/api/v1/decisions", raw, content_type="application/json")
    assert answer.status_code == 400
    detail = answer.json()["detail"]
    result = CliRunner().invoke(app, ["decide", "-"], input=raw)
    assert result.exit_code == 2
    assert f"(input): {detail}" in " ".join(result.stderr.split())


def test_a_shared_link_that_is_not_json_gets_the_same_words_on_the_page() -> None:
    import base64

    packed = base64.urlsafe_b64encode(b'{"surge": NaN}').decode().rstrip("=")
    page = Client().get("/decision", {"s": packed})
    assert page.status_code == 400
    answer = Client().post("/api/v1/decisions", b'{"surge": NaN}', content_type="application/json")
    assert answer.json()["detail"] in page.content.decode()


_DEEP_LIST = b"[" * 1000 + b"]" * 1000
_DEEP_IN_A_FIELD = b'{"location":' + b'{"a":' * 995 + b"1" + b"}" * 996


@pytest.mark.parametrize(
    ("body", "message"),
    [
        (_DEEP_LIST, "arrays and objects nested 1,000 levels deep; the limit is 64"),
        (_DEEP_IN_A_FIELD, "arrays and objects nested 996 levels deep; the limit is 64"),
        (
            b'{"location": {"lat": ' + b"9" * 309 + b"}}",
            "the number 999999999999… (309 characters) is too large; the limit is ±1.8e+308",
        ),
        (
            b'{"id": -' + b"1" * 5000 + b"}",
            "the number -11111111111… (5,001 characters) is too large; the limit is ±1.8e+308",
        ),
        (b'{"location": {"lon": 1e400}}', "the number 1e400 is too large; the limit is ±1.8e+308"),
    ],
    ids=["1000 levels", "996 levels in a field", "309 digits", "5000 digits", "1e400"],
)
def test_json_beyond_the_limits_gets_the_same_words_from_the_cli_the_api_and_a_link(
    body: bytes, message: str
) -> None:
    import base64

    answer = Client().post("/api/v1/decisions", body, content_type="application/json")
    assert answer.status_code == 400
    assert answer.json()["title"] == "JSON beyond the limits"
    assert answer.json()["detail"] == message
    result = CliRunner().invoke(app, ["decide", "-"], input=body)
    assert result.exit_code == 2
    assert f"(input): {message}" in " ".join(result.stderr.split())
    packed = base64.urlsafe_b64encode(body).decode().rstrip("=")
    page = Client().get("/decision", {"s": packed})
    assert page.status_code == 400
    assert message in page.content.decode()
