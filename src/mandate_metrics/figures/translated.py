"""The data's own words in the reader's language: donors, jurisdictions, regions, labels and events.

A delegate reading in Arabic or French should not meet English names in the middle of their
language. Each kind of word has one source of its translation:

- a state's or the EU's name comes from CLDR through Babel, by its code (``donor_code``, ``iso3``);
- a region and the sample data's placeholder names ("Member State A") come from the catalogues;
- our own labels, occasions, events and attributions come from the ``<column>_<lang>`` columns of
  the shipped data (``schemas.TRANSLATED``), where staff can correct them.

A source's own words (quotations, source titles) are not translated. Where a translation is
missing, the English is kept: nothing is invented.
"""

from __future__ import annotations

import re
from dataclasses import replace
from datetime import date, datetime
from functools import cache

import pandas as pd
from babel import Locale, UnknownLocaleError
from babel.core import get_global

from mandate_metrics.i18n import DEFAULT_LOCALE, EN, fmt_date, fmt_precise_date, fmt_rate, language, t
from mandate_metrics.loading import Datasets
from mandate_metrics.schemas import DATA_LANGUAGES, TRANSLATED

REGIONS = {
    "Europe": "region.europe",
    "North America": "region.north_america",
    "Latin America": "region.latin_america",
    "Asia-Pacific": "region.asia_pacific",
    "Middle East and North Africa": "region.mena",
    "Africa": "region.africa",
    "International": "region.international",
}
"""The regions the data uses, each with its catalogue key. Another region is shown as written."""

PLACEHOLDERS = {
    "Member State": "data.member_state",
    "Intergovernmental organisation": "data.intergovernmental",
    "Private foundation": "data.private_foundation",
    "Jurisdiction": "data.jurisdiction",
}
"""The sample data's neutral names ("Member State A"): a kind of name and a letter."""
_PLACEHOLDER = re.compile(rf"^({'|'.join(PLACEHOLDERS)}) ([A-Z]{{1,2}})$")

VERIFICATION_NOTES = {
    "date inferred": "verification.date_inferred",
    "year inferred": "verification.year_inferred",
    "via translation": "verification.via_translation",
    "the figure is the motion's": "verification.motion",
}
"""Notes beside a verification code ("VERIFIED-P (date inferred)"): the code stays, the note is ours."""
_NOTE = re.compile(r"^(.*)\((.+)\)$")

LANG = "_lang"
"""Suffix of the column that says which language a translated column's value is in: the English
shown where a translation is missing is declared English in the page."""

KEY = "_key"
"""Suffix of the column that keeps a translated name's English form: the address (``?donor=``) and
the choices use it, so a link works in every language."""


@cache
def _territories(locale: str) -> dict[str, str]:
    try:
        return dict(Locale.parse(language(locale)).territories)
    except (UnknownLocaleError, ValueError):
        return {}


def territory(code: object, locale: str) -> str | None:
    """A state's (or the EU's) name in ``locale`` from CLDR, by ISO 3166 alpha-2 or alpha-3 code."""
    if not isinstance(code, str) or not code:
        return None
    alpha2 = code if len(code) == 2 else next(iter(get_global("territory_aliases").get(code, [])), None)  # noqa: PLR2004
    return _territories(locale).get(alpha2 or "")


def placeholder(name: str, locale: str) -> str | None:
    """A sample placeholder ("Member State A") in ``locale``; None for any other name."""
    found = _PLACEHOLDER.match(name)
    return t(PLACEHOLDERS[found[1]], locale, letter=found[2]) if found else None


def name_in(name: object, code: object, locale: str) -> str:
    """A donor's or jurisdiction's name in ``locale``: CLDR by code, a placeholder, else as written."""
    text = "" if name is None or (isinstance(name, float) and pd.isna(name)) else str(name)
    if language(locale) == DEFAULT_LOCALE:
        return text
    return territory(code, locale) or placeholder(text, locale) or text


