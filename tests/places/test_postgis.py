"""The registry's answers agree with PostGIS on the real layers (PostgreSQL runs only).

Marked ``db``: ``make test`` runs it again with ``DATABASE_URL`` on PostgreSQL, in a schema
of its own that is dropped afterwards. On SQLite there is no PostGIS to compare with.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from typing import Any

import numpy as np
import psycopg
import pytest
import shapely

from eo152 import places

pytestmark = pytest.mark.db
SAMPLE = 20_000


@pytest.fixture
def postgis() -> Iterator[Any]:
    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith(("postgres://", "postgresql://")):
        pytest.skip("compares with PostGIS: runs when DATABASE_URL is PostgreSQL")
    schema = f"places_test_{uuid.uuid4().hex[:12]}"
    with psycopg.connect(url, autocommit=True) as connection, connection.cursor() as cursor:
        cursor.execute("CREATE EXTENSION IF NOT EXISTS postgis")
        cursor.execute(f"CREATE SCHEMA {schema}")
        try:
            cursor.execute(f"SET search_path TO {schema}, public")
            yield cursor
        finally:
            cursor.execute(f"DROP SCHEMA {schema} CASCADE")


def _load(cursor: Any, registry: places.Registry, lats: np.ndarray, lons: np.ndarray) -> None:
    cursor.execute(
        "CREATE TABLE polygons (place int, geom geometry);"
        "CREATE TABLE near (place int, geog geography, near_m float8);"
        "CREATE TABLE boundary (geom geometry);"
        "CREATE TABLE points (id int, geom geometry, geog geography)"
    )
    start = 0
    for layer in registry.place_layers:
        for feature, wkb in enumerate(shapely.to_wkb(layer.geometries)):
            if layer.is_point[feature]:
                cursor.execute(
                    "INSERT INTO near VALUES (%s, ST_GeomFromWKB(%s, 4326)::geography, %s)",
                    (start + feature, wkb, layer.info.near_m),
                )
            else:
                cursor.execute(
                    "INSERT INTO polygons VALUES (%s, ST_GeomFromWKB(%s, 4326))",
                    (start + feature, wkb),
                )
        start += len(layer)
    assert registry.boundary is not None
    (wkb,) = shapely.to_wkb(registry.boundary.geometries)
    cursor.execute("INSERT INTO boundary VALUES (ST_GeomFromWKB(%s, 4326))", (wkb,))
    with cursor.copy("COPY points (id, geom) FROM STDIN") as copy:
        for i, (lon, lat) in enumerate(zip(lons.tolist(), lats.tolist(), strict=True)):
            copy.write_row((i, f"SRID=4326;POINT({lon!r} {lat!r})"))
    cursor.execute(
        "UPDATE points SET geog = geom::geography;"
        "CREATE INDEX ON points USING gist (geom); CREATE INDEX ON points USING gist (geog)"
    )


def test_lookup_many_finds_what_st_contains_and_st_dwithin_find(
    postgis: Any, denver: places.Registry
) -> None:
    rng = np.random.default_rng(5)
    lats = np.concatenate([rng.uniform(39.61, 39.92, SAMPLE), rng.uniform(39.735, 39.742, 2000)])
    lons = np.concatenate(
        [rng.uniform(-105.11, -104.60, SAMPLE), rng.uniform(-104.995, -104.982, 2000)]
    )
    _load(postgis, denver, lats, lons)
    postgis.execute(
        "SELECT p.id, f.place FROM polygons f JOIN points p ON ST_Contains(f.geom, p.geom) "
        "UNION ALL "
        "SELECT p.id, n.place FROM near n JOIN points p ON ST_DWithin(n.geog, p.geog, n.near_m)"
    )
    expected = sorted(postgis.fetchall())
    postgis.execute("SELECT p.id FROM boundary b JOIN points p ON ST_Contains(b.geom, p.geom)")
    inside = sorted(row[0] for row in postgis.fetchall())
    columns = denver.lookup_many(lats, lons)
    found = sorted(zip(columns.match_point.tolist(), columns.match_place.tolist(), strict=True))
    assert found == expected
    assert np.flatnonzero(columns.inside_city == 1).tolist() == inside
    assert len(expected) > 500  # the sample really lands on places
