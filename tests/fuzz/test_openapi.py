"""The API against its own OpenAPI document, by schemathesis: no input makes it fail.

Schemathesis generates requests for every operation of ``/api/v1/openapi.json`` (valid ones,
and invalid ones for the negative checks), calls the app in-process through WSGI and checks
each response: never a server error, the documented status codes and content types,
responses that match their schemas, and invalid data refused. The places operations answer
from the real Denver layers. Each operation draws ``examples(25)`` requests (see
``budget.py``); schemathesis adds the schema's own examples and its coverage cases.
"""

from __future__ import annotations

import pytest
import schemathesis
from django.test import Client
from hypothesis import HealthCheck, settings
from schemathesis.checks import positive_data_acceptance

from eo152.api.limits import MAX_BATCH_SITUATIONS
from eo152.config import Settings
from eo152.site.wsgi import application

from .budget import examples

schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", application)

# A batch over the documented `maxItems` is refused with 413, as CONTRACT.md says (a limit,
# not a malformed request); schemathesis counts only its own list of statuses as refusing.
_rejection = schema.config.checks.negative_data_rejection
_rejection.expected_statuses = [*_rejection.expected_statuses, "413"]

# The places lookup takes lat and lon, or address. OpenAPI cannot say "one of these sets of
# query parameters", so a request valid by the schema may give neither: it gets the
# documented 400, which the check that valid data is accepted would count as a failure.
# Every other check (no server error, documented statuses, response schemas) still runs.
CHOICE_OF_PARAMETERS = {"GET /api/v1/places/lookup"}

#: A batch the coverage phase sends at the documented limit (1,000 situations) is answered with
#: about 100 MB, and reading that answer back for the response checks is most of this test's
#: time. Past this many situations (in CI, ``EO152_EXAMPLES`` unset) only the status and the
#: content type are checked; tests/api/test_limits.py decides 1,000 and reads the answer.
LARGE_BATCH = 100 if examples(1) == 1 else MAX_BATCH_SITUATIONS


@pytest.fixture(autouse=True)
def _no_connection_checks(no_connection_checks: None) -> None:
    pass


# No API operation reads or writes the database: without the `django_db` mark, pytest-django
# refuses any query, which would show here as a 500.
@schema.parametrize()
@settings(max_examples=examples(25), suppress_health_check=list(HealthCheck))
def test_the_api_keeps_its_schema_and_never_fails_on_any_input(
    case: schemathesis.Case, denver_data: Settings, collected_static: None
) -> None:
    if isinstance(case.body, list) and len(case.body) > LARGE_BATCH:
        response = case.call()
        assert response.status_code in (200, 400, 413, 422), response.status_code
        (content_type,) = response.headers["content-type"]
        assert content_type.startswith(("application/json", "application/problem+json"))
        return
    excluded = [positive_data_acceptance] if case.operation.label in CHOICE_OF_PARAMETERS else []
    case.call_and_validate(excluded_checks=excluded)


@pytest.mark.parametrize("at", ["0001-01-01T01:00:00Z", "9999-12-31T23:00:00-12:00"])
def test_the_edges_of_time_are_decided(at: str) -> None:
    client = Client(raise_request_exception=False)
    response = client.post("/api/v1/decisions", {"at": at}, content_type="application/json")
    assert response.status_code in (200, 422)
