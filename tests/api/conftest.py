from __future__ import annotations

import json
import os
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from django.http import HttpResponse
from django.test import Client

# The shared folder sits beside the checkout, as on CI (`make scenarios` reads it there too).
SHARED = Path(os.environ.get("EO152_SHARED", Path(__file__).resolve().parents[3] / "shared"))
SCENARIOS = SHARED / "scenarios" / "denver-eo-152.json"

PostJson = Callable[[Any], Any]


@pytest.fixture
def post_json() -> PostJson:
    client = Client()

    def post(body: Any) -> Any:
        data = body if isinstance(body, bytes) else json.dumps(body)
        return read_whole(client.post("/api/v1/decisions", data, content_type="application/json"))

    return post


def read_whole(response: Any) -> Any:
    """A response as the test client gives it, its streamed body (a batch's) read whole."""
    if response.streaming:
        body = b"".join(response.streaming_content)
        whole = HttpResponse(body, status=response.status_code)
        for header, value in response.items():
            whole[header] = value
        whole.json = lambda: json.loads(body)  # type: ignore[attr-defined]  # as the client's
        return whole
    return response


@pytest.fixture(scope="session")
def scenarios() -> list[dict[str, Any]]:
    if not SCENARIOS.exists():
        pytest.fail(f"the public scenarios are not beside the checkout: {SCENARIOS}")
    return json.loads(SCENARIOS.read_text("utf-8"))  # type: ignore[no-any-return]


@pytest.fixture(autouse=True)
def _static(collected_static: None) -> None:
    """The API's documentation page links the site's stylesheets."""
