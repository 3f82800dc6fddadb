"""Every string goes through one catalogue; numbers and dates through Babel; every metric is documented."""

from __future__ import annotations

import gettext
import re
import unicodedata
from datetime import date
from io import BytesIO
from string import Formatter

import pytest
from babel.messages.catalog import Catalog
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po

from mandate_metrics import i18n
from mandate_metrics.figures.metrics import LEDGER_METRICS

TRANSLATED = [lang for lang in i18n.LANGUAGES if lang != i18n.DEFAULT_LOCALE]
# CLDR through Babel: Arabic zero/one/two/few/many/other; French and Spanish one/many (millions)/other;
# Russian one/few/many; Chinese a single form.
PLURAL_SLOTS = {"ar": 6, "fr": 3, "es": 3, "ru": 3, "zh": 1}


def _po(lang: str) -> Catalog:
    with open(i18n.LOCALES_DIR / lang / "LC_MESSAGES" / "messages.po", "rb") as f:
        return read_po(f, locale=lang)


def _fields(text: str) -> set[str]:
    return {name for _, name, _, _ in Formatter().parse(text) if name}


@pytest.mark.parametrize("lang", TRANSLATED)
def test_every_message_is_translated_in_every_plural_slot(lang):
    catalog = _po(lang)
    assert catalog.num_plurals == PLURAL_SLOTS[lang]
    entries = {m.context: m for m in catalog if m.id and m.context}
    assert set(entries) == set(i18n.MESSAGES), "run make catalogs"
    for key, english in i18n.MESSAGES.items():
        entry = entries[key]
        assert entry.id == english, f"{lang} {key}: the English text changed; run make catalogs and translate"
        assert not entry.fuzzy, f"{lang} {key} is marked fuzzy: check the translation"
        strings = entry.string if isinstance(entry.string, tuple) else (entry.string,)
        assert len(strings) == (PLURAL_SLOTS[lang] if isinstance(english, tuple) else 1), key
        allowed = set().union(*(_fields(e) for e in (english if isinstance(english, tuple) else (english,))))
        for slot, text in enumerate(strings):
            assert text.strip(), f"{lang} {key} slot {slot} is empty"
            assert _fields(text) <= allowed, f"{lang} {key} slot {slot} names a value the code does not give"


@pytest.mark.parametrize("lang", TRANSLATED)
def test_every_message_of_the_upload_checks_is_translated(lang):
    catalog = _po(lang)
    plain = [m for m in catalog if m.id and not m.context]
    assert len(plain) > 80  # every message of the upload checks, by its English text
    for entry in plain:
        strings = entry.string if isinstance(entry.string, tuple) else (entry.string,)
        ids = entry.id if isinstance(entry.id, tuple) else (entry.id,)
        assert all(strings) and not entry.fuzzy, f"{lang}: {entry.id!r} has no translation"
        assert len(strings) == (PLURAL_SLOTS[lang] if isinstance(entry.id, tuple) else 1), entry.id
        allowed = set().union(*(_fields(i) for i in ids))
        assert all(_fields(s) <= allowed for s in strings), entry.id


@pytest.mark.parametrize("lang", TRANSLATED)
def test_the_compiled_catalogue_matches_its_po_file(lang):
    compiled = BytesIO()
    write_mo(compiled, _po(lang))
    shipped = i18n.LOCALES_DIR / lang / "LC_MESSAGES" / "messages.mo"
    fresh = gettext.GNUTranslations(BytesIO(compiled.getvalue()))
    assert gettext.GNUTranslations(BytesIO(shipped.read_bytes()))._catalog == fresh._catalog, "make catalogs"


@pytest.mark.parametrize(
    ("n", "arabic"),
    [(0, "لا صفوف"), (1, "صف واحد"), (2, "صفان"), (7, "7 صفوف"), (11, "11 صفاً"), (100, "100 صف")],
)
def test_arabic_has_six_plural_forms(n, arabic):
    assert i18n.t("sources.rows", "ar", n=n) == arabic


def test_french_plurals_and_english_plurals():
    assert i18n.t("sources.rows", "fr", n=1) == "1 ligne"
    assert i18n.t("sources.rows", "fr", n=1234) == "1\u202f234 lignes"
    assert i18n.t("sources.rows", "en", n=1) == "One row"
    assert i18n.t("sources.rows", "en", n=1234) == "1,234 rows"
    with pytest.raises(TypeError):
        i18n.t("sources.rows", "en")


