"""Benchmark the places registry against PostGIS and a naive shapely loop, in one run.

    python benchmarks/places.py [--points 1000000] [--postgres URL] [--json]

Imports the default Denver layers into a scratch data folder, draws random points in
Denver's bounding box (seeded), and prints: ``lookup_many`` points per second (the whole
call), single ``lookup`` p50 and p99, the same lookups on PostGIS (``ST_Contains`` and
``ST_DWithin`` on geography, GiST indexes on both sides, big polygons cut with
``ST_Subdivide``, the join driven from the layers, JIT off: the best plan we could find for
it; in a scratch schema that is dropped afterwards),
and a naive loop over prepared shapely geometries on a sample. PostGIS needs Debian's
``postgresql-15-postgis-3`` (``make setup`` installs it); without it that row is skipped and
says why.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import numpy as np
import shapely

from eo152 import places
from eo152.config import Settings
from eo152.places._geo import metres_per_degree

SEED = 152
SINGLE_SAMPLE = 20_000
NAIVE_SAMPLE = 2_000
DEFAULT_POSTGRES = "postgresql://postgres@127.0.0.1:5432/test"


def main() -> None:
    options = _options()
    registry, setup_s = _registry()
    lats, lons = _points(registry, options.points)
    results: dict[str, Any] = {"points": options.points, "import_s": round(setup_s, 2)}
    columns, results["lookup_many"] = _bench_many(registry, lats, lons)
    results["lookup"] = _bench_single(registry, lats, lons)
    results["naive_shapely"] = _bench_naive(registry, lats, lons)
    results["postgis"] = _bench_postgis(registry, lats, lons, columns, options.postgres)
    if options.json:
        print(json.dumps(results, indent=2))
    else:
        _print(results)


def _options() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--points", type=int, default=1_000_000)
    parser.add_argument(
        "--postgres", default=os.environ.get("EO152_BENCH_POSTGRES_URL", DEFAULT_POSTGRES)
    )
    parser.add_argument("--json", action="store_true")
    return parser.parse_args()


def _registry() -> tuple[places.Registry, float]:
    data_dir = Path(tempfile.mkdtemp(prefix="eo152-bench-places-"))
    settings = Settings(data_dir=data_dir, database_url=f"sqlite:///{data_dir / 'eo152.sqlite3'}")
    started = time.perf_counter()
    reports = places.import_config(places.default_config_path(), settings)
    elapsed = time.perf_counter() - started
    failed = [r.error for r in reports if r.status == "failed"]
    if failed:
        sys.exit(f"cannot import the default layers: {failed[0]}")
    return places.Registry.default(settings), elapsed


def _points(registry: places.Registry, count: int) -> tuple[np.ndarray, np.ndarray]:
    assert registry.boundary is not None
    west, south, east, north = shapely.total_bounds(registry.boundary.geometries)
    rng = np.random.default_rng(SEED)
    return rng.uniform(south, north, count), rng.uniform(west, east, count)


def _bench_many(
    registry: places.Registry, lats: np.ndarray, lons: np.ndarray
) -> tuple[places.LookupColumns, dict[str, Any]]:
    registry.lookup_many(lats[:1000], lons[:1000])  # prepares the polygons once
    timings = []
    for _ in range(3):
        started = time.perf_counter()
        columns = registry.lookup_many(lats, lons)
        timings.append(time.perf_counter() - started)
    best = min(timings)
    return columns, {
        "seconds_best": round(best, 3),
        "seconds_median": round(statistics.median(timings), 3),
        "points_per_s": round(lats.size / best),
        "matches": int(columns.match_point.size),
        "inside_city": int((columns.inside_city == 1).sum()),
    }


def _bench_single(registry: places.Registry, lats: np.ndarray, lons: np.ndarray) -> dict[str, Any]:
    sample_lats = lats[:SINGLE_SAMPLE].tolist()
    sample_lons = lons[:SINGLE_SAMPLE].tolist()
    durations = np.empty(len(sample_lats))
    clock = time.perf_counter_ns
    for i, (lat, lon) in enumerate(zip(sample_lats, sample_lons, strict=True)):
        started = clock()
        registry.lookup(lat, lon)
        durations[i] = clock() - started
    return {
        "sample": len(sample_lats),
        "p50_us": round(float(np.percentile(durations, 50)) / 1000, 1),
        "p99_us": round(float(np.percentile(durations, 99)) / 1000, 1),
    }


def _bench_naive(registry: places.Registry, lats: np.ndarray, lons: np.ndarray) -> dict[str, Any]:
    """For each point, every geometry in turn: the loop one would write first."""
    geometries, is_point, near, xs, ys = _flat_layers(registry)
    shapely.prepare(geometries)
    per_lon, per_lat = metres_per_degree(ys)
    sample = min(NAIVE_SAMPLE, lats.size)
    started = time.perf_counter()
    for lat, lon in zip(lats[:sample].tolist(), lons[:sample].tolist(), strict=True):
        for j, geometry in enumerate(geometries):
            if is_point[j]:
                _ = np.hypot((lon - xs[j]) * per_lon[j], (lat - ys[j]) * per_lat[j]) <= near[j]
            else:
                _ = shapely.contains_xy(geometry, lon, lat)
    elapsed = time.perf_counter() - started
    return {"sample": sample, "points_per_s": round(sample / elapsed)}


def _flat_layers(registry: places.Registry) -> tuple[np.ndarray, ...]:
    layers = [*([registry.boundary] if registry.boundary else []), *registry.place_layers]
    geometries = np.concatenate([layer.geometries for layer in layers])
    is_point = np.concatenate([layer.is_point for layer in layers])
    near = np.concatenate([np.full(len(layer), layer.info.near_m) for layer in layers])
    xs = np.concatenate([layer.x for layer in layers])
    ys = np.concatenate([layer.y for layer in layers])
    return geometries, is_point, near, xs, ys


def _bench_postgis(
    registry: places.Registry,
    lats: np.ndarray,
    lons: np.ndarray,
    columns: places.LookupColumns,
    url: str,
) -> dict[str, Any]:
    try:
        import psycopg
    except ImportError:
        return {"skipped": "psycopg is not installed: pip install -e '.[dev]'"}
    try:
        connection = psycopg.connect(url, autocommit=True)
    except psycopg.Error as error:
        return {"skipped": f"cannot connect to {url}: {error}".strip()}
    with connection, connection.cursor() as cursor:
        try:
            cursor.execute("CREATE EXTENSION IF NOT EXISTS postgis")
        except psycopg.Error as error:
            return {"skipped": f"PostGIS is not installed ({error}); run make setup as root"}
        schema = f"bench_places_{os.getpid()}"
        cursor.execute(f"CREATE SCHEMA {schema}")
        try:
            # JIT compilation costs these short queries about a second each; a tuned server
            # would not use it for them, so neither does the benchmark.
            cursor.execute(f"SET search_path TO {schema}, public; SET jit = off")
            return _postgis_run(cursor, registry, lats, lons, columns)
        finally:
            cursor.execute(f"DROP SCHEMA {schema} CASCADE")


def _postgis_run(
    cursor: Any,
    registry: places.Registry,
    lats: np.ndarray,
    lons: np.ndarray,
    columns: places.LookupColumns,
) -> dict[str, Any]:
    _postgis_layers(cursor, registry)
    started = time.perf_counter()
    _postgis_points(cursor, lats, lons)
    load_s = time.perf_counter() - started
    started = time.perf_counter()
    cursor.execute(PAIRS_SQL)
    pairs = np.array(cursor.fetchall(), dtype=np.int64).reshape(-1, 2)
    cursor.execute(INSIDE_SQL)
    inside = np.array(cursor.fetchall(), dtype=np.int64).reshape(-1)
    query_s = time.perf_counter() - started
    ours = columns.match_point.astype(np.int64) * 1_000_000 + columns.match_place
    theirs = pairs[:, 0] * 1_000_000 + pairs[:, 1]
    disagreements = (
        np.setxor1d(ours, theirs).size
        + np.setxor1d(np.flatnonzero(columns.inside_city == 1), inside).size
    )
    return {
        "query_s": round(query_s, 2),
        "load_s": round(load_s, 2),
        "points_per_s": round(lats.size / query_s),
        "disagreements": int(disagreements),
    }


# Big polygons are cut with ST_Subdivide, as PostGIS's own documentation advises for
# point-in-polygon joins; a point on a cut is found in two pieces, hence DISTINCT.
LAYERS_SQL = """
CREATE TABLE polygons AS
  SELECT place, ST_Subdivide(ST_GeomFromWKB(wkb, 4326), 128) AS geom FROM raw_polygons;
