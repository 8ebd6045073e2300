"""Importing layers into the data folder's store, one layer at a time and atomically.

A layer that fails (file missing, empty or truncated, a field the config names that the file
lacks, no usable CRS, no feature left) leaves the store as it was and the other layers are
still imported. A layer whose config and files have not changed since the last import is
kept as it is, so ``eo152 init`` can run this on every start.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import numpy as np
import pyproj
import shapely

from ..contract.locations import KIND_CODES, KINDS, OWNERSHIP_CODES
from ._config import LayerConfig
from ._errors import LayerConfigError, LayerDataError, PlacesError, StoreError
from ._features import Attributes, Candidate, attributes, shape_problem, source_crs, to_wgs84
from ._geo import metres_per_degree
from ._grid import compile_grid
from ._layer import Layer, LayerInfo
from ._readers import RawFeature, read_source
from ._store import FORMAT_VERSION, layer_paths, read_info, save_layer

Progress = Callable[[str, int, int], None]
"""Called as ``progress(layer_id, done, total)`` while a layer's features are processed."""

_SIDECARS = {"shapefile": (".shx", ".dbf", ".prj", ".cpg")}
_GEOD = pyproj.Geod(ellps="WGS84")


@dataclass(frozen=True)
class Problem:
    feature: str  # "feature 12", "row 7", "record 3"
    action: str  # "repaired", "rejected"
    reason: str


@dataclass
class LayerReport:
    """What happened to one layer: ``imported``, ``unchanged`` or ``failed`` (with ``error``)."""

    layer: str
    status: str = "imported"
    loaded: int = 0
    repaired: int = 0
    rejected: int = 0
    excluded: int = 0
    problems: list[Problem] = field(default_factory=list)
    error: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return {
            "layer": self.layer,
            "status": self.status,
            "loaded": self.loaded,
            "repaired": self.repaired,
            "rejected": self.rejected,
            "excluded": self.excluded,
            "problems": [vars(problem) for problem in self.problems],
            "error": self.error,
        }


def import_layers(
    layers: Sequence[LayerConfig],
    directory: Path,
    *,
    force: bool = False,
    progress: Progress | None = None,
) -> list[LayerReport]:
    """Import each layer into ``directory``; one report per layer, in config order."""
    return [_import_one(layer, directory, force, progress) for layer in layers]


def _import_one(
    layer: LayerConfig, directory: Path, force: bool, progress: Progress | None
) -> LayerReport:
    report = LayerReport(layer.id)
    try:
        fingerprint = _fingerprint(layer)
        if not force and _stored_fingerprint(directory, layer.id) == fingerprint:
            report.status = "unchanged"
            report.loaded = read_info(directory / f"{layer.id}.npz").features
            return report
        if layer.role == "boundary":
            _check_one_boundary(directory, layer.id)
        built = _build(layer, report, fingerprint, progress)
        save_layer(directory, built)
    except PlacesError as error:
        report.status = "failed"
        report.error = str(error)
    return report


def _check_one_boundary(directory: Path, layer_id: str) -> None:
    """The city limits come from one layer; a second would make ``inside_city`` ambiguous."""
    for path in layer_paths(directory):
        try:
            info = read_info(path)
        except StoreError:
            continue
        if info.role == "boundary" and info.id != layer_id:
            raise LayerConfigError(
                f"layer {layer_id}: the store already has a boundary layer ({info.id}); "
                f"remove it first with `eo152 places remove {info.id}`"
            )


def _fingerprint(layer: LayerConfig) -> str:
    digest = hashlib.sha256(f"{FORMAT_VERSION}|{layer!r}".encode())
    files = [layer.path] + [layer.path.with_suffix(s) for s in _SIDECARS.get(layer.format, ())]
    for path in files:
        if path.exists():
            digest.update(path.read_bytes())
    return digest.hexdigest()


def _stored_fingerprint(directory: Path, layer_id: str) -> str | None:
    path = directory / f"{layer_id}.npz"
    if path not in layer_paths(directory):
        return None
    try:
        return read_info(path).fingerprint
    except StoreError:
        return None


