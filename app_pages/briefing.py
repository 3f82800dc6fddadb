"""Briefing: the slides leadership presents, full screen or previewed; the deck and PDF to take away."""

import streamlit as st

from mandate_metrics.exports.pdf import PdfUnavailable, default_file_name
from mandate_metrics.i18n import t
from mandate_metrics.ui import cached, slides
from mandate_metrics.ui import components as ui
from mandate_metrics.ui.shell import context

ctx = context()
L = ctx.locale
brief = cached.briefing(ctx.datasets, ctx.as_of, ctx.role, L, ctx.view)
total = len(brief.slides)
number = slides.current(total, L)
presenting = slides.is_presenting()

if presenting:
    slides.hide_chrome()
else:
    st.title(t("page.briefing", L))
    st.caption(t("brief.intro", L))
    if brief.illustrative:
        ui.illustrative_notice(
            ctx, ["requests", "investigations", "jurisdictions", "contributions", "budget"]
        )
    with st.container(horizontal=True):
        st.download_button(
            t("brief.deck", L),
            cached.deck(ctx.datasets, ctx.as_of, ctx.role, L, ctx.view),
            file_name=default_file_name("pptx", ctx.as_of),
            icon=":material/co_present:",
            on_click="ignore",
            mime="application/vnd.openxmlformats-officedocument.presentationml.presentation",
            key="dl_deck",
        )
        if st.button(t("brief.pdf_prepare", L), icon=":material/picture_as_pdf:", key="pdf_prepare"):
            if (count := cached.pdf_allowed()) is not None:
                st.warning(t("brief.pdf_limit", L, n=count), icon=":material/hourglass_top:")
            else:
                st.session_state["pdf_for"] = (ctx.datasets.version, ctx.as_of, ctx.role, ctx.view)
    if st.session_state.get("pdf_for") == (ctx.datasets.version, ctx.as_of, ctx.role, ctx.view):
        try:
            with st.spinner(t("brief.pdf_prepare", L)):
                pdf = cached.pdf(ctx.datasets, ctx.as_of, ctx.role, L, ctx.view)
            st.download_button(
                t("brief.pdf", L),
                pdf,
                file_name=default_file_name("pdf", ctx.as_of),
                mime="application/pdf",
                icon=":material/download:",
                on_click="ignore",
                key="dl_pdf",
            )
        except PdfUnavailable as exc:
            st.error(str(exc), icon=":material/error:")
    st.divider()

with st.container(border=not presenting):
    slides.render(brief, number, L, presenting)
slides.navigation(total, number, L, presenting)
