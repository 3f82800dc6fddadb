"""Funding metrics by budget year: requirement, regular budget, voluntary payments, gap, coverage.

Definitions (DESIGN.md): gap = requirement - regular budget - voluntary payments for the year;
coverage = funded / requirement, where funded = regular budget + voluntary payments. Pledges are
never counted as funded: what was pledged but not (yet) paid is reported on its own. Only
contributions dated on or before the as-of date count, and only those with a USD amount; the
others are reported as not converted rather than silently dropped or guessed.
"""

from __future__ import annotations

from datetime import date

import pandas as pd


def _known(contributions: pd.DataFrame, as_of: date) -> pd.DataFrame:
    return contributions[contributions["date"] <= pd.Timestamp(as_of)]


def _by_donor_year(contributions: pd.DataFrame) -> pd.DataFrame:
    """Paid and pledged USD per donor and year, and what was pledged beyond what was paid."""
    usd = contributions.dropna(subset=["amount_usd"])
    table = usd.pivot_table(
        index=["donor", "year"], columns="kind", values="amount_usd", aggfunc="sum", fill_value=0.0
    )
    for kind in ("payment", "pledge"):
        if kind not in table.columns:
            table[kind] = 0.0
    table["pledged_unpaid"] = (table["pledge"] - table["payment"]).clip(lower=0.0)
    return table.reset_index()


def funding_by_year(budget: pd.DataFrame, contributions: pd.DataFrame, as_of: date) -> pd.DataFrame:
    """One row per budget year up to the as-of year.

    Returns:
        Columns ``year``, ``requirement_usd``, ``regular_budget_usd``, ``voluntary_paid_usd``,
        ``funded_usd``, ``gap_usd``, ``coverage``, ``pledged_unpaid_usd``, a flag per input
        (``requirement_illustrative``, ``regular_budget_illustrative``, ``voluntary_illustrative``),
        ``illustrative`` (any of them: the derived gap and coverage then are too) and ``year_to_date``.
    """
    years = budget[budget["year"] <= as_of.year].sort_values("year")
    known = _known(contributions, as_of)
    per = (
        _by_donor_year(known)
        if not known.empty
        else pd.DataFrame(columns=["donor", "year", "payment", "pledge", "pledged_unpaid"])
    )
    paid = per.groupby("year")["payment"].sum()
    unpaid = per.groupby("year")["pledged_unpaid"].sum()
    illustrative_years = set(known.loc[known["status"] == "illustrative", "year"])
    out = pd.DataFrame(
        {
            "year": years["year"].astype(int).to_numpy(),
            "requirement_usd": years["requirement_usd"].to_numpy(),
            "regular_budget_usd": years["regular_budget_usd"].fillna(0.0).to_numpy(),
        }
    )
    out["voluntary_paid_usd"] = out["year"].map(paid).fillna(0.0).astype(float)
    out["funded_usd"] = out["regular_budget_usd"] + out["voluntary_paid_usd"]
    out["gap_usd"] = out["requirement_usd"] - out["funded_usd"]
    out["coverage"] = out["funded_usd"] / out["requirement_usd"]
    out["pledged_unpaid_usd"] = out["year"].map(unpaid).fillna(0.0).astype(float)
    out["requirement_illustrative"] = (years["requirement_status"] == "illustrative").to_numpy()
    out["regular_budget_illustrative"] = (years["regular_budget_status"] == "illustrative").to_numpy()
    out["voluntary_illustrative"] = out["year"].isin(illustrative_years)
    out["illustrative"] = out[
        ["requirement_illustrative", "regular_budget_illustrative", "voluntary_illustrative"]
    ].any(axis=1)
    out["year_to_date"] = out["year"] == as_of.year
    return out


def latest_year(funding: pd.DataFrame) -> pd.Series | None:
    """The latest budget year that has a requirement, or None."""
    rows = funding.dropna(subset=["requirement_usd"])
    return None if rows.empty else rows.iloc[-1]


