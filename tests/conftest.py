"""Hypothesis profiles for the whole suite.

``ci`` (what ``make test`` and CI use): derandomized, so a run is reproducible and a red
build is red for everyone; no example database. ``dev`` (the default for a bare ``pytest``):
random examples, remembered in ``.hypothesis/`` so a failure found once is tried first the
next time. Choose with ``HYPOTHESIS_PROFILE``; ``EO152_EXAMPLES`` multiplies every property
test's number of examples (``EO152_EXAMPLES=20 pytest tests/rules/test_properties.py`` for a
long hunt).
"""

from __future__ import annotations

import os

from hypothesis import HealthCheck, settings

# Deciding can take long on a situation with many unknown facts: no deadline.
_COMMON = settings(deadline=None, suppress_health_check=[HealthCheck.too_slow])
settings.register_profile("ci", _COMMON, derandomize=True, database=None, print_blob=True)
settings.register_profile("dev", _COMMON)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "dev"))
