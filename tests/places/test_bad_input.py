"""Bad input names the layer, the feature or row, and the problem; it never aborts the rest."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from eo152 import places
from eo152.config import Settings

from .places_geojson import WriteConfig, feature_collection, point_feature, polygon_feature

SQUARE = [(-104.99, 39.73), (-104.98, 39.73), (-104.98, 39.74), (-104.99, 39.74), (-104.99, 39.73)]
BOWTIE = [(-104.99, 39.73), (-104.98, 39.74), (-104.98, 39.73), (-104.99, 39.74), (-104.99, 39.73)]


def _one(config: Path, settings: Settings) -> places.LayerReport:
    (report,) = places.import_config(config, settings)
    return report


def _geojson(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "layer.geojson"
    path.write_text(text)
    return path


def test_an_invalid_polygon_is_repaired_with_make_valid_and_reported(
    tmp_path: Path, settings: Settings, write_config: WriteConfig
) -> None:
    path = _geojson(tmp_path, feature_collection([polygon_feature(BOWTIE, name="Bowtie")]))
    report = _one(write_config([{"id": "bows", "path": str(path)}]), settings)
    assert (report.loaded, report.repaired, report.rejected) == (1, 1, 0)
    (problem,) = report.problems
    assert problem.feature == "feature 0" and problem.action == "repaired"
    assert "Self-intersection" in problem.reason
    assert places.Registry.default(settings).lookup(39.735, -104.988).places


def test_coordinates_that_cannot_be_in_the_stated_crs_are_rejected(
    tmp_path: Path, settings: Settings, write_config: WriteConfig
) -> None:
    features = [point_feature(3143000.0, 1695000.0, name="feet"), point_feature(-104.98, 39.73)]
    path = _geojson(tmp_path, feature_collection(features))
    report = _one(write_config([{"id": "mixed", "path": str(path), "crs": "EPSG:4326"}]), settings)
    assert (report.loaded, report.rejected) == (1, 1)
    assert report.problems[0].feature == "feature 0"
    assert "cannot be in EPSG:4326" in report.problems[0].reason


def test_degrees_labelled_as_state_plane_feet_are_rejected(
    tmp_path: Path, settings: Settings, write_config: WriteConfig
) -> None:
    path = tmp_path / "wrong.csv"
    path.write_text("name,x,y\nA,-104.98,39.73\n")
    config = write_config([{"id": "wrong", "path": str(path), "crs": "EPSG:2232",
                            "coordinates": {"x": "x", "y": "y"}}])  # fmt: skip
    report = _one(config, settings)
    assert report.status == "failed"
    assert report.problems[0].feature == "row 2"
    assert "cannot be in EPSG:2232" in report.problems[0].reason


def test_a_field_named_in_the_config_but_missing_from_the_file(
    shared_dir: Path, settings: Settings, write_config: WriteConfig
) -> None:
    config = write_config([{"id": "hospitals", "path": str(shared_dir / "hospitals.geojson"),
                            "fields": {"name": "NAME_OF_HOSPITAL"}}])  # fmt: skip
    report = _one(config, settings)
    assert report.status == "failed"
    assert "layer hospitals: field 'NAME_OF_HOSPITAL'" in (report.error or "")


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        ("", "is empty"),
        ('{"type": "FeatureCollection", "features": [{"type": "Fea', "truncated or not GeoJSON"),
        ('{"type": "Feature"}', "not a FeatureCollection"),
    ],
)
def test_an_empty_or_truncated_geojson_fails_the_layer(
    tmp_path: Path, settings: Settings, write_config: WriteConfig, content: str, expected: str
) -> None:
    path = _geojson(tmp_path, content)
    report = _one(write_config([{"id": "bad", "path": str(path)}]), settings)
    assert report.status == "failed"
    assert expected in (report.error or "") and "layer bad" in (report.error or "")


def test_a_truncated_shapefile_fails_the_layer(
    shared_dir: Path, tmp_path: Path, settings: Settings, write_config: WriteConfig
) -> None:
    source = shared_dir / "douglas_county_schools_shapefile"
    for part in source.iterdir():
        shutil.copy(part, tmp_path / part.name)
    shp = tmp_path / "Schools.shp"
    shp.write_bytes(shp.read_bytes()[:1000])
    report = _one(write_config([{"id": "schools", "path": str(shp)}]), settings)
    assert report.status == "failed"
    assert "layer schools: Schools.shp" in (report.error or "")
    assert not places.store_dir(settings.data_dir).exists()


def test_a_shapefile_without_a_prj_needs_a_crs_in_the_config(
    shared_dir: Path, tmp_path: Path, settings: Settings, write_config: WriteConfig
) -> None:
    for suffix in (".shp", ".shx", ".dbf"):
        shutil.copy(shared_dir / "douglas_county_schools_shapefile" / f"Schools{suffix}", tmp_path)
    report = _one(write_config([{"id": "s", "path": str(tmp_path / "Schools.shp")}]), settings)
    assert report.status == "failed" and "set `crs`" in (report.error or "")


def test_a_csv_with_broken_rows_loads_the_good_ones(
    tmp_path: Path, settings: Settings, write_config: WriteConfig
) -> None:
    path = tmp_path / "centers.csv"
    path.write_text(
        "name,lat,lon\n"
        "Good one,39.7390,-104.9877\n"
        "Too short,39.7\n"
        "Not a number,north,-104.98\n"
        '"Extra",39.7,-104.9,surplus\n'
        "Also good,39.7400,-104.9877\n"
        "Cut off,39.74"
    )
    config = write_config([{"id": "centers", "path": str(path), "crs": "EPSG:4326",
                            "coordinates": {"x": "lon", "y": "lat"},
                            "fields": {"name": "name"}}])  # fmt: skip
    report = _one(config, settings)
    assert (report.loaded, report.rejected) == (2, 4)
    assert [p.feature for p in report.problems] == ["row 3", "row 4", "row 5", "row 7"]
    assert "has 2 fields, the header has 3" in report.problems[0].reason
    assert "'north'" in report.problems[1].reason


def test_lines_are_not_places(
    tmp_path: Path, settings: Settings, write_config: WriteConfig
) -> None:
    coordinates = [[-104.99, 39.73], [-104.98, 39.74]]
    line = {"type": "Feature", "geometry": {"type": "LineString", "coordinates": coordinates}}
    path = _geojson(tmp_path, feature_collection([line, polygon_feature(SQUARE)]))
    report = _one(write_config([{"id": "mixed", "path": str(path)}]), settings)
    assert (report.loaded, report.rejected) == (1, 1)
    assert "LineString is not a place" in report.problems[0].reason


@pytest.mark.parametrize("role", ["boundary", "area"])
def test_a_point_in_a_boundary_or_area_layer_is_rejected(
    tmp_path: Path, settings: Settings, write_config: WriteConfig, role: str
) -> None:
    features = [point_feature(-104.98, 39.73, name="a spot"), polygon_feature(SQUARE, name="x")]
    path = _geojson(tmp_path, feature_collection(features))
    config = write_config([{"id": "zones", "role": role, "path": str(path)}])
    report = _one(config, settings)
    assert (report.loaded, report.rejected) == (1, 1)
    assert f"the {role} layer takes polygons only" in report.problems[0].reason


@pytest.mark.parametrize(
    ("lat", "lon", "message"),
    [
        (91, -104.9, r"lat 91 is out of range"),
        (39.7, -181, r"lon -181 is out of range"),
        ("north", -104.9, r"lat 'north' is not a number"),
        (float("nan"), -104.9, r"lat nan is out of range"),
    ],
)
def test_a_lookup_off_earth_is_refused(
    denver: places.Registry, lat: object, lon: object, message: str
) -> None:
    with pytest.raises(places.InvalidCoordinates, match=message):
        denver.lookup(lat, lon)  # type: ignore[arg-type]


def test_a_batch_names_its_bad_points_by_index(denver: places.Registry) -> None:
    with pytest.raises(places.InvalidCoordinates, match=r"lats\[1\] = 95\.0"):
        denver.lookup_many([39.7, 95, 39.8], [-104.9, -104.9, -104.9])
    with pytest.raises(places.InvalidCoordinates, match="3 values but lons has 2"):
        denver.lookup_many([39.7, 39.7, 39.8], [-104.9, -104.9])
