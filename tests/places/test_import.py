"""Importing layers: formats, CRSs, reports, and a store that is never half-written."""

from __future__ import annotations

import shutil
from pathlib import Path

import pyproj
import pytest

from eo152 import places
from eo152.config import Settings

from .places_geojson import WriteConfig, feature_collection, point_feature, polygon_feature

SQUARE = [(-104.99, 39.73), (-104.98, 39.73), (-104.98, 39.74), (-104.99, 39.74), (-104.99, 39.73)]


def _import(config: Path, settings: Settings, **options: bool) -> places.LayerReport:
    (report,) = places.import_config(config, settings, **options)
    return report


def test_the_default_layers_report_what_was_loaded(denver_settings: Settings) -> None:
    reports = places.import_config(places.default_config_path(), denver_settings)
    counts = {r.layer: (r.status, r.loaded, r.excluded) for r in reports}
    assert counts == {
        "boundary": ("unchanged", 1, 0),
        "neighborhoods": ("unchanged", 78, 0),
        "parkland": ("unchanged", 370, 0),
        "recreation-centers": ("unchanged", 37, 0),
        "hospitals": ("unchanged", 14, 0),
        "osm-civic-center": ("unchanged", 36, 0),
        "downtown-streets": ("unchanged", 631, 0),
    }


def test_a_changed_file_is_imported_again(
    tmp_path: Path, settings: Settings, write_config: WriteConfig
) -> None:
    data = tmp_path / "lots.geojson"
    data.write_text(feature_collection([polygon_feature(SQUARE, name="Lot A")]))
    config = write_config([{"id": "lots", "path": str(data), "fields": {"name": "name"}}])
    assert _import(config, settings).status == "imported"
    assert _import(config, settings).status == "unchanged"
    assert _import(config, settings, force=True).status == "imported"
    data.write_text(feature_collection([polygon_feature(SQUARE, name="Lot B")]))
    assert _import(config, settings).status == "imported"
    assert places.Registry.default(settings).lookup(39.735, -104.985).places[0].name == "Lot B"


def test_the_real_douglas_county_shapefile_imports_with_its_prj(
    shared_dir: Path, settings: Settings, write_config: WriteConfig
) -> None:
    config = write_config([{
        "id": "schools", "path": str(shared_dir / "douglas_county_schools_shapefile/Schools.shp"),
        "fields": {"id": "OBJECTID", "name": "Name", "address": "PropertyAd"},
        "kind": "school", "ownership": "school_district", "near_m": 80,
    }])  # fmt: skip
    report = _import(config, settings)
    assert (report.status, report.loaded, report.rejected) == ("imported", 105, 0)
    registry = places.Registry.default(settings)
    school = registry.places.place(0, 0.0, 0)
    x, y = registry.places.anchor(0)
    answer = registry.lookup(y, x)
    assert (answer.kind, answer.ownership, answer.inside_city) == (
        "school",
        "school_district",
        None,
    )
    assert answer.places[0].name == school.name


def test_a_shapefile_in_state_plane_feet_is_reprojected(
    tmp_path: Path, settings: Settings, write_config: WriteConfig
) -> None:
    import shapefile

    to_feet = pyproj.Transformer.from_crs("EPSG:4326", "EPSG:2232", always_xy=True)
    ring = [to_feet.transform(x, y) for x, y in SQUARE]
    path = tmp_path / "lots.shp"
    with shapefile.Writer(str(path), shapeType=shapefile.POLYGON) as writer:
        writer.field("NAME", "C", 40)
        writer.poly([ring[::-1]])  # Shapefile outer rings run clockwise
        writer.record("Lot in feet")
    path.with_suffix(".prj").write_text(pyproj.CRS.from_epsg(2232).to_wkt("WKT1_ESRI"))
    config = write_config([{"id": "lots", "path": str(path), "fields": {"name": "NAME"},
                            "kind": "parking_lot", "ownership": "city_owned"}])  # fmt: skip
    assert _import(config, settings).loaded == 1
    answer = places.Registry.default(settings).lookup(39.735, -104.985)
    assert (answer.kind, answer.ownership) == ("parking_lot", "city_owned")
    assert places.Registry.default(settings).lookup(39.745, -104.985).places == ()


def test_a_csv_in_state_plane_feet_with_a_configured_crs(
    tmp_path: Path, settings: Settings, write_config: WriteConfig
) -> None:
    x, y = pyproj.Transformer.from_crs("EPSG:4326", "EPSG:2232", always_xy=True).transform(
        -104.9877, 39.7390
    )
    path = tmp_path / "kiosks.csv"
    path.write_text(f"NAME,X,Y\nKiosk,{x},{y}\n")
    config = write_config([{"id": "kiosks", "path": str(path), "crs": "EPSG:2232",
                            "coordinates": {"x": "X", "y": "Y"}, "fields": {"name": "NAME"},
                            "near_m": 25}])  # fmt: skip
    assert _import(config, settings).loaded == 1
    (place,) = places.Registry.default(settings).lookup(39.7391, -104.9877).places
    assert place.name == "Kiosk" and place.precision == "near_point"
    assert 10 < place.distance_m < 12  # 0.0001 degree of latitude is 11.1 m


