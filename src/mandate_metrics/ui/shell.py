"""What every page shares: the as-of control, the viewer's role and locale, the page header.

The as-of control is bound to the ``as_of`` query parameter, so a copied address reproduces the
same figures on any page. ``app.py`` settles the run's date and view (``prepare``), runs the
page, then draws the controls (``sidebar``): a first-time visitor's browser then fetches the code
for the headline figures before the code for the date field and menus, and sees the figures
sooner. A page that has nothing more to show ends with ``end_page()``, never ``st.stop()``
(which would stop the controls from being drawn too).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Hashable, Sequence
from dataclasses import dataclass
from datetime import date
from typing import NoReturn, TypeVar
from urllib.parse import urlsplit

import pandas as pd
import streamlit as st
from streamlit.navigation.page import StreamlitPage

from mandate_metrics.config import load_config
from mandate_metrics.figures.disclosure import Role
from mandate_metrics.figures.metrics import LEDGER_METRICS
from mandate_metrics.figures.record import Evidence, View, default_view, view_name, view_token
from mandate_metrics.i18n import LANGUAGES, fmt_date, t
from mandate_metrics.loading import Datasets
from mandate_metrics.schemas import EARLIEST_DATE
from mandate_metrics.ui import cached, language
from mandate_metrics.ui.prepared import PREPARED

T = TypeVar("T")

DATE_FORMAT = "DD/MM/YYYY"  # day first, as UN documents write dates; the address keeps ISO
AS_OF_KEY = "as_of"
ROLE_KEY = "role"  # set only by a successful staff sign-in (ui.staff)
LANG_KEY = language.LANG_KEY
PRESET_KEY = "as_of_preset"
VIEW_KEY = "view"
VIEW_CHOSEN_KEY = "view_chosen"  # set once the viewer picks a view: the default no longer applies


@dataclass(frozen=True)
class Context:
    """Everything a page needs to compute and label its figures."""

    datasets: Datasets
    as_of: date
    locale: str
    role: Role
    view: View = "record"

    def frame(self, name: str) -> pd.DataFrame:
        """Dataset ``name`` with its own words in the reader's language (never mutate it)."""
        return self.datasets.frame(name)

    def stored(self, name: str) -> pd.DataFrame:
        """Dataset ``name`` as loaded, in English: what staff publish, and a whole-dataset download."""
        return self.datasets.as_loaded().frame(name)

    @property
    def evidence(self) -> Evidence:
        """What every page asks for a measure as of a date: the record or the ledger, per the view."""
        return cached.evidence(self.datasets, self.view)

    def prepared(self, part: str, build: Callable[[], T], *filters: Hashable) -> T:
        """``build()`` once per data version, date, language, role, view and ``filters``; then read.

        ``build`` may depend on nothing else: what it returns is shared by every session
        (``ui/prepared.py``) and must not be mutated.
        """
        key = (self.datasets.identity, self.as_of, self.locale, self.role, self.view, part, filters)
        return PREPARED.get(key, build)


def presentation_dates(datasets: Datasets) -> dict[date, str]:
    """Days on which ledger figures were presented, newest first, each with its occasion ("Brussels VIII")."""
    figures = datasets.frame("published_figures")
    days = figures[(figures["metric"].isin(LEDGER_METRICS)) & (figures["as_of_precision"] == "day")]
    named = days.sort_values("as_of", ascending=False).drop_duplicates("as_of")
    return {
        ts.date(): "" if pd.isna(o) else str(o)
        for ts, o in zip(named["as_of"], named["occasion"], strict=True)
    }


LINK_PROBLEMS_KEY = "link_problems"
RUN_DATASETS_KEY = "run_datasets"  # what app.py loaded at the start of this run (``prepare``)

# WCAG 2.2 AA where Streamlit's defaults fall short (axe-core finds these; tests/test_browser.py):
# captions are faded to 4.37:1 on white (AA needs 4.5:1); the date field's day, month and year are
# 18 px targets (2.5.8 needs 24 px); and a keyboard user always sees where the focus is (2.4.7).
ACCESSIBLE_CSS = """<style>
[data-testid="stCaptionContainer"], [data-testid="stCaptionContainer"] :not(a) { color: #4B5563 !important;
  opacity: 1 !important; }
[role="spinbutton"] { display: inline-block; min-width: 24px; min-height: 24px; line-height: 24px;
  text-align: center; }
a:focus-visible, button:focus-visible, input:focus-visible, textarea:focus-visible, summary:focus-visible,
[role="radio"]:focus-visible, [role="tab"]:focus-visible, [role="spinbutton"]:focus-visible,
[tabindex]:focus-visible { outline: 3px solid #0B5394 !important; outline-offset: 2px; }
</style>"""


