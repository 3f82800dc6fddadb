"""Every string goes through one catalogue; numbers and dates through Babel; every metric is documented."""

from __future__ import annotations

from datetime import date

import pytest

from mandate_metrics import i18n
from mandate_metrics.metrics import LEDGER_METRICS


def test_every_catalog_has_every_english_key():
    for locale, catalog in i18n.CATALOGS.items():
        assert set(catalog) == set(i18n.EN), locale


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
    assert i18n.fmt_int(1234567, "fr") != "1,234,567"
    assert i18n.fmt_date(date(2024, 5, 29), "ar") != "29 May 2024"
