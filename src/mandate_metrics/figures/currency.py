"""USD conversions of published contributions, from the ECB reference rates (offline).

The rates are the European Central Bank's daily euro reference rates as shipped inside the
``currencyconverter`` package (no network at run time). A contribution is converted at the rate of
its own date, as precisely as that date is known:

- a day-precise date: that day's rate (the last earlier business day's if the ECB set none);
- a month- or year-precise date: the arithmetic mean of the daily rates over that month or year,
  which is how the ECB computes its averages.

The ECB quotes every currency against the euro, so X→USD is (EUR/USD) ÷ (EUR/X) over the same
days. The result is a *derived* value, not an official UN rate of exchange, and every conversion
says so together with its rate and the day or period it comes from.
"""

from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import date, timedelta
from functools import cache
from statistics import fmean

import pandas as pd
from currency_converter import CurrencyConverter, RateNotFoundError

from mandate_metrics.i18n import DEFAULT_LOCALE, fmt_date, fmt_precise_date, fmt_rate, t

SOURCE = "ECB euro reference rates (currencyconverter package)"
LOOKBACK_DAYS = 7  # a day with no ECB rate (weekend, holiday) takes the last earlier business day's


class ConversionError(ValueError):
    """No ECB rate exists for that currency and date."""


@dataclass(frozen=True)
class Conversion:
    """A converted amount and how it was made."""

    usd: float
    rate: float  # USD per unit of the original currency
    basis: str  # "2018-07" / "2017-03-06" / "2019": the day or period the rate comes from
    note: str  # the sentence shown beside the value


@cache
def _converter() -> CurrencyConverter:
    return CurrencyConverter()


def _eur_rate(currency: str, day: date) -> float | None:
    """Units of ``currency`` per euro on ``day``, or None where the ECB set no rate that day."""
    if currency == "EUR":
        return 1.0
    try:
        return float(_converter().convert(1, "EUR", currency, date=day))
    except RateNotFoundError:
        return None


@cache
def _period_mean(currency: str, first: date, last: date) -> float:
    """The mean of the daily EUR/``currency`` rates from ``first`` to ``last`` (business days only)."""
    days = (first + timedelta(days=i) for i in range((last - first).days + 1))
    rates = [r for d in days if (r := _eur_rate(currency, d)) is not None]
    if not rates:
        raise ConversionError(f"no ECB rate for {currency} between {first} and {last}")
    return fmean(rates)


def _day_rate(currency: str, day: date) -> tuple[float, date]:
    for back in range(LOOKBACK_DAYS + 1):
        on = day - timedelta(days=back)
        rate = _eur_rate(currency, on)
        if rate is not None:
            return rate, on
    raise ConversionError(f"no ECB rate for {currency} in the week to {day}")


def usd_per_unit(currency: str, on: date, precision: str) -> tuple[float, date, date]:
    """USD per unit of ``currency`` for a date known to ``precision`` (day, month or year).

    Returns:
        The rate and the first and last day it was taken over (the same day for a day rate).
    """
    if currency == "USD":
        return 1.0, on, on
    if precision == "day":
        usd, day = _day_rate("USD", on)
        other, _ = _day_rate(currency, day)
        return usd / other, day, day
    if precision == "month":
        first, last = on.replace(day=1), on.replace(day=calendar.monthrange(on.year, on.month)[1])
    else:
        first, last = date(on.year, 1, 1), date(on.year, 12, 31)
    return _period_mean("USD", first, last) / _period_mean(currency, first, last), first, last


def convert(
    amount: float, currency: str, on: date, precision: str, locale: str = DEFAULT_LOCALE
) -> Conversion:
    """``amount`` of ``currency`` in USD at the ECB rate for ``on`` (see the module docstring)."""
    rate, first, _ = usd_per_unit(currency, on, precision)
    if currency == "USD":
        return Conversion(usd=amount, rate=1.0, basis="", note="")
    basis = (
        first.isoformat()
        if precision == "day"
        else (first.isoformat()[:7] if precision == "month" else str(first.year))
    )
    when = fmt_date(first, locale) if precision == "day" else fmt_precise_date(first, precision, locale)
    key = "currency.note_day" if precision == "day" else "currency.note_period"
    note = t(key, locale, currency=currency, rate=fmt_rate(rate, locale), when=when, source=SOURCE)
    return Conversion(usd=round(amount * rate, 2), rate=rate, basis=basis, note=note)


def convert_published(contributions: pd.DataFrame) -> pd.DataFrame:
    """The contributions with every published amount converted to USD from the ECB rates.

    Illustrative rows keep their own (USD) amounts; a published row with no amount stays blank.
    ``mandate-metrics seed`` writes the result back to ``data/contributions.csv``, and a test checks
    that each shipped conversion equals what the package's rates give.
    """
    out = contributions.copy()
    for index, row in out.iterrows():
        if row["status"] != "published" or pd.isna(row["amount"]):
            continue
        done = convert(
            float(row["amount"]), str(row["currency"]), row["date"].date(), str(row["date_precision"])
        )
        out.at[index, "amount_usd"] = done.usd
        out.at[index, "usd_rate_note"] = done.note or None
    return out
