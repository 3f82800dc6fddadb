"""Data: staff upload a file, see every problem, preview the change, publish; history, rollback, audit."""

import math
from functools import partial

import pandas as pd
import streamlit as st

from mandate_metrics.config import load_config
from mandate_metrics.exports.tables import Stamp, csv_bytes
from mandate_metrics.exports.templates import template_csv, template_xlsx
from mandate_metrics.i18n import fmt_int, fmt_percent, speaking, t
from mandate_metrics.schemas import SCHEMAS
from mandate_metrics.ui import cached, staff
from mandate_metrics.ui import components as ui
from mandate_metrics.ui.components import escape
from mandate_metrics.ui.language import uploader_words
from mandate_metrics.ui.shell import context, end_page
from mandate_metrics.upload import publishing
from mandate_metrics.upload.validation import REFERENCES, validate_upload

ctx = context()
L = ctx.locale
store = cached.store()
st.title(t("data.title", L))

if staff.current_role() != "staff":
    staff.sign_in_form(store, L)
    end_page()
staff.remember_in_browser()  # once, right after a password sign-in: a reload keeps it

with st.container(horizontal=True, vertical_alignment="center"):
    st.markdown(t("staff.signed_in", L, name=escape(staff.current_user())))
    if st.button(t("staff.sign_out", L), icon=":material/logout:", key="sign_out"):
        if staff.sign_out(store):
            st.stop()  # the browser is on its way to the provider's sign-out: a rerun would drop it
        st.rerun()

upload_tab, history_tab, audit_tab = st.tabs(
    [t("data.tab_upload", L), t("data.tab_history", L), t("data.tab_audit", L)]
)
titles = {name: ctx.datasets[name].title(L) for name in SCHEMAS}

