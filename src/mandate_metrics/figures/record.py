"""One question, two answers: what is this measure as of this date, and where does it come from?

Pages, the briefing and the command line ask ``Evidence`` for a measure as of a date. Two
implementations answer:

- ``PublishedRecord``: only what the IIIM or the UN published, each value with its source and its
  own date (the latest published on or before the as-of date), lower bounds kept as lower bounds.
- ``LedgerEvidence``: computed from a version of the request ledger, sample or official.

Every value comes back as a ``Figure`` that carries its provenance, so a chart title, a slide, a
CSV row or a citation reads the marking from the value itself and never from the page it is on:

- ``published``: equal to a published figure for that measure and date; carries its source;
- ``official``: computed from a dataset version staff declared official; carries that version;
- ``derived``: arithmetic on published figures (a ratio, a currency conversion); says how;
- ``illustrative``: computed from sample data; never stated as a finding.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import date
from functools import cached_property
from typing import Literal, Protocol

import pandas as pd

from mandate_metrics.figures import metrics
from mandate_metrics.i18n import DEFAULT_LOCALE, t
from mandate_metrics.loading import Datasets

Provenance = Literal["published", "official", "derived", "illustrative"]
PROVENANCES: tuple[Provenance, ...] = ("published", "official", "derived", "illustrative")
View = Literal["record", "ledger"]
VIEWS: tuple[View, ...] = ("record", "ledger")

SERIES_MEASURES = (
    "requests_received",
    "requests_supported",
    "requesting_jurisdictions",
    "investigations_related",
    "investigations_supported",
)
"""Cumulative measures both implementations can draw over time."""

EVIDENCE_MEASURES = (
    "repository_size_tb",
    "collection_activities_year",
    "cooperation_frameworks",
    "cso_protocol_signatories",
)
"""The evidence-and-partners panel: published in every view (no ledger holds them)."""


@dataclass(frozen=True)
class Figure:
    """One value and everything needed to cite it."""

    measure: str
    value: float
    on: date  # the day the value describes (a published figure's own date)
    provenance: Provenance
    qualifier: str = "exact"  # exact, approx or lower_bound (published wording kept)
    precision: str = "day"  # day, month or year: how precisely ``on`` is known
    source_title: str = ""
    source_url: str | None = None
    dataset_version: str = ""  # for official and illustrative values: the ledger version
    how: str = ""  # for derived values: the arithmetic, in words

    @property
    def is_illustrative(self) -> bool:
        """True when the value rests on sample data: it may never be stated as a finding."""
        return self.provenance == "illustrative"


@dataclass(frozen=True)
class Change:
    """How much a measure grew between two dated figures (both of the same provenance kind)."""

    delta: float
    since: date
    qualifier: str = "exact"  # lower_bound when the later figure is one ("more than +30")
    provenance: Provenance = "derived"


def any_illustrative(figures: Sequence[Figure | None]) -> bool:
    """True when any of the figures rests on sample data."""
    return any(f is not None and f.is_illustrative for f in figures)


def _published_rows(published: pd.DataFrame, measure: str, as_of: date) -> pd.DataFrame:
    rows = published[(published["metric"] == measure) & (published["as_of"] <= pd.Timestamp(as_of))]
    return rows.sort_values(["as_of", "figure_id"])


def published_figure(row: pd.Series) -> Figure:
    """A published figure row as a ``Figure``."""
    return Figure(
        measure=str(row["metric"]),
        value=float(row["value"]),
        on=row["as_of"].date(),
        provenance="published",
        qualifier=str(row["qualifier"]),
        precision=str(row["as_of_precision"]),
        source_title=str(row["source_title"]),
        source_url=None if pd.isna(row["source_url"]) else str(row["source_url"]),
    )


class Evidence(Protocol):
    """What pages, the briefing and the command line ask; see the module docstring."""

    @property
    def view(self) -> View:
        """Which view answers: the record or a ledger."""
        ...

    @property
    def has_ledger(self) -> bool:
        """Whether breakdowns (per year, by kind, by jurisdiction) exist at all."""
        ...

    def figure(self, measure: str, as_of: date) -> Figure | None:
        """The measure's value as of ``as_of``, or None when there is none."""
        ...

    def series(self, measure: str, as_of: date) -> list[Figure]:
        """The measure over time up to ``as_of``, oldest first, for a chart."""
        ...

    def change(self, measure: str, as_of: date) -> Change | None:
        """How much the measure grew to ``as_of``, and since when; None when it cannot be said."""
        ...

    def support_rate(self, as_of: date) -> Figure | None:
        """Requests supported ÷ requests received, only where both are known for one day."""
        ...


