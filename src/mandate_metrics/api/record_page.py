"""``/record``: the published record as one plain HTML page, complete without JavaScript.

A Streamlit page is invisible without its websocket: a web archive, a search engine, a text
browser or a screen reader on a mission office's slow link sees nothing. This page is the same
published record as the Overview's default view — the headline figures with their sources and
dates, each series as a table and an inline SVG chart, the evidence figures, the published
contributions and the sources — in a few tens of kilobytes, printable, in English, Arabic or French.
"""

from __future__ import annotations

import html
import json
from datetime import date

from starlette.requests import Request
from starlette.responses import HTMLResponse, Response

from mandate_metrics import narrative
from mandate_metrics.api.as_of import asked_day
from mandate_metrics.exports.pdf import ARABIC_FILES, ARABIC_RANGE
from mandate_metrics.figures import funding
from mandate_metrics.figures.record import EVIDENCE_MEASURES, SERIES_MEASURES, Figure, PublishedRecord
from mandate_metrics.glyphs import CJK_RANGE, FONT_FILES
from mandate_metrics.i18n import LANGUAGES, direction, fmt_date, language, t
from mandate_metrics.loading import Datasets

HEADLINE = ("requests_received", "requesting_jurisdictions", "requests_supported", "investigations_supported")
FONT_FACES = "".join(  # the shipped fonts, for a reader whose machine has no Arabic or Chinese face
    f"@font-face{{font-family:'{family}';font-weight:{weight};src:url(app/static/fonts/{file});"
    f"unicode-range:{letters}}}"
    for family, letters, files in (
        ("Noto Sans Arabic", ARABIC_RANGE, ARABIC_FILES),
        ("Noto Sans SC", CJK_RANGE, FONT_FILES),
    )
    for weight, file in files.items()
)
STYLE = FONT_FACES + (
    "body{font-family:'Noto Sans','Noto Sans Arabic','Noto Sans SC',system-ui,sans-serif;"
    "max-width:62rem;margin:1.5rem auto;padding:0 1rem;"
    "line-height:1.5;color:#1a1a1a}h1{font-size:1.9rem;margin-bottom:.2rem}h2{margin-top:2rem;"
    "border-bottom:1px solid #ccc}.cards{display:flex;flex-wrap:wrap;gap:1rem}.card{border:1px solid #ccc;"
    "border-radius:.4rem;padding:.8rem 1rem;min-width:12rem;flex:1}.value{font-size:2rem;font-weight:600}"
    ".src{color:#444;font-size:.9rem}table{border-collapse:collapse;width:100%;margin:.5rem 0 1rem}"
    "td,th{border-bottom:1px solid #ddd;padding:.25rem .5rem;text-align:start}svg{max-width:100%;height:auto}"
    "a{color:#0b5cad}@media print{a{color:inherit}}"
)


def _e(text: object) -> str:
    return html.escape(str(text), quote=True)


def _source(figure: Figure) -> str:
    title = _e(figure.source_title)
    if figure.source_url and figure.source_url.startswith(("https://", "http://")):
        title = f'<a href="{_e(figure.source_url)}">{title}</a>'
    return f'<bdi dir="ltr" lang="en">{title}</bdi>'


def _svg(points: list[Figure], label: str) -> str:
    """A small step chart of one series: drawn on the server, nothing to load or run."""
    if len(points) < 2:
        return ""
    width, height, pad = 640, 180, 30
    days = [p.on.toordinal() for p in points]
    values = [p.value for p in points]
    low_day, span_day = min(days), max(max(days) - min(days), 1)
    top = max(values) or 1

    def x(day: int) -> float:
        return pad + (day - low_day) / span_day * (width - 2 * pad)

    def y(value: float) -> float:
        return height - pad - value / top * (height - 2 * pad)

    path = " ".join(f"{x(d):.1f},{y(v):.1f}" for d, v in zip(days, values, strict=True))
    dots = "".join(
        f'<circle cx="{x(d):.1f}" cy="{y(v):.1f}" r="3"/>' for d, v in zip(days, values, strict=True)
    )
    ends = "".join(
        f'<text x="{x(days[i]):.1f}" y="{y(values[i]) - 8:.1f}" text-anchor="middle">{int(values[i])}</text>'
        for i in (0, -1)
    )
    return (
        f'<svg viewBox="0 0 {width} {height}" role="img" aria-label="{_e(label)}" font-size="13" '
        'fill="#1a1a1a">'
        f'<polyline points="{path}" fill="none" stroke="#0072b2" stroke-width="2"/>'
        f'<g fill="#0072b2">{dots}</g>{ends}</svg>'
    )


def _headline(record: PublishedRecord, day: date, locale: str) -> str:
    cards = []
    for measure in HEADLINE:
        figure = record.figure(measure, day)
        if figure is None:
            continue
        cards.append(
            f'<div class="card"><div>{_e(t(f"metric.{measure}", locale))}</div>'
            f'<div class="value">{_e(narrative.fmt_figure(figure, locale))}</div>'
            f'<div class="src">{_e(fmt_date(figure.on, locale))} · {_source(figure)}</div></div>'
        )
    return f'<div class="cards">{"".join(cards)}</div>'


