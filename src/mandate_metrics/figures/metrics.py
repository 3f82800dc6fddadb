"""Mandate metrics over the request ledger, each computed as of a date.

The definitions follow DESIGN.md exactly:

- requests received: requests with ``received_on`` <= as-of;
- requests supported: requests whose status is ``supported`` as of the as-of date;
- requesting jurisdictions: distinct ``jurisdiction_id`` among requests received;
- investigations related to requests: distinct ``investigation_id`` among requests received;
- investigations supported: distinct ``investigation_id`` among requests supported.

The ledger holds each request's latest status and the day it took it, so a request's status as of
an earlier day is ``received`` until that day. Two investigation series exist; they are returned
under different names and never combined.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import numpy as np
import pandas as pd

from mandate_metrics.frames import member
from mandate_metrics.schemas import DECISION_STATUSES, STAGES

LEDGER_METRICS = (
    "requests_received",
    "requesting_jurisdictions",
    "requests_supported",
    "investigations_related",
    "investigations_supported",
)
"""The ledger metrics that published figures can be reconciled against, by their metric ids."""


def _ts(as_of: date) -> pd.Timestamp:
    return pd.Timestamp(as_of)


def received_by(requests: pd.DataFrame, as_of: date) -> pd.DataFrame:
    """Requests received on or before ``as_of``."""
    return requests[requests["received_on"] <= _ts(as_of)]


def status_as_of(requests: pd.DataFrame, as_of: date) -> pd.Series:
    """Each request's status on ``as_of``: its recorded status once reached, ``received`` before."""
    reached = requests["status_on"] <= _ts(as_of)
    return requests["status"].where(reached, "received")


def supported_by(requests: pd.DataFrame, as_of: date) -> pd.DataFrame:
    """Requests received and supported on or before ``as_of``."""
    received = received_by(requests, as_of)
    return received[status_as_of(received, as_of) == "supported"]


@dataclass(frozen=True)
class Headline:
    """The headline figures as of one date."""

    as_of: date
    requests_received: int
    requesting_jurisdictions: int
    requests_supported: int
    investigations_related: int
    investigations_supported: int

    @property
    def support_rate(self) -> float | None:
        """Requests supported as a share of requests received; None when nothing was received."""
        if self.requests_received == 0:
            return None
        return self.requests_supported / self.requests_received

    def value(self, metric: str) -> int:
        """The value of one of ``LEDGER_METRICS``."""
        if metric not in LEDGER_METRICS:
            raise KeyError(metric)
        return int(getattr(self, metric))


def headline(requests: pd.DataFrame, as_of: date) -> Headline:
    """The five ledger figures as of ``as_of``."""
    received = received_by(requests, as_of)
    supported = supported_by(requests, as_of)
    return Headline(
        as_of=as_of,
        requests_received=len(received),
        requesting_jurisdictions=received["jurisdiction_id"].nunique(),
        requests_supported=len(supported),
        investigations_related=received["investigation_id"].nunique(),
        investigations_supported=supported["investigation_id"].nunique(),
    )


@dataclass(frozen=True)
class LedgerIndex:
    """The day each ledger metric's items start to count, sorted, over the whole ledger.

    A request counts as received from its ``received_on``, as supported from its ``status_on`` if
    its status is ``supported``; a jurisdiction or an investigation counts from the first such day
    of any of its requests. So the headline on any date is five binary searches, and a series of
    dates costs no more than one: built once per data version, it makes every headline, change and
    reconciliation on a page independent of the ledger's size (equal to ``headline``: tests check).
    """

    firsts: dict[str, np.ndarray]

    @classmethod
    def of(cls, requests: pd.DataFrame) -> LedgerIndex:
        """Index one ledger (a status date is never before its receipt: the schema checks it)."""
        supported = requests[requests["status"] == "supported"]
        return cls(
            {
                "requests_received": np.sort(requests["received_on"].to_numpy()),
                "requesting_jurisdictions": _first_dates(
                    requests["received_on"], requests["jurisdiction_id"]
                ),
                "requests_supported": np.sort(supported["status_on"].to_numpy()),
                "investigations_related": _first_dates(requests["received_on"], requests["investigation_id"]),
                "investigations_supported": _first_dates(
                    supported["status_on"], supported["investigation_id"]
                ),
            }
        )

    def counts(self, metric: str, days: np.ndarray) -> np.ndarray:
        """``metric`` on each of ``days`` (datetime64, any order)."""
        return np.searchsorted(self.firsts[metric], days, side="right")

    def headline(self, as_of: date) -> Headline:
        """The five ledger figures as of ``as_of``, as ``headline`` computes them."""
        day = np.array([_ts(as_of).to_datetime64()])
        values = {metric: int(self.counts(metric, day)[0]) for metric in LEDGER_METRICS}
        return Headline(as_of=as_of, **values)

    def change_over_year(self, as_of: date) -> dict[str, int]:
        """How much each ledger metric grew over the twelve months to ``as_of``."""
        now, then = self.headline(as_of), self.headline(year_before(as_of))
        return {metric: now.value(metric) - then.value(metric) for metric in LEDGER_METRICS}


