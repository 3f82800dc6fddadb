"""Translation and locale-aware formatting.

Every user-facing string goes through ``t`` (by key) or ``_`` (by its English text, for messages
built deep in the upload checks); every number and date through the ``fmt_*`` helpers (Babel).
The English text is in ``messages.py``; Arabic and French are gettext catalogues in ``locales/``
(``.po`` edited with Babel's tools, ``.mo`` compiled from them: ``make catalogs``).

Streamlit serves every session from one process, so the language is never installed globally:
``t`` takes the locale, and ``_`` reads it from a context variable the caller sets with
``speaking(locale)`` for the duration of one check.
"""

from __future__ import annotations

import gettext
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from datetime import date
from functools import cache
from pathlib import Path

from babel.dates import format_date, format_skeleton
from babel.numbers import (
    format_compact_currency,
    format_compact_decimal,
    format_decimal,
    format_percent,
    get_currency_name,
)

from mandate_metrics.messages import MESSAGES

DEFAULT_LOCALE = "en"
LOCALES_DIR = Path(__file__).parent / "locales"
DOMAIN = "messages"
# Each language named in itself, in the order the switcher lists them.
# The six official UN languages; after English, in the UN's own order (Arabic, Chinese, French,
# Russian, Spanish: the order of their English names, as un.org lists them).
LANGUAGES: dict[str, str] = {
    "en": "English",
    "ar": "العربية",
    "zh": "中文",
    "fr": "Français",
    "ru": "Русский",
    "es": "Español",
}
RIGHT_TO_LEFT = frozenset({"ar"})
LONG_DATES = frozenset({"es", "ru", "zh"})
"""Languages whose dates take CLDR's own long pattern and month-year skeleton, with their words and
cases: "29 de mayo de 2024", "29 мая 2024 г." but "май 2024 г.", "2024年5月29日"."""
YEARS = {"ru": "y\u202f'г'.", "zh": "y年"}
"""A year-precise date where the language writes a word with it: "2025 г.", "2025年"."""

EN: dict[str, str] = {k: v for k, v in MESSAGES.items() if isinstance(v, str)}
PLURALS: dict[str, tuple[str, str]] = {k: v for k, v in MESSAGES.items() if isinstance(v, tuple)}

# UN Arabic writes the Levantine and the Egyptian month names together (A/66/537; iiim.un.org/ar).
UN_ARABIC_MONTHS = (
    "كانون الثاني/يناير",
    "شباط/فبراير",
    "آذار/مارس",
    "نيسان/أبريل",
    "أيار/مايو",
    "حزيران/يونيه",
    "تموز/يوليه",
    "آب/أغسطس",
    "أيلول/سبتمبر",
    "تشرين الأول/أكتوبر",
    "تشرين الثاني/نوفمبر",
    "كانون الأول/ديسمبر",
)

_speaking: ContextVar[str] = ContextVar("speaking", default=DEFAULT_LOCALE)


def language(locale: str) -> str:
    """The two-letter language of a locale ("ar" for "ar_SY"), or English if we have no catalogue."""
    lang = locale.split("_")[0].split("-")[0].lower()
    return lang if lang in LANGUAGES else DEFAULT_LOCALE


def direction(locale: str) -> str:
    """The writing direction, ``rtl`` or ``ltr``: for ``dir`` attributes and chart layout."""
    return "rtl" if language(locale) in RIGHT_TO_LEFT else "ltr"


@cache
def translations(lang: str) -> gettext.NullTranslations:
    """The compiled catalogue of one language; English is the source text itself.

    Raises:
        FileNotFoundError: when a language we list has no compiled catalogue (run ``make catalogs``).
    """
    if lang == DEFAULT_LOCALE:
        return gettext.NullTranslations()
    return gettext.translation(DOMAIN, localedir=LOCALES_DIR, languages=[lang])