CREATE INDEX ON polygons USING gist (geom);
CREATE TABLE boundary AS
  SELECT ST_Subdivide(ST_GeomFromWKB(wkb, 4326), 128) AS geom FROM raw_boundary;
CREATE INDEX ON boundary USING gist (geom);
CREATE TABLE near AS
  SELECT place, ST_GeomFromWKB(wkb, 4326)::geography AS geog, near_m FROM raw_near;
CREATE INDEX ON near USING gist (geog);
ANALYZE polygons; ANALYZE boundary; ANALYZE near;
"""
# The planner would probe the polygons' index once per point; driving the join from the
# polygon pieces (LATERAL ... OFFSET 0 keeps it from being flattened) is ten times faster.
PAIRS_SQL = """
SELECT DISTINCT p.id, f.place FROM polygons f,
  LATERAL (SELECT id FROM points p WHERE ST_Contains(f.geom, p.geom) OFFSET 0) p
UNION ALL
SELECT p.id, n.place FROM near n JOIN points p ON ST_DWithin(n.geog, p.geog, n.near_m)
"""
INSIDE_SQL = "SELECT DISTINCT p.id FROM points p JOIN boundary b ON ST_Contains(b.geom, p.geom)"


def _postgis_layers(cursor: Any, registry: places.Registry) -> None:
    cursor.execute(
        "CREATE TABLE raw_polygons (place int, wkb bytea);"
        "CREATE TABLE raw_near (place int, wkb bytea, near_m float8);"
        "CREATE TABLE raw_boundary (wkb bytea)"
    )
    start = 0
    for layer in registry.place_layers:
        wkb = shapely.to_wkb(layer.geometries)
        for feature in range(len(layer)):
            if layer.is_point[feature]:
                cursor.execute("INSERT INTO raw_near VALUES (%s, %s, %s)",
                               (start + feature, wkb[feature], layer.info.near_m))  # fmt: skip
            else:
                cursor.execute("INSERT INTO raw_polygons VALUES (%s, %s)",
                               (start + feature, wkb[feature]))  # fmt: skip
        start += len(layer)
    assert registry.boundary is not None
    for geometry in registry.boundary.geometries:
        cursor.execute("INSERT INTO raw_boundary VALUES (%s)", (shapely.to_wkb(geometry),))
    cursor.execute(LAYERS_SQL)


def _postgis_points(cursor: Any, lats: np.ndarray, lons: np.ndarray) -> None:
    cursor.execute("CREATE TABLE raw_points (id int, lon float8, lat float8)")
    rows = zip(range(lons.size), lons.tolist(), lats.tolist(), strict=True)
    text = "\n".join(f"{i}\t{lon!r}\t{lat!r}" for i, lon, lat in rows)
    with cursor.copy("COPY raw_points FROM STDIN") as copy:
        copy.write(text)
    cursor.execute(
        "CREATE TABLE points AS SELECT id, ST_SetSRID(ST_MakePoint(lon, lat), 4326) AS geom,"
        " ST_SetSRID(ST_MakePoint(lon, lat), 4326)::geography AS geog FROM raw_points;"
        "CREATE INDEX ON points USING gist (geom); CREATE INDEX ON points USING gist (geog);"
        "ANALYZE points"
    )


def _print(results: dict[str, Any]) -> None:
    many, single = results["lookup_many"], results["lookup"]
    naive, postgis = results["naive_shapely"], results["postgis"]
    print(f"{results['points']:,} random points in Denver's bounding box, all default layers")
    print(
        f"(layers imported in {results['import_s']} s; {many['matches']:,} place matches, "
        f"{many['inside_city']:,} points inside Denver)"
    )
    print(
        f"  lookup_many      {many['points_per_s']:>12,} points/s  "
        f"({many['seconds_best']} s best of 3, median {many['seconds_median']} s)"
    )
    print(
        f"  lookup (single)  p50 {single['p50_us']} us, p99 {single['p99_us']} us "
        f"({single['sample']:,} lookups)"
    )
    if "skipped" in postgis:
        print(f"  PostGIS          skipped: {postgis['skipped']}")
    else:
        print(
            f"  PostGIS          {postgis['points_per_s']:>12,} points/s  "
            f"(query {postgis['query_s']} s, + {postgis['load_s']} s to load the points; "
            f"{postgis['disagreements']} disagreements)  "
            f"lookup_many is {many['points_per_s'] / postgis['points_per_s']:.1f}x"
        )
    print(
        f"  naive shapely    {naive['points_per_s']:>12,} points/s  "
        f"({naive['sample']:,}-point sample)  "
        f"lookup_many is {many['points_per_s'] / naive['points_per_s']:,.0f}x"
    )


if __name__ == "__main__":
    sys.path.insert(0, str(Path(__file__).parent))
    main()