def year_before(as_of: date) -> date:
    """The same day one year earlier (28 February for 29 February)."""
    try:
        return as_of.replace(year=as_of.year - 1)
    except ValueError:
        return as_of.replace(year=as_of.year - 1, day=28)


def change_over_year(requests: pd.DataFrame, as_of: date) -> dict[str, int]:
    """How much each ledger metric grew over the twelve months to ``as_of``."""
    return LedgerIndex.of(requests).change_over_year(as_of)


def _first_dates(dates: pd.Series, keys: pd.Series) -> np.ndarray:
    """The earliest date per key, sorted: the day each key starts to count."""
    if dates.empty:
        return np.array([], dtype="datetime64[ns]")
    codes, _ = pd.factorize(keys)  # integer codes: a group-by on strings is several times slower
    return np.sort(pd.Series(dates.to_numpy()).groupby(codes).min().to_numpy())


def cumulative_series(requests: pd.DataFrame, as_of: date, index: LedgerIndex | None = None) -> pd.DataFrame:
    """Every ledger metric at each month end from the first request up to ``as_of`` (and on it).

    Equivalent to ``headline`` at each date (a test checks every point), computed in one pass:
    each count is the number of first-occurrence dates on or before the date (``LedgerIndex``;
    pass the one already built for this ledger to skip building it).

    Returns:
        Column ``date`` and one column per entry of ``LEDGER_METRICS``.
    """
    received = received_by(requests, as_of)
    if received.empty:  # typed, so callers can use .dt and arithmetic on an empty result
        empty = {m: pd.Series(dtype="int64") for m in LEDGER_METRICS}
        return pd.DataFrame({"date": pd.Series(dtype="datetime64[ns]"), **empty})
    ends = list(pd.date_range(received["received_on"].min(), _ts(as_of), freq="ME"))
    if not ends or ends[-1] != _ts(as_of):
        ends.append(_ts(as_of))
    points = pd.DatetimeIndex(ends).to_numpy()
    index = index or LedgerIndex.of(requests)
    columns = {metric: index.counts(metric, points) for metric in LEDGER_METRICS}
    return pd.DataFrame({"date": ends, **columns})


def requests_per_year(requests: pd.DataFrame, as_of: date) -> pd.DataFrame:
    """Requests received in each calendar year up to ``as_of`` (the last year is year to date)."""
    received = received_by(requests, as_of)
    years = received["received_on"].dt.year
    counts = received.groupby(years).size()
    out = counts.rename_axis("year").reset_index(name="requests_received")
    out["year_to_date"] = out["year"] == as_of.year
    return out


def count_by(requests: pd.DataFrame, as_of: date, column: str) -> pd.DataFrame:
    """Requests received by ``as_of``, counted by ``column`` (``status`` is taken as of the date)."""
    received = received_by(requests, as_of)
    values = status_as_of(received, as_of) if column == "status" else received[column]
    counts = values.value_counts().rename_axis(column).reset_index(name="requests")
    return counts.sort_values(["requests", column], ascending=[False, True], ignore_index=True)


