"""Every page runs in AppTest; the overview shows Brussels VIII; the public view hides what it must."""

from __future__ import annotations

import io
import re

import pandas as pd
import pytest
import streamlit as st
from conftest import shown
from streamlit.testing.v1 import AppTest

from mandate_metrics.config import load_config
from mandate_metrics.paths import PROJECT_DIR
from mandate_metrics.store import open_store

APP = str(PROJECT_DIR / "app.py")
PAGES = re.findall(r'st\.Page\(\s*"(app_pages/[a-z_]+\.py)"', (PROJECT_DIR / "app.py").read_text())


@pytest.fixture(autouse=True)
def _fresh_caches():
    st.cache_data.clear()


def run(
    page: str = "app_pages/overview.py",
    as_of: str | None = None,
    role: str | None = None,
    view: str | None = None,
    lang: str | None = None,
) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=60)
    if lang:
        at.query_params["lang"] = lang
    if as_of:
        at.query_params["as_of"] = as_of
    if view:
        at.query_params["view"] = view
    if role:
        at.session_state["role"] = role
    at.run()
    if page != "app_pages/overview.py":
        at.switch_page(page).run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def metrics_of(at: AppTest) -> dict[str, str]:
    return {m.label: m.value for m in at.metric}


def test_every_registered_page_is_tested():
    assert len(PAGES) == 8


@pytest.mark.parametrize("page", PAGES)
def test_page_runs_without_exception(page):
    at = run(page)
    assert at.title or "embed" in page, page


@pytest.mark.parametrize("page", PAGES)
@pytest.mark.parametrize("view", ["record", "sample"])
def test_the_controls_are_drawn_after_every_page_even_one_that_ends_early(page, view):
    at = run(page, as_of="2024-05-29", view=view)
    assert [d.value.isoformat() for d in at.sidebar.date_input] == ["2024-05-29"], page
    assert len(at.sidebar.button_group) == 2, page  # the language switch and the record / sample switch
    assert at.query_params["view"] == [view] or at.query_params["view"] == view


def test_the_first_run_reads_the_date_from_the_address_as_the_control_will():
    at = run("app_pages/requests_investigations.py", as_of="2024-05-29", view="sample")
    first = metrics_of(at)
    at.run()  # now the control exists and holds the same day
    assert metrics_of(at) == first
    wrong = run(as_of="2031-01-01", view="sample")
    assert wrong.sidebar.date_input[0].value == wrong.sidebar.date_input[0].max  # latest, as the page
    assert any("2031-01-01" in w.value for w in wrong.warning)


def test_one_chart_alone_for_embedding_and_a_wrong_key_says_so():
    at = run("app_pages/embed.py", as_of="2024-05-29")  # no chart named
    assert any("There is no chart" in w.value for w in at.warning)
    at = AppTest.from_file(APP, default_timeout=60)
    at.query_params.update({"chart": "cumulative", "as_of": "2024-05-29", "embed": "true"})
    at.run()
    at.switch_page("app_pages/embed.py").run()
    assert [s.value for s in at.subheader] == ["Requests for assistance received reached 375 by 29 May 2024"]
    assert len(at.get("plotly_chart")) == 1 and not at.title


def test_a_donor_has_a_view_of_its_own_reachable_by_a_link():
    at = AppTest.from_file(APP, default_timeout=60)
    at.query_params["donor"] = "Germany"
    at.run()
    at.switch_page("app_pages/funding_donors.py").run()
    assert any(
        "**Germany**: 2 contributions on record, 2018–2025 (Announcement: 2)" in m.value for m in at.markdown
    )
    table = next(
        d.value
        for d in at.dataframe
        if "USD (derived)" in d.value.columns and set(d.value["Donor"]) == {"Germany"}
    )
    assert len(table) == 2 and table["Amount"].str.startswith("€").all()
    assert set(table["USD (derived)"]) == {"1,218,500", "1,039,300"}  # grouped per locale, not 1218500
    # the donor comes first: its section is drawn before the page's published figures
    headings = [s.value for s in at.subheader]
    assert headings.index("Germany: contributions on record") < headings.index(
        "Budget and funding: published figures"
    )
    at = AppTest.from_file(APP, default_timeout=60)
    at.query_params["donor"] = "Atlantis"
    at.run()
    at.switch_page("app_pages/funding_donors.py").run()
    assert any("“Atlantis”" in w.value for w in at.warning)


def test_every_chart_can_be_downloaded_as_a_png_offline():
    from mandate_metrics.ui.components import PLOTLY_CONFIG

    assert "toImage" not in PLOTLY_CONFIG["modeBarButtonsToRemove"]
    assert PLOTLY_CONFIG["toImageButtonOptions"]["format"] == "png"