def _series(record: PublishedRecord, day: date, locale: str) -> str:
    parts = []
    for measure in SERIES_MEASURES:
        points = record.series(measure, day)
        if not points:
            continue
        name = t(f"metric.{measure}", locale)
        rows = "".join(
            f"<tr><td>{_e(fmt_date(p.on, locale))}</td><td>{_e(narrative.fmt_figure(p, locale))}</td>"
            f"<td>{_source(p)}</td></tr>"
            for p in points
        )
        head = f"<tr><th>{_e(t('column.date', locale))}</th><th>{_e(t('column.value', locale))}</th>"
        head += f"<th>{_e(t('column.source', locale))}</th></tr>"
        parts.append(f"<h3>{_e(name)}</h3>{_svg(points, name)}<table>{head}{rows}</table>")
    return "".join(parts)


def _evidence(record: PublishedRecord, day: date, locale: str) -> str:
    items = [
        f"<li>{_e(t(f'evidence.{m}', locale))}: <strong>{_e(narrative.fmt_figure(f, locale))}</strong> "
        f"({_e(fmt_date(f.on, locale))} · {_source(f)})</li>"
        for m in EVIDENCE_MEASURES
        if (f := record.figure(m, day)) is not None
    ]
    return f"<ul>{''.join(items)}</ul>" if items else ""


def _amount(amount: float, currency: object) -> str:
    """An amount in its own currency, or nothing where the source states none."""
    return "" if amount != amount else f"{amount:,.0f} {currency}"  # NaN: no amount stated


def _funding(data: Datasets, day: date, locale: str) -> str:
    given = funding.published_contributions(data.frame("contributions"), day)
    rows = "".join(
        f"<tr><td>{_e(fmt_date(row['date'].date(), locale))}</td><td>{_e(row['donor'])}</td>"
        f"<td>{_e(_amount(row['amount'], row['currency']))}</td>"
        f"<td><bdi dir='ltr' lang='en'>{_e(row['source_title'] or '')}</bdi></td></tr>"
        for _, row in given.iterrows()
    )
    return f"<table>{rows}</table>" if rows else ""


def _json_ld(data: Datasets, day: date) -> str:
    described = {
        "@context": "https://schema.org",
        "@type": "Dataset",
        "name": "IIIM Mandate Metrics — published record",
        "description": "Figures the IIIM, the UN and governments published on requests for assistance, "
        "investigations supported and funding, each with its source and date.",
        "creator": {"@type": "Organization", "name": "IIIM"},
        "dateModified": day.isoformat(),
        "version": data.version,
        "distribution": [
            {
                "@type": "DataDownload",
                "encodingFormat": "application/zip",
                "contentUrl": "/api/v1/datapackage.zip",
            },
            {"@type": "DataDownload", "encodingFormat": "application/json", "contentUrl": "/api/v1/figures"},
        ],
    }
    safe = json.dumps(described).replace("</", "<\\/")  # nothing in it can close the script element
    return f'<script type="application/ld+json">{safe}</script>'


def page(data: Datasets, day: date, locale: str) -> str:
    """The whole page, as one string."""
    record = PublishedRecord(data.frame("published_figures"))
    alternates = "".join(
        f'<link rel="alternate" hreflang="{code}" href="/record?as_of={day.isoformat()}&amp;lang={code}">'
        for code in LANGUAGES
    )
    title = f"{t('app.title', locale)} — {t('view.record', locale)}"
    return (
        f'<!doctype html><html lang="{language(locale)}" dir="{direction(locale)}">'
        '<head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>{_e(title)}</title>{alternates}<style>{STYLE}</style>{_json_ld(data, day)}</head><body>"
        f"<header><h1>{_e(t('overview.title', locale))}</h1><p>{_e(t('app.subtitle', locale))} · "
        f"{_e(t('view.record', locale))} · {_e(fmt_date(day, locale))} · "
        f"<bdi dir='ltr'>{_e(data.version)}</bdi></p></header><main>"
        f"{_headline(record, day, locale)}"
        f"<h2>{_e(t('sources.published', locale))}</h2>{_series(record, day, locale)}"
        f"<h2>{_e(t('evidence.title', locale))}</h2>{_evidence(record, day, locale)}"
        f"<h2>{_e(t('funding.record_figures', locale))}</h2>{_funding(data, day, locale)}"
        f'</main><footer><p><a href="/api/v1/">API</a> · <a href="/api/v1/datapackage.zip">zip</a> · '
        f'<a href="/?as_of={day.isoformat()}&amp;lang={locale}">{_e(t("page.overview", locale))}</a></p>'
        "</footer></body></html>"
    )


def record(request: Request, data: Datasets) -> Response:
    """``GET /record?as_of=&lang=``: a bad date is a 400 that names it; an unknown language is English."""
    locale = request.query_params.get("lang", "en")
    locale = locale if locale in LANGUAGES else "en"
    try:
        day = asked_day(request.query_params.get("as_of") or None, data)  # a form's empty field: latest
    except ValueError as exc:
        latest = f'<a href="/record?lang={locale}">{_e(t("view.record", locale))}</a>'
        return HTMLResponse(
            f"<!doctype html><html lang='en'><title>Bad date</title><p>{_e(exc)}</p><p>{latest}</p>", 400
        )
    headers = {"ETag": f'"{data.version}-{locale}-{day.isoformat()}"', "Cache-Control": "public, max-age=60"}
    if request.headers.get("if-none-match") == headers["ETag"]:
        return Response(status_code=304, headers=headers)
    return HTMLResponse(page(data, day, locale), headers=headers)
