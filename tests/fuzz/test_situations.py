"""Situation JSON, from bytes to a decision: any input is decided or refused with the
documented ``InvalidSituation`` naming each bad field and what is wrong with it, never
another exception; ``eo152 decide`` exits 0 or 2, never 1 ("internal error")."""

from __future__ import annotations

import base64
import json
from pathlib import Path
from typing import Any

from django.test import Client
from hypothesis import given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from eo152.cli import app
from eo152.rules import InvalidSituation
from eo152.services.decisions import MAX_NESTING, decide_all, parse_json
from eo152.web.permalink import pack
from tests.conftest import SHARED

from .budget import examples
from .mutations import TREES, damaged, mutated

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"


def _situations() -> list[Any]:
    scenarios = json.loads((SHARED / "scenarios" / "denver-eo-152.json").read_text("utf-8"))
    found = [scenario["situation"] for scenario in scenarios]
    found += [json.loads(path.read_text("utf-8")) for path in sorted(EXAMPLES.glob("*.json"))]
    return found


SITUATIONS = _situations()
SITUATION_TEXTS = [json.dumps(s, ensure_ascii=False).encode() for s in SITUATIONS]

#: Deep nesting around a good situation, and numbers far past a double, written as text.
DEEP = st.builds(
    lambda depth, opener, situation: (
        opener * depth + json.dumps(situation) + ("]" if opener == "[" else "}") * depth
    ).encode(),
    st.integers(MAX_NESTING - 2, 5000),
    st.sampled_from(["[", '{"a": ']),
    st.sampled_from(SITUATIONS),
)
HUGE_NUMBERS = st.builds(
    lambda digits, exponent, situation: (
        json.dumps(situation).replace('"at": "', f'"n": {digits}{exponent}, "at": "', 1).encode()
    ),
    st.text("0123456789", min_size=300, max_size=5000).map(lambda d: "9" + d),
    st.sampled_from(["", ".5", "e400", "e-400", "E+99999"]),
    st.sampled_from([s for s in SITUATIONS if "at" in s] or SITUATIONS),
)

BODIES = st.one_of(
    st.binary(max_size=2000),
    st.text(max_size=400).map(str.encode),
    TREES.map(lambda tree: json.dumps(tree).encode()),
    mutated(SITUATIONS).map(lambda s: json.dumps(s, ensure_ascii=False).encode()),
    st.lists(mutated(SITUATIONS), min_size=1, max_size=3).map(lambda b: json.dumps(b).encode()),
    st.sampled_from(SITUATION_TEXTS).flatmap(damaged),
    DEEP,
    HUGE_NUMBERS,
)


def decided_or_refused(body: bytes) -> None:
    """The documented contract: a decision, or InvalidSituation whose every error says where
    (a contract path, ``(input)`` or ``(situation)``) and what."""
    try:
        decide_all(parse_json(body))
    except InvalidSituation as invalid:
        assert invalid.errors, "a refusal names at least one problem"
        for error in invalid.errors:
            assert error.path.strip() and error.message.strip(), error


@settings(max_examples=examples(150))
@given(BODIES)
def test_any_body_is_decided_or_refused_naming_what_and_where(body: bytes) -> None:
    decided_or_refused(body)


@settings(max_examples=examples(60))
@given(mutated(SITUATIONS))
def test_a_scenario_changed_in_one_place_is_decided_or_refused(situation: Any) -> None:
    decided_or_refused(json.dumps(situation, ensure_ascii=False).encode())


@settings(max_examples=examples(40))
@given(
    body=st.one_of(
        st.sampled_from(SITUATION_TEXTS).flatmap(damaged),
        mutated(SITUATIONS).map(lambda s: json.dumps(s, ensure_ascii=False).encode()),
        DEEP,
        HUGE_NUMBERS,
    ),
    output=st.sampled_from([["--json"], [], ["--lang", "es"]]),
)
def test_the_cli_exits_0_or_2_on_any_body_never_internal_error(
    body: bytes, output: list[str]
) -> None:
    result = CliRunner().invoke(app, ["decide", *output, "-"], input=body)
    assert isinstance(result.exception, SystemExit | None), repr(result.exception)
    assert result.exit_code in (0, 2), result.stderr
    if result.exit_code == 2:
        assert "the situation is not valid" in result.stderr, result.stderr


#: What a shared link's ``s`` may hold: a situation packed as the page packs it (changed in one
#: place first), or any text; and any ``role``.
PACKED = st.one_of(
    mutated(SITUATIONS).map(lambda s: pack(s) if isinstance(s, dict) else json.dumps(s)),
    mutated(SITUATIONS).map(
        lambda s: base64.urlsafe_b64encode(json.dumps(s).encode()).decode().rstrip("=")
    ),
    st.text(max_size=60),
)


@settings(max_examples=examples(40))
@given(packed=PACKED, role=st.none() | st.text(max_size=12))
def test_a_shared_link_holding_anything_opens_or_gets_a_4xx_page(
    collected_static: None, packed: str, role: str | None
) -> None:
    query = {"s": packed} if role is None else {"s": packed, "role": role}
    response = Client(raise_request_exception=False).get("/decision", query)
    assert response.status_code in (200, 400, 422), (response.status_code, query)
    assert response["Content-Type"].startswith("text/html")
