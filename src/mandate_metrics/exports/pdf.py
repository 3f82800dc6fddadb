"""The printable PDF brief: the briefing's slides on paper, then sources, definitions and how to cite.

Route: a self-contained HTML page, its charts static SVG (drawn by Plotly.js from the installed
package in the printer's own tab: nothing is fetched, and the printed page holds no script),
printed by one headless Chromium kept warm (``printer``): vector charts, and a second brief does
not wait for a browser to start. Chromium is the one thing pip cannot install; when it is
missing, ``PdfUnavailable`` says so.
"""

from __future__ import annotations

import base64
import html
import json
import shutil
import subprocess
import threading
from collections.abc import Callable
from datetime import date
from functools import cache
from pathlib import Path
from typing import Any

import plotly.graph_objects as go

from mandate_metrics import charts, narrative
from mandate_metrics.briefing import Briefing, Slide
from mandate_metrics.exports import printer, qr
from mandate_metrics.glyphs import CJK_RANGE, FONT_FILES
from mandate_metrics.i18n import DEFAULT_LOCALE, direction, language, list_item, t
from mandate_metrics.paths import FONTS_DIR

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
OFFLINE_FLAGS = (
    # Background services Chromium starts even headless (update checks, sign-in, metrics, safe
    # browsing, translation, domain reliability, optimisation hints), each switched off ...
    "--disable-default-apps",
    "--disable-extensions",
    "--disable-domain-reliability",
    "--disable-client-side-phishing-detection",
    "--disable-breakpad",
    "--no-pings",
    "--metrics-recording-only",
    "--safebrowsing-disable-auto-update",
    "--no-default-browser-check",
    "--disable-features=OptimizationHints,MediaRouter,DialMediaRouteProvider,Translate,"
    "AutofillServerCommunication,CertificateTransparencyComponentUpdater,InterestFeedContentSuggestions",
    # ... and two walls for anything left: no name resolves (so no DNS query leaves the machine)
    # and every web request goes to a closed port on this machine (loopback is never proxied).
    "--host-resolver-rules=MAP * ~NOTFOUND",
    "--proxy-server=127.0.0.1:9",
)
PRINT_FLAGS = (*HEADLESS_FLAGS, *OFFLINE_FLAGS, "--no-pdf-header-footer", "--virtual-time-budget=20000")
WARM_FLAGS = (*HEADLESS_FLAGS, *OFFLINE_FLAGS)  # the kept printer: pages are handed to it one by one
TIMEOUT_SECONDS = 90
CHART_WIDTH, CHART_HEIGHT = 720, 300  # CSS pixels: the A4 text width at 96 dpi
Draw = Callable[[dict[str, Any], int, int], str]  # a figure's JSON, width, height -> SVG markup
# The slides each printed page holds, the same in every language: a brief in Arabic or French
# turns its pages where the English one does (the sources, definitions and citation come last).
PAGES = (("headline", "demand"), ("reach", "investigations", "funding"), ("case", "ask"))
PRINTING = threading.BoundedSemaphore(1)  # one Chromium at a time per server, whoever asks
QUEUE_SECONDS = 30  # how long a request waits for the printer before it is told to try again


class PdfUnavailable(RuntimeError):
    """The PDF brief cannot be made here; the message says why and what to install."""


def find_chromium(configured: str | None) -> str | None:
    """The Chromium to print with: the configured path if it exists, else one on PATH."""
    if configured and Path(configured).exists():
        return configured
    return shutil.which("chromium") or shutil.which("chromium-browser")


def _esc(text: object) -> str:
    return html.escape(str(text))


ARABIC_RANGE = "U+0600-06FF, U+0750-077F, U+08A0-08FF, U+FB50-FDFF, U+FE70-FEFF, U+200C-200F"
ARABIC_FILES = {400: "NotoSansArabic-Regular.ttf", 700: "NotoSansArabic-Bold.ttf"}
"""The shipped Arabic font in ``static/fonts``, by weight."""


@cache
def _font_faces() -> str:
    """The shipped Arabic font and Chinese subset, inside the page.

    The PDF looks the same on any machine, offline, and embeds only the glyphs it uses.
    """
    faces = []
    for weight, file in ARABIC_FILES.items():
        data = base64.b64encode((FONTS_DIR / file).read_bytes()).decode("ascii")
        faces.append(
            f'@font-face {{ font-family: "Noto Sans Arabic"; font-weight: {weight};'
            f' src: url(data:font/ttf;base64,{data}) format("truetype"); unicode-range: {ARABIC_RANGE}; }}'
        )
    for weight, file in FONT_FILES.items():
        data = base64.b64encode((FONTS_DIR / file).read_bytes()).decode("ascii")
        faces.append(
            f'@font-face {{ font-family: "Noto Sans SC"; font-weight: {weight};'
            f' src: url(data:font/woff2;base64,{data}) format("woff2"); unicode-range: {CJK_RANGE}; }}'
        )
    return "\n".join(faces)


def _blank(spec: dict[str, Any], width: int, height: int) -> str:
    """A chart's place, kept empty: for reading the brief's words without a browser to draw with."""
    return f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}"></svg>'