def t(key: str, locale: str = DEFAULT_LOCALE, n: int | None = None, **values: object) -> str:
    """The text for ``key`` in ``locale``, with ``values`` filled in.

    A message whose words follow a number takes it as ``n`` (the plural form is chosen by the
    language's rule: Arabic has six, French three) and shows it as ``{n}``, grouped per locale.

    Raises:
        KeyError: for an unknown key, so a missing string fails the tests instead of showing a key.
        TypeError: for a plural message without ``n``.
    """
    catalogue = translations(language(locale))
    if key in PLURALS:
        if n is None:
            raise TypeError(f"message {key!r} needs n=")
        singular, plural = PLURALS[key]
        text = catalogue.npgettext(key, singular, plural, n)
        values = {**values, "n": fmt_int(n, locale)}
    else:
        text = catalogue.pgettext(key, EN[key])
    return text.format(**values) if values else text


def _(text: str, **values: object) -> str:
    """``text`` (English, a gettext message id) in the language of the current check."""
    translated = translations(language(_speaking.get())).gettext(text)
    return translated.format(**values) if values else translated


def ngettext(singular: str, plural: str, n: int, **values: object) -> str:
    """``singular`` or ``plural`` (English message ids) by the current language's rule, with ``{n}``."""
    catalogue = translations(language(_speaking.get()))
    return catalogue.ngettext(singular, plural, n).format(n=fmt_int(n, _speaking.get()), **values)


def gettext_noop(text: str) -> str:
    """``text`` unchanged: marks an English message id for ``pybabel extract``, translated later by ``_``."""
    return text


def speaking_now() -> str:
    """The locale ``_`` translates into at this moment."""
    return _speaking.get()


@contextmanager
def speaking(locale: str) -> Iterator[None]:
    """Within this block, ``_`` translates into ``locale`` (one check, one session, one thread)."""
    token = _speaking.set(locale)
    try:
        yield
    finally:
        _speaking.reset(token)


def isolate(text: str, locale: str) -> str:
    """Text from a source (an English title inside an Arabic or French sentence), kept whole.

    Unicode isolates (FSI … PDI) stop the bidirectional algorithm from reordering an English title's
    words and punctuation into the Arabic around it, in the page, the deck and the PDF alike.
    """
    return text if language(locale) == DEFAULT_LOCALE else f"\u2068{text}\u2069"


def list_item(markup: str, text: str) -> str:
    """A list item's HTML: a source's own words isolated, a sentence of ours in the page's direction.

    ``<bdi>`` keeps an English source title whole in an Arabic list, but it takes its direction
    from the first letter, and browsers do not skip the isolates inside (an Arabic sentence that
    opens with an isolated English label came out left to right). A sentence we composed already
    isolates its English parts (``isolate``), so it is set as it is, in the page's direction.
    """
    composed = "\u2068" in text or "\u2066" in text
    return f"<li>{markup}</li>" if composed else f"<li><bdi>{markup}</bdi></li>"


def left_to_right(text: str, locale: str) -> str:
    """Text that reads left to right whatever its characters ("+41%"), kept whole in an Arabic sentence.

    A first-strong isolate cannot help a run with no letter in it: a sign, digits and a percent
    sign would take the sentence's direction and show as "%41+".
    """
    return text if language(locale) == DEFAULT_LOCALE else f"\u2066{text}\u2069"


def dataset_text(name: str, field: str, written: str, locale: str) -> str:
    """A dataset's title or description in the reader's language while it is the text we ship.

    A title staff have since changed has no translation: it shows as written, kept whole.
    """
    key = f"dataset.{name}.{field}"
    return t(key, locale) if EN.get(key) == written else isolate(written, locale)


def column_label(name: str, locale: str = DEFAULT_LOCALE) -> str:
    """A column's name in words ("Requests received", not requests_received), for tables and downloads."""
    for key in (f"column.{name}", f"metric.{name}"):
        if key in EN:
            return t(key, locale, year="").strip()
    words = str(name).replace("_", " ").strip()  # a header already in words stays as it is
    return words[:1].upper() + words[1:]


def fmt_int(value: float, locale: str = DEFAULT_LOCALE) -> str:
    """A whole number with the locale's grouping: 1,234 (1 234 in French).

    Latin digits in Arabic too, as UN Arabic documents write them.
    """
    return format_decimal(round(value), locale=locale)


def fmt_rate(value: float, locale: str = DEFAULT_LOCALE) -> str:
    """An exchange rate to four decimals, with the locale's decimal mark: 1.1297 (1,1297 in French)."""
    return format_decimal(value, format="0.0000", locale=locale)


