"""Places: City property and protected spaces, from the City's own GIS layers.

A pure library (no Django, no rules engine). Layers described in a YAML config are imported
into the data folder's own store (``<data folder>/places``); a ``Registry`` answers whether a
point is inside Denver, which places contain it or are near it, and the ``ownership`` and
``kind`` the decision contract needs, saying ``unknown`` where no loaded layer knows.

    >>> registry = Registry.default()
    >>> answer = registry.lookup(39.7390, -104.9877)
    >>> answer.ownership, answer.kind, answer.inside_city
    ('city_owned', 'park', True)
"""

from ..contract.locations import KINDS, OWNERSHIPS
from ._answer import Answer, Area, LookupColumns, Place, credits, not_covered
from ._config import LayerConfig, load_config
from ._coordinates import check_coordinates, parse_point
from ._defaults import default_config_path, import_config, import_defaults, shared_data_dir
from ._errors import (
    InvalidCoordinates,
    LayerConfigError,
    LayerDataError,
    PlacesError,
    StoreError,
)
from ._importer import LayerReport, Problem, Progress, import_layers
from ._layer import LayerInfo
from ._precision import PRECISIONS
from ._registry import AddressAnswer, LocationFill, Registry
from ._search import Intersection, NameSearch
from ._store import remove_layer, store_dir
from ._streets import split_intersection

__all__ = [
    "KINDS",
    "OWNERSHIPS",
    "PRECISIONS",
    "AddressAnswer",
    "Answer",
    "Area",
    "Intersection",
    "InvalidCoordinates",
    "LayerConfig",
    "LayerConfigError",
    "LayerDataError",
    "LayerInfo",
    "LayerReport",
    "LocationFill",
    "LookupColumns",
    "NameSearch",
    "Place",
    "PlacesError",
    "Problem",
    "Progress",
    "Registry",
    "StoreError",
    "check_coordinates",
    "credits",
    "default_config_path",
    "import_config",
    "import_defaults",
    "import_layers",
    "load_config",
    "not_covered",
    "parse_point",
    "remove_layer",
    "shared_data_dir",
    "split_intersection",
    "store_dir",
]