def _figure_div(fig: go.Figure, draw: Draw, height: int = CHART_HEIGHT) -> str:
    fig = go.Figure(fig)
    fig.update_layout(height=height, width=CHART_WIDTH, margin={"l": 10, "r": 40, "t": 30, "b": 10})
    spec = json.loads(fig.to_json())
    drawn = draw({"data": spec["data"], "layout": spec["layout"]}, CHART_WIDTH, height)
    return f'<div class="chart">{drawn}</div>'


def _slide_html(slide: Slide, locale: str, draw: Draw) -> str:
    """One slide as a section of the brief: its takeaway, figures, chart, quote and bullets."""
    parts = [f"<h2>{_esc(slide.title)}</h2>", f'<p class="take">{_esc(slide.takeaway)}</p>']
    if slide.figures:
        parts.append(
            '<div class="figs">'
            + "".join(
                f'<div class="fig"><div class="value">{_esc(v)}</div><div class="label">{_esc(label)}</div>'
                f'<div class="pub">{_esc(p)}</div></div>'
                for label, v, p in slide.figures
            )
            + "</div>"
        )
    if slide.chart is not None and slide.chart.categories:
        figure = charts.from_chart_data(slide.chart, locale, size=13, height=CHART_HEIGHT)
        parts.append(_figure_div(figure, draw))
    if slide.quote is not None:
        parts.append(f"<blockquote>{_esc(slide.quote[0])} — {_esc(slide.quote[1])}</blockquote>")
    if slide.bullets:
        if slide.list_title:
            parts.append(f"<p><strong>{_esc(slide.list_title)}</strong></p>")
        parts.append("<ul>" + "".join(list_item(_esc(b), b) for b in slide.bullets) + "</ul>")
    if slide.key == "headline" and slide.notes:
        parts.append(f"<p>{_esc(slide.notes)}</p>")
    if slide.illustrative:
        parts.append(f'<p class="warn">{_esc(t("brief.illustrative", locale))}</p>')
    return f'<section class="slide">{"".join(parts)}</section>'


def brief_html(briefing: Briefing, locale: str = DEFAULT_LOCALE, draw: Draw = _blank) -> str:
    """The brief as one HTML document, ready for printing: the briefing's slides, then definitions.

    Built from the briefing model alone, so the PDF says what the slides and the deck say.
    ``draw`` turns each chart into SVG (the printer's ``svg``); the default leaves its place empty.
    """
    body = "".join(
        ('<div class="sheet">' if n else "<div>")
        + "".join(_slide_html(s, locale, draw) for s in slides)
        + "</div>"
        for n, slides in enumerate(_pages(briefing))
    )
    sources = next(s for s in briefing.slides if s.key == "sources")
    definitions = "".join(
        f"<tr><td>{_esc(name)}</td><td>{_esc(text)}</td></tr>"
        for name, text in narrative.definitions(locale).items()
    )
    # Fixed at the top, the banner prints on every page of a brief that holds a sample value.
    illustrative = (
        f'<div class="banner">{_esc(t("brief.illustrative", locale))}: '
        f"{_esc('; '.join(briefing.illustrative_datasets))}.</div>"
        if briefing.illustrative
        else ""
    )
    lang, way = language(locale), direction(locale)
    return f"""<!doctype html><html lang="{lang}" dir="{way}"><head><meta charset="utf-8">
<title>{_esc(t("app.title", locale))} — {_esc(briefing.stamp)}</title>
<style>
{_font_faces()}
@page {{ size: A4; margin: 12mm 14mm 16mm 14mm; }}
body {{ font-family: "Noto Sans Arabic", "Noto Sans SC", "DejaVu Sans", sans-serif; color: #1B1F24;
  font-size: 10.5pt; line-height: 1.3; margin: 0 0 10mm; }}
h1 {{ font-size: 20pt; margin: 0 0 2mm; }} h2 {{ font-size: 13pt; margin: 5mm 0 1mm; }}
.take {{ font-weight: bold; margin: 0 0 2mm; }}
.muted, .pub {{ color: #4B5563; }} .pub {{ font-size: 7.5pt; }}
.warn {{ background: #FFF7E0; border-inline-start: 3px solid #B45309; padding: 2mm 3mm; font-size: 9.5pt; }}
.figs {{ display: flex; gap: 3mm; }}
.fig {{ flex: 1; border: 1px solid #D1D5DB; border-radius: 2mm; padding: 3mm; }}
.value {{ font-size: 22pt; font-weight: bold; }} .label {{ font-size: 10pt; margin-bottom: 1mm; }}
.slide, .chart, .keep {{ break-inside: avoid; }} h2 {{ break-after: avoid; }} .chart {{ direction: ltr; }}
table {{ border-collapse: collapse; width: 100%; font-size: 9pt; }}
td, th {{ border-bottom: 1px solid #E5E7EB; padding: 1.2mm 2mm; text-align: start; vertical-align: top; }}
.sheet {{ break-before: page; }} ul {{ font-size: 9pt; padding-inline-start: 5mm; }}
blockquote {{ font-size: 12pt; font-style: italic; margin-block: 2mm; margin-inline: 4mm 0; }}
.banner {{ position: fixed; top: 0; left: 0; right: 0; background: #FFF7E0; border-bottom: 2px solid #B45309;
  padding: 1.5mm 3mm; font-size: 9pt; font-weight: bold; }}
body.marked {{ padding-top: 11mm; }}
footer {{ position: fixed; bottom: 0; left: 0; right: 0; font-size: 8pt; color: #4B5563;
  border-top: 1px solid #E5E7EB; padding-top: 1mm; background: white; }}
</style></head><body class="{"marked" if briefing.illustrative else ""}">
<footer>{_esc(t("app.subtitle", locale))} · {_esc(briefing.stamp)}</footer>
<h1>{_esc(t("app.title", locale))}</h1>
<p class="muted">{_esc(briefing.stamp)}</p>{illustrative}
{body}
<div class="sheet"><h2>{_esc(sources.title)}</h2><p class="take">{_esc(sources.takeaway)}</p>
<ul>{"".join(list_item(_esc(b), b) for b in sources.sources)}</ul>{_link(sources, locale)}
<h2>{_esc(t("sources.definitions", locale))}</h2><table>{definitions}</table>
<div class="keep"><h2>{_esc(t("sources.cite", locale))}</h2><p>{_esc(sources.notes)}</p></div></div>
</body></html>"""


