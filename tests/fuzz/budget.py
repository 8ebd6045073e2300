"""How many examples a fuzz test draws: few in CI, as many as asked for a long hunt.

Each test names its CI count (chosen so that ``tests/fuzz`` stays near a minute on a
two-core machine); ``EO152_EXAMPLES`` multiplies every count, as for the property tests
(``EO152_EXAMPLES=50 HYPOTHESIS_PROFILE=dev pytest tests/fuzz`` hunts for an hour or so).
"""

from __future__ import annotations

import os


def examples(n: int) -> int:
    """``n`` examples, times ``EO152_EXAMPLES`` (default 1)."""
    return n * int(os.environ.get("EO152_EXAMPLES", "1"))