def region_in(region: object, locale: str) -> str:
    """A region's name in ``locale`` (as written when the catalogue does not know it)."""
    text = str(region)
    key = REGIONS.get(text)
    return t(key, locale) if key else text


def verification_in(value: str, locale: str) -> str:
    """A verification code with its note in ``locale`` ("VERIFIED-P (date inferred)")."""
    found = _NOTE.match(value)
    key = VERIFICATION_NOTES.get(found[2]) if found else None
    return f"{found[1]}({t(key, locale)})" if found and key else value


@cache
def _note_pattern(key: str) -> re.Pattern[str]:
    """The English sentence of message ``key`` as a pattern, its placeholders as named groups."""
    parts = re.split(r"\{(\w+)\}", EN[key])
    return re.compile(
        "^" + "".join(f"(?P<{p}>.+?)" if i % 2 else re.escape(p) for i, p in enumerate(parts)) + "$"
    )


def _day_or_period(text: str) -> tuple[date, str] | None:
    for pattern, precision in (("%d %B %Y", "day"), ("%B %Y", "month"), ("%Y", "year")):
        try:
            return datetime.strptime(text, pattern).date(), precision  # noqa: DTZ007 - a calendar day
        except ValueError:
            continue
    return None


def rate_note_in(note: str, locale: str) -> str:
    """A USD conversion's note (``figures.currency``) in ``locale``; a note staff wrote stays as written.

    The note is stored in English in the data; its rate, currency and dates are read back from it
    and put in the locale's sentence, the same one ``currency.convert`` writes in that language.
    """
    for key in ("currency.note_day", "currency.note_period"):
        found = _note_pattern(key).match(note)
        when = _day_or_period(found["when"]) if found else None
        if found and when:
            day, precision = when
            shown = fmt_date(day, locale) if precision == "day" else fmt_precise_date(day, precision, locale)
            return t(
                key,
                locale,
                currency=found["currency"],
                rate=fmt_rate(float(found["rate"]), locale),
                when=shown,
                source=found["source"],
            )
    return note


def frame_in(name: str, frame: pd.DataFrame, locale: str) -> pd.DataFrame:
    """Dataset ``name`` with its own words in ``locale``; the same frame in English.

    Translated names keep their English beside them (``donor_key``) where the page uses the name as
    a key. Codes, numbers and a source's words are never touched.
    """
    lang = language(locale)
    if lang == DEFAULT_LOCALE or frame.empty:
        return frame
    out = frame.copy()
    for column in TRANSLATED.get(name, ()):
        local = out.get(f"{column}_{lang}", pd.Series(None, index=out.index, dtype=object))
        has = local.notna() & (local.astype(str) != "") & (lang in DATA_LANGUAGES)
        out[column] = local.where(has, out[column])
        out[column + LANG] = has.map({True: lang, False: DEFAULT_LOCALE})  # for ``lang`` in the page
    if name == "published_figures":
        out["verification"] = [verification_in(str(v), locale) for v in out["verification"]]
    if name == "contributions":
        out["usd_rate_note"] = [
            n if not isinstance(n, str) else rate_note_in(n, locale) for n in out["usd_rate_note"]
        ]
        out["donor" + KEY] = out["donor"]
        out["donor"] = [name_in(d, c, locale) for d, c in zip(out["donor"], out["donor_code"], strict=True)]
    if name == "jurisdictions":
        out["name"] = [name_in(n, c, locale) for n, c in zip(out["name"], out["iso3"], strict=True)]
        out["region"] = [region_in(r, locale) for r in out["region"]]
    return out


def datasets_in(data: Datasets, locale: str) -> Datasets:
    """Every dataset with its own words in ``locale`` (for the deck, the PDF and the command line)."""
    loaded = data.as_loaded()
    if language(locale) in (DEFAULT_LOCALE, data.language):
        return loaded if language(locale) == DEFAULT_LOCALE else data
    items = tuple(replace(item, frame=frame_in(item.name, item.frame, locale)) for item in loaded.items_)
    return replace(loaded, items_=items, language=language(locale), english=loaded)
