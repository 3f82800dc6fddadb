"""Dataset schemas: the single place where each column is declared.

Every dataset is checked against its model on every load (and, later, on every upload). Models are
strict (no unknown columns) and coerce text to the declared types, so a CSV read as text validates
the same way as a typed DataFrame. Allowed values live here as named constants so the pages, the
charts and the tests all draw from one list.
"""

from __future__ import annotations

import pandas as pd
import pandera.pandas as pa
from pandera.typing import Series

EARLIEST_DATE = pd.Timestamp("2016-12-21")  # GA resolution 71/248 created the IIIM on this day.

PROVENANCE = ("published", "illustrative")
QUALIFIERS = ("exact", "approx", "lower_bound")
PRECISIONS = ("day", "month", "year")
SOURCE_TYPES = ("primary", "secondary")
REQUEST_STATUSES = ("received", "under_review", "supported", "declined", "withdrawn")
DECISION_STATUSES = ("supported", "declined")
ASSISTANCE_TYPES = ("evidence_sharing", "analytical_product", "witness_identification", "legal_advice")
STAGES = ("investigation", "prosecution", "trial", "judgment", "closed")
JURISDICTION_KINDS = ("national", "international")
CONTRIBUTION_KINDS = ("pledge", "payment", "announcement", "support")
"""announcement: stated publicly, not known to be paid; support: a statement of support with no amount."""
DONOR_TYPES = ("member_state", "intergovernmental", "private")
VALUE_STATUSES = ("published", "illustrative", "not_available")
MILESTONE_TOPICS = ("institution", "funding", "vote")
DATA_LANGUAGES = ("ar", "fr", "es", "ru", "zh")
"""Languages the shipped data's own words are translated into, as ``<column>_<language>`` columns."""
TRANSLATED: dict[str, tuple[str, ...]] = {
    "published_figures": ("label", "occasion"),
    "milestones": ("event",),
    "messages": ("attribution",),
}
"""Per dataset, the columns of our own words (not a source's) that carry translations.

Quotations and source titles are not here: they stay in the language they were said in.
"""


class _Base(pa.DataFrameModel):
    class Config:
        strict = True
        coerce = True


class PublishedFigures(_Base):
    """One figure the IIIM or the UN published, with its source and the words it was said in."""

    figure_id: Series[str] = pa.Field(unique=True)
    as_of: Series[pa.DateTime]
    as_of_precision: Series[str] = pa.Field(isin=PRECISIONS)
    metric: Series[str]
    label: Series[str]
    value: Series[float] = pa.Field(ge=0)
    qualifier: Series[str] = pa.Field(isin=QUALIFIERS)
    unit: Series[str]
    source_title: Series[str]
    source_url: Series[str] = pa.Field(nullable=True)
    source_type: Series[str] = pa.Field(isin=SOURCE_TYPES)
    verification: Series[str]
    quote: Series[str] = pa.Field(nullable=True)
    occasion: Series[str] = pa.Field(nullable=True)  # where it was presented: "Brussels VIII"
    label_ar: Series[str] = pa.Field(nullable=True)
    label_fr: Series[str] = pa.Field(nullable=True)
    label_es: Series[str] = pa.Field(nullable=True)
    label_ru: Series[str] = pa.Field(nullable=True)
    label_zh: Series[str] = pa.Field(nullable=True)
    occasion_ar: Series[str] = pa.Field(nullable=True)
    occasion_fr: Series[str] = pa.Field(nullable=True)
    occasion_es: Series[str] = pa.Field(nullable=True)
    occasion_ru: Series[str] = pa.Field(nullable=True)
    occasion_zh: Series[str] = pa.Field(nullable=True)


class Requests(_Base):
    """One request for assistance in the ledger, with its latest status and the date it took it."""

    request_id: Series[str] = pa.Field(unique=True)
    received_on: Series[pa.DateTime] = pa.Field(ge=EARLIEST_DATE)
    jurisdiction_id: Series[str]
    assistance_type: Series[str] = pa.Field(isin=ASSISTANCE_TYPES)
    status: Series[str] = pa.Field(isin=REQUEST_STATUSES)
    status_on: Series[pa.DateTime] = pa.Field(ge=EARLIEST_DATE)
    investigation_id: Series[str]

    @pa.dataframe_check(error="status_on must not be before received_on")
    @classmethod
    def status_after_receipt(cls, df: pd.DataFrame) -> pd.Series:
        """A request cannot change status before it arrives."""
        return df["status_on"] >= df["received_on"]


class Investigations(_Base):
    """One national or international investigation that requests relate to."""

    investigation_id: Series[str] = pa.Field(unique=True)
    jurisdiction_id: Series[str]
    stage: Series[str] = pa.Field(isin=STAGES)
    stage_on: Series[pa.DateTime] = pa.Field(ge=EARLIEST_DATE)


