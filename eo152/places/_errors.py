"""What can go wrong in the places registry.

::

    PlacesError
    ├── LayerConfigError    the layer config is wrong (names the layer and the key or field)
    ├── LayerDataError      a layer's file cannot be read at all (empty, truncated, no CRS)
    ├── InvalidCoordinates  a latitude or longitude given to a lookup is out of range
    └── StoreError          the data folder's store of layers cannot be read

A bad feature or row is not an exception: the importer rejects it, says why in the layer's
report, and loads the rest.
"""

from __future__ import annotations


class PlacesError(Exception):
    """Base of every error the places library raises on purpose."""


class LayerConfigError(PlacesError):
    """The layer config names something that is not there or not allowed."""


class LayerDataError(PlacesError):
    """A layer's file cannot be read as a whole; the layer already in the store is kept."""


class InvalidCoordinates(PlacesError, ValueError):
    """A lookup got a latitude or longitude that cannot be on Earth (or is not a number)."""


class StoreError(PlacesError):
    """A file in the data folder's store of layers is damaged or of an unknown version."""