def fmt_delta(value: float, locale: str = DEFAULT_LOCALE) -> str:
    """A signed whole number: +12, −3, 0."""
    sign = "+" if value > 0 else ""
    return sign + fmt_int(value, locale)


def fmt_percent(value: float | None, locale: str = DEFAULT_LOCALE) -> str:
    """A share as a whole percentage: 70% (70 % in French). Missing shows as an en dash."""
    return "–" if value is None else format_percent(value, locale=locale)


def fmt_usd(value: float | None, locale: str = DEFAULT_LOCALE) -> str:
    """US dollars, compact: $17.8M (Arabic: 17.8 مليون دولار أمريكي). Missing shows as an en dash."""
    if value is None:
        return "–"
    return fmt_money(value, "USD", locale)


def fmt_usd_label(value: float | None, locale: str = DEFAULT_LOCALE) -> str:
    """US dollars on a chart's bar, where the axis and title say "US$": as short as the language allows.

    Arabic's compact currency ("24.2 مليون US$") is twice as wide as "$24.2M" and runs into the next
    bar, so an Arabic bar carries the number in millions only ("24.2 مليون"); a Chinese bar, for the
    same reason, the number in 万 ("2420万", its axis reading US$2000万).
    """
    if value is None:
        return "–"
    if language(locale) in ("ar", "zh"):
        return format_compact_decimal(value, locale=locale, fraction_digits=1)
    return fmt_usd(value, locale)


def fmt_money(value: float, currency: str, locale: str = DEFAULT_LOCALE) -> str:
    """An amount in its own currency, compact: €1.5M, SEK 3.5M.

    Arabic names the currency in words after the number, from Babel ("17.8 مليون دولار أمريكي",
    "3.5 مليون كرونة سويدية"): a Latin symbol such as US$ is reordered by right-to-left text into
    "$US", and one convention serves the page, the deck and the PDF alike.
    """
    if language(locale) == "ar":
        number = format_compact_decimal(value, locale=locale, fraction_digits=1)
        return f"{number} {get_currency_name(currency, locale=locale)}"
    return format_compact_currency(value, currency, locale=locale, fraction_digits=1)


def _arabic_month(value: date) -> str:
    return UN_ARABIC_MONTHS[value.month - 1]


def fmt_date(value: date, locale: str = DEFAULT_LOCALE) -> str:
    """A date in words, unambiguous across locales: 29 May 2024, 29 mai 2024.

    Arabic takes the UN's double month name: 29 أيار/مايو 2024. French writes the first of a month
    as an ordinal, "1er mai 2024" (CLDR's pattern has no ordinal day).
    """
    if language(locale) == "ar":
        return f"{value.day} {_arabic_month(value)} {value.year}"
    if language(locale) == "fr" and value.day == 1:
        return format_date(value, format="'1er' MMMM y", locale=locale)
    if language(locale) in LONG_DATES:
        return format_date(value, format="long", locale=locale)
    return format_date(value, format="d MMMM y", locale=locale)


def t_dated(key: str, locale: str, on: date, precision: str, **values: object) -> str:
    """``key`` with ``{date}`` only as precise as its source, in the words that precision takes.

    French says "publié le 8 décembre 2025" but "publié en décembre 2019" and "en 2019": a message
    whose words around the date change with it has a ``key.period`` variant for month and year
    dates, translated on its own; languages that need no change translate both alike.
    """
    period = f"{key}.period"
    chosen = period if precision in ("month", "year") and period in EN else key
    return t(chosen, locale, None, date=fmt_precise_date(on, precision, locale), **values)


def fmt_precise_date(value: date, precision: str, locale: str = DEFAULT_LOCALE) -> str:
    """A date only as precise as its source: 2019, May 2024 or 29 May 2024."""
    if precision == "year":
        return (
            format_date(value, YEARS[language(locale)], locale=locale)
            if language(locale) in YEARS
            else str(value.year)
        )
    if precision == "month":
        if language(locale) == "ar":
            return f"{_arabic_month(value)} {value.year}"
        if language(locale) in LONG_DATES:
            return format_skeleton("yMMMM", value, locale=locale)
        return format_date(value, format="MMMM y", locale=locale)
    return fmt_date(value, locale)
