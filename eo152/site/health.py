"""``GET /healthz``: the app answers and its database does, for a load balancer or an operator.

A database that cannot be reached gets ``503`` with ``{"status": "unavailable", "database":
vendor}``; why goes to the server's log, never to the caller.
"""

from __future__ import annotations

import logging

from django.db import DatabaseError, connection
from django.http import HttpRequest, JsonResponse
from django.views.decorators.http import require_safe

_log = logging.getLogger(__name__)


@require_safe
def healthz(request: HttpRequest) -> JsonResponse:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError as error:
        _log.error("health check: the database did not answer: %s", error)
        return JsonResponse({"status": "unavailable", "database": connection.vendor}, status=503)
    return JsonResponse({"status": "ok", "database": connection.vendor})
