"""The contract's values for ``location.ownership`` and ``location.kind``, in its order, and
the small integer codes the places registry keeps them as.

Lookups keep them as codes (an index into ``KINDS`` or ``OWNERSHIPS``) so that
``Registry.lookup_many`` can answer a million points without a Python string per point.
``unknown`` is code 0 in both, so a zeroed array means "not known".
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

# The contract lists ``unknown`` last; as a code it comes first, as 0.
KINDS: tuple[str, ...] = ("unknown", *(k for k in LOCATION_KINDS if k != "unknown"))

OWNERSHIPS: tuple[str, ...] = ("unknown", *(o for o in LOCATION_OWNERSHIPS if o != "unknown"))

UNKNOWN = 0

KIND_CODES: dict[str, int] = {name: code for code, name in enumerate(KINDS)}
OWNERSHIP_CODES: dict[str, int] = {name: code for code, name in enumerate(OWNERSHIPS)}