def link_problems(datasets: Datasets, locale: str) -> list[str]:
    """What in the address names something that does not exist, each with what is shown instead.

    Read before the controls draw (they replace a bad value with their default silently): a wrong
    link must say so, never quietly show other figures.
    """
    found = []
    latest = datasets.latest_date
    shown = fmt_date(latest, locale)
    raw = st.query_params.get(AS_OF_KEY)
    if raw:
        try:
            asked = date.fromisoformat(raw)
        except ValueError:
            key = (
                "link.as_of_not_a_day" if re.fullmatch(r"\d{4}-\d{2}-\d{2}", raw) else "link.as_of_not_a_date"
            )
            found.append(t(key, locale, value=raw, shown=shown))
        else:
            if asked < EARLIEST_DATE.date():
                found.append(
                    t(
                        "link.as_of_before",
                        locale,
                        value=raw,
                        first=fmt_date(EARLIEST_DATE.date(), locale),
                        shown=shown,
                    )
                )
            elif asked > latest:
                found.append(t("link.as_of_after", locale, value=raw, shown=shown))
    lang = st.query_params.get(LANG_KEY)
    if lang and lang not in LANGUAGES:
        found.append(t("link.lang", locale, value=lang))
    record, ledger, default = _view_tokens(datasets)
    asked_view = st.query_params.get(VIEW_KEY)
    if asked_view is not None and asked_view not in (record, ledger):
        shown_view = view_name(datasets, "record" if default == record else "ledger", locale)
        key = "link.view_official" if asked_view == "official" else "notice.wrong_view"
        found.append(t(key, locale, value=asked_view, shown=shown_view))
    return found


def unknown_page(page: StreamlitPage, pages: Sequence[StreamlitPage], locale: str) -> str | None:
    """What to say when the address names no page: Streamlit quietly shows the default page instead.

    ``page`` is the page Streamlit chose, ``pages`` every page (the first is the default). Only
    the default page stands in for an unknown address, so any other page means the address was
    right. Outside a browser session (no address) there is nothing to check.
    """
    if not st.context.url or page.url_path:
        return None
    path = urlsplit(st.context.url).path.strip("/")
    base = str(st.get_option("server.baseUrlPath") or "").strip("/")
    if base and (path == base or path.startswith(base + "/")):
        path = path[len(base) :].strip("/")
    if not path or path in {p.url_path for p in pages}:
        return None
    return t("link.page", locale, value=path, shown=pages[0].title)


class EndOfPage(Exception):  # noqa: N818 - it is not an error: the page is done
    """Raised by ``end_page``; ``app.py`` catches it and goes on to draw the controls."""


def end_page() -> NoReturn:
    """End the page here (its remaining content does not apply); the app's controls still draw."""
    raise EndOfPage


def prepare(datasets: Datasets, locale: str, page_problem: str | None = None) -> None:
    """Settle this run's view and note what in the address is wrong, before the page runs.

    ``app.py`` shows the problems at the top of the page, above the title, where nobody misses
    them; ``page_problem`` is ``unknown_page``'s answer.
    """
    problems = link_problems(datasets, locale)
    st.session_state[LINK_PROBLEMS_KEY] = [page_problem, *problems] if page_problem else problems
    st.session_state[RUN_DATASETS_KEY] = datasets  # the page reads these, not the store again
    _resolve_view(datasets)


def _apply_preset() -> None:
    choice = st.session_state.get(PRESET_KEY)
    if choice is not None:
        st.session_state[AS_OF_KEY] = choice


