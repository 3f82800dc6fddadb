"""One chart alone, for a delegation's website: /embed?chart=KEY&embed=true (and as_of, view)."""

import streamlit as st

from mandate_metrics.i18n import t
from mandate_metrics.ui import components as ui
from mandate_metrics.ui.shell import context, end_page

# The chart alone: the sidebar's controls still read the date and view from the address, unseen.
st.html(
    "<style>[data-testid='stSidebar'], [data-testid='stSidebarCollapsedControl'], "
    "[data-testid='stExpandSidebarButton'] { display: none !important; }</style>"
)
ctx = context()
chart = st.query_params.get("chart", "")
if chart not in ui.EMBEDS:
    st.warning(
        t("embed.unknown", ctx.locale, value=chart, names=", ".join(ui.EMBEDS)), icon=":material/link_off:"
    )
    end_page()
measures, title_key = ui.EMBEDS[chart]
ui.growth_panel(ctx, chart, measures, title_key)
