"""Mandate Metrics: the entry point. Page config, the shared controls, then the chosen page."""

import streamlit as st

from mandate_metrics.i18n import t
from mandate_metrics.paths import PROJECT_DIR
from mandate_metrics.store import StoreError
from mandate_metrics.text import visible
from mandate_metrics.ui import cached, language, share, shell, slides, staff

L = shell.locale()  # ?lang=en|ar|fr, kept across pages
st.set_page_config(
    page_title=t("app.title", L) + " — IIIM",
    page_icon=str(PROJECT_DIR / "assets" / "favicon.png"),
    layout="wide",
)

PAGES = [
    st.Page("app_pages/overview.py", title=t("page.overview", L), icon=":material/dashboard:", default=True),
    st.Page(
        "app_pages/requests_investigations.py",
        title=t("page.requests", L),
        icon=":material/assignment:",
        url_path="requests",
    ),
    st.Page(
        "app_pages/jurisdictions.py",
        title=t("page.jurisdictions", L),
        icon=":material/account_balance:",
        url_path="jurisdictions",
    ),
    st.Page(
        "app_pages/funding_donors.py",
        title=t("page.funding", L),
        icon=":material/payments:",
        url_path="funding",
    ),
    BRIEFING := st.Page(
        "app_pages/briefing.py",
        title=t("page.briefing", L),
        icon=":material/co_present:",
        url_path="briefing",
    ),
    DATA := st.Page(
        "app_pages/data.py", title=t("page.data", L), icon=":material/upload_file:", url_path="data"
    ),
    st.Page(
        "app_pages/sources_methods.py",
        title=t("page.sources", L),
        icon=":material/menu_book:",
        url_path="sources",
    ),
    EMBED := st.Page(
        "app_pages/embed.py", title=t("embed.title", L), icon=":material/code:", url_path="embed"
    ),
]

# Every page is routable; the sidebar lists the public ones, and the staff page is a small
# "Staff sign-in" link below the controls (a public entry that showed only a form confused people).
# Presentation mode (?present=1 on any page) shows the briefing with no navigation at all.
page = st.navigation(PAGES, position="hidden")
# The sidebar's place is taken at once (its controls are drawn after the page): the page does not
# jump sideways when they arrive (cumulative layout shift, tests/test_browser.py).
st.sidebar.empty()
presenting = slides.is_presenting()
if presenting and page.url_path != BRIEFING.url_path:
    st.switch_page(BRIEFING, query_params=st.query_params.to_dict())
is_staff = staff.current_role() == "staff"
try:
    datasets = cached.datasets()  # reads the store's pointers (and checks new data against its checksum)
except StoreError as damage:  # altered data or a lost pointer: say so, show no figure
    st.error(t("store.damaged", L, problem=visible(str(damage))), icon=":material/report:")
    st.stop()
shell.prepare(datasets, L, shell.unknown_page(page, PAGES, L))
if not presenting:  # less empty space above the title: the first screen carries the headline figures
    st.html(
        "<style>[data-testid='stMainBlockContainer'] { padding-top: 2.2rem !important; }"
        "[data-testid='stMetricValue'] { font-size: 2rem; }"
        # a label or a change that does not fit wraps; it is never cut to "Requesting jurisdicti…"
        "[data-testid='stMetricLabel'] *, [data-testid='stMetricDelta'] *, [data-testid='stMetricValue'] * "
        "{ white-space: normal !important;"
        " overflow: visible !important; text-overflow: clip !important; }</style>"
    )
for problem in st.session_state.get(shell.LINK_PROBLEMS_KEY, []):  # a wrong link says so, here
    st.warning(problem, icon=":material/link_off:")
if is_staff:  # every page, while signed in: what staff see is not for the public
    st.warning(t("staff.view_marker", L), icon=":material/visibility_lock:")
# The page first, then the sidebar: a first-time visitor's browser fetches the code for the
# headline figures before the code for the date field and menus (see ui/shell.py).
try:
    page.run()
except shell.EndOfPage:
    pass
language.declare(L, shell.ACCESSIBLE_CSS)  # after the page: the shell is already laid out in its direction
with st.sidebar:
    language.switch(L)
    if not presenting:
        for entry in PAGES:
            if entry is not EMBED and (entry is not DATA or is_staff):
                st.page_link(entry)
        st.divider()
    st.markdown(f"**{t('app.title', L)}**  \n{t('app.subtitle', L)}")
shell.sidebar(datasets, L)
with st.sidebar:
    share.copy_link(shell.context())  # after the date control exists, so the link carries its value
    if not is_staff and not presenting:
        st.page_link(DATA, label=t("staff.link", L), icon=":material/lock:")
