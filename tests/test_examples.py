"""The README's Python example runs and says what it claims, and every file of ``examples/``
is decided (or, for a readings file, applied) without error."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
EXAMPLES = sorted((ROOT / "examples").iterdir())


def test_the_readme_python_example_gives_what_its_comment_says() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    (code,) = re.findall(r"```python\n(.*?)```", readme, flags=re.S)
    *body, last = code.strip().splitlines()
    expression, _, expected = last.partition("  # ")
    scope: dict[str, object] = {}
    exec("\n".join(body), scope)
    assert repr(eval(expression, scope)) == expected.strip()


@pytest.mark.parametrize("example", [e for e in EXAMPLES if e.suffix == ".json"], ids=str)
def test_every_example_situation_is_decided(example: Path) -> None:
    run = subprocess.run(
        [sys.executable, "-m", "eo152", "decide", "--json", str(example)],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert run.returncode == 0, run.stderr
    assert '"duties"' in run.stdout


@pytest.mark.parametrize("readings", [e for e in EXAMPLES if e.suffix == ".yaml"], ids=str)
def test_every_example_readings_file_applies(readings: Path) -> None:
    situation = next(e for e in EXAMPLES if e.suffix == ".json")
    run = subprocess.run(
        [sys.executable, "-m", "eo152", "decide", "--readings", str(readings), str(situation)],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert run.returncode == 0, run.stderr