def _build(
    layer: LayerConfig, report: LayerReport, fingerprint: str, progress: Progress | None
) -> Layer:
    source = read_source(layer)
    missing = sorted(layer.referenced_fields() - source.fields)
    if missing:
        raise LayerConfigError(
            f"layer {layer.id}: field {missing[0]!r} named in the config is not in "
            f"{layer.path.name} (its fields: {', '.join(sorted(source.fields)) or 'none'})"
        )
    crs = source_crs(layer, source)
    total = len(source.features)
    candidates = _candidates(layer, source.features, report)
    kept: list[tuple[Candidate, Attributes]] = []
    settled = total - len(candidates)  # rejected or excluded while reading
    if progress is not None:
        progress(layer.id, settled, total)
    for done, (candidate, problem) in enumerate(to_wgs84(candidates, crs), start=settled + 1):
        problem = problem or shape_problem(candidate, layer.role)
        if problem:
            _reject(report, candidate.raw, problem)
        else:
            kept.append((candidate, attributes(layer, candidate.raw)))
        if progress is not None:
            progress(layer.id, done, total)
    if not kept:
        raise LayerDataError(f"layer {layer.id}: no feature could be loaded from {layer.path.name}")
    return _assemble(layer, kept, report, fingerprint)


def _candidates(
    layer: LayerConfig, features: list[RawFeature], report: LayerReport
) -> list[Candidate]:
    candidates = []
    for raw in features:
        if raw.problem or raw.geometry is None:
            _reject(report, raw, raw.problem or "no geometry")
        elif any(condition.matches(raw.properties) for condition in layer.exclude):
            report.excluded += 1
        else:
            candidates.append(Candidate(raw, raw.geometry))
    return candidates


def _reject(report: LayerReport, raw: RawFeature, reason: str) -> None:
    report.rejected += 1
    report.problems.append(Problem(raw.label, "rejected", reason))


def _assemble(
    layer: LayerConfig,
    kept: list[tuple[Candidate, Attributes]],
    report: LayerReport,
    fingerprint: str,
) -> Layer:
    for candidate, _ in kept:
        if candidate.repaired:
            report.repaired += 1
            report.problems.append(Problem(candidate.raw.label, "repaired", candidate.repaired))
    report.loaded = len(kept)
    geometries = np.array([candidate.geometry for candidate, _ in kept], dtype=object)
    is_point = shapely.get_type_id(geometries) == 0
    anchors = np.where(is_point, geometries, shapely.point_on_surface(geometries))
    x, y = shapely.get_x(anchors), shapely.get_y(anchors)
    per_lon, per_lat = metres_per_degree(y)
    places = [attrs for _, attrs in kept]
    kind = np.array([KIND_CODES[p.kind] for p in places], dtype=np.uint8)
    return Layer(
        info=_info(layer, len(kept), kind, fingerprint),
        place_ids=_unique_ids([p.place_id for p in places]),
        names=[p.name for p in places],
        addresses=[p.address for p in places],
        kind=kind,
        ownership=np.array([OWNERSHIP_CODES[p.ownership] for p in places], dtype=np.uint8),
        is_point=is_point,
        area_m2=np.array([_area_m2(g) for g in geometries], dtype=np.float64),
        x=x,
        y=y,
        per_lon=per_lon,
        per_lat=per_lat,
        geometries=geometries,
        grid=compile_grid(geometries, is_point, layer.near_m),
    )


def _info(
    layer: LayerConfig, count: int, kind: np.ndarray[Any, Any], fingerprint: str
) -> LayerInfo:
    kinds = tuple(KINDS[code] for code in sorted(set(kind.tolist())))
    return LayerInfo(
        id=layer.id,
        name=layer.name,
        role=layer.role,
        kinds=kinds if layer.role == "places" else (),
        features=count,
        near_m=layer.near_m,
        credit=layer.credit,
        covers=layer.covers,
        source=str(layer.path),
        imported_at=datetime.now(UTC).isoformat(timespec="seconds"),
        fingerprint=fingerprint,
    )


def _unique_ids(ids: list[str]) -> list[str]:
    """Keep ids unique within a layer: a repeated key gets ``~2``, ``~3``..."""
    seen: dict[str, int] = {}
    unique = []
    for place_id in ids:
        seen[place_id] = seen.get(place_id, 0) + 1
        unique.append(place_id if seen[place_id] == 1 else f"{place_id}~{seen[place_id]}")
    return unique


def _area_m2(geometry: Any) -> float:
    if shapely.get_type_id(geometry) == 0:  # a point has no footprint
        return 0.0
    area, _ = _GEOD.geometry_area_perimeter(geometry)
    return abs(float(area))
