"""The compiled index of one layer: a regular grid of cells over the layer's extent.

Each cell lists the features that may be there, and marks those that cover the whole cell
("interior"): a point in such a cell needs no geometric test at all. Only cells that a
polygon's edge crosses, and cells within a point's near-distance, need an exact test. The
lists are stored as CSR arrays (``offsets``, ``entries``), so a batch of points is answered
with a handful of numpy operations, whatever the number of points.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from functools import cached_property

import numpy as np
import numpy.typing as npt
import shapely
from shapely import Geometry

from ._geo import metres_per_degree

MAX_CELLS = 1 << 20  # keeps a layer's index under about 5 MB however large its extent
MIN_CELL_M = 20.0

IntArray = npt.NDArray[np.int64]
_EMPTY, _ONE, _SEVERAL = 0, 1, 2


@dataclass(frozen=True)
class Grid:
    x0: float
    y0: float
    dx: float
    dy: float
    nx: int
    ny: int
    offsets: npt.NDArray[np.int32]
    entries: npt.NDArray[np.int32]
    interior: npt.NDArray[np.bool_]

    def candidates(
        self, x: npt.NDArray[np.float64], y: npt.NDArray[np.float64]
    ) -> tuple[IntArray, IntArray]:
        """(point index, entry position) for every feature listed in each point's cell."""
        right, top = self.x0 + self.nx * self.dx, self.y0 + self.dy * self.ny
        on_grid = np.flatnonzero((x >= self.x0) & (x < right) & (y >= self.y0) & (y < top))
        # Non-negative now, so truncation is floor; rounding may reach nx at the far edge.
        ix = np.minimum(((x[on_grid] - self.x0) / self.dx).astype(np.int64), self.nx - 1)
        iy = np.minimum(((y[on_grid] - self.y0) / self.dy).astype(np.int64), self.ny - 1)
        cell = iy * self.nx + ix
        state = self._states[cell]
        single = state == _ONE
        several = np.flatnonzero(state == _SEVERAL)
        points, positions = self._expand(on_grid[several], cell[several])
        return (
            np.concatenate([on_grid[single], points]),
            np.concatenate([self.offsets[cell[single]].astype(np.int64), positions]),
        )

    def _expand(self, points: IntArray, cell: IntArray) -> tuple[IntArray, IntArray]:
        """Each point repeated once per entry of its cell, with that entry's position."""
        start = self.offsets[cell].astype(np.int64)
        count = self.offsets[cell + 1] - start
        first = np.cumsum(count) - count
        repeated = np.repeat(points, count)
        positions = np.arange(repeated.size, dtype=np.int64) + np.repeat(start - first, count)
        return repeated, positions

    @cached_property
    def _states(self) -> npt.NDArray[np.uint8]:
        """Per cell: empty, exactly one entry, or several (most cells are not "several")."""
        count = np.diff(self.offsets)
        states = np.where(count == 0, _EMPTY, _SEVERAL).astype(np.uint8)
        states[count == 1] = _ONE
        return states

    def cell_range(self, x: float, y: float) -> range:
        """Entry positions listed in the cell of one point (empty off the grid)."""
        ix = math.floor((x - self.x0) / self.dx)
        iy = math.floor((y - self.y0) / self.dy)
        if not (0 <= ix < self.nx and 0 <= iy < self.ny):
            return range(0)
        cell = iy * self.nx + ix
        return range(int(self.offsets[cell]), int(self.offsets[cell + 1]))


def compile_grid(
    geometries: npt.NDArray[np.object_], is_point: npt.NDArray[np.bool_], near_m: float
) -> Grid:
    """Build the grid for a layer's features (WGS 84 lon/lat, polygons or points)."""
    x0, y0, dx, dy, nx, ny = _layout(geometries, is_point, near_m)
    cells: list[IntArray] = []
    features: list[IntArray] = []
    interior: list[npt.NDArray[np.bool_]] = []
    for index, geometry in enumerate(geometries):
        if is_point[index]:
            found, covered = _point_cells(geometry, near_m, (x0, y0, dx, dy, nx, ny))
        else:
            found, covered = _polygon_cells(geometry, (x0, y0, dx, dy, nx, ny))
        cells.append(found)
        features.append(np.full(found.size, index, dtype=np.int64))
        interior.append(covered)
    return _pack(x0, y0, dx, dy, nx, ny, cells, features, interior)


Layout = tuple[float, float, float, float, int, int]


def _layout(
    geometries: npt.NDArray[np.object_], is_point: npt.NDArray[np.bool_], near_m: float
) -> Layout:
    bounds = shapely.total_bounds(geometries)
    per_lon, per_lat = metres_per_degree(float(bounds[1] + bounds[3]) / 2)
    pad_x, pad_y = near_m / float(per_lon), near_m / float(per_lat)
    x0, y0 = float(bounds[0]) - pad_x, float(bounds[1]) - pad_y
    width_m = (float(bounds[2]) + pad_x - x0) * float(per_lon)
    height_m = (float(bounds[3]) + pad_y - y0) * float(per_lat)
    # Points only: a cell as wide as the near-distance lists each point in about 9 cells.
    floor_m = near_m if bool(np.all(is_point)) else MIN_CELL_M
    cell_m = max(floor_m, math.sqrt(width_m * height_m / MAX_CELLS))
    dx, dy = cell_m / float(per_lon), cell_m / float(per_lat)
    nx = max(1, math.ceil(width_m / cell_m) + 1)
    ny = max(1, math.ceil(height_m / cell_m) + 1)
    return x0, y0, dx, dy, nx, ny