with upload_tab:
    dataset = st.selectbox(t("data.dataset", L), list(SCHEMAS), format_func=titles.get, key="upload_dataset")
    current = ctx.stored(dataset)
    with st.container(horizontal=True):
        st.download_button(
            t("data.template_csv", L),
            partial(template_csv, dataset, current),  # made on click, not on every rerun
            f"{dataset}_template.csv",
            "text/csv",
            key="template_csv",
            icon=":material/download:",
            on_click="ignore",
        )
        st.download_button(
            t("data.template_xlsx", L),
            partial(template_xlsx, dataset, current),
            f"{dataset}_template.xlsx",
            key="template_xlsx",
            icon=":material/download:",
            on_click="ignore",
        )
    limit = load_config().max_upload_bytes
    kinds, mb = ["csv", "xlsx", "txt", "tsv"], max(1, math.ceil(limit / 1e6))
    uploader_words(L, mb, kinds)
    upload = st.file_uploader(
        t("data.file", L),
        type=kinds,
        key="upload_file",
        max_upload_size=mb,  # the browser refuses a larger file before sending it
        help=t("data.file_help", L, mb=f"{limit / 1e6:g}"),
    )
    targets = sorted({target for _, target, _ in REFERENCES.get(dataset, ())})
    companion, companion_dataset = None, None
    if targets:
        companion_dataset = st.selectbox(
            t("data.companion_dataset", L), targets, format_func=titles.get, key="companion_dataset"
        )
        companion = st.file_uploader(
            t("data.companion", L),
            type=kinds,
            key="upload_companion",
            max_upload_size=mb,
        )
    sheet = st.text_input(t("data.sheet", L), key="upload_sheet").strip() or None
    if upload is not None:
        others = {name: ctx.stored(name) for name in SCHEMAS}
        if companion is not None and companion_dataset:
            with speaking(L):  # the checks report in the page's language
                side = validate_upload(
                    companion_dataset, companion.name, companion.getvalue(), max_bytes=limit
                )
                side_table = side.table()
            if side.ok and side.frame is not None:
                others[companion_dataset] = pd.concat(
                    [others[companion_dataset], side.frame], ignore_index=True
                )
            else:
                st.error(t("data.companion_problems", L, n=len(side.problems)))
                ui.table_view(side_table, L, hide_index=True)
        with speaking(L):
            report = validate_upload(
                dataset,
                upload.name,
                upload.getvalue(),
                max_bytes=limit,
                sheet=sheet,
                others=others,
            )
            problems = report.table()
        for notice in report.notices:  # notices quote sheet and column names from the file: inert text
            st.info(escape(notice), icon=":material/info:")
        if report.looks_like:
            st.warning(t("data.looks_like", L, title=titles[report.looks_like]), icon=":material/swap_horiz:")
        if not report.ok:
            message = t("data.problems", L, n=len(report.problems), file=escape(upload.name))
            st.error(message, icon=":material/error:")
            ui.table_view(problems, L, hide_index=True, width="stretch")
            st.download_button(
                t("data.problems_download", L),
                csv_bytes(problems, Stamp(dataset, ctx.as_of.isoformat(), upload.name, locale=L)),
                f"problems_{upload.name}.csv",
                "text/csv",
                key="problems_csv",
                on_click="ignore",
            )
        else:
            st.success(t("data.valid", L, file=escape(upload.name), n=len(report.frame)))
            # The file is the table as staff want it: the whole table, or only the rows to add or change.
            new = publishing.after_upload(report, current)
            change = publishing.diff(current, new, dataset)
            st.subheader(t("data.preview", L), anchor="preview")
            whole = publishing.is_whole_table(report, current)
            st.caption(t("data.read_whole" if whole else "data.read_rows", L))
            st.markdown(f"**{escape(publishing.summary(change, len(current), L))}**")
            effect = publishing.headline_effect(ctx.datasets.as_loaded(), dataset, new)
            for key, before, after in effect:
                shown = (fmt_percent, fmt_percent) if key == "coverage" else (fmt_int, fmt_int)
                label = (
                    t("metric.coverage", L, year="").strip() if key == "coverage" else t(f"metric.{key}", L)
                )
                st.markdown(
                    t("data.effect", L, label=label, before=shown[0](before, L), after=shown[1](after, L))
                )
            if not change.added.empty:
                st.caption(t("data.added_rows", L))
                ui.table_view(change.added.head(200), L, hide_index=True, width="stretch")
            if not change.changed.empty:
                st.caption(t("data.changed_cells", L))
                ui.table_view(change.changed.astype(str), L, hide_index=True, width="stretch")
            if not change.removed.empty:
                st.caption(t("data.removed_rows", L))
                ui.table_view(change.removed.head(200), L, hide_index=True, width="stretch")
            lost = publishing.losses(change, effect, dataset)
            if not any(change.counts):
                st.info(t("data.no_changes", L), icon=":material/check_circle:")
                end_page()
            if lost:
                st.warning(
                    t("data.losses", L) + "\n\n" + "\n".join(f"- {escape(line)}" for line in lost),
                    icon=":material/warning:",
                )
                st.caption(t("data.try_rows", L))
            confirmed = not lost or st.checkbox(t("data.confirm_losses", L), key="publish_confirm")
            declared = st.radio(
                t("data.declare", L),
                ["official", "illustrative"],
                index=None,  # no default: the dashboard marks every value by this answer
                key="publish_declared",
                format_func=lambda d: t(f"data.declare.{d}", L),
                help=t("data.declare_help", L),
            )
            note = st.text_input(t("data.note", L), key="publish_note")
            if st.button(
                t("data.publish", L),
                type="primary",
                key="publish",
                icon=":material/publish:",
                disabled=declared is None or not confirmed,
            ):
                try:  # the role is asked for again now: default deny
                    with speaking(L):
                        version = publishing.publish(
                            store,
                            report,
                            staff.current_role(),
                            by=staff.current_user(),
                            note=note,
                            append=False,
                            declared=declared,
                            reviewed=ctx.datasets[dataset].meta.version_id,  # what the preview showed
                            frame=new,  # exactly what the preview compared
                        )
                    st.success(
                        t(
                            "data.published",
                            L,
                            dataset=dataset,
                            version=version.version,
                            declared=t(f"data.declare.{declared}", L),
                        )
                    )
                except (publishing.PublishRefused, OSError) as exc:
                    st.error(t("data.refused", L, reason=exc))

with history_tab:
    if flash := st.session_state.pop("data_flash", None):
        st.success(flash)
    name = st.selectbox(
        t("data.history_dataset", L), list(SCHEMAS), format_func=titles.get, key="history_dataset"
    )
    versions = store.history(name)
    entries = store.audit_entries()  # read once: History and Audit tell the same outcome of a version
    log = store.audit_log(entries)
    now = store.current(name)
    ui.table_view(
        publishing.history_table(versions, now.version if now else None, L, store.outcomes(name, entries)),
        L,
        hide_index=True,
        width="stretch",
    )
    choice = st.selectbox(
        t("data.version", L), [v.version for v in reversed(versions)], key="history_version"
    )
    if choice:
        st.caption(t("data.preview_rows", L, version=choice))
        rows = store.read(name, choice).head(50)  # headers as in the file staff upload, in any language
        ui.table_view(rows, L, hide_index=True, width="stretch", column_config={c: c for c in rows.columns})
        if now is not None and choice != now.version and st.button(t("data.make_current", L), key="rollback"):
            try:
                with speaking(L):
                    made = publishing.rollback(
                        store,
                        staff.current_role(),
                        name,
                        choice,
                        by=staff.current_user(),
                        reviewed=now.version,
                    )
                st.session_state["data_flash"] = t("data.rolled_back", L, version=choice, new=made.version)
                st.rerun()  # History shows the new current version at once, not after the next click
            except publishing.PublishRefused as exc:
                st.error(t("data.refused", L, reason=exc))

with audit_tab:
    ui.table_view(publishing.audit_table(log, L), L, hide_index=True, width="stretch")
