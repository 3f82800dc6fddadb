"""The ``as_of`` of an address, read the same way by the API, the plain record page and the dashboard."""

from __future__ import annotations

from datetime import date

from mandate_metrics.loading import Datasets
from mandate_metrics.schemas import EARLIEST_DATE


def asked_day(raw: str | None, data: Datasets) -> date:
    """The day ``raw`` names (default: the latest data); ValueError says why it cannot be used.

    No figure exists before the IIIM was created or after the latest data, so such a day is refused,
    as the dashboard's control refuses it, rather than answered with figures it does not have.
    """
    if raw is None:
        return data.latest_date
    try:
        asked = date.fromisoformat(raw)
    except ValueError as exc:
        raise ValueError(f"as_of must be a date written YYYY-MM-DD, not {raw!r}") from exc
    first, latest = EARLIEST_DATE.date(), data.latest_date
    if not first <= asked <= latest:
        raise ValueError(
            f"as_of must be between {first.isoformat()} (the IIIM's start) and {latest.isoformat()} "
            f"(the latest data), not {raw}"
        )
    return asked