def _pages(briefing: Briefing) -> list[list[Slide]]:
    """The slides page by page (``PAGES``); a slide no page names joins the last one."""
    slides = [s for s in briefing.slides if s.key != "sources"]
    pages: list[list[Slide]] = [[s for s in slides if s.key in keys] for keys in PAGES]
    pages[-1].extend(s for s in slides if not any(s.key in keys for keys in PAGES))
    return [page for page in pages if page]


def _link(sources: Slide, locale: str) -> str:
    """The Sources page's QR code and address, where the dashboard's public address is configured."""
    if not sources.link:
        return ""
    said = qr.caption(sources.link, locale)
    return f'<p class="qr">{qr.svg(sources.link, said)}<br>{_esc(said)}</p>'


def pdf_bytes(briefing: Briefing, chromium: str | None, locale: str = DEFAULT_LOCALE) -> bytes:
    """Print the brief with Chromium and return the PDF.

    Raises:
        PdfUnavailable: Chromium is missing, failed, or timed out; the message says which.
    """
    browser = find_chromium(chromium)
    if browser is None:
        raise PdfUnavailable(t("brief.pdf_missing", locale))
    if not PRINTING.acquire(timeout=QUEUE_SECONDS):
        raise PdfUnavailable(t("brief.pdf_busy", locale))
    try:
        return _print(browser, briefing, locale)
    finally:
        PRINTING.release()


def start_printer(chromium: str | None) -> None:
    """Start the kept printer in the background, so Chromium starts while the data loads.

    For a one-off export (the command line); a failure here is left for ``pdf_bytes`` to report.
    """
    browser = find_chromium(chromium)
    if browser is None:
        return

    def start() -> None:
        try:
            printer.warm(browser, WARM_FLAGS, network_isolation(), _font_faces())
        except (OSError, printer.PrinterFailed):
            printer.forget(browser)

    threading.Thread(target=start, name="printer-start", daemon=True).start()


@cache
def network_isolation() -> tuple[str, ...]:
    """The command that runs Chromium with no network at all, where the system allows it.

    ``unshare -n`` (as root) or ``unshare -r -n`` (an unprivileged user namespace) gives Chromium
    a network namespace of its own: no route leaves it, so even the IPv6 reachability probe that
    no flag turns off (a UDP connect to a public DNS address) fails. Where neither is allowed (a
    container without the capability), the flags above are the walls, and the probe's UDP socket
    is connected but sends nothing.
    """
    unshare = shutil.which("unshare")
    for option in (("-n",), ("-r", "-n")):
        try:
            if (
                unshare
                and subprocess.run([unshare, *option, "true"], capture_output=True, timeout=10).returncode
                == 0
            ):
                return (unshare, *option)
        except (OSError, subprocess.TimeoutExpired):
            continue
    return ()


def _print(browser: str, briefing: Briefing, locale: str) -> bytes:
    """Print on the kept Chromium; one that died since the last brief is started again, once."""
    for attempt in (1, 2):
        try:
            kept = printer.warm(browser, WARM_FLAGS, network_isolation(), _font_faces())
            return kept.pdf(brief_html(briefing, locale, kept.svg))
        except (OSError, printer.PrinterFailed) as exc:
            printer.forget(browser)
            if attempt == 2:
                raise PdfUnavailable(f"Chromium could not print the brief: {exc}") from exc
    raise AssertionError("unreachable")


def default_file_name(kind: str, as_of: date) -> str:
    """``iiim-briefing-2024-05-29.pdf`` and the like: the date travels in the name."""
    return f"iiim-briefing-{as_of.isoformat()}.{kind}"
