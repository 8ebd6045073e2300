"""The HTTP API's limits, in one place (CONTRACT.md, "Interfaces"); the CLI has none.

A body over ``MAX_BODY_BYTES`` or a batch of more than ``MAX_BATCH_SITUATIONS`` gets ``413``
naming the limit; a problem document lists at most ``MAX_LISTED_ERRORS`` field errors and
counts the rest in ``errors_not_listed``, and cuts a path or message longer than
``MAX_ERROR_TEXT`` characters, so that no error answer is much larger than it needs to be.
"""

from __future__ import annotations

#: Largest body of ``POST /api/v1/decisions``, in bytes (1 MB).
MAX_BODY_BYTES = 1_048_576

#: Most situations in one batch (a JSON array body).
MAX_BATCH_SITUATIONS = 1_000

#: Most field errors a problem document lists; the rest are counted.
MAX_LISTED_ERRORS = 100

#: Longest path or message of a listed field error, in characters (an unknown field's name
#: is the caller's own text and may be long).
MAX_ERROR_TEXT = 500