class Jurisdictions(_Base):
    """One jurisdiction that can request assistance; names are shown only where disclose_name."""

    jurisdiction_id: Series[str] = pa.Field(unique=True)
    name: Series[str]
    kind: Series[str] = pa.Field(isin=JURISDICTION_KINDS)
    region: Series[str]
    iso3: Series[str] = pa.Field(nullable=True, str_matches=r"^[A-Z]{3}$")
    disclose_name: Series[bool]


class Contributions(_Base):
    """One voluntary pledge or payment, in its original currency and (where converted) in USD."""

    contribution_id: Series[str] = pa.Field(unique=True)
    donor: Series[str]
    # ISO 3166-1 alpha-2 (or CLDR's EU) where the donor is a state or the EU: its name in each language
    donor_code: Series[str] = pa.Field(nullable=True, str_matches=r"^[A-Z]{2}$")
    donor_type: Series[str] = pa.Field(isin=DONOR_TYPES)
    year: Series[int] = pa.Field(ge=2016, le=2100)
    kind: Series[str] = pa.Field(isin=CONTRIBUTION_KINDS)
    amount: Series[float] = pa.Field(ge=0, nullable=True)  # empty: the source states no amount
    currency: Series[str] = pa.Field(str_matches=r"^[A-Z]{3}$", nullable=True)
    amount_usd: Series[float] = pa.Field(ge=0, nullable=True)
    usd_rate_note: Series[str] = pa.Field(nullable=True)
    date: Series[pa.DateTime] = pa.Field(ge=EARLIEST_DATE - pd.Timedelta(days=366))
    date_precision: Series[str] = pa.Field(isin=PRECISIONS)
    source_title: Series[str] = pa.Field(nullable=True)
    source_url: Series[str] = pa.Field(nullable=True)
    status: Series[str] = pa.Field(isin=PROVENANCE)


class Budget(_Base):
    """One year's requirement and regular-budget appropriation, each value with its own provenance."""

    year: Series[int] = pa.Field(unique=True, ge=2016, le=2100)
    requirement_usd: Series[float] = pa.Field(ge=0, nullable=True)
    requirement_status: Series[str] = pa.Field(isin=VALUE_STATUSES)
    regular_budget_usd: Series[float] = pa.Field(ge=0, nullable=True)
    regular_budget_status: Series[str] = pa.Field(isin=VALUE_STATUSES)
    source_title: Series[str] = pa.Field(nullable=True)
    source_url: Series[str] = pa.Field(nullable=True)
    note: Series[str] = pa.Field(nullable=True)


class Messages(_Base):
    """One key message or quote for a narrative panel, with who said it and where."""

    message_id: Series[str] = pa.Field(unique=True)
    page: Series[str]
    text: Series[str]
    attribution: Series[str]
    date: Series[pa.DateTime]
    source_title: Series[str]
    source_url: Series[str] = pa.Field(nullable=True)
    status: Series[str] = pa.Field(isin=PROVENANCE)
    # An appeal (page "appeal"): the amount asked for, its currency and the year it is for.
    amount: Series[float] = pa.Field(ge=0, nullable=True)
    currency: Series[str] = pa.Field(str_matches=r"^[A-Z]{3}$", nullable=True)
    year: Series[float] = pa.Field(ge=2016, le=2100, nullable=True)
    attribution_ar: Series[str] = pa.Field(nullable=True)
    attribution_fr: Series[str] = pa.Field(nullable=True)
    attribution_es: Series[str] = pa.Field(nullable=True)
    attribution_ru: Series[str] = pa.Field(nullable=True)
    attribution_zh: Series[str] = pa.Field(nullable=True)


class Milestones(_Base):
    """One dated event in the IIIM's history, for the overview timeline."""

    milestone_id: Series[str] = pa.Field(unique=True)
    date: Series[pa.DateTime]
    date_precision: Series[str] = pa.Field(isin=PRECISIONS)
    event: Series[str]
    source_title: Series[str]
    source_url: Series[str] = pa.Field(nullable=True)
    verification: Series[str]
    topic: Series[str] = pa.Field(isin=MILESTONE_TOPICS)
    event_ar: Series[str] = pa.Field(nullable=True)
    event_fr: Series[str] = pa.Field(nullable=True)
    event_es: Series[str] = pa.Field(nullable=True)
    event_ru: Series[str] = pa.Field(nullable=True)
    event_zh: Series[str] = pa.Field(nullable=True)


SCHEMAS: dict[str, type[_Base]] = {
    "published_figures": PublishedFigures,
    "requests": Requests,
    "investigations": Investigations,
    "jurisdictions": Jurisdictions,
    "contributions": Contributions,
    "budget": Budget,
    "messages": Messages,
    "milestones": Milestones,
}
"""Every dataset the app knows, by name, in the order the sources page lists them."""


OPTIONAL: dict[str, tuple[str, ...]] = {
    name: tuple(f"{column}_{lang}" for column in columns for lang in DATA_LANGUAGES)
    for name, columns in TRANSLATED.items()
} | {"contributions": ("donor_code",)}
"""Columns an upload may leave out (they are read as empty): translations and codes added after
staff had templates. Without them a page shows the English, declared as English."""
