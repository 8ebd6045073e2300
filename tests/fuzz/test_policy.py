"""Policy YAML: a copy of a policy folder with one file changed in one place, or damaged,
loads or raises ``PolicyError`` whose every problem names the file and line and says what
is wrong, never another exception."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from eo152.rules import PolicyError, load_policy
from eo152.rules import _yaml as policy_yaml
from eo152.rules.policy import DEFAULT_POLICY_DIR

from .budget import examples
from .mutations import damaged, mutated

#: The shared definitions and the order itself: a policy on its own, loaded in a fifth of the
#: time of the whole (loading is what each example costs).
INSTRUMENT = "denver-eo-152"
LOADED = ["definitions.yaml", *(f"{INSTRUMENT}/{name}" for name in
          ("definitions.yaml", "instrument.yaml", "questions.yaml", "rules.yaml"))]  # fmt: skip
ALL_FILES = sorted(DEFAULT_POLICY_DIR.rglob("*.yaml"))


def _copy(target: Path) -> Path:
    """A fresh policy folder under ``target`` (each example starts from a good one)."""
    root = target / "policies"
    shutil.rmtree(root, ignore_errors=True)
    (root / INSTRUMENT).mkdir(parents=True)
    for name in LOADED:
        shutil.copy(DEFAULT_POLICY_DIR / name, root / name)
    return root


def _loaded_or_refused(root: Path) -> None:
    try:
        load_policy(root)
    except PolicyError as error:
        assert error.problems, "a refusal names at least one problem"
        for where, what in error.problems:
            assert where.file.startswith("policies/") and where.file.endswith(".yaml"), where
            assert where.line >= 0 and what.strip(), (where, what)


def _tree(name: str) -> Any:
    return yaml.safe_load((DEFAULT_POLICY_DIR / name).read_text("utf-8"))


TREES = {name: _tree(name) for name in LOADED}


@st.composite
def changed_file(draw: st.DrawFn) -> tuple[str, Any]:
    name = draw(st.sampled_from(LOADED))
    return name, draw(mutated([TREES[name]]))


@settings(max_examples=examples(25))
@given(changed_file())
def test_a_policy_file_changed_in_one_place_loads_or_names_file_and_line(
    tmp_path: Path, change: tuple[str, Any]
) -> None:
    name, tree = change
    root = _copy(tmp_path)
    (root / name).write_text(yaml.safe_dump(tree, allow_unicode=True), "utf-8")
    _loaded_or_refused(root)


@settings(max_examples=examples(15))
@given(st.sampled_from(LOADED).flatmap(
    lambda name: st.tuples(st.just(name), damaged((DEFAULT_POLICY_DIR / name).read_bytes()))))  # fmt: skip
def test_a_damaged_policy_file_loads_or_names_file_and_line(
    tmp_path: Path, change: tuple[str, bytes]
) -> None:
    name, data = change
    root = _copy(tmp_path)
    (root / name).write_bytes(data)
    _loaded_or_refused(root)


@settings(max_examples=examples(150))
@given(st.sampled_from(ALL_FILES).flatmap(lambda path: damaged(path.read_bytes())))
def test_the_yaml_reader_reads_any_damaged_file_or_names_file_and_line(
    tmp_path: Path, data: bytes
) -> None:
    path = tmp_path / "policy.yaml"
    path.write_bytes(data)
    try:
        policy_yaml.load(path, "policies/policy.yaml")
    except PolicyError as error:
        for where, what in error.problems:
            assert where.file == "policies/policy.yaml" and what.strip(), (where, what)
