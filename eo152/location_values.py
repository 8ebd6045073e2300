"""The contract's values for ``location.ownership`` and ``location.kind``, in its order.

Shared by the rules engine (``eo152.rules.contract``) and the places registry, which may not
import the engine: one list, so a value added to the contract reaches both.
"""

from __future__ import annotations

LOCATION_OWNERSHIPS: tuple[str, ...] = (
    "city_owned",
    "city_controlled",
    "city_owned_leased_out",
    "leased_to_city",
    "private",
    "federal",
    "state",
    "school_district",
    "health_authority",
    "other_public",
    "unknown",
)

LOCATION_KINDS: tuple[str, ...] = (
    "street",
    "sidewalk",
    "park",
    "parking_lot",
    "library",
    "school",
    "recreation_center",
    "community_center",
    "senior_center",
    "shelter",
    "hospital",
    "clinic",
    "place_of_worship",
    "stadium",
    "courthouse",
    "jail",
    "city_office",
    "airport",
    "residence",
    "business",
    "other",
    "unknown",
)
