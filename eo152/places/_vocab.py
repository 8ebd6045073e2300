"""The contract's values for ``location.kind`` and ``location.ownership``.

Lookups keep them as small integer codes (an index into these tuples) so that
``Registry.lookup_many`` can answer a million points without a Python string per point.
``unknown`` is code 0 in both, so a zeroed array means "not known".
"""

from __future__ import annotations

KINDS: tuple[str, ...] = (
    "unknown",
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
)

OWNERSHIPS: tuple[str, ...] = (
    "unknown",
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
)

UNKNOWN = 0

KIND_CODES: dict[str, int] = {name: code for code, name in enumerate(KINDS)}
OWNERSHIP_CODES: dict[str, int] = {name: code for code, name in enumerate(OWNERSHIPS)}

# How a place was matched; the answer's ``precision``.
FOOTPRINT = 0
NEAR_POINT = 1
PRECISIONS: tuple[str, ...] = ("footprint", "near_point")
