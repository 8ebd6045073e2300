"""GIS files: a copy of a real Denver layer (GeoJSON, CSV, the Douglas County Shapefile)
changed in one place, with bytes flipped, or cut short, imports or fails that layer with an
error naming it, never another exception; an imported layer answers lookups.

The shared files are only read: each example writes its copy under ``tmp_path``.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from eo152 import places
from eo152.config import Settings
from tests.conftest import SHARED

from .budget import examples
from .mutations import damaged, mutated

DENVER = SHARED / "data" / "denver"
SCHOOLS = DENVER / "douglas_county_schools_shapefile"
_CONFIG = yaml.safe_load(places.default_config_path().read_text("utf-8"))
LAYERS = {layer["id"]: layer for layer in _CONFIG["layers"]}
HOSPITALS = LAYERS["hospitals"]
RECREATION = LAYERS["recreation-centers"]
SCHOOL_LAYER = {
    "id": "schools",
    "path": "{shared}/Schools.shp",
    "fields": {"id": "OBJECTID", "name": "Name", "address": "PropertyAd"},
    "kind": "school",
    "ownership": "school_district",
    "near_m": 80,
}
HOSPITAL_TREE = json.loads((DENVER / "hospitals.geojson").read_text("utf-8"))


def _file_name(layer: dict[str, Any]) -> str:
    return str(layer["path"]).removeprefix("{shared}/")


def _import(folder: Path, layer: dict[str, Any], files: dict[str, bytes]) -> None:
    """Write ``files`` into a fresh ``folder``, import ``layer`` from it, and check the report."""
    shutil.rmtree(folder, ignore_errors=True)
    (folder / "shared").mkdir(parents=True)
    for name, data in files.items():
        (folder / "shared" / name).write_bytes(data)
    config = folder / "layers.yaml"
    config.write_text(json.dumps({"layers": [layer]}), "utf-8")
    data_dir = folder / "data"
    settings_ = Settings(data_dir=data_dir, database_url=f"sqlite:///{data_dir}/db.sqlite3")
    (report,) = places.import_config(config, settings_, force=True, shared_dir=folder / "shared")
    assert report.status in ("imported", "failed"), report
    if report.status == "failed":
        assert (report.error or "").startswith(f"layer {layer['id']}"), report.error
        return
    for problem in report.problems:
        assert problem.feature.strip() and problem.reason.strip(), problem
    # The layer as stored is readable and answers, inside its area or not.
    registry = places.Registry.default(settings_)
    registry.lookup(39.7392, -104.9903)


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    return tmp_path / "layer"


@settings(max_examples=examples(30))
@given(mutated([HOSPITAL_TREE]))
def test_a_geojson_layer_changed_in_one_place_imports_or_fails_naming_the_layer(
    folder: Path, document: Any
) -> None:
    _import(folder, HOSPITALS, {_file_name(HOSPITALS): json.dumps(document).encode()})


@settings(max_examples=examples(30))
@given(damaged((DENVER / "hospitals.geojson").read_bytes()))
def test_a_damaged_geojson_layer_imports_or_fails_naming_the_layer(
    folder: Path, data: bytes
) -> None:
    _import(folder, HOSPITALS, {_file_name(HOSPITALS): data})


@settings(max_examples=examples(30))
@given(damaged((DENVER / _file_name(RECREATION)).read_bytes()))
def test_a_damaged_csv_layer_imports_or_fails_naming_the_layer(folder: Path, data: bytes) -> None:
    _import(folder, RECREATION, {_file_name(RECREATION): data})


SCHOOL_FILES = {part.name: part.read_bytes() for part in sorted(SCHOOLS.glob("Schools.*"))}


@st.composite
def damaged_shapefile(draw: st.DrawFn) -> dict[str, bytes]:
    """The Shapefile's parts with one of them (.shp, .shx, .dbf, .prj or .cpg) damaged."""
    name = draw(st.sampled_from(sorted(n for n in SCHOOL_FILES if not n.endswith(".xml"))))
    return {**SCHOOL_FILES, name: draw(damaged(SCHOOL_FILES[name]))}


@settings(max_examples=examples(40))
@given(damaged_shapefile())
def test_a_damaged_shapefile_imports_or_fails_naming_the_layer(
    folder: Path, files: dict[str, bytes]
) -> None:
    _import(folder, SCHOOL_LAYER, files)
