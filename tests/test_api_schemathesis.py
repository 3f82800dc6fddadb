"""The read API as schemathesis sees it: generated requests from its own OpenAPI description.

What a data team's client generator would send, including values nobody thought of: no answer may
be a server error, and every answer must match what the description promises (status, content
type, body schema).
"""

from __future__ import annotations

import schemathesis
from hypothesis import HealthCheck, settings
from starlette.applications import Starlette

from mandate_metrics.api.routes import ROUTES

schema = schemathesis.openapi.from_asgi("/api/v1/openapi.json", Starlette(routes=ROUTES))


@schema.parametrize()
@settings(max_examples=15, deadline=None, suppress_health_check=list(HealthCheck))
def test_no_generated_request_breaks_the_api_or_its_description(case):
    case.call_and_validate()
