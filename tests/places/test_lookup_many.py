"""The batch lookup agrees with the single lookup and with a plain shapely check."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest
import shapely
from hypothesis import given, settings
from hypothesis import strategies as st

from eo152 import places

DENVER_BOX = (-105.11, 39.61, -104.60, 39.92)
DOWNTOWN_BOX = (-104.995, 39.735, -104.982, 39.742)  # dense: Civic Center, OSM and parks


def _points(
    box: tuple[float, float, float, float], count: int, seed: int
) -> tuple[np.ndarray, np.ndarray]:
    rng = np.random.default_rng(seed)
    return rng.uniform(box[1], box[3], count), rng.uniform(box[0], box[2], count)


def test_lookup_many_gives_the_same_answers_as_lookup(denver: places.Registry) -> None:
    for box, seed in ((DENVER_BOX, 1), (DOWNTOWN_BOX, 2)):
        lats, lons = _points(box, 3000, seed)
        batch = denver.answers(lats, lons)
        single = [denver.lookup(lat, lon) for lat, lon in zip(lats, lons, strict=True)]
        assert [a.to_dict() for a in batch] == [a.to_dict() for a in single]


def test_a_batch_cut_into_chunks_answers_as_one(
    denver: places.Registry, monkeypatch: pytest.MonkeyPatch
) -> None:
    lats, lons = _points(DOWNTOWN_BOX, 5000, 5)
    whole = denver.lookup_many(lats, lons)
    monkeypatch.setattr("eo152.places._batch._CHUNK", 777)
    chunked = denver.lookup_many(lats, lons)
    for name in ("inside_city", "ownership", "kind", "place", "match_point", "match_place"):
        assert getattr(chunked, name).tolist() == getattr(whole, name).tolist(), name


def test_lookup_many_columns_match_the_answers(denver: places.Registry) -> None:
    lats, lons = _points(DOWNTOWN_BOX, 2000, 3)
    columns = denver.lookup_many(lats, lons)
    answers = denver.answers(lats, lons)
    assert len(columns) == 2000
    assert columns.ownership_names().tolist() == [a.ownership for a in answers]
    assert columns.kind_names().tolist() == [a.kind for a in answers]
    assert columns.inside_city.tolist() == [int(a.inside_city or 0) for a in answers]
    ids = [denver.places.ids[i] if i >= 0 else None for i in columns.place.tolist()]
    assert ids == [a.place.id if a.place else None for a in answers]
    assert columns.place.dtype == np.int32 and columns.ownership.dtype == np.uint8


def test_polygon_matches_agree_with_a_naive_shapely_loop(
    denver: places.Registry, shared_dir: Path
) -> None:
    document = json.loads((shared_dir / "parkland.geojson").read_text())
    parks = [shapely.geometry.shape(f["geometry"]) for f in document["features"]]
    names = [f["properties"]["OBJECTID"] for f in document["features"]]
    lats, lons = _points((-105.06, 39.66, -104.88, 39.80), 4000, 4)
    columns = denver.lookup_many(lats, lons)
    found = {
        (point, denver.places.ids[place])
        for point, place in zip(columns.match_point.tolist(), columns.match_place.tolist(),
                                strict=True)
        if denver.places.ids[place].startswith("parkland/")
    }  # fmt: skip
    expected = {
        (i, f"parkland/{names[j]}")
        for j, park in enumerate(parks)
        for i in np.flatnonzero(shapely.contains_xy(park, lons, lats)).tolist()
    }
    assert found == expected
    assert len(expected) > 100  # the sample really lands in parks


@settings(max_examples=60, deadline=None)
@given(
    lat=st.floats(39.60, 39.93, allow_nan=False),
    lon=st.floats(-105.12, -104.59, allow_nan=False),
)
def test_inside_city_agrees_with_the_boundary_polygon(
    denver: places.Registry, shared_dir: Path, lat: float, lon: float
) -> None:
    boundary = _boundary(shared_dir)
    expected = bool(shapely.contains_xy(boundary, lon, lat))
    assert denver.lookup(lat, lon).inside_city is expected
    assert denver.lookup_many([lat], [lon]).inside_city.tolist() == [int(expected)]


_BOUNDARIES: dict[Path, shapely.Geometry] = {}


def _boundary(shared_dir: Path) -> shapely.Geometry:
    if shared_dir not in _BOUNDARIES:
        document = json.loads((shared_dir / "boundary.geojson").read_text())
        _BOUNDARIES[shared_dir] = shapely.geometry.shape(document["features"][0]["geometry"])
    return _BOUNDARIES[shared_dir]


def test_an_empty_batch_and_an_empty_registry(denver: places.Registry) -> None:
    assert len(denver.lookup_many([], [])) == 0
    empty = places.Registry([])
    columns = empty.lookup_many([39.7], [-104.9])
    assert columns.inside_city.tolist() == [-1]
    assert columns.ownership_names().tolist() == ["unknown"]
    answer = empty.lookup(39.7, -104.9)
    assert (answer.inside_city, answer.ownership, answer.kind) == (None, "unknown", "unknown")


def test_a_near_point_is_matched_within_its_distance_only(denver: places.Registry) -> None:
    # Denver Health's point, and 100 m (the hospitals layer's near_m) north and then 110 m.
    lat, lon = 39.728201, -104.990975
    per_metre = 1 / 111_000
    near = denver.lookup(lat + 95 * per_metre, lon)
    far = denver.lookup(lat + 110 * per_metre, lon)
    (hospital,) = [p for p in near.places if p.kind == "hospital"]
    assert 90 < hospital.distance_m < 100 and hospital.precision == "near_point"
    assert "hospital" not in {p.kind for p in far.places}
