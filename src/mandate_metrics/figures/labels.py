"""Where a chart's value labels go, so that two close points never print their values on each other.

One rule for the screen (Plotly) and the deck (PowerPoint): above each point, the lower of two
lines below its points, and points close in time spread apart. Plotly names the places
"top center"; ``deck`` maps them to PowerPoint's label positions.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date


def lowest(series: Sequence[Sequence[float | None]]) -> int | None:
    """Which of two or more lines ends lowest (its labels go below its points); None for one line."""
    ends = {
        i: [v for v in values if v is not None][-1]
        for i, values in enumerate(series)
        if any(v is not None for v in values)
    }
    return min(ends, key=lambda i: ends[i]) if len(ends) > 1 else None


def label_positions(days: Sequence[date], below: bool = False) -> list[str]:
    """Above each point, alternating below for points close in time (367 and 375, weeks apart).

    ``below`` keeps every label under its point, for the lower of two lines whose labels would
    otherwise sit on the line above (close points are spread left and right instead); the axis
    then starts a little under zero, see ``charts._floor``, so those labels clear the dates.
    """
    first = "bottom center" if below else "top center"
    positions: list[str] = []
    for index, day in enumerate(days):
        close = index > 0 and (day - days[index - 1]).days < 240 and positions[-1] == first
        if close and below:  # both stay under the line, spread apart (above is the other line's)
            positions[-1] = "bottom left"
        positions.append("bottom right" if close else first)
    return positions