@pytest.mark.parametrize(
    ("n", "russian"),
    [
        (1, "1 строка"),
        (3, "3 строки"),
        (5, "5 строк"),
        (11, "11 строк"),
        (21, "21 строка"),
        (22, "22 строки"),
    ],
)
def test_russian_has_three_plural_forms(n, russian):
    assert i18n.t("sources.rows", "ru", n=n) == russian


def test_spanish_and_chinese_plurals():
    assert i18n.t("sources.rows", "es", n=1) == "Una fila"
    assert i18n.t("sources.rows", "es", n=1234) == "1.234 filas"
    assert i18n.t("sources.rows", "zh", n=1) == "1 行"
    assert i18n.t("sources.rows", "zh", n=1234) == "1,234 行"


def test_a_check_speaks_the_language_it_is_given():
    message = "The file is empty."
    assert i18n._(message) == message
    with i18n.speaking("fr"):
        assert i18n._(message) != message
    assert i18n._(message) == message


def test_direction_and_language_names():
    assert i18n.direction("ar") == "rtl" and i18n.direction("ar_SY") == "rtl"
    assert i18n.direction("fr") == i18n.direction("en") == "ltr"
    assert i18n.LANGUAGES == {
        "en": "English",
        "ar": "العربية",
        "zh": "中文",
        "fr": "Français",
        "ru": "Русский",
        "es": "Español",
    }
    assert {i18n.direction(lang) for lang in ("zh", "ru", "es")} == {"ltr"}
    assert i18n.language("xx") == "en"


def test_unknown_key_fails_loudly():
    with pytest.raises(KeyError):
        i18n.t("no.such.key")


@pytest.mark.parametrize("metric", [*LEDGER_METRICS, "support_rate", "median_days"])
def test_every_metric_has_a_label_and_a_definition(metric):
    assert i18n.t(f"metric.{metric}")
    assert len(i18n.t(f"help.{metric}")) > 20


def test_formatting():
    assert i18n.fmt_int(1234567) == "1,234,567"
    assert i18n.fmt_delta(12) == "+12"
    assert i18n.fmt_percent(0.696) == "70%"
    assert i18n.fmt_percent(None) == "–"
    assert i18n.fmt_usd(17_810_000) == "$17.8M"
    assert i18n.fmt_money(1_500_000, "EUR") == "€1.5M"
    assert i18n.fmt_date(date(2024, 5, 29)) == "29 May 2024"
    assert i18n.fmt_precise_date(date(2019, 1, 1), "year") == "2019"
    assert i18n.fmt_precise_date(date(2018, 9, 1), "month") == "September 2018"


def test_formatting_follows_the_locale():
    assert i18n.fmt_int(1234567, "fr") == "1\u202f234\u202f567"  # French narrow no-break spaces
    assert i18n.fmt_percent(0.42, "fr") == "42\u00a0%"
    assert i18n.fmt_int(1234567, "ar") == "1,234,567"  # Latin digits, as UN Arabic documents write them
    assert i18n.fmt_date(date(2024, 5, 29), "fr") == "29 mai 2024"


@pytest.mark.parametrize(
    ("day", "arabic"),
    [
        (date(2024, 12, 17), "17 كانون الأول/ديسمبر 2024"),
        (date(2011, 3, 15), "15 آذار/مارس 2011"),
        (date(2024, 6, 1), "1 حزيران/يونيه 2024"),
        (date(2024, 7, 1), "1 تموز/يوليه 2024"),
    ],
)
def test_arabic_dates_use_the_un_double_month_name(day, arabic):
    assert i18n.fmt_date(day, "ar") == arabic
    assert i18n.fmt_precise_date(day, "month", "ar") == arabic.split(" ", 1)[1]


