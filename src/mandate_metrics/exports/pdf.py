"""The printable PDF brief: headline figures, demand, funding gap, donors, sources and definitions.

Route: a self-contained HTML page (Plotly.js inlined from the installed package: nothing is
fetched) printed by headless Chromium with ``--print-to-pdf``, which keeps charts as vector SVG.
Chromium is the one thing pip cannot install; when it is missing, ``PdfUnavailable`` says so.
"""

from __future__ import annotations

import html
import json
import shutil
import subprocess
import tempfile
from datetime import date
from pathlib import Path

import plotly.graph_objects as go
from plotly.offline import get_plotlyjs

from mandate_metrics import charts, funding, metrics, narrative
from mandate_metrics.briefing import Briefing
from mandate_metrics.i18n import DEFAULT_LOCALE, fmt_percent, fmt_usd, t
from mandate_metrics.loading import Datasets

HEADLESS_FLAGS = (  # research/stack.md: headless as root, and no background calls to Google's services
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
)
PRINT_FLAGS = (*HEADLESS_FLAGS, "--no-pdf-header-footer", "--virtual-time-budget=20000")
TIMEOUT_SECONDS = 90


class PdfUnavailable(RuntimeError):
    """The PDF brief cannot be made here; the message says why and what to install."""


def find_chromium(configured: str | None) -> str | None:
    """The Chromium to print with: the configured path if it exists, else one on PATH."""
    if configured and Path(configured).exists():
        return configured
    return shutil.which("chromium") or shutil.which("chromium-browser")


def _esc(text: object) -> str:
    return html.escape(str(text))


def _figure_div(fig: go.Figure, key: str, height: int = 330) -> str:
    fig = go.Figure(fig)
    fig.update_layout(height=height, width=720, margin={"l": 10, "r": 40, "t": 30, "b": 10})
    spec = json.loads(fig.to_json())
    return (
        f'<div id="{key}" class="chart"></div><script>Plotly.newPlot("{key}", {json.dumps(spec["data"])}, '
        f"{json.dumps(spec['layout'])}, {{staticPlot: true}});</script>"
    )


def brief_html(briefing: Briefing, data: Datasets, locale: str = DEFAULT_LOCALE) -> str:
    """The brief as one HTML document, ready for printing."""
    as_of = briefing.as_of
    slides = {s.key: s for s in briefing.slides}
    head = slides["headline"]
    figures = "".join(
        f'<div class="fig"><div class="value">{_esc(v)}</div><div class="label">{_esc(label)}</div>'
        f'<div class="pub">{_esc(p)}</div></div>'
        for label, v, p in head.figures
    )
    requests, published = data.frame("requests"), data.frame("published_figures")
    demand = charts.cumulative(metrics.cumulative_series(requests, as_of), published, locale=locale)
    years = funding.funding_by_year(data.frame("budget"), data.frame("contributions"), as_of)
    donors = funding.donors_ranked(data.frame("contributions"), as_of).head(8)
    donor_rows = "".join(
        f"<tr><td>{_esc(d)}{' (' + _esc(t('label.illustrative', locale)) + ')' if ill else ''}</td>"
        f"<td>{_esc(fmt_usd(p, locale))}</td><td>{_esc(fmt_percent(s, locale))}</td></tr>"
        for d, p, s, ill in zip(
            donors["donor"], donors["paid_usd"], donors["share"], donors["illustrative"], strict=True
        )
    )
    definitions = "".join(
        f"<tr><td>{_esc(name)}</td><td>{_esc(text)}</td></tr>"
        for name, text in narrative.definitions(locale).items()
    )
    sources = "".join(f"<li>{_esc(b)}</li>" for b in slides["sources"].bullets)
    published_sources = "".join(f"<li>{_esc(s)}</li>" for s in sorted(set(published["source_title"])))
    illustrative = (
        f'<p class="warn"><b>{_esc(t("brief.illustrative", locale))}:</b> '
        f"{_esc('; '.join(briefing.illustrative_datasets))}.</p>"
        if briefing.illustrative_datasets
        else ""
    )
    funding_block = ""
    if not years.empty:
        latest = funding.latest_year(years)
        funding_block = (
            f"<h2>{_esc(slides['funding'].takeaway)}</h2>"
            f'<p class="muted">{_esc(t("funding.explainer", locale))}</p>'
            + _figure_div(charts.funding(years, locale), "funding")
            + _figure_div(charts.gap(years, locale), "gap", 260)
            if latest is not None
            else ""
        )
    return f"""<!doctype html><html lang="{_esc(locale)}"><head><meta charset="utf-8">
<title>{_esc(t("app.title", locale))} — {_esc(briefing.stamp)}</title>
<script>{get_plotlyjs()}</script>
<style>
@page {{ size: A4; margin: 12mm 14mm 16mm 14mm; }}
body {{ font-family: "DejaVu Sans", sans-serif; color: #1B1F24; font-size: 10.5pt; }}
h1 {{ font-size: 20pt; margin: 0 0 2mm; }} h2 {{ font-size: 13pt; margin: 6mm 0 2mm; }}
.muted, .pub {{ color: #4B5563; }} .pub {{ font-size: 7.5pt; }}
.warn {{ background: #FFF7E0; border-left: 3px solid #B45309; padding: 2mm 3mm; font-size: 9pt; }}
.figs {{ display: flex; gap: 3mm; }}
.fig {{ flex: 1; border: 1px solid #D1D5DB; border-radius: 2mm; padding: 3mm; }}
.value {{ font-size: 24pt; font-weight: bold; }} .label {{ font-size: 10pt; margin-bottom: 1mm; }}
.chart {{ break-inside: avoid; }} table {{ border-collapse: collapse; width: 100%; font-size: 9pt; }}
td, th {{ border-bottom: 1px solid #E5E7EB; padding: 1.2mm 2mm; text-align: left; vertical-align: top; }}
.page {{ break-before: page; }} ul {{ font-size: 8.5pt; padding-left: 5mm; }}
footer {{ position: fixed; bottom: 0; left: 0; right: 0; font-size: 8pt; color: #4B5563;
  border-top: 1px solid #E5E7EB; padding-top: 1mm; background: white; }}
body {{ margin: 0 0 10mm; }}
</style></head><body>
<footer>{_esc(t("app.subtitle", locale))} · {_esc(briefing.stamp)}</footer>
<h1>{_esc(t("app.title", locale))}: {_esc(head.title)}</h1>
<p class="muted">{_esc(briefing.stamp)}</p>{illustrative}
<div class="figs">{figures}</div>
<p>{_esc(_story(data, as_of, locale))}</p>
<h2>{_esc(slides["demand"].takeaway)}</h2>{_figure_div(demand, "demand")}
<div class="page">{funding_block}
<h2>{_esc(t("column.donor", locale))}s</h2>
<table><tr><th>{_esc(t("column.donor", locale))}</th><th>{_esc(t("column.paid_usd", locale))}</th>
<th>{_esc(t("column.share", locale))}</th></tr>{donor_rows}</table></div>
<div class="page"><h2>{_esc(t("sources.definitions", locale))}</h2><table>{definitions}</table>
<p class="muted">{_esc(t("funding.explainer", locale))}</p>
<h2>{_esc(t("sources.datasets", locale))}</h2><ul>{sources}</ul>
<h2>{_esc(t("sources.published", locale))}</h2><ul>{published_sources}</ul>
<h2>{_esc(t("sources.cite", locale))}</h2><p>{_esc(slides["sources"].notes)}</p></div>
</body></html>"""


