"""The layer config: what GIS staff may write, and the messages when it is wrong."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from eo152 import places
from eo152.places import LayerConfigError, load_config

from .places_geojson import WriteConfig


def _load(write_config: WriteConfig, *layers: dict[str, Any]) -> list[places.LayerConfig]:
    return load_config(write_config(list(layers)), Path("/shared"))


def test_the_shipped_denver_config_loads(shared_dir: Path) -> None:
    layers = load_config(places.default_config_path(), shared_dir)
    assert [layer.id for layer in layers] == [
        "boundary", "neighborhoods", "parkland", "recreation-centers", "hospitals",
        "osm-civic-center", "downtown-streets",
    ]  # fmt: skip
    assert all(layer.path.exists() for layer in layers)
    assert all(layer.credit for layer in layers)


def test_paths_are_relative_to_the_config_or_to_the_shared_folder(
    write_config: WriteConfig, tmp_path: Path
) -> None:
    local, shared = _load(
        write_config, {"id": "a", "path": "a.geojson"}, {"id": "b", "path": "{shared}/b.csv"}
    )
    assert local.path == tmp_path / "a.geojson" and local.format == "geojson"
    assert shared.path == Path("/shared/b.csv") and shared.format == "csv"


def test_a_field_mapping_and_rules_classify_features(write_config: WriteConfig) -> None:
    (layer,) = _load(write_config, {
        "id": "h", "path": "h.geojson", "kind": "hospital",
        "ownership": {"field": "owner", "values": {"GOVERNMENT - FEDERAL": "federal"},
                      "default": "unknown"},
        "rules": [{"when": {"name": "Denver Health.*"}, "ownership": "health_authority"}],
    })  # fmt: skip
    classify = places._features.classify
    assert classify(layer, {"owner": "GOVERNMENT - FEDERAL", "name": "VA"}) == (
        "hospital",
        "federal",
    )
    assert classify(layer, {"owner": "X", "name": "Denver Health Medical Center"}) == (
        "hospital",
        "health_authority",
    )
    assert classify(layer, {"owner": "PROPRIETARY", "name": "Rose"}) == ("hospital", "unknown")


@pytest.mark.parametrize(
    ("layer", "message"),
    [
        ({"id": "a", "path": "a.geojson", "kind": "parking"}, r"\(a\)\.kind: 'parking' is not"),
        ({"id": "a", "path": "a.geojson", "owner": "x"}, r"\(a\): unknown key 'owner'"),
        ({"id": "A B", "path": "a.geojson"}, r"layers\[0\]: `id` must be lowercase"),
        ({"id": "a"}, r"\(a\): `path` is required"),
        ({"id": "a", "path": "a.txt"}, r"cannot tell the format of a.txt"),
        ({"id": "a", "path": "a.geojson", "near_m": -5}, r"\(a\)\.near_m: a distance"),
        ({"id": "a", "path": "a.geojson", "rules": [{"when": {"n": "("}, "kind": "park"}]},
         r"\(a\)\.rules\[0\]\.when\.n: bad pattern"),
        ({"id": "a", "path": "a.csv", "coordinates": {"lon": "x"}}, r"give exactly `x` and `y`"),
        ({"id": "a", "path": "a.geojson", "ownership": {"values": {}}}, r"a mapping needs `field`"),
    ],
)  # fmt: skip
def test_a_bad_layer_is_named_with_its_key(
    write_config: WriteConfig, layer: dict[str, Any], message: str
) -> None:
    with pytest.raises(LayerConfigError, match=message):
        _load(write_config, layer)


def test_ids_are_unique_and_there_is_one_boundary(write_config: WriteConfig) -> None:
    with pytest.raises(LayerConfigError, match="'a' is used twice"):
        _load(write_config, {"id": "a", "path": "a.geojson"}, {"id": "a", "path": "b.geojson"})
    with pytest.raises(LayerConfigError, match="only one layer may have role: boundary"):
        _load(
            write_config,
            {"id": "a", "path": "a.geojson", "role": "boundary"},
            {"id": "b", "path": "b.geojson", "role": "boundary"},
        )


def test_a_config_that_is_not_yaml_or_has_no_layers(tmp_path: Path) -> None:
    path = tmp_path / "layers.yaml"
    path.write_text("layers: [unclosed")
    with pytest.raises(LayerConfigError, match="not valid YAML"):
        load_config(path, tmp_path)
    path.write_text("sources: []")
    with pytest.raises(LayerConfigError, match="a `layers` list"):
        load_config(path, tmp_path)