def test_a_geojson_with_a_legacy_crs_member_is_read_in_that_crs(
    tmp_path: Path, settings: Settings, write_config: WriteConfig
) -> None:
    x, y = pyproj.Transformer.from_crs("EPSG:4326", "EPSG:26913", always_xy=True).transform(
        -104.9877, 39.7390
    )
    path = tmp_path / "utm.geojson"
    path.write_text(feature_collection([point_feature(x, y, name="Bench")], crs="EPSG:26913"))
    config = write_config([{"id": "benches", "path": str(path), "fields": {"name": "name"}}])
    assert _import(config, settings).loaded == 1
    assert places.Registry.default(settings).lookup(39.7390, -104.9877).places[0].name == "Bench"


def test_a_failed_import_keeps_the_layer_already_loaded(
    tmp_path: Path, settings: Settings, write_config: WriteConfig
) -> None:
    data = tmp_path / "lots.geojson"
    data.write_text(feature_collection([polygon_feature(SQUARE, name="Lot A")]))
    config = write_config([{"id": "lots", "path": str(data), "fields": {"name": "name"}}])
    _import(config, settings)
    data.write_text(feature_collection([polygon_feature(SQUARE, name="Lot B")])[:-30])
    report = _import(config, settings)
    assert report.status == "failed" and "lots" in (report.error or "")
    assert places.Registry.default(settings).lookup(39.735, -104.985).places[0].name == "Lot A"
    assert [p.name for p in places.store_dir(settings.data_dir).iterdir()] == ["lots.npz"]


def test_one_failing_layer_does_not_stop_the_others(
    tmp_path: Path, settings: Settings, write_config: WriteConfig
) -> None:
    good = tmp_path / "good.geojson"
    good.write_text(feature_collection([polygon_feature(SQUARE, name="Lot")]))
    config = write_config([
        {"id": "missing", "path": str(tmp_path / "nowhere.geojson")},
        {"id": "good", "path": str(good)},
    ])  # fmt: skip
    reports = places.import_config(config, settings)
    assert [r.status for r in reports] == ["failed", "imported"]
    assert "file not found" in (reports[0].error or "")


def test_a_layer_can_be_removed(denver_settings: Settings, tmp_path: Path) -> None:
    copy = tmp_path / "store"
    shutil.copytree(places.store_dir(denver_settings.data_dir), copy)
    assert places.remove_layer(copy, "hospitals")
    assert not places.remove_layer(copy, "hospitals")
    assert not places.remove_layer(copy, "../store/parkland")
    assert "hospitals" not in {layer.id for layer in places.Registry.open(copy).layers}


def test_a_damaged_layer_file_names_itself(settings: Settings) -> None:
    store = places.store_dir(settings.data_dir)
    store.mkdir(parents=True)
    (store / "broken.npz").write_bytes(b"not a zip file")
    with pytest.raises(places.StoreError, match=r"broken\.npz.*import it again"):
        places.Registry.default(settings)


def test_progress_is_reported_up_to_every_feature_of_each_layer(
    shared_dir: Path, settings: Settings
) -> None:
    seen: dict[str, tuple[int, int]] = {}

    def progress(layer: str, done: int, total: int) -> None:
        assert 0 <= done <= total
        seen[layer] = (done, total)

    places.import_config(places.default_config_path(), settings, progress=progress)
    assert seen["hospitals"] == (16, 16)  # 2 closed hospitals are excluded, still counted
    assert seen["parkland"] == (370, 370)


def test_the_current_registry_is_kept_until_a_layer_changes(
    tmp_path: Path, settings: Settings, write_config: WriteConfig
) -> None:
    data = tmp_path / "lots.geojson"
    data.write_text(feature_collection([polygon_feature(SQUARE, name="Lot A")]))
    config = write_config([{"id": "lots", "path": str(data), "fields": {"name": "name"}}])
    _import(config, settings)
    first = places.Registry.current(settings)
    assert places.Registry.current(settings) is first
    data.write_text(feature_collection([polygon_feature(SQUARE, name="Lot B")]))
    _import(config, settings)
    second = places.Registry.current(settings)
    assert second is not first
    assert second.lookup(39.735, -104.985).places[0].name == "Lot B"


def test_a_second_boundary_layer_is_refused(
    tmp_path: Path, settings: Settings, write_config: WriteConfig
) -> None:
    data = tmp_path / "limits.geojson"
    data.write_text(feature_collection([polygon_feature(SQUARE, name="Limits")]))
    first = write_config([{"id": "limits", "path": str(data), "role": "boundary"}])
    assert _import(first, settings).status == "imported"
    assert _import(first, settings, force=True).status == "imported"  # the same layer again
    second = write_config([{"id": "other-limits", "path": str(data), "role": "boundary"}])
    report = _import(second, settings)
    assert report.status == "failed"
    assert "already has a boundary layer (limits)" in (report.error or "")