@pytest.mark.parametrize("page", PAGES)
def test_page_runs_before_any_data(page):
    run(page, as_of="2017-03-01")  # before the IIIM was operational: empty states, no exception


def test_overview_shows_brussels_viii_figures():
    figures = metrics_of(run(as_of="2024-05-29"))
    assert figures["Requests received"] == "375"
    assert figures["Requesting jurisdictions"] == "16"
    assert figures["Requests supported"] == "261"
    assert figures["Investigations supported"] == "192"


def test_overview_as_of_the_tenth_report():
    at = run(as_of="2024-04-24")
    figures = metrics_of(at)
    assert (
        figures["Requests received"],
        figures["Requests supported"],
        figures["Investigations supported"],
    ) == ("367", "254", "185")
    captions = " ".join(shown(c.value) for c in at.caption).replace("\\", "")
    assert "Published 24 April 2024: UN meetings coverage GA/12594" in captions


def test_overview_defaults_to_the_published_record_each_figure_with_its_own_date():
    at = run()
    figures = metrics_of(at)
    # The record: the lower bound stays a lower bound; each figure is the latest published one.
    assert figures["Requests received"] == "more than 530"
    assert figures["Requests supported"] == "261"
    assert figures["Requesting jurisdictions"] == "17"
    captions = " ".join(shown(c.value) for c in at.caption).replace("\\", "")
    assert "Published 8 December 2025: IIIM Bulletin No. 14" in captions
    assert "Published 29 May 2024: IIIM press release, 29 May 2024 (Brussels VIII)" in captions
    assert "Published 19 September 2025" in captions
    assert not at.warning  # no sample value anywhere, so no illustrative notice


def test_overview_sample_view_marks_each_sample_value_beside_the_published_one():
    at = run(view="sample")
    assert metrics_of(at)["Requests received"] == "534"
    text = " ".join(m.value for m in at.markdown)
    # Per value: 256 investigations supported on 8 December 2025 is the published figure itself.
    assert text.count("Illustrative sample value, not a published figure") == 3
    captions = " ".join(shown(c.value) for c in at.caption).replace("\\", "")
    assert "more than 530 · Published 8 December 2025" in captions
    assert metrics_of(at)["Investigations supported"] == "256"
    assert "Published 8 December 2025: IIIM Bulletin No. 14" in captions
    story = next(m.value for m in at.markdown if "As of 8 December 2025" in m.value)
    assert story.startswith("Illustrative: ")


def test_overview_tells_the_story_and_shows_changes_between_published_dates():
    at = run(as_of="2024-05-29")
    story = " ".join(m.value for m in at.markdown)
    assert (
        "As of 29 May 2024: 375 requests for assistance received; 16 requesting jurisdictions; 261" in story
    )
    assert "Illustrative" not in story
    deltas = [m.delta for m in at.metric if m.delta]
    assert deltas == [
        "+8 since 24 April 2024",
        "0 since 24 April 2024",
        "+7 since 24 April 2024",
        "+7 since 24 April 2024",
    ]
    support = next(m for m in at.metric if m.label == "Support rate")
    assert support.value == "70%"  # 261 / 375, both published that day: derived, not invented


def test_sample_view_changes_are_over_twelve_months():
    at = run(as_of="2024-05-29", view="sample")
    deltas = [m.delta for m in at.metric if m.delta]
    assert len(deltas) == 4 and all("since 29 May 2023" in d for d in deltas)


@pytest.mark.parametrize(
    "page", [p for p in PAGES if "sources" not in p and "data.py" not in p and "embed" not in p]
)  # no figures (an embedded chart is marked per value, in its title and caption)
def test_pages_in_the_sample_view_say_so_and_the_record_does_not(page):
    at = run(page, view="sample")
    assert any("Illustrative sample" in w.value for w in at.warning), page
    assert not run(page).warning, page


def test_a_view_the_data_does_not_have_says_so():
    at = run(view="official")  # the ledger is a sample: there is no official view yet
    assert any("official data" in w.value and "Published record" in w.value for w in at.warning)
    assert metrics_of(at)["Requests received"] == "more than 530"
    at = run(view="nonsense")
    assert any("“nonsense”" in w.value for w in at.warning)


