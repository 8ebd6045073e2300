"""Places asked by name and intersections asked by their two streets, on the real Denver
layers: names with accents and cut-short words, and the City's own intersection addresses
(``geocoded_block_and_intersection_addresses_2015.geojson``) placed on the downtown streets."""

from __future__ import annotations

import csv
import json
import math
from pathlib import Path

import pytest

from eo152 import places
from eo152.config import Settings
from eo152.places._names import NameIndex, fold
from eo152.places._streets import street_key

from .places_geojson import WriteConfig


@pytest.mark.parametrize(
    ("asked", "name"),
    [
        ("denver health", "Denver Health Medical Center"),
        ("DENVER HEALTH", "Denver Health Medical Center"),
        ("civic cent", "Civic Center Park"),
        ("Parque La Raza", "La Raza Park"),
        ("la raza", "La Raza Park"),
        ("Denver Públic Líbrary", "Denver Public Library"),
    ],
)
def test_a_name_finds_its_place(denver: places.Registry, asked: str, name: str) -> None:
    found = denver.find_name(asked)
    assert found.settled
    assert found.matches[0].name == name
    assert found.answer is not None and found.answer.place is not None
    assert found.answer.place.name == name


def test_an_ambiguous_name_offers_a_short_list_and_answers_nowhere(
    denver: places.Registry,
) -> None:
    found = denver.find_name("recreation center")
    assert not found.settled and found.answer is None
    assert 2 <= len(found.matches) <= 8
    assert all("recreation center" in m.name.lower() for m in found.matches)


def test_a_name_no_layer_has_finds_nothing(denver: places.Registry) -> None:
    found = denver.find_name("Coors Field")
    assert (found.matches, found.settled, found.answer) == ((), False, None)
    assert found.to_dict()["ownership"] == "unknown"


def test_names_are_folded_without_accents_case_or_generic_spanish_words() -> None:
    assert fold("Parque de La Raza") == ("park", "la", "raza")
    assert fold("ÉL Centro Cívico") == ("el", "center", "civico")
    index = NameIndex(["Civic Center Park", "Montbello Civic Center Park", "Civic Center"])
    ranked = [entry for _, entry in index.find("civic center")]
    assert ranked == [2, 0, 1]  # the whole name, then names that begin with it, shortest first


def test_street_names_read_alike_in_the_citys_and_openstreetmaps_spelling() -> None:
    assert street_key("E 11TH AVE") == street_key("East 11th Avenue")
    city, osm = street_key("N LINCOLN ST"), street_key("Lincoln Street")
    assert city is not None and osm is not None
    assert (city.direction, city.name, city.kind) == ("n", "lincoln", "st")
    assert (osm.direction, osm.name, osm.kind) == ("", "lincoln", "st")


@pytest.mark.parametrize(
    "asked",
    ["E Colfax Ave / N Lincoln St", "E COLFAX AVE & N LINCOLN ST", "Colfax and Lincoln",
     "East Colfax Avenue at Lincoln Street"],
)  # fmt: skip
def test_an_intersection_is_placed_where_the_streets_cross(
    denver: places.Registry, asked: str
) -> None:
    streets = places.split_intersection(asked)
    assert streets is not None
    found = denver.intersection(*streets)
    assert found.problem is None
    assert found.found == (("East Colfax Avenue",), ("Lincoln Street",))
    lat, lon = found.crossings[0]
    assert abs(lat - 39.74007) < 0.0002 and abs(lon - (-104.98613)) < 0.0002


def test_the_citys_intersection_addresses_land_where_the_city_geocoded_them(
    denver: places.Registry, shared_dir: Path
) -> None:
    """Every intersection of the City's file whose two streets the downtown layer has is
    placed within 30 m of the City's own point; the others say why they cannot be placed."""
    path = shared_dir / "geocoded_block_and_intersection_addresses_2015.geojson"
    features = json.loads(path.read_text(encoding="utf-8"))["features"]
    placed, problems = [], set()
    for feature in features:
        streets = places.split_intersection(feature["properties"]["address"])
        if streets is None:
            continue  # a block address ("300 BLOCK S WASHINGTON ST")
        found = denver.intersection(*streets)
        if found.problem is not None:
            assert found.answer is None and not found.crossings
            problems.add(found.problem)
            continue
        lon, lat = feature["geometry"]["coordinates"]
        mine_lat, mine_lon = found.crossings[0]
        placed.append(math.hypot((mine_lat - lat) * 111_000, (mine_lon - lon) * 85_500))
    assert len(placed) >= 90, "downtown intersections of the City's file are placed"
    assert max(placed) < 30
    assert problems == {"street_not_found", "streets_do_not_meet"}


