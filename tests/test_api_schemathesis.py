"""The read API as schemathesis sees it: generated requests from its own OpenAPI description.

What a data team's client generator would send, including values nobody thought of: no answer may
be a server error, and every answer must match what the description promises (status, content
type, body schema).
"""

from __future__ import annotations

from datetime import date

import schemathesis
from hypothesis import HealthCheck, settings
from schemathesis.specs.openapi.checks import positive_data_acceptance
from starlette.applications import Starlette

from mandate_metrics.api.routes import ROUTES
from mandate_metrics.loading import load_all
from mandate_metrics.paths import DATA_DIR
from mandate_metrics.schemas import EARLIEST_DATE

schema = schemathesis.openapi.from_asgi("/api/v1/openapi.json", Starlette(routes=ROUTES))
LATEST = load_all(DATA_DIR).latest_date


def accepted_unless_outside_the_record(ctx, response, case):  # noqa: ANN001, ANN201 - a schemathesis check
    """Every schema-valid request is answered, but for a date outside the record, which is a 400.

    The description says so in words: an OpenAPI date cannot carry a range, and the latest date
    moves with each publish.
    """
    asked = str((case.query or {}).get("as_of"))
    if response.status_code == 400 and response.json().get("parameter") == "as_of":
        try:
            day = date.fromisoformat(asked)
        except ValueError:
            return True  # not a date at all (the generator sends such values as "positive" too)
        assert not EARLIEST_DATE.date() <= day <= LATEST, f"{asked} is inside the record but was refused"
        return True
    return positive_data_acceptance(ctx, response, case)


@schema.parametrize()
@settings(max_examples=15, deadline=None, suppress_health_check=list(HealthCheck))
def test_no_generated_request_breaks_the_api_or_its_description(case):
    case.call_and_validate(
        excluded_checks=[positive_data_acceptance], additional_checks=[accepted_unless_outside_the_record]
    )