def sidebar(datasets: Datasets, locale: str) -> None:
    """Draw the shared controls in the sidebar: as-of date, presentation presets, data version."""
    latest = datasets.latest_date
    with st.sidebar:
        st.date_input(
            t("control.as_of", locale),
            value=latest,
            min_value=EARLIEST_DATE.date(),
            max_value=latest,
            key=AS_OF_KEY,
            bind="query-params",
            help=t("control.as_of.help", locale),
            format=DATE_FORMAT,
        )
        occasions = PREPARED.get(
            (datasets.identity, locale, "presentation_dates"),
            lambda: presentation_dates(cached.in_language(datasets, locale)),
        )
        st.selectbox(
            t("control.as_of.presets", locale),
            list(occasions),
            index=None,
            key=PRESET_KEY,
            format_func=lambda d: (
                f"{fmt_date(d, locale)} — {occasions[d]}" if occasions.get(d) else fmt_date(d, locale)
            ),
            on_change=_apply_preset,
            placeholder="—",
        )
        _view_switch(datasets, locale)
        st.caption(t("sidebar.data_version", locale, latest=fmt_date(latest, locale)))


def _view_switch(datasets: Datasets, locale: str) -> None:
    """The record / ledger switch, kept in the address as ``?view=record|sample|official``.

    The published record comes first; the ledger's own name says what it is (an illustrative
    sample, or official data once staff publish it as such). The address wins when it names a
    view; a viewer's own choice is kept across pages; otherwise the default applies (it moves
    once official data is published). A link naming a view this data does not have says so.
    """
    record, ledger, default = _view_tokens(datasets)  # a wrong ?view= is said at the top (link_problems)
    st.segmented_control(
        t("control.view_data", locale),
        [record, ledger] if default == record else [ledger, record],
        key=VIEW_KEY,
        format_func=lambda token: view_name(datasets, "record" if token == "record" else "ledger", locale),
        help=t("control.view_data.help", locale),
        required=True,
        on_change=_view_chosen,
    )


def _view_tokens(datasets: Datasets) -> tuple[str, str, str]:
    """The address's words for this data's record and ledger views, and which is the default."""
    record, ledger = view_token(datasets, "record"), view_token(datasets, "ledger")
    return record, ledger, view_token(datasets, default_view(datasets["requests"].meta.is_illustrative))


def _resolve_view(datasets: Datasets) -> None:
    """The view of this run, in the switch's state before the page reads it (see ``_view_switch``)."""
    record, ledger, default = _view_tokens(datasets)
    asked = st.query_params.get(VIEW_KEY)
    chosen = st.session_state.get(VIEW_CHOSEN_KEY, False)
    if asked in (record, ledger):
        st.session_state[VIEW_KEY] = asked
    elif not chosen or st.session_state.get(VIEW_KEY) not in (record, ledger):
        st.session_state[VIEW_KEY] = default
    if chosen or asked in (record, ledger):
        st.query_params[VIEW_KEY] = st.session_state[VIEW_KEY]


def _view_chosen() -> None:
    st.session_state[VIEW_CHOSEN_KEY] = True
    st.query_params[VIEW_KEY] = st.session_state[VIEW_KEY]


def current_view(datasets: Datasets) -> View:
    """The view of this run: the switch's value when it names this data's views, else the default."""
    token = st.session_state.get(VIEW_KEY)
    if token == view_token(datasets, "record"):
        return "record"
    if token == view_token(datasets, "ledger"):
        return "ledger"
    return default_view(datasets["requests"].meta.is_illustrative)


def context() -> Context:
    """The context of this run: the controls' values, or on a first run the address's.

    The datasets are the ones ``app.py`` read at the start of this run (one look at the store's
    pointers a run, not one per caller).
    """
    datasets = st.session_state.get(RUN_DATASETS_KEY) or cached.datasets()
    value = st.session_state.get(AS_OF_KEY)
    as_of = value if isinstance(value, date) else _as_of_in_address(datasets)
    role: Role = "staff" if st.session_state.get(ROLE_KEY) == "staff" else "public"
    lang = locale()
    return Context(
        datasets=cached.in_language(datasets, lang),
        as_of=as_of,
        locale=lang,
        role=role,
        view=current_view(datasets),
    )


def _as_of_in_address(datasets: Datasets) -> date:
    """The ``as_of`` of the address when it is a day the control accepts, else the latest data.

    The control reads the address the same way when it is drawn, after the page.
    """
    try:
        asked = date.fromisoformat(st.query_params.get(AS_OF_KEY, ""))
    except ValueError:
        return datasets.latest_date
    return asked if EARLIEST_DATE.date() <= asked <= datasets.latest_date else datasets.latest_date


def locale() -> str:
    """The language: ``?lang=``, else the one chosen in this session, else the setting.

    The address names it, so a shared link keeps it.
    """
    return language.current(load_config().locale)
