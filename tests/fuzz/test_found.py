"""The defects the fuzz suite found, each kept as a test named for it."""

from __future__ import annotations

from pathlib import Path

import pytest

from eo152.rules import InvalidSituation, PolicyError
from eo152.rules import _yaml as policy_yaml
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


@pytest.mark.parametrize(
    ("text", "line", "problem"),
    [
        ("a: 1\nb: x\x06y\n", 2, "not valid YAML: character #x0006 is not allowed"),
        ("a: 1\nfrom: 2025-02-30\n", 2, "not a valid value: day is out of range for month"),
        (
            "a: !!python/name:os.system x\n",
            1,
            "not a valid value: could not determine a constructor",
        ),
    ],
    ids=["control character", "impossible date", "unknown tag"],
)
def test_a_policy_file_with_a_control_character_a_bad_date_or_an_unknown_tag_names_the_line(
    tmp_path: Path, text: str, line: int, problem: str
) -> None:
    # Each escaped the YAML reader as a bare ReaderError, ValueError or ConstructorError.
    path = tmp_path / "rules.yaml"
    path.write_text(text)
    with pytest.raises(PolicyError) as refused:
        policy_yaml.load(path, "policies/x/rules.yaml")
    ((where, what),) = refused.value.problems
    assert (where.file, where.line) == ("policies/x/rules.yaml", line)
    assert what.startswith(problem)