def test_an_intersection_with_a_street_no_layer_has_says_so(denver: places.Registry) -> None:
    found = denver.intersection("E 11th Ave", "N Lincoln St")  # south of the downtown streets
    assert found.problem == "street_not_found"
    assert found.found == ((), ("Lincoln Street",))
    assert found.to_dict()["intersection"]["problem"] == "street_not_found"


def test_streets_that_never_meet_say_so(denver: places.Registry) -> None:
    found = denver.intersection("Lincoln St", "Grant St")  # parallel streets
    assert (found.problem, found.answer) == ("streets_do_not_meet", None)


def test_without_a_street_layer_an_intersection_cannot_be_placed() -> None:
    found = places.Registry([]).intersection("E Colfax Ave", "N Lincoln St")
    assert found.problem == "no_street_layer"


def test_a_street_layer_takes_lines_and_rejects_points(
    write_config: WriteConfig, settings: Settings, tmp_path: Path
) -> None:
    path = tmp_path / "streets.geojson"
    line = {"type": "LineString", "coordinates": [[-104.99, 39.74], [-104.98, 39.74]]}
    point = {"type": "Point", "coordinates": [-104.99, 39.74]}
    features = [
        {"type": "Feature", "geometry": g, "properties": {"name": n}}
        for g, n in ((line, "East 14th Avenue"), (point, "A point"))
    ]
    path.write_text(json.dumps({"type": "FeatureCollection", "features": features}))
    config = write_config(
        [{"id": "streets", "role": "street", "path": str(path), "fields": {"name": "name"}}]
    )
    (report,) = places.import_config(config, settings)
    assert (report.loaded, report.rejected) == (1, 1)
    assert "the street layer takes lines only" in report.problems[0].reason
    registry = places.Registry.default(settings)
    assert registry.lookup(39.74, -104.985).places == ()  # a street layer is never a place
    assert registry.intersection("E 14th Ave", "Broadway").problem == "street_not_found"


CITY_WIDE = ["E 11TH AVE / N LINCOLN ST", "N DOWNING ST / E 31ST AVE", "W 13TH AVE / N ZUNI ST"]


def test_a_city_wide_street_layer_an_operator_loads_places_intersections_anywhere(
    write_config: WriteConfig, settings: Settings, tmp_path: Path, shared_dir: Path
) -> None:
    """A street layer of the operator's own, city-wide: here each street of the City's address
    points (real names, ``address_points_sample.csv``) drawn straight through its points.
    The City's own intersection addresses outside downtown are then placed near the City's
    points (within the width of a block: the lines are straightened, not surveyed)."""
    with (shared_dir / "address_points_sample.csv").open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    geocoded = shared_dir / "geocoded_block_and_intersection_addresses_2015.geojson"
    expected = {
        f["properties"]["address"]: f["geometry"]["coordinates"]
        for f in json.loads(geocoded.read_text(encoding="utf-8"))["features"]
        if f["properties"]["address"] in CITY_WIDE
    }
    wanted = {street for address in CITY_WIDE for street in address.split(" / ")}
    names = {row["STREET"] for row in rows if row["STREET"].upper() in wanted}
    assert len(names) == len(wanted)
    features = [_straight_street(name, rows) for name in sorted(names)]
    path = tmp_path / "city-streets.geojson"
    path.write_text(json.dumps({"type": "FeatureCollection", "features": features}))
    config = write_config(
        [{"id": "city-streets", "role": "street", "path": str(path), "fields": {"name": "name"}}]
    )
    places.import_config(config, settings)
    registry = places.Registry.default(settings)
    for address in CITY_WIDE:
        streets = places.split_intersection(address)
        assert streets is not None
        found = registry.intersection(*streets)
        assert found.problem is None, address
        lon, lat = expected[address]
        mine_lat, mine_lon = found.crossings[0]
        assert math.hypot((mine_lat - lat) * 111_000, (mine_lon - lon) * 85_500) < 80, address


def _straight_street(name: str, rows: list[dict[str, str]]) -> dict[str, object]:
    """A street as one straight line along its address points, 150 m past each end."""
    points = [(float(r["LONGITUDE"]), float(r["LATITUDE"])) for r in rows if r["STREET"] == name]
    assert len(points) >= 10, name
    xs, ys = sorted(x for x, _ in points), sorted(y for _, y in points)
    east_west = (xs[-1] - xs[0]) * 85_500 > (ys[-1] - ys[0]) * 111_000
    if east_west:
        y, pad = ys[len(ys) // 2], 150 / 85_500
        line = [[xs[0] - pad, y], [xs[-1] + pad, y]]
    else:
        x, pad = xs[len(xs) // 2], 150 / 111_000
        line = [[x, ys[0] - pad], [x, ys[-1] + pad]]
    geometry = {"type": "LineString", "coordinates": line}
    return {"type": "Feature", "geometry": geometry, "properties": {"name": name}}