# A date is only as precise as its source, and the words around it follow (issue 23, item 2).
DATED = [
    (
        "fr",
        "day",
        "Publié le 8 décembre 2025\u00a0: S",
        "Les demandes d’assistance reçues ont atteint 530 au 8 décembre 2025",
    ),
    (
        "fr",
        "month",
        "Publié en décembre 2025\u00a0: S",
        "Les demandes d’assistance reçues ont atteint 530 en décembre 2025",
    ),
    ("fr", "year", "Publié en 2025\u00a0: S", "Les demandes d’assistance reçues ont atteint 530 en 2025"),
    (
        "ar",
        "day",
        "نُشر في 8 كانون الأول/ديسمبر 2025: S",
        "بلغت طلبات المساعدة الواردة 530 حتى 8 كانون الأول/ديسمبر 2025",
    ),
    (
        "ar",
        "month",
        "نُشر في كانون الأول/ديسمبر 2025: S",
        "بلغت طلبات المساعدة الواردة 530 حتى كانون الأول/ديسمبر 2025",
    ),
    ("ar", "year", "نُشر في 2025: S", "بلغت طلبات المساعدة الواردة 530 حتى 2025"),
    (
        "es",
        "day",
        "Publicado el 8 de diciembre de 2025: S",
        "Las solicitudes de asistencia recibidas llegaron a 530 hasta el 8 de diciembre de 2025",
    ),
    (
        "es",
        "month",
        "Publicado en diciembre de 2025: S",
        "Las solicitudes de asistencia recibidas llegaron a 530 hasta diciembre de 2025",
    ),
    (
        "es",
        "year",
        "Publicado en 2025: S",
        "Las solicitudes de asistencia recibidas llegaron a 530 hasta 2025",
    ),
    (
        "ru",
        "day",
        "Опубликовано 8 декабря 2025\u202fг.: S",
        "Число полученных запросов о помощи на 8 декабря 2025\u202fг. достигло 530",
    ),
    (
        "ru",
        "month",
        "Опубликовано: декабрь 2025\u202fг.; источник: S",
        "Число полученных запросов о помощи на декабрь 2025\u202fг. достигло 530",
    ),
    (
        "ru",
        "year",
        "Опубликовано: 2025\u202fг.; источник: S",
        "Число полученных запросов о помощи на 2025\u202fг. достигло 530",
    ),
    ("zh", "day", "发布于2025年12月8日：S", "截至2025年12月8日，收到的协助请求数：530"),
    ("zh", "month", "发布于2025年12月：S", "截至2025年12月，收到的协助请求数：530"),
    ("zh", "year", "发布于2025年：S", "截至2025年，收到的协助请求数：530"),
    (
        "en",
        "month",
        "Published December 2025: S",
        "Requests for assistance received reached 530 by December 2025",
    ),
]


@pytest.mark.parametrize(("lang", "precision", "published", "reached"), DATED)
def test_month_and_year_dates_take_the_words_of_their_precision(lang, precision, published, reached):
    day = date(2025, 12, 8)
    assert i18n.t_dated("prov.published", lang, day, precision, source="S") == published
    assert i18n.t_dated("brief.demand.takeaway", lang, day, precision, value="530") == reached


def test_every_dated_message_has_its_period_variant_and_french_uses_it():
    periods = [k for k in i18n.EN if k.endswith(".period")]
    assert len(periods) >= 7
    for key in periods:
        assert i18n.EN[key] == i18n.EN[key.removesuffix(".period")]  # the same English words
        french = i18n.t(key, "fr", **dict.fromkeys(["date", "source", "how", "value", "label"], "X"))
        assert " le X" not in french and " au X" not in french, key


def test_french_dates_write_the_first_of_a_month_as_an_ordinal():
    assert i18n.fmt_date(date(2024, 5, 1), "fr") == "1er mai 2024"
    assert i18n.fmt_date(date(2024, 5, 2), "fr") == "2 mai 2024"
    assert i18n.fmt_date(date(2024, 5, 1), "en") == "1 May 2024"


def test_a_month_precise_published_figure_reads_naturally_in_french(shipped):
    from mandate_metrics import narrative
    from mandate_metrics.figures.record import published_figure

    figures = shipped.frame("published_figures")
    row = figures[figures["as_of_precision"] == "month"].iloc[0]
    line = narrative.provenance_line(published_figure(row), date(2025, 12, 8), "fr")
    assert line.startswith("Publié en ") and " le " not in line.split(" : ")[0], line


def _closes_bold(text: str) -> bool:
    """Whether every ``**`` that closes bold can close it by CommonMark's flanking rule.

    After punctuation ("：", "。"), a closing ``**`` must be followed by a space, punctuation or the
    end; otherwise Markdown shows the asterisks themselves (a Chinese sentence goes on with a letter).
    """
    marks = [m.start() for m in re.finditer(r"\*\*", text)]
    for at in marks[1::2]:
        before, after = text[at - 1], text[at + 2 : at + 3]
        if (
            unicodedata.category(before).startswith("P")
            and after
            and not (after.isspace() or unicodedata.category(after).startswith("P"))
        ):
            return False
    return True


@pytest.mark.parametrize("lang", TRANSLATED)
def test_bold_text_closes_in_every_language(lang):
    for entry in _po(lang):
        strings = entry.string if isinstance(entry.string, tuple) else (entry.string,)
        for text in strings:
            assert _closes_bold(text or ""), f"{lang} {entry.context}: {text}"
    assert not _closes_bold("**示意样本：**标为") and _closes_bold("**示意样本**：标为")
