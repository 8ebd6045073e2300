"""Distances in metres near a point, on the WGS 84 ellipsoid.

Near-distances are tens to hundreds of metres, so a local plane around the place is exact
to well under a millimetre per metre, and much cheaper than a geodesic for a million points.
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

_A = 6378137.0  # WGS 84 semi-major axis, metres
_E2 = 6.69437999014e-3  # WGS 84 first eccentricity squared

FloatArray = npt.NDArray[np.float64]


def metres_per_degree(lat: FloatArray | float) -> tuple[FloatArray, FloatArray]:
    """Metres per degree of longitude and of latitude at ``lat`` (radii of curvature)."""
    phi = np.radians(np.asarray(lat, dtype=np.float64))
    w = np.sqrt(1.0 - _E2 * np.sin(phi) ** 2)
    prime_vertical = _A / w
    meridional = _A * (1.0 - _E2) / w**3
    per_degree = np.pi / 180.0
    return prime_vertical * np.cos(phi) * per_degree, meridional * per_degree