def test_as_of_date_comes_from_the_url_and_preset_sets_it():
    at = run(as_of="2024-05-29")
    assert str(at.date_input(key="as_of").value) == "2024-05-29"
    at.selectbox(key="as_of_preset").select_index(0).run()
    # AppTest drops a query-bound widget from its tree after a programmatic change; the browser test
    # checks the control itself. Here: the state and the figures follow the preset.
    assert str(at.session_state["as_of"]) == "2025-12-08"
    assert metrics_of(at)["Requests received"] == "more than 530"


def _jurisdiction_table(at: AppTest) -> pd.DataFrame:
    at.segmented_control(key="by_jurisdiction_view").set_value("Table").run()
    return at.dataframe[-1].value


def test_public_viewer_never_sees_undisclosed_names(shipped):
    jurisdictions = shipped.frame("jurisdictions")
    hidden = set(jurisdictions.loc[~jurisdictions["disclose_name"], "name"])
    at = run("app_pages/jurisdictions.py", view="sample")
    table = _jurisdiction_table(at)
    names = set(table["Jurisdiction"])
    assert not hidden & names
    assert any(name.startswith("Undisclosed jurisdictions") for name in names)
    assert "withheld" in table["Requests received"].tolist()
    page_text = " ".join(shown(e.value) for kind in (at.markdown, at.caption, at.subheader) for e in kind)
    assert not any(name in page_text for name in hidden)


def test_staff_see_every_name():
    at = run("app_pages/jurisdictions.py", role="staff", view="sample")
    table = _jurisdiction_table(at)
    assert "Jurisdiction C" in set(table["Jurisdiction"])
    assert "withheld" not in table["Requests received"].astype(str).tolist()


def test_chart_table_toggle_and_csv_download_carry_the_same_numbers():
    at = run("app_pages/requests_investigations.py", as_of="2024-05-29")
    at.segmented_control(key="cumulative_view").set_value("Table").run()
    table = at.dataframe[0].value
    received = table[table["Measure"] == "Requests received"]
    assert received["Value"].tolist() == [15, 23, 100, 280, 367, 375]  # every published point, no other
    assert set(table["Provenance"]) == {"published"}
    assert received["Source"].iloc[-1] == "IIIM press release, 29 May 2024 (Brussels VIII)"
    download = next(
        b
        for b in at.get("download_button")
        if b.proto.id.endswith("cumulative_csv") or "cumulative" in b.proto.id
    )
    assert download is not None


def test_sources_page_lists_every_dataset_with_its_store_version(shipped):
    at = run("app_pages/sources_methods.py")
    text = " ".join(m.value for m in at.markdown)
    store = open_store(load_config().store)
    for name in shipped:
        version = store.current(name)
        assert version is not None
        assert f"`{name}`" in text and f"Version `{version.version}`" in text


def test_how_we_check_the_figures_is_on_sources_and_all_met():
    at = run("app_pages/sources_methods.py")
    table = next(d.value for d in at.dataframe if "Met" in d.value.columns)
    assert len(table) >= 28 and set(table["Met"]) == {"yes"}
    assert any("meets 28 of 28 published figures" in h.value for h in at.header)


def test_csv_download_bytes_are_stamped():
    from mandate_metrics.exports.tables import Stamp, csv_bytes

    frame = pd.read_csv(
        io.BytesIO(csv_bytes(pd.DataFrame({"a": [1]}), Stamp("v", "2024-05-29", "s", "n"))),
        encoding="utf-8-sig",
    )
    assert frame.columns.tolist() == ["a", "Dataset version", "Figures as of", "Table source", "Note"]


def test_milestones_are_listed_up_to_the_date_with_linked_sources():
    at = run(as_of="2018-12-31")
    text = " ".join(m.value for m in at.markdown)
    assert "<strong>21 December 2016</strong> — General Assembly resolution 71/248" in text
    assert "Brussels VIII" not in text
    assert '<a href="https://press.un.org/en/2019/ga12235.doc.htm">' in text


def test_data_text_cannot_become_html_or_a_link():
    from mandate_metrics.ui.components import escape, inert, source_link

    assert "<" not in escape("<img src=x onerror=alert(1)>").replace("\\<", "")
    assert "<" not in inert("<img src=x onerror=alert(1)>")
    assert source_link("x", "javascript:alert(1)") == "x"
    assert source_link("x", float("nan")) == "x"  # a missing address read back from Parquet
    link = source_link("a [b] <i>", "https://example.org/x")
    assert link == '<a href="https://example.org/x">a [b] &lt;i&gt;</a>'
    assert source_link("a", 'https://example.org/"onmouseover=x') == "a"  # no quote can end the address


