"""The defects the fuzz suite found, each kept as a test named for it."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from django.test import Client

from eo152 import places
from eo152.config import Settings
from eo152.ledger import BadDocument, Ledger, LedgerSettings, MemoryStore, initialize, verify_bundle
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


def test_a_feature_with_an_empty_geometry_is_rejected_not_a_crash(tmp_path: Path) -> None:
    # An empty Point or Polygon (no coordinates) raised IndexError while its position was
    # checked, so the whole import stopped with a traceback.
    empty = {"type": "Feature", "properties": {"name": "Nowhere"},
             "geometry": {"type": "Point", "coordinates": []}}  # fmt: skip
    good = {"type": "Feature", "properties": {"name": "Civic Center"},
            "geometry": {"type": "Point", "coordinates": [-104.9877, 39.739]}}  # fmt: skip
    layer = tmp_path / "points.geojson"
    layer.write_text(json.dumps({"type": "FeatureCollection", "features": [empty, good]}))
    config = tmp_path / "layers.yaml"
    config.write_text(json.dumps({"layers": [{"id": "points", "path": str(layer)}]}))
    data_dir = tmp_path / "data"
    settings = Settings(data_dir=data_dir, database_url=f"sqlite:///{data_dir}/db.sqlite3")
    (report,) = places.import_config(config, settings)
    assert (report.status, report.loaded, report.rejected) == ("imported", 1, 1)
    (problem,) = report.problems
    assert (problem.feature, problem.action) == ("feature 0", "rejected")
    assert "empty" in problem.reason


def test_a_bundle_whose_heads_file_is_not_utf8_is_refused_as_a_bad_document(
    tmp_path: Path,
) -> None:
    # A byte that is not UTF-8 in heads.jsonl escaped verify_bundle as a UnicodeDecodeError.
    settings = LedgerSettings(tmp_path / "data", "memory: the store is given")
    store = MemoryStore()
    initialize(settings, origin="eo152.test/fuzz", log_store=store)
    ledger = Ledger.open(settings, store)
    ledger.export(tmp_path / "bundle", with_files=False, actor="records-1")
    key = ledger.signer.verifier
    ledger.close()
    heads = tmp_path / "bundle" / "heads.jsonl"
    heads.write_bytes(b"\xfb" + heads.read_bytes()[1:])
    with pytest.raises(BadDocument, match=r"line 1 of .*heads\.jsonl is not a tree head"):
        verify_bundle(tmp_path / "bundle", key)


def test_a_shared_link_with_a_character_that_is_not_ascii_gets_a_400_page(
    collected_static: None,
) -> None:
    # base64 refuses such a character with a ValueError the page did not expect: a 500.
    response = Client(raise_request_exception=False).get("/decision", {"s": "\x80"})
    assert response.status_code == 400
    assert response["Content-Type"].startswith("text/html")