def _index_range(low: float, high: float, origin: float, step: float, size: int) -> tuple[int, int]:
    first = max(0, math.floor((low - origin) / step))
    last = min(size - 1, math.floor((high - origin) / step))
    return first, last


def _point_cells(
    geometry: Geometry, near_m: float, layout: Layout
) -> tuple[IntArray, npt.NDArray[np.bool_]]:
    x0, y0, dx, dy, nx, ny = layout
    x, y = shapely.get_x(geometry), shapely.get_y(geometry)
    per_lon, per_lat = metres_per_degree(y)
    rx, ry = near_m / float(per_lon), near_m / float(per_lat)
    ix0, ix1 = _index_range(x - rx, x + rx, x0, dx, nx)
    iy0, iy1 = _index_range(y - ry, y + ry, y0, dy, ny)
    cols, rows = np.meshgrid(np.arange(ix0, ix1 + 1), np.arange(iy0, iy1 + 1))
    found = (rows * nx + cols).ravel().astype(np.int64)
    return found, np.zeros(found.size, dtype=bool)


def _polygon_cells(geometry: Geometry, layout: Layout) -> tuple[IntArray, npt.NDArray[np.bool_]]:
    """Cells the polygon touches; those wholly inside it are marked interior."""
    x0, y0, dx, dy, nx, ny = layout
    left, bottom, right, top = shapely.bounds(geometry)
    ix0, ix1 = _index_range(left, right, x0, dx, nx)
    iy0, iy1 = _index_range(bottom, top, y0, dy, ny)
    edge = _edge_cells(geometry, (ix0, iy0, ix1, iy1), layout)
    rows, cols = np.nonzero(~edge)
    centres_x = x0 + (cols + ix0 + 0.5) * dx
    centres_y = y0 + (rows + iy0 + 0.5) * dy
    inside = np.zeros_like(edge)
    inside[rows, cols] = shapely.contains_xy(geometry, centres_x, centres_y)
    rows, cols = np.nonzero(edge | inside)
    found = ((rows + iy0) * nx + (cols + ix0)).astype(np.int64)
    return found, inside[rows, cols]


def _edge_cells(
    geometry: Geometry, window: tuple[int, int, int, int], layout: Layout
) -> npt.NDArray[np.bool_]:
    """Every cell the polygon's boundary may cross, and a one-cell margin around them.

    The boundary is cut into pieces shorter than half a cell, so each piece lies within the
    cell of its first vertex or a neighbour of it: marking the vertices' cells and their
    eight neighbours can only err on the side of testing a point exactly.
    """
    x0, y0, dx, dy, _, _ = layout
    ix0, iy0, ix1, iy1 = window
    ring = shapely.segmentize(shapely.boundary(geometry), min(dx, dy) / 2)
    coords = shapely.get_coordinates(ring)
    cols = np.clip(np.floor((coords[:, 0] - x0) / dx).astype(np.int64) - ix0, 0, ix1 - ix0)
    rows = np.clip(np.floor((coords[:, 1] - y0) / dy).astype(np.int64) - iy0, 0, iy1 - iy0)
    marked = np.zeros((iy1 - iy0 + 1, ix1 - ix0 + 1), dtype=bool)
    marked[rows, cols] = True
    grown = marked.copy()
    grown[1:, :] |= marked[:-1, :]
    grown[:-1, :] |= marked[1:, :]
    wide = grown.copy()
    wide[:, 1:] |= grown[:, :-1]
    wide[:, :-1] |= grown[:, 1:]
    return wide


def _pack(
    x0: float,
    y0: float,
    dx: float,
    dy: float,
    nx: int,
    ny: int,
    cells: list[IntArray],
    features: list[IntArray],
    interior: list[npt.NDArray[np.bool_]],
) -> Grid:
    all_cells = np.concatenate(cells) if cells else np.zeros(0, dtype=np.int64)
    order = np.argsort(all_cells, kind="stable")
    if all_cells.size >= 1 << 31:
        raise ValueError("a layer's index would exceed 2**31 entries; split the layer")
    counts = np.bincount(all_cells, minlength=nx * ny)
    offsets = np.zeros(nx * ny + 1, dtype=np.int32)
    np.cumsum(counts, out=offsets[1:])
    entries = (np.concatenate(features) if features else np.zeros(0, np.int64))[order]
    covered = (np.concatenate(interior) if interior else np.zeros(0, bool))[order]
    return Grid(x0, y0, dx, dy, nx, ny, offsets, entries.astype(np.int32), covered)
