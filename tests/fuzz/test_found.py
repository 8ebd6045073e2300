"""The defects the fuzz suite found, each kept as a test named for it."""

from __future__ import annotations

import pytest

from eo152.rules import InvalidSituation
from eo152.services.decisions import decide_all, parse_json


@pytest.mark.parametrize(
    ("body", "path"),
    [(b'{"": 1}', '""'), (b'{" ": 1}', '" "'), (b'{"location": {"": 1}}', 'location.""')],
)
def test_an_unknown_field_with_a_blank_name_is_named_in_quotes(body: bytes, path: str) -> None:
    # It was reported at the path "" (or "location."), which says nowhere.
    with pytest.raises(InvalidSituation) as refused:
        decide_all(parse_json(body))
    (error,) = refused.value.errors
    assert error.path == path and error.message.startswith("unknown field")
