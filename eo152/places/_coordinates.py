"""Checking the coordinates a caller gives to a lookup (WGS 84 degrees)."""

from __future__ import annotations

import math
import re
from typing import Any

import numpy as np
import numpy.typing as npt

from ._errors import InvalidCoordinates

FloatArray = npt.NDArray[np.float64]
_SHOWN = 3  # bad points named in one message
_NUMBER = r"[-+]?(?:\d+\.?\d*|\.\d+)"
_POINT = re.compile(rf"\s*(?P<lat>{_NUMBER})\s*(?:,|\s)\s*(?P<lon>{_NUMBER})\s*")


def check_coordinates(lat: Any, lon: Any) -> tuple[float, float]:
    """Latitude and longitude as floats; InvalidCoordinates names the one that is wrong."""
    return _number(lat, "lat", 90.0), _number(lon, "lon", 180.0)


def parse_point(text: str) -> tuple[float, float] | None:
    """``"39.739, -104.988"`` (or with a space between) as checked coordinates.

    None when the text is not two numbers (an address, say); InvalidCoordinates when it is
    two numbers that cannot be a latitude and a longitude.
    """
    found = _POINT.fullmatch(text)
    return check_coordinates(found["lat"], found["lon"]) if found else None


def _number(value: Any, name: str, limit: float) -> float:
    try:
        number = float(value)
    except (TypeError, ValueError):
        raise InvalidCoordinates(f"{name} {value!r} is not a number") from None
    if not math.isfinite(number) or abs(number) > limit:
        raise InvalidCoordinates(f"{name} {value!r} is out of range (-{limit:g} to {limit:g})")
    return number


def check_arrays(lats: Any, lons: Any) -> tuple[FloatArray, FloatArray]:
    """Both as 1-D float64 arrays; InvalidCoordinates names the first bad points by index."""
    lat = _array(lats, "lats")
    lon = _array(lons, "lons")
    if lat.shape != lon.shape:
        raise InvalidCoordinates(f"lats has {lat.size} values but lons has {lon.size}")
    for values, name, limit in ((lat, "lats", 90.0), (lon, "lons", 180.0)):
        bad = np.flatnonzero(~(np.abs(values) <= limit))  # also catches NaN
        if bad.size:
            shown = ", ".join(f"{name}[{i}] = {float(values[i])!r}" for i in bad[:_SHOWN].tolist())
            more = f" and {bad.size - _SHOWN} more" if bad.size > _SHOWN else ""
            raise InvalidCoordinates(f"out of range (-{limit:g} to {limit:g}): {shown}{more}")
    return lat, lon


def _array(values: Any, name: str) -> FloatArray:
    try:
        array = np.asarray(values, dtype=np.float64)
    except (TypeError, ValueError) as error:
        raise InvalidCoordinates(f"{name}: not numbers ({error})") from None
    if array.ndim != 1:
        raise InvalidCoordinates(f"{name}: expected a flat sequence, got shape {array.shape}")
    return array