def test_public_region_of_one_jurisdiction_shows_less_than_five():
    at = run("app_pages/jurisdictions.py", view="sample")
    at.segmented_control(key="regions_view").set_value("Table").run()
    regions = at.dataframe[0].value.set_index("Region")
    assert regions.loc["Latin America", "Requests received"] == "withheld"
    assert all(v == "withheld" or int(v) >= 5 for v in regions["Requests received"])


def test_a_date_between_reference_dates_shows_the_one_before_and_says_so():
    at = run("app_pages/jurisdictions.py", as_of="2024-06-15", view="sample")
    said = " ".join(i.value for i in at.info)
    assert "reference dates only" in said and "29 May 2024" in said  # Brussels VIII, the one before
    assert any("as of 29 May 2024" in s.value for s in at.subheader)


@pytest.mark.parametrize(
    ("value", "words"),
    [
        ("abc", "is not a date"),
        ("2024-02-30", "is not a day of the calendar"),
        ("2010-01-01", "is before the IIIM existed"),
        ("2030-01-01", "is after the latest data"),
    ],
)
def test_a_wrong_date_in_a_link_says_so_and_what_is_shown(value, words):
    at = run(as_of=value)
    message = " ".join(w.value for w in at.warning)
    assert f"“{value}”" in message and words in message and "8 December 2025" in message


@pytest.mark.parametrize(
    ("view", "words"),
    [
        ("zzz", "asks for the view “zzz”"),
        ("official", "asks for official data, which has not been published"),
    ],
)
def test_a_wrong_view_in_a_link_says_so_at_the_top(view, words):
    at = run("app_pages/funding_donors.py", view=view)
    order = [type(e).__name__ for e in at.main]
    assert order.index("Warning") < order.index("Title"), order  # above the title, where nobody misses it
    assert words in at.warning[0].value and "Showing the Published record instead" in at.warning[0].value
    assert not any(words in w.value for w in at.sidebar.warning)  # said once, not again by the switch


def test_one_donor_count_on_the_page_and_in_the_briefing():
    page = run("app_pages/funding_donors.py", as_of="2025-12-08", view="record")
    stated = " ".join(c.value for c in page.caption)
    assert "14 donors have a published contribution" in stated and "Iceland, United Kingdom" in stated
    at = run("app_pages/briefing.py", as_of="2025-12-08", view="record")
    at.query_params["slide"] = "5"  # the funding slide
    at.run()
    said = " ".join(shown(m.value) for m in [*at.markdown, *at.caption])
    assert "voluntary contributions published for 14 donors" in said


def test_a_wrong_language_or_slide_in_a_link_says_so():
    at = AppTest.from_file(APP, default_timeout=60)
    at.query_params["lang"] = "xx"
    at.run()
    assert any("“xx”" in w.value for w in at.warning)
    for slide, slide_shown in (("99", "8"), ("abc", "1")):
        at = AppTest.from_file(APP, default_timeout=60)
        at.query_params["present"] = "1"
        at.query_params["slide"] = slide
        at.run()
        assert any(
            f"slide “{slide}”" in w.value and f"Showing slide {slide_shown}" in w.value for w in at.warning
        )


def test_presets_name_the_occasion_and_the_overview_says_how_old_the_latest_figure_is():
    at = run()
    options = at.selectbox(key="as_of_preset").options
    assert "29 May 2024 — Brussels VIII" in options
    assert "24 April 2024 — 10th report to the General Assembly" in options
    captions = " ".join(shown(c.value) for c in at.caption)
    assert re.search(r"Latest figure: 8 December 2025, [\d,]+ days ago", captions)
    assert any("resolution 71/248" in m.value for m in at.markdown)


def test_data_evidence_and_the_ledger_index_are_held_once_per_process_not_per_session():
    from mandate_metrics.ui import cached

    first, second = cached.datasets(), cached.datasets()  # two sessions ask for the same version
    assert first is second and first.frame("requests") is second.frame("requests")
    assert cached.evidence(first, "ledger") is cached.evidence(second, "ledger")
    assert cached.ledger_index(first) is cached.ledger_index(second)