def donors_ranked(contributions: pd.DataFrame, as_of: date, year: int | None = None) -> pd.DataFrame:
    """Donors ranked by voluntary payments (USD), with their share of all payments and open pledges.

    Args:
        contributions: the contributions dataset.
        as_of: only contributions dated on or before this day count.
        year: a single budget year, or None for all years up to ``as_of``.
    """
    known = _known(contributions, as_of)
    if year is not None:
        known = known[known["year"] == year]
    columns = ["donor", "donor_type", "paid_usd", "share", "pledged_unpaid_usd", "illustrative"]
    if known.empty:
        return pd.DataFrame(columns=columns)
    per = _by_donor_year(known).groupby("donor")[["payment", "pledged_unpaid"]].sum()
    info = known.groupby("donor").agg(
        donor_type=("donor_type", "first"),
        illustrative=("status", lambda s: bool((s == "illustrative").any())),
    )
    out = info.join(per, how="left").fillna({"payment": 0.0, "pledged_unpaid": 0.0})
    out = out.rename(columns={"payment": "paid_usd", "pledged_unpaid": "pledged_unpaid_usd"})
    total = out["paid_usd"].sum()
    out["share"] = out["paid_usd"] / total if total else 0.0
    out = out.reset_index().sort_values(
        ["paid_usd", "pledged_unpaid_usd", "donor"], ascending=[False, False, True], ignore_index=True
    )
    return out[columns]


def donors_per_year(contributions: pd.DataFrame, as_of: date) -> pd.DataFrame:
    """How many donors paid or pledged in each year up to ``as_of``."""
    known = _known(contributions, as_of)
    counts = known.groupby("year")["donor"].nunique()
    return counts.rename_axis("year").reset_index(name="donors")


def not_converted(contributions: pd.DataFrame, as_of: date) -> pd.DataFrame:
    """Contributions with no USD amount: shown in their own currency, left out of USD totals."""
    known = _known(contributions, as_of)
    return known[known["amount_usd"].isna()]


# The published record of funding ------------------------------------------------------------------

FUNDING_MEASURES = (
    "regular_budget_approved_2020",
    "regular_budget_proposed_2020",
    "estimated_budget_2018",
    "operating_cost_estimate",
    "voluntary_contributed_to_date",
    "pledged_to_date",
    "received_to_date",
    "received_for_2018",
    "funding_gap_stated",
)
"""Published funding figures, each in its own currency (its ``unit``): what the record view shows."""


def published_funding(published: pd.DataFrame, as_of: date) -> pd.DataFrame:
    """The latest published figure of each funding measure dated on or before ``as_of``, oldest first."""
    rows = published[published["metric"].isin(FUNDING_MEASURES) & (published["as_of"] <= pd.Timestamp(as_of))]
    latest = rows.sort_values(["as_of", "figure_id"]).drop_duplicates("metric", keep="last")
    return latest.sort_values(["as_of", "figure_id"], ignore_index=True)


def published_contributions(contributions: pd.DataFrame, as_of: date) -> pd.DataFrame:
    """Every published contribution dated on or before ``as_of`` (some state no amount), oldest first."""
    known = _known(contributions, as_of)
    return known[known["status"] == "published"].sort_values(["date", "donor"], ignore_index=True)


def contributing_donors(published: pd.DataFrame) -> list[str]:
    """The donors with at least one published contribution, in alphabetical order.

    The one donor count the page, the briefing and the deck state. A statement of support is not
    a contribution; an announcement, pledge or payment counts even where its amount is not stated.
    """
    return sorted(set(published.loc[published["kind"] != "support", "donor"]))


def statements_of_need(messages: pd.DataFrame, as_of: date) -> pd.DataFrame:
    """The published statements of need (the record's "ask"), newest first."""
    rows = messages[messages["page"].isin(["funding", "ask"]) & (messages["date"] <= pd.Timestamp(as_of))]
    return rows.sort_values("date", ascending=False, ignore_index=True)
