"""Mandate Metrics: the entry point. Page config, the shared controls, then the chosen page."""

import streamlit as st

from mandate_metrics.i18n import t
from mandate_metrics.paths import PROJECT_DIR
from mandate_metrics.ui import cached, shell

st.set_page_config(
    page_title=t("app.title") + " — IIIM",
    page_icon=str(PROJECT_DIR / "assets" / "favicon.png"),
    layout="wide",
)

PAGES = [
    st.Page("pages/overview.py", title=t("page.overview"), icon=":material/dashboard:", default=True),
    st.Page(
        "pages/requests_investigations.py",
        title=t("page.requests"),
        icon=":material/assignment:",
        url_path="requests",
    ),
    st.Page(
        "pages/jurisdictions.py",
        title=t("page.jurisdictions"),
        icon=":material/account_balance:",
        url_path="jurisdictions",
    ),
    st.Page(
        "pages/funding_donors.py", title=t("page.funding"), icon=":material/payments:", url_path="funding"
    ),
    st.Page(
        "pages/sources_methods.py", title=t("page.sources"), icon=":material/menu_book:", url_path="sources"
    ),
]

page = st.navigation(PAGES)
with st.sidebar:
    st.markdown(f"**{t('app.title')}**  \n{t('app.subtitle')}")
shell.sidebar(cached.datasets(), shell.context().locale)
page.run()
