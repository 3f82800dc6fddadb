"""The case for funding, from published figures only: how fast demand grows, and the latest resources.

A growth value is arithmetic on two published figures of the same measure, and says which: "+27 %
in a year: 367 on 24 April 2024 → 466 on 29 April 2025". It is never computed from sample data,
never across two measures, and a lower bound stays one (375 → "more than 530" gives "at least +41 %").
A funding figure is a headline only while it is recent: one published more than two years before
the as-of date is shown with its date, among "the most recent published funding figures".
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

import pandas as pd

from mandate_metrics.figures.record import Figure, published_figure

CASE_MEASURES = ("requests_received", "investigations_supported")
"""The measures of demand the case states, in the order a slide shows them."""

YEAR_DAYS = 365
SPAN_DAYS = (335, 2 * YEAR_DAYS)  # a base figure between eleven months and two years before the latest
HEADLINE_DAYS = 2 * YEAR_DAYS  # a funding figure older than this before the as-of date is no headline


@dataclass(frozen=True)
class Growth:
    """How much a published measure grew between two of its published figures."""

    before: Figure
    now: Figure

    @property
    def rate(self) -> float:
        """The relative change, 0.27 for +27 %."""
        return (self.now.value - self.before.value) / self.before.value

    @property
    def at_least(self) -> bool:
        """True when the later figure is a lower bound, so the growth is one too."""
        return self.now.qualifier == "lower_bound"

    @property
    def days(self) -> int:
        """The days between the two figures."""
        return (self.now.on - self.before.on).days


def growth(published: pd.DataFrame, measure: str, as_of: date) -> Growth | None:
    """Growth of ``measure`` to its latest published figure, from the one published about a year before.

    The base is an exact, day-precise published figure from eleven months to two years before the
    latest one, from a primary source where there is one (a secondary report may be rounded), and
    the closest of those to a year before. None when there is none, or when the latest figure is
    only approximate (a growth on an approximation would claim a precision it lacks).
    """
    rows = published[
        (published["metric"] == measure)
        & (published["as_of"] <= pd.Timestamp(as_of))
        & (published["as_of_precision"] == "day")
    ].sort_values(["as_of", "figure_id"])
    if rows.empty:
        return None
    now = published_figure(rows.iloc[-1])
    if now.qualifier == "approx":
        return None
    earliest, latest = (pd.Timestamp(now.on - timedelta(days=d)) for d in reversed(SPAN_DAYS))
    usable = (rows["qualifier"] == "exact") & (rows["value"] > 0) & rows["as_of"].between(earliest, latest)
    bases = rows[usable]
    primary = bases[bases.get("source_type", pd.Series("", index=bases.index)) == "primary"]
    bases = primary if not primary.empty else bases
    if bases.empty:
        return None
    target = pd.Timestamp(now.on - timedelta(days=YEAR_DAYS))
    closest = (bases["as_of"] - target).abs().sort_values(kind="stable").index[0]
    return Growth(before=published_figure(bases.loc[closest]), now=now)


def growths(published: pd.DataFrame, as_of: date) -> dict[str, Growth]:
    """The growth of each measure of the case that the record allows, in ``CASE_MEASURES`` order."""
    found = {m: growth(published, m, as_of) for m in CASE_MEASURES}
    return {m: g for m, g in found.items() if g is not None}


def headlines(rows: pd.DataFrame, as_of: date) -> pd.Series:
    """Which published funding figures may stand as headlines on ``as_of``: those at most two years old."""
    return (pd.Timestamp(as_of) - pd.to_datetime(rows["as_of"])).dt.days <= HEADLINE_DAYS