@dataclass(frozen=True)
class PublishedRecord:
    """The published record: every value is a published figure (or arithmetic on them)."""

    published: pd.DataFrame
    view: View = "record"
    has_ledger: bool = False

    def figure(self, measure: str, as_of: date) -> Figure | None:
        """The latest figure published for ``measure`` on or before ``as_of``, with its own date."""
        rows = _published_rows(self.published, measure, as_of)
        return None if rows.empty else published_figure(rows.iloc[-1])

    def series(self, measure: str, as_of: date) -> list[Figure]:
        """Every day-precise published figure of ``measure``: a figure dated "2019" has no day to sit on."""
        rows = _published_rows(self.published, measure, as_of)
        rows = rows[rows["as_of_precision"] == "day"].drop_duplicates("as_of", keep="last")
        return [published_figure(row) for _, row in rows.iterrows()]

    def change(self, measure: str, as_of: date) -> Change | None:
        """The change between the two latest published figures, when the earlier one is exact."""
        rows = _published_rows(self.published, measure, as_of)
        rows = rows.drop_duplicates("as_of", keep="last")
        if len(rows) < 2:
            return None
        now, before = published_figure(rows.iloc[-1]), published_figure(rows.iloc[-2])
        if before.qualifier != "exact" or now.qualifier == "approx":
            return None
        return Change(delta=now.value - before.value, since=before.on, qualifier=now.qualifier)

    def support_rate(self, as_of: date) -> Figure | None:
        """Derived from a received and a supported figure published for the same day."""
        received = self.figure("requests_received", as_of)
        supported = self.figure("requests_supported", as_of)
        return _rate(received, supported)


def _rate(received: Figure | None, supported: Figure | None) -> Figure | None:
    if received is None or supported is None or received.on != supported.on or not received.value:
        return None
    if "exact" != received.qualifier or "exact" != supported.qualifier:
        return None
    both_published = received.provenance == supported.provenance == "published"
    return Figure(
        measure="support_rate",
        value=supported.value / received.value,
        on=received.on,
        provenance="derived" if both_published else received.provenance,
        source_title=received.source_title if both_published else "",
        source_url=received.source_url if both_published else None,
        dataset_version=received.dataset_version,
        how=f"{supported.value:g} ÷ {received.value:g}",
    )


@dataclass(frozen=True)
class LedgerEvidence:
    """A version of the request ledger: sample (illustrative) or declared official by staff.

    A computed value that equals the figure published for that measure on that very day is that
    published figure, and carries its source; every other value carries the ledger's marking.
    """

    requests: pd.DataFrame
    published: pd.DataFrame
    provenance: Provenance  # "illustrative" or "official"
    version: str
    view: View = "ledger"
    has_ledger: bool = True

    @cached_property
    def _exact_by_day(self) -> dict[tuple[str, date, float], Figure]:
        """Exact day-precise published figures by (measure, day, value): one lookup per ledger point."""
        rows = self.published[
            (self.published["as_of_precision"] == "day") & (self.published["qualifier"] == "exact")
        ]
        return {
            (str(row["metric"]), row["as_of"].date(), float(row["value"])): published_figure(row)
            for _, row in rows.iterrows()
        }

    @cached_property
    def index(self) -> metrics.LedgerIndex:
        """The ledger indexed once per evidence object (held per data version by the app)."""
        return metrics.LedgerIndex.of(self.requests)

    def _mark(self, measure: str, value: float, on: date) -> Figure:
        published = self._exact_by_day.get((measure, on, value))
        if published is not None:
            return replace(published, dataset_version=self.version)
        return Figure(
            measure=measure, value=value, on=on, provenance=self.provenance, dataset_version=self.version
        )

    def figure(self, measure: str, as_of: date) -> Figure | None:
        """The ledger's value on ``as_of``; None for measures the ledger does not hold."""
        if measure not in metrics.LEDGER_METRICS:
            return None
        return self._mark(measure, float(self.index.headline(as_of).value(measure)), as_of)

    def series(self, measure: str, as_of: date) -> list[Figure]:
        """The ledger at every month end and on ``as_of``."""
        if measure not in metrics.LEDGER_METRICS:
            return []
        points = metrics.cumulative_series(self.requests, as_of, self.index)
        return [
            self._mark(measure, float(v), d.date())
            for d, v in zip(points["date"], points[measure], strict=True)
        ]

    def change(self, measure: str, as_of: date) -> Change | None:
        """Growth over the twelve months to ``as_of``."""
        if measure not in metrics.LEDGER_METRICS:
            return None
        since = metrics.year_before(as_of)
        delta = self.index.change_over_year(as_of)[measure]
        return Change(delta=float(delta), since=since, provenance=self.provenance)

    def support_rate(self, as_of: date) -> Figure | None:
        """Supported ÷ received on ``as_of``: derived when both equal published figures."""
        return _rate(self.figure("requests_received", as_of), self.figure("requests_supported", as_of))


