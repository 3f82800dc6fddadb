"""Sources & methods: every dataset and published figure with its source, the definitions, how to cite."""

from functools import partial

import pandas as pd
import streamlit as st

from mandate_metrics import narrative
from mandate_metrics.exports.package import public_data_zip
from mandate_metrics.exports.tables import csv_bytes, labelled
from mandate_metrics.figures import disclosure, metrics
from mandate_metrics.i18n import fmt_date, fmt_int, fmt_percent, t
from mandate_metrics.ui import cached, share
from mandate_metrics.ui import components as ui
from mandate_metrics.ui.shell import context

ctx = context()
L = ctx.locale


st.title(t("sources.title", L))

st.header(t("sources.datasets", L), anchor="datasets", divider="gray")
st.caption(t("sources.visibility_note", L))
st.download_button(
    t("sources.download_all", L),
    partial(
        public_data_zip, ctx.datasets, ctx.role, t("jurisdictions.undisclosed_name", L), ctx.as_of, ctx.view
    ),
    file_name=f"iiim_public_data_{ctx.datasets.version}.zip",
    mime="application/zip",
    key="dl_all",
    icon=":material/folder_zip:",
    help=t("sources.download_all_help", L),
    type="primary",
    on_click="ignore",
)
jurisdictions = ctx.stored("jurisdictions")
for name, dataset in ctx.datasets.as_loaded().items():  # a whole dataset is offered as stored
    meta = dataset.meta
    with st.container(border=True):
        st.markdown(
            f"**{ui.escape(dataset.title(L))}** · `{name}` · "
            f"{t('sources.provenance.' + meta.provenance, L)} · "
            f"{t('sources.column.version', L)} `{meta.version}` · {t('sources.column.as_of', L)} "
            f"{fmt_date(meta.as_of, L)} · {t('sources.rows', L, n=meta.rows)}"
        )
        ui.data_caption(dataset.description(L))
        sources = " · ".join(ui.source_link(s.title, s.url) for s in meta.sources)
        st.caption(f"<div>{sources} — {ui.inert(dataset.licence(L))}</div>", unsafe_allow_html=True)
        if meta.visibility != "public" and not disclosure.can_see_everything(ctx.role):
            continue  # an internal dataset is not offered to the public at all
        if name in disclosure.ROW_LEVEL and not disclosure.can_see_everything(ctx.role):
            st.caption(t("sources.row_level", L))
            continue
        public = partial(
            disclosure.public_dataset,
            name,
            dataset.frame,
            jurisdictions,
            ctx.role,
            t("jurisdictions.undisclosed_name", L),
        )
        stamp = ui.stamp(ctx, [name], dataset.title(L), dataset.frame)
        st.download_button(
            t("sources.download", L, name=name),
            lambda public=public, stamp=stamp: csv_bytes(labelled(public(), L), stamp),  # made on click
            file_name=f"iiim_{name}_{meta.version}.csv",
            mime="text/csv",
            key=f"dl_{name}",
            icon=":material/download:",
            on_click="ignore",
        )

st.header(t("sources.published", L), anchor="published", divider="gray")
st.caption(t("sources.published_caption", L))


def published_table() -> pd.DataFrame:
    """Every published figure, newest first, with its value in its source's words and its link."""
    figures = ctx.frame("published_figures").sort_values("as_of", ascending=False)
    return pd.DataFrame(
        {
            t("sources.column.as_of", L): figures["as_of"].dt.strftime("%Y-%m-%d"),
            t("sources.column.measure", L): figures["label"],
            t("sources.column.value", L): [
                t(f"qualifier.{q}", L, value=fmt_int(v, L))
                for q, v in zip(figures["qualifier"], figures["value"], strict=True)
            ],
            t("column.unit", L): figures["unit"],
            t("sources.column.quote", L): figures["quote"].fillna(""),
            t("sources.column.source", L): figures["source_title"],
            t("sources.column.link", L): figures["source_url"].fillna(""),
            t("sources.column.status", L): figures["verification"],
        }
    )


LINK = t("sources.column.link", L)
ui.prepared_table_view(
    ctx,
    "published_figures",
    published_table,
    hide_index=True,
    width="stretch",
    column_config={LINK: st.column_config.LinkColumn(LINK)},
)
check = ctx.prepared(
    "reconcile",
    lambda: metrics.reconcile(
        ctx.frame("published_figures"), ctx.frame("requests"), ctx.as_of, cached.ledger_index(ctx.datasets)
    ),
)
st.header(
    t("chart.published_vs_ledger.title", L, ok=int(check["consistent"].sum()), total=len(check)),
    anchor="how-we-check",
    divider="gray",
)
st.caption(
    t("requests.reconcile_caption", L)
    + " "
    + fmt_percent(check["consistent"].mean() if len(check) else None, L)
)


def reconcile_table() -> pd.DataFrame:
    """Each published figure beside the ledger's value on its date, and whether they agree."""
    return pd.DataFrame(
        {
            t("column.date", L): check["as_of"].dt.strftime("%Y-%m-%d"),
            t("column.measure", L): [t(f"metric.{m}", L) for m in check["metric"]],
            t("reconcile.published", L): [
                t(f"qualifier.{q}", L, value=fmt_int(v, L))
                for q, v in zip(check["qualifier"], check["value"], strict=True)
            ],
            t("reconcile.sample", L): [fmt_int(v, L) for v in check["ledger_value"]],
            t("reconcile.met", L): check["consistent"],
            t("column.source", L): check["source_title"],
        }
    )


ui.prepared_table_view(ctx, "reconcile", reconcile_table, hide_index=True, width="stretch")

st.header(t("sources.definitions", L), anchor="definitions", divider="gray")
defined = narrative.definitions(L)
st.table(
    {t("sources.column.measure", L): list(defined), t("sources.column.definition", L): list(defined.values())}
)
st.caption(t("funding.explainer", L))

st.header(t("sources.cite", L), anchor="cite", divider="gray")
citation = t(
    "sources.cite_text",
    L,
    title=t("app.subtitle", L),
    version=ctx.datasets.version,
    as_of=fmt_date(ctx.as_of, L),
)
st.markdown(citation)
st.code(
    citation.replace("*", "") + f" {t('sources.cite_link', L)}: {share.view_url(ctx)}",
    language=None,
    wrap_lines=True,
)