def _story(data: Datasets, as_of: date, locale: str) -> str:
    requests = data.frame("requests")
    years = funding.funding_by_year(data.frame("budget"), data.frame("contributions"), as_of)
    sentences = narrative.overview(
        metrics.headline(requests, as_of),
        metrics.change_over_year(requests, as_of),
        funding.latest_year(years),
        locale,
        data["requests"].meta.is_illustrative,
    )
    return " ".join(sentences).replace("*", "")


def pdf_bytes(
    briefing: Briefing, data: Datasets, chromium: str | None, locale: str = DEFAULT_LOCALE
) -> bytes:
    """Print the brief with Chromium and return the PDF.

    Raises:
        PdfUnavailable: Chromium is missing, failed, or timed out; the message says which.
    """
    browser = find_chromium(chromium)
    if browser is None:
        raise PdfUnavailable(t("brief.pdf_missing", locale))
    with tempfile.TemporaryDirectory(prefix="mm-brief-") as folder:
        page, out = Path(folder) / "brief.html", Path(folder) / "brief.pdf"
        page.write_text(brief_html(briefing, data, locale), encoding="utf-8")
        command = [
            browser,
            *PRINT_FLAGS,
            f"--user-data-dir={folder}/profile",
            f"--print-to-pdf={out}",
            page.as_uri(),
        ]
        try:
            subprocess.run(command, check=True, capture_output=True, timeout=TIMEOUT_SECONDS)
        except subprocess.TimeoutExpired as exc:
            raise PdfUnavailable(f"Chromium did not finish the PDF within {TIMEOUT_SECONDS} s") from exc
        except (OSError, subprocess.CalledProcessError) as exc:
            raise PdfUnavailable(f"Chromium could not print the brief: {exc}") from exc
        if not out.exists() or out.stat().st_size == 0:
            raise PdfUnavailable("Chromium finished but wrote no PDF")
        return out.read_bytes()


def default_file_name(kind: str, as_of: date) -> str:
    """``iiim-briefing-2024-05-29.pdf`` and the like: the date travels in the name."""
    return f"iiim-briefing-{as_of.isoformat()}.{kind}"