def evidence_of(datasets: Datasets, view: View) -> Evidence:
    """The implementation for ``view`` over one load of the datasets."""
    published = datasets.frame("published_figures")
    if view == "record":
        return PublishedRecord(published)
    ledger = datasets["requests"]
    provenance: Provenance = "illustrative" if ledger.meta.is_illustrative else "official"
    return LedgerEvidence(datasets.frame("requests"), published, provenance, ledger.version)


def view_name(datasets: Datasets, view: View, locale: str = DEFAULT_LOCALE) -> str:
    """What a view is called for this data: the published record, the sample, or official data."""
    if view == "record":
        return t("view.record", locale)
    return t("view.sample" if datasets["requests"].meta.is_illustrative else "view.official", locale)


def view_token(datasets: Datasets, view: View) -> str:
    """The view as the address writes it: ``record``, ``sample`` or ``official``."""
    if view == "record":
        return "record"
    return "sample" if datasets["requests"].meta.is_illustrative else "official"


def default_view(ledger_illustrative: bool) -> View:
    """The published record while the ledger is sample data; the official ledger once there is one."""
    return "record" if ledger_illustrative else "ledger"


def figures_frame(
    lines: Sequence[tuple[str, Sequence[Figure]]], locale: str = DEFAULT_LOCALE
) -> pd.DataFrame:
    """Exactly the values a chart draws, one row each, every row with its own provenance and source.

    Downloads and table views use this, so a row copied out of a file still says what it is.
    """
    rows = [
        {
            t("column.date", locale): f.on,
            t("column.measure", locale): t(f"metric.{measure}", locale),
            t("column.value", locale): f.value,
            t("column.qualifier", locale): qualifier_word(f.qualifier, locale),
            PROVENANCE_COLUMN: f.provenance,
            t("column.source", locale): source_name(f, locale),
        }
        for measure, figures in lines
        for f in figures
    ]
    frame = pd.DataFrame(rows)
    values = frame.get(t("column.value", locale))
    if values is not None and len(values) and (values.dropna() % 1 == 0).all():
        frame[t("column.value", locale)] = values.astype("Int64")  # counts read 15, not 15.0
    return frame


def qualifier_word(qualifier: str, locale: str = DEFAULT_LOCALE) -> str:
    """How a value is stated, in words: exact, about, more than (never a bare symbol)."""
    if qualifier == "exact":
        return t("qualifier.exact_word", locale)
    return t(f"qualifier.{qualifier}", locale, value="").strip()


def source_name(figure: Figure, locale: str = DEFAULT_LOCALE) -> str:
    """Where a value comes from: its publication, or the ledger named for what it is and its version."""
    if figure.source_title:
        return figure.source_title
    kind = t("view.sample" if figure.is_illustrative else "view.official", locale)
    return f"{kind} ({figure.dataset_version})" if figure.dataset_version else kind


PROVENANCE_COLUMN = "provenance"
"""The per-row marking column of every download: published, official, derived or illustrative."""


def ledger_shows(datasets: Datasets, view: View, names: Sequence[str]) -> bool:
    """Whether this view draws what datasets ``names`` compute (breakdowns, budget years).

    The sample view draws everything, marked; the record draws none of it; official data is
    never drawn beside sample values, so there a part resting on a still-illustrative dataset
    shows the published record instead.
    """
    if view == "record":
        return False
    if datasets["requests"].meta.is_illustrative:
        return True
    return not any(datasets[name].meta.is_illustrative for name in names)
