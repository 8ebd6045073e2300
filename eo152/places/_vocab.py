"""The contract's values for ``location.kind`` and ``location.ownership``.

Lookups keep them as small integer codes (an index into these tuples) so that
``Registry.lookup_many`` can answer a million points without a Python string per point.
``unknown`` is code 0 in both, so a zeroed array means "not known".
"""

from __future__ import annotations

from ..location_values import LOCATION_KINDS, LOCATION_OWNERSHIPS

# The contract lists ``unknown`` last; here it comes first, as code 0.
KINDS: tuple[str, ...] = ("unknown", *(k for k in LOCATION_KINDS if k != "unknown"))

OWNERSHIPS: tuple[str, ...] = ("unknown", *(o for o in LOCATION_OWNERSHIPS if o != "unknown"))

UNKNOWN = 0

KIND_CODES: dict[str, int] = {name: code for code, name in enumerate(KINDS)}
OWNERSHIP_CODES: dict[str, int] = {name: code for code, name in enumerate(OWNERSHIPS)}

# How a place was matched; the answer's ``precision``.
FOOTPRINT = 0
NEAR_POINT = 1
PRECISIONS: tuple[str, ...] = ("footprint", "near_point")
