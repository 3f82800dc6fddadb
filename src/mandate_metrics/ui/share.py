"""Links to exactly this view, and citations that carry them.

A shared link always names its as-of date, even when it is today's default: once new data is
published the default moves, and the link must still reproduce the figures it was copied from.
"""

from __future__ import annotations

from datetime import UTC, datetime
from urllib.parse import urlencode, urlsplit, urlunsplit

import streamlit as st

from mandate_metrics.figures.record import view_name, view_token
from mandate_metrics.i18n import fmt_date, t
from mandate_metrics.ui.shell import AS_OF_KEY, VIEW_KEY, Context


def view_url(ctx: Context, **overrides: str) -> str:
    """The address of this page with every query parameter of the view, as-of date first."""
    parts = urlsplit(st.context.url or "")
    # The date and the view always travel: both defaults move once new or official data is published.
    params: dict[str, str] = {AS_OF_KEY: ctx.as_of.isoformat(), VIEW_KEY: view_token(ctx.datasets, ctx.view)}
    for key, value in st.query_params.to_dict().items():
        if key not in (AS_OF_KEY, VIEW_KEY):
            params[key] = value
    params.update(overrides)
    return urlunsplit((parts.scheme, parts.netloc, parts.path, urlencode(params), ""))


def embed_snippet(ctx: Context, chart: str) -> str:
    """An iframe that shows one chart alone, at this date and view, with Streamlit's embed mode."""
    parts = urlsplit(st.context.url or "")
    params = {AS_OF_KEY: ctx.as_of.isoformat(), VIEW_KEY: view_token(ctx.datasets, ctx.view), "chart": chart}
    address = urlunsplit((parts.scheme, parts.netloc, "/embed", urlencode({**params, "embed": "true"}), ""))
    return f'<iframe src="{address}" width="100%" height="620" style="border:0" title="IIIM chart"></iframe>'


def citation(ctx: Context, title: str, marking: str = "published") -> str:
    """A ready citation: title, IIIM, view, data version, as-of date, what the values are, access date, link.

    ``marking`` (published, official or illustrative) travels into the citation, so a pasted
    citation of a sample chart still says it is not a public figure.
    """
    return t(
        "cite.chart",
        ctx.locale,
        title=title,
        view=view_name(ctx.datasets, ctx.view, ctx.locale),
        version=ctx.datasets.version,
        as_of=fmt_date(ctx.as_of, ctx.locale),
        marking=t(f"cite.marking.{marking}", ctx.locale, version=ctx.datasets["requests"].version),
        accessed=fmt_date(datetime.now(UTC).date(), ctx.locale),
        url=view_url(ctx),
    )


def copy_link(ctx: Context) -> None:
    """The "Copy link to this view" control: the link in a code box, whose copy button copies it."""
    with st.popover(t("share.copy_link", ctx.locale), icon=":material/link:", width="stretch"):
        st.caption(t("share.copy_help", ctx.locale))
        st.code(view_url(ctx), language=None, wrap_lines=True)