def median_days_to_decision(requests: pd.DataFrame, as_of: date) -> float | None:
    """Median days from receipt to decision (supported or declined) for decisions made by ``as_of``."""
    received = received_by(requests, as_of)
    decided = received[received["status"].isin(DECISION_STATUSES) & (received["status_on"] <= _ts(as_of))]
    if decided.empty:
        return None
    return float((decided["status_on"] - decided["received_on"]).dt.days.median())


def investigations_by_stage(
    investigations: pd.DataFrame, requests: pd.DataFrame, as_of: date
) -> pd.DataFrame:
    """Investigations related to requests received by ``as_of``, counted by their stage then.

    A stage reached after ``as_of`` counts as ``investigation``, the first stage.
    """
    related = received_by(requests, as_of)["investigation_id"]
    known = investigations[member(investigations["investigation_id"], related)]
    stage = known["stage"].where(known["stage_on"] <= _ts(as_of), "investigation")
    counts = stage.value_counts()
    return pd.DataFrame(
        {
            "stage": list(STAGES),
            "investigations": [int(counts.get(s, 0)) for s in STAGES],
        }
    )


def by_jurisdiction(requests: pd.DataFrame, jurisdictions: pd.DataFrame, as_of: date) -> pd.DataFrame:
    """Requests received and supported and investigations related, per requesting jurisdiction."""
    received = received_by(requests, as_of)
    supported = supported_by(requests, as_of)
    grouped = (
        pd.DataFrame(
            {
                "requests_received": received.groupby("jurisdiction_id").size(),
                "requests_supported": supported.groupby("jurisdiction_id").size(),
                "investigations_related": received.groupby("jurisdiction_id")["investigation_id"].nunique(),
            }
        )
        .fillna(0)
        .astype(int)
    )
    out = jurisdictions.merge(grouped, left_on="jurisdiction_id", right_index=True, how="inner")
    return out.sort_values(
        ["requests_received", "jurisdiction_id"], ascending=[False, True], ignore_index=True
    )


def by_region(requests: pd.DataFrame, jurisdictions: pd.DataFrame, as_of: date) -> pd.DataFrame:
    """The per-jurisdiction counts summed by region, with the number of jurisdictions in each."""
    per = by_jurisdiction(requests, jurisdictions, as_of)
    if per.empty:
        return pd.DataFrame(
            columns=[
                "region",
                "jurisdictions",
                "requests_received",
                "requests_supported",
                "investigations_related",
            ]
        )
    out = per.groupby("region").agg(
        jurisdictions=("jurisdiction_id", "nunique"),
        requests_received=("requests_received", "sum"),
        requests_supported=("requests_supported", "sum"),
        investigations_related=("investigations_related", "sum"),
    )
    return out.reset_index().sort_values(
        ["requests_received", "region"], ascending=[False, True], ignore_index=True
    )


def reconcile(
    published: pd.DataFrame,
    requests: pd.DataFrame,
    as_of: date | None = None,
    index: LedgerIndex | None = None,
) -> pd.DataFrame:
    """Compare each day-precise published ledger figure (dated by ``as_of``) with the ledger that day.

    A lower bound ("more than 530") is met when the ledger is above it; other qualifiers need equality.
    ``index`` is this ledger's ``LedgerIndex`` if one is already built.

    Returns:
        The published rows for ``LEDGER_METRICS`` with ``ledger_value`` and ``consistent`` added.
    """
    rows = published[published["metric"].isin(LEDGER_METRICS) & (published["as_of_precision"] == "day")]
    if as_of is not None:
        rows = rows[rows["as_of"] <= pd.Timestamp(as_of)]
    out = rows.copy()
    index = index or LedgerIndex.of(requests)  # one pass over the ledger, then a search per figure
    out["ledger_value"] = [
        int(index.counts(metric, np.array([ts.to_datetime64()]))[0])
        for ts, metric in zip(rows["as_of"], rows["metric"], strict=True)
    ]
    is_bound = out["qualifier"] == "lower_bound"
    out["consistent"] = (is_bound & (out["ledger_value"] > out["value"])) | (
        ~is_bound & (out["ledger_value"] == out["value"])
    )
    return out.reset_index(drop=True)