def test_a_swapped_data_file_shows_a_clear_error_on_every_page_and_in_the_command_line(
    tmp_path, monkeypatch, capsys
):
    """Never wrong numbers under a right version: the page says the store is damaged, names the fix."""
    from mandate_metrics import cli, loading
    from mandate_metrics.paths import DATA_DIR

    location = tmp_path / "swapped"
    store = open_store(location)
    data = loading.load_from_store(store, DATA_DIR)
    requests = store.current("requests")
    half = io.BytesIO()
    data.frame("requests").head(265).to_parquet(half, index=False)
    (location / "requests" / "objects" / requests.object / "data.parquet").write_bytes(half.getvalue())
    monkeypatch.setenv("MANDATE_METRICS_STORE", str(location))
    for page in PAGES:
        at = AppTest.from_file(APP, default_timeout=60)
        at.run()
        if page != "app_pages/overview.py":
            at.switch_page(page).run()
        assert not at.exception, (page, [e.value for e in at.exception])
        errors = " ".join(e.value for e in at.error)
        assert "data store is damaged" in errors and f"requests {requests.version}" in errors, page
        assert not at.metric, page  # no figure at all rather than a wrong one
    assert cli.main(["figures", "--as-of", "2024-05-29"]) == 1
    assert f"requests {requests.version}: the stored data does not match" in capsys.readouterr().err
    assert cli.main(["repair"]) == 1  # repair cannot mend altered data: it says so, and what to do
    assert "restore the store from a backup" in capsys.readouterr().err  # the seed has no earlier version


def _kinds_in_order(node) -> list[str]:
    """The element types of a block, depth first, in the order a reader meets them."""
    children = getattr(node, "children", None)
    if children is None:
        return [node.type]
    return [kind for key in sorted(children) for kind in _kinds_in_order(children[key])]


@pytest.mark.parametrize(
    ("page", "view", "first"),
    [
        ("app_pages/requests_investigations.py", None, {"Requests received": "more than 530"}),
        ("app_pages/requests_investigations.py", "sample", {"Requests received": "534"}),
        ("app_pages/jurisdictions.py", None, {"Requesting jurisdictions": "17"}),
    ],
)
def test_topic_pages_open_on_their_headline_figures_before_any_chart(page, view, first):
    at = run(page, view=view)
    figures = metrics_of(at)
    assert all(figures[label] == value for label, value in first.items()), figures
    kinds = _kinds_in_order(at.main)
    assert kinds.index("metric") < kinds.index("plotly_chart")
    captions = " ".join(shown(c.value) for c in at.caption)
    assert "Published 8 December 2025: IIIM Bulletin No. 14" in captions.replace("\\", "")


@pytest.mark.parametrize("lang", ["ar", "en", "zh"])
def test_nothing_whose_code_loads_late_comes_before_the_headline(lang):
    """The language script follows the page in every language.

    It is Streamlit's Html element, whose code is fetched on first use: first in Arabic, it held the
    headline cards back with it.
    """
    at = run("app_pages/requests_investigations.py", view="sample", lang=lang)
    kinds = _kinds_in_order(at.main)
    assert "html" not in kinds[: kinds.index("metric")], kinds[:8]
    assert "html" in kinds[kinds.index("plotly_chart") :]  # still declared, after the page


def test_funding_sample_opens_on_the_years_four_figures_each_marked_illustrative():
    at = run("app_pages/funding_donors.py", as_of="2025-12-08", view="sample")
    cards = [m for m in at.metric if m.label.startswith("Illustrative: ")]
    labels = [m.label.removeprefix("Illustrative: ") for m in cards]
    assert labels == [
        "Requirement 2025 (year to date)",
        "Funded 2025 (year to date)",
        "Gap 2025 (year to date)",
        "Funding coverage 2025 (year to date)",
    ]
    assert all(m.value.startswith("$") for m in cards[:3]) and cards[3].value.endswith("%")
    said = " ".join(shown(c.value) for c in at.caption)
    assert "Figures as of 8 December 2025. Illustrative sample, not published figures." in said
    kinds = _kinds_in_order(at.main)
    assert kinds.index("metric") < kinds.index("plotly_chart")
    record = run("app_pages/funding_donors.py", as_of="2025-12-08")  # nothing computed in the record
    assert not [m for m in record.metric if "Requirement" in m.label or "coverage" in m.label]


def test_a_first_load_waits_once_after_the_headline_for_the_browser_to_draw_it(monkeypatch):
    from mandate_metrics.ui import components  # noqa: PLC0415

    waits: list[float] = []
    slept = components.time.sleep  # AppTest itself polls with short sleeps: those still sleep
    monkeypatch.setattr(components.time, "sleep", lambda s: waits.append(s) if s >= 0.05 else slept(s))
    monkeypatch.setenv("MANDATE_METRICS_FIRST_SCREEN_MS", "200")
    at = run("app_pages/requests_investigations.py")  # the Overview first, then Requests
    at.run()  # a rerun (a click): its browser has every module already
    assert waits == [0.2]
    monkeypatch.setenv("MANDATE_METRICS_FIRST_SCREEN_MS", "0")
    waits.clear()
    run("app_pages/funding_donors.py", view="sample")
    assert waits == []
