"""The data folder's store of imported layers: one ``<layer id>.npz`` file per layer.

A layer file holds the features (attributes as JSON, geometry as WKB), and the compiled grid,
as plain numpy arrays (no pickle), so start-up reads them with no parsing of GIS formats.
Each file is written beside its final name and renamed into place, so a crash or a bad
import never leaves a half-written layer: readers see the old layer or the new one.
"""

from __future__ import annotations

import dataclasses
import itertools
import json
import os
import tempfile
import zipfile
from pathlib import Path
from typing import Any

import numpy as np
import shapely

from ._config import LAYER_ID
from ._errors import StoreError
from ._grid import Grid
from ._layer import Layer, LayerInfo

FORMAT_VERSION = 1
SUFFIX = ".npz"


def store_dir(data_dir: Path) -> Path:
    """Where the places library keeps its layers inside a data folder."""
    return data_dir / "places"


def layer_paths(directory: Path) -> list[Path]:
    return sorted(directory.glob(f"*{SUFFIX}")) if directory.is_dir() else []


def save_layer(directory: Path, layer: Layer) -> Path:
    directory.mkdir(parents=True, exist_ok=True)
    target = directory / f"{layer.info.id}{SUFFIX}"
    handle, temporary = tempfile.mkstemp(dir=directory, prefix=f".{layer.info.id}.", suffix=".tmp")
    try:
        with os.fdopen(handle, "wb") as stream:
            np.savez(stream, **_arrays(layer))
            stream.flush()
            os.fsync(stream.fileno())
        os.chmod(temporary, 0o644)  # mkstemp makes it private; the layer is not secret
        os.replace(temporary, target)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
    return target


def remove_layer(directory: Path, layer_id: str) -> bool:
    """Remove a layer's file; False if there is no such layer (or the id is not one)."""
    if not LAYER_ID.fullmatch(layer_id):
        return False
    target = directory / f"{layer_id}{SUFFIX}"
    if not target.exists():
        return False
    target.unlink()
    return True


def read_info(path: Path) -> LayerInfo:
    """Only the layer's description (cheap: the grid and geometry are not decoded)."""
    with _open(path) as arrays:
        return _info(_meta(arrays, path))


def load_layer(path: Path) -> Layer:
    with _open(path) as arrays:
        meta = _meta(arrays, path)
        try:
            return _layer(arrays, meta)
        except (KeyError, ValueError, shapely.errors.GEOSException) as error:
            raise StoreError(f"{path}: damaged layer file ({error}); import it again") from None


def _arrays(layer: Layer) -> dict[str, Any]:
    wkb = shapely.to_wkb(layer.geometries)
    sizes = np.fromiter((len(item) for item in wkb), dtype=np.int64, count=len(wkb))
    grid = layer.grid
    meta = {
        "format_version": FORMAT_VERSION,
        "info": dataclasses.asdict(layer.info),
        "place_ids": layer.place_ids,
        "names": layer.names,
        "addresses": layer.addresses,
        "grid": [grid.x0, grid.y0, grid.dx, grid.dy, grid.nx, grid.ny],
    }
    return {
        "meta": np.frombuffer(json.dumps(meta).encode("utf-8"), dtype=np.uint8),
        "kind": layer.kind,
        "ownership": layer.ownership,
        "is_point": layer.is_point,
        "area_m2": layer.area_m2,
        "x": layer.x,
        "y": layer.y,
        "per_lon": layer.per_lon,
        "per_lat": layer.per_lat,
        "wkb": np.frombuffer(b"".join(wkb), dtype=np.uint8),
        "wkb_offsets": np.concatenate([[0], np.cumsum(sizes)]),
        "offsets": grid.offsets,
        "entries": grid.entries,
        "interior": grid.interior,
    }


def _open(path: Path) -> Any:
    try:
        return np.load(path, allow_pickle=False)
    except (OSError, ValueError, zipfile.BadZipFile) as error:
        raise StoreError(f"{path}: not a readable layer file ({error}); import it again") from None


def _meta(arrays: Any, path: Path) -> dict[str, Any]:
    try:
        meta: dict[str, Any] = json.loads(bytes(arrays["meta"]).decode("utf-8"))
    except (KeyError, ValueError, zipfile.BadZipFile) as error:
        raise StoreError(f"{path}: damaged layer file ({error}); import it again") from None
    if meta.get("format_version") != FORMAT_VERSION:
        raise StoreError(f"{path}: layer file of another version; import it again")
    return meta


def _info(meta: dict[str, Any]) -> LayerInfo:
    info = dict(meta["info"])
    info["kinds"] = tuple(info["kinds"])
    return LayerInfo(**info)


def _layer(arrays: Any, meta: dict[str, Any]) -> Layer:
    blob = arrays["wkb"].tobytes()
    bounds = arrays["wkb_offsets"].tolist()
    pieces = [blob[start:end] for start, end in itertools.pairwise(bounds)]
    x0, y0, dx, dy, nx, ny = meta["grid"]
    grid = Grid(x0, y0, dx, dy, int(nx), int(ny), arrays["offsets"], arrays["entries"],
                arrays["interior"])  # fmt: skip
    return Layer(
        info=_info(meta),
        place_ids=meta["place_ids"],
        names=meta["names"],
        addresses=meta["addresses"],
        kind=arrays["kind"],
        ownership=arrays["ownership"],
        is_point=arrays["is_point"],
        area_m2=arrays["area_m2"],
        x=arrays["x"],
        y=arrays["y"],
        per_lon=arrays["per_lon"],
        per_lat=arrays["per_lat"],
        geometries=shapely.from_wkb(np.array(pieces, dtype=object)),
        grid=grid,
    )
