"""Translation and locale-aware formatting.

Every user-facing string goes through ``t``; every number and date through the ``fmt_*`` helpers
(Babel). Only English exists today; a new language is a new entry in ``CATALOGS`` with the same
keys, which a test checks.
"""

from __future__ import annotations

from datetime import date

from babel.dates import format_date
from babel.numbers import format_compact_currency, format_decimal, format_percent

DEFAULT_LOCALE = "en"

EN: dict[str, str] = {
    # App and navigation
    "app.title": "Mandate Metrics",
    "app.subtitle": "IIIM — International, Impartial and Independent Mechanism for Syria",
    "page.overview": "Overview",
    "page.requests": "Requests & investigations",
    "page.jurisdictions": "Jurisdictions",
    "page.funding": "Funding & donors",
    "page.sources": "Sources & methods",
    "control.as_of": "Figures as of",
    "control.as_of.help": "Every figure on every page is recomputed as of this date. "
    "The date is kept in the page address, so a shared link shows the same figures.",
    "control.as_of.presets": "Dates figures were presented",
    "control.view": "View",
    "control.view.chart": "Chart",
    "control.view.table": "Table",
    "control.download_csv": "Download CSV",
    "sidebar.data_version": "Latest data: {latest}",
    # Views: the published record, or the request ledger (an illustrative sample or official data)
    "view.record": "Published record",
    "view.sample": "Illustrative sample",
    "view.official": "Official data",
    "control.view_data": "Figures from",
    "control.view_data.help": "Published record: only figures the IIIM or the UN published, each with "
    "its own date and source. Illustrative sample: a synthetic set of requests that shows how the dashboard "
    "works; its values are not public figures. The choice is kept in the page address.",
    "link.as_of_not_a_date": "The link's date “{value}” is not a date (they look like 2024-05-29). "
    "Showing figures as of {shown}, the latest.",
    "link.as_of_not_a_day": "The link's date “{value}” is not a day of the calendar. Showing figures as of "
    "{shown}, the latest.",
    "link.as_of_before": "The link's date “{value}” is before the IIIM existed ({first}). Showing figures "
    "as of {shown}, the latest.",
    "link.as_of_after": "The link's date “{value}” is after the latest data. Showing figures as of {shown}, "
    "the latest.",
    "link.lang": "The link asks for the language “{value}”, which is not available. Showing English.",
    "link.slide": "The link asks for slide “{value}”; the briefing has slides 1 to {total}. "
    "Showing slide {shown}.",
    "overview.staleness": "Latest figure: {date}, {days} days ago.",
    "overview.about_title": "About the IIIM",
    "overview.about": "The International, Impartial and Independent Mechanism (IIIM) was created by the "
    "UN General Assembly in resolution 71/248 of 21 December 2016 and became operational in 2018. It "
    "collects and preserves evidence of the most serious crimes under international law committed in "
    "Syria since March 2011, and assists national and international courts that investigate and "
    "prosecute them. A **request for assistance** is such a court or prosecution service asking the "
    "IIIM for evidence, analysis or help finding witnesses for one of its investigations.",
    "notice.wrong_view": "The link asks for the view “{value}”, which this data does not have. "
    "Showing the {shown} instead.",
    # Provenance of one value
    "prov.published": "Published {date}: {source}",
    "prov.derived": "Derived ({how}) from figures published {date}: {source}",
    "prov.official": "Official data, dataset version {version}",
    "prov.illustrative": "Illustrative sample value, not a published figure",
    "prov.tag.published": "published",
    "prov.tag.official": "official data",
    "prov.tag.derived": "derived from published figures",
    "prov.tag.illustrative": "illustrative, not a public figure",
    "label.illustrative_prefix": "Illustrative: ",
    "change.since": "{delta} since {date}",
    "change.since_bound": "more than {delta} since {date}",
    "metric.none_published": "No figure published on or before {as_of}",
    "record.series_caption": "Each point is a published figure on the day it was published; the line "
    "only joins the points (nothing is known between them).",
    "record.no_breakdown": "The IIIM publishes cumulative totals only: requests per year, by kind of "
    "assistance, by status and investigations by stage are not public. Choose “{sample}” under "
    "“Figures from” to see how the dashboard shows them, on sample values.",
    "record.no_regions": "Requests by region and by jurisdiction are not published. Choose “{sample}” "
    "under “Figures from” to see how the dashboard shows them, on sample values.",
    "record.not_official": "Not shown: “{dataset}” is still the illustrative sample, and official "
    "figures are never shown beside sample values.",
    "overview.record_lead": "Latest published figures:",
    "overview.ledger_lead": "As of {as_of}:",
    "overview.ledger_item": "{value} {noun}",
    "overview.record_item": "{value} {noun} ({date})",
    "noun.requests_received": "requests for assistance received",
    "noun.requesting_jurisdictions": "requesting jurisdictions",
    "noun.requests_supported": "requests supported",
    "noun.investigations_related": "distinct investigations the requests relate to",
    "noun.investigations_supported": "distinct investigations supported",
    "evidence.title": "Evidence and partners",
    "evidence.repository_size_tb": "Central repository",
    "evidence.collection_activities_year": "Collection activities in 2024",
    "evidence.cooperation_frameworks": "Cooperation frameworks",
    "evidence.cso_protocol_signatories": "Syrian civil-society partners",
    "evidence.unit.repository_size_tb": "{value} TB",
    # Illustrative notice
    "notice.illustrative": "**Illustrative sample:** values marked illustrative are not public figures — "
    "do not cite them.",
    "notice.per_row": "Each row says what it is in its 'provenance' column: published (with its source), "
    "derived (arithmetic on published figures), official (with its dataset version) or illustrative "
    "(a sample value, not a public figure: do not cite).",
    "notice.illustrative_short": "Illustrative data, not a public figure: {datasets}",
    "notice.before_data": "No data yet as of {as_of}: the IIIM became operational in 2018. "
    "Choose a later date.",
    # Metrics
    "metric.requests_received": "Requests received",
    "metric.requesting_jurisdictions": "Requesting jurisdictions",
    "metric.requests_supported": "Requests supported",
    "metric.investigations_related": "Investigations related to requests",
    "metric.investigations_supported": "Investigations supported",
    "metric.support_rate": "Support rate",
    "metric.coverage": "Funding coverage {year}",
    "metric.median_days": "Median days to decision",
    "metric.delta_year": "{delta} in 12 months",
    "label.ytd": " (year to date)",
    "metric.not_published": "No published figure for this measure",
    "help.requests_received": "All requests for assistance received on or before the as-of date.",
    "help.requesting_jurisdictions": "Distinct jurisdictions among the requests received.",
    "help.requests_supported": "Requests whose status is 'supported' as of the as-of date.",
    "help.investigations_related": "Distinct investigations among the requests received "
    "(271 in April 2024). Not the same as investigations supported.",
    "help.investigations_supported": "Distinct investigations among the requests supported "
    "(185 in April 2024, 192 in May 2024).",
    "help.support_rate": "Requests supported ÷ requests received, as of the date.",
    "help.coverage": "Funded (regular budget + voluntary payments) ÷ requirement. Pledges not yet "
    "paid are not counted as funded.",
    "help.median_days": "Median days from receipt to a decision (supported or declined), "
    "over decisions made by the as-of date.",
    # Qualifiers
    "qualifier.exact": "{value}",
    "qualifier.approx": "about {value}",
    "qualifier.lower_bound": "more than {value}",
    # Overview
    "overview.title": "What the mandate delivers",
    "overview.quote_title": "In their words",
    "overview.timeline_title": "Milestones",
    "overview.figures_title": "Headline figures",
    # Requests page
    "requests.title": "Requests for assistance and investigations",
    "chart.cumulative.published": "Published figure",
    "chart.per_year.title": "{peak_year} saw the most requests received: {peak}",
    "chart.per_year.ytd": "{year} (year to date)",
    "chart.assistance.title": "{top} is the most requested kind of assistance ({share} of requests)",
    "chart.status.title": "{share} of requests received were supported as of {as_of}",
    "chart.stage.title": "{advanced} investigations have reached prosecution or later",
    "chart.published_vs_ledger.title": "How we check the figures: the sample meets {ok} of {total} "
    "published figures on their dates",
    "requests.reconcile_caption": "The illustrative sample is built to reproduce every figure the IIIM "
    "published, on the day it was published; this table checks each one (a “more than” figure is met "
    "when the sample is above it). Share met:",
    "reconcile.published": "Published",
    "reconcile.sample": "Sample on that day",
    "reconcile.met": "Met",
    "assistance.evidence_sharing": "Evidence and information sharing",
    "assistance.analytical_product": "Analytical products",
    "assistance.witness_identification": "Witness and victim identification",
    "assistance.legal_advice": "Legal and technical advice",
    "status.received": "Received",
    "status.under_review": "Under review",
    "status.supported": "Supported",
    "status.declined": "Declined",
    "status.withdrawn": "Withdrawn",
    "stage.investigation": "Investigation",
    "stage.prosecution": "Prosecution",
    "stage.trial": "Trial",
    "stage.judgment": "Judgment",
    "stage.closed": "Closed",
    # Jurisdictions page
    "jurisdictions.title": "Reach across jurisdictions",
    "jurisdictions.disclosure_note": "Names of jurisdictions that have not agreed to be named are pooled "
    "by region. Counts from 1 to 4 below region level are withheld, and so are as many other cells as it "
    "takes for no withheld count to be worked out by subtracting published ones (complementary "
    "suppression); every withheld cell reads “withheld”.",
    "jurisdictions.undisclosed": "Undisclosed jurisdictions ({region})",
    "chart.region.title": "{region} accounts for {share} of requests received",
    "chart.jurisdiction.title": "Requests by jurisdiction, as of {as_of}",
    "chart.region.neutral": "Requests received by region",
    "jurisdictions.withheld_whole": "As of {as_of}, requests came from too few jurisdictions to show them "
    "by region or jurisdiction: the headline total would give a small count away.",
    "sources.row_level": "One row per request or investigation is for staff only: counted per region or "
    "month, such rows would reveal what the public tables withhold. The public tables (Jurisdictions page, "
    "and the zip below) are the aggregates.",
    "column.region": "Region",
    "column.jurisdiction": "Jurisdiction",
    "column.jurisdictions": "Jurisdictions",
    # Funding page
    "funding.title": "Funding and donors",
    "funding.explainer": "Gap = requirement − regular budget − voluntary payments. Pledges not yet paid "
    "are shown separately and never counted as funded.",
    "chart.funding.title": "In {year}, {coverage} of the requirement was funded",
    "chart.gap.title": "The funding gap was {gap} in {year}",
    "chart.pledges.title": "{unpaid} pledged in {year} has not been recorded as paid",
    "chart.donors.title": "{top} provided {share} of voluntary payments",
    "chart.donor_count.title": "{count} donors contributed in {year}",
    "funding.no_budget": "No budget year with a requirement is on record up to {as_of}.",
    "funding.not_converted": "{count} contributions have no sourced USD conversion and are shown in "
    "their original currency only.",
    "funding.contributions_table": "Every contribution on record",
    "funding.record_intro": "What is public about the IIIM's funding, each item with its date and source. "
    "The yearly requirement and most donor amounts are not published, so no gap, coverage or ranking "
    "is computed here.",
    "funding.record_figures": "Budget and funding: published figures",
    "chart.published_contributions.title": "Published amounts from {count} donors, in US dollars "
    "(each converted at the ECB rate of its date)",
    "funding.contributions_source": "Government, EU and news sources (one per row); USD derived from "
    "ECB rates",
    "funding.contributions_caption": "Announcements, pledges and payments as each source states them, "
    "kept apart; that an announcement or pledge was paid is not in the sources read. Published with no "
    "amount (see the table): {without}.",
    "funding.votes": "Budget votes and funding events",
    "donor.title": "One donor",
    "donor.choose": "Donor",
    "donor.summary": "**{donor}**: {count} contribution(s) on record, {years} ({kinds}).",
    "donor.unknown": "The link names the donor “{value}”, which has no contribution on record. "
    "Showing all donors.",
    "embed.snippet": "Embed this chart on a website (it works offline from this server):",
    "share.donor_link": "Link to this donor: {url}",
    "embed.title": "Chart",
    "embed.unknown": "There is no chart “{value}” to embed. Charts that can be embedded: {names}.",
    "funding.needs": "The IIIM's published statements of need",
    "funding.amount_not_stated": "not stated",
    "column.usd_derived": "USD (derived)",
    "kind.pledge": "Pledge",
    "kind.payment": "Payment",
    "kind.announcement": "Announcement",
    "kind.support": "Statement of support",
    "series.requirement": "Requirement",
    "series.regular_budget": "Regular budget",
    "series.voluntary_paid": "Voluntary payments",
    "series.pledged_unpaid": "Pledged, not recorded as paid",
    "series.gap": "Gap",
    "series.coverage": "Coverage",
    "column.year": "Year",
    "column.unit": "Unit",
    "column.table_source": "Table source",
    "column.requirement_usd": "Requirement (USD)",
    "column.regular_budget_usd": "Regular budget (USD)",
    "column.voluntary_paid_usd": "Voluntary payments (USD)",
    "column.funded_usd": "Funded (USD)",
    "column.gap_usd": "Gap (USD)",
    "column.coverage": "Coverage",
    "column.pledged_unpaid_usd": "Pledged, not recorded as paid (USD)",
    "column.requirement_illustrative": "Requirement illustrative",
    "column.regular_budget_illustrative": "Regular budget illustrative",
    "column.voluntary_illustrative": "Voluntary payments illustrative",
    "column.illustrative": "Illustrative",
    "column.year_to_date": "Year to date",
    "column.requests": "Requests",
    "column.investigations": "Investigations",
    "column.stage": "Stage",
    "column.status": "Status",
    "column.assistance_type": "Kind of assistance",
    "column.donor_type": "Donor type",
    "column.name": "Name",
    "column.dataset_version": "Dataset version",
    "column.as_of": "Figures as of",
    "column.note": "Note",
    "column.yes": "yes",
    "column.no": "no",
    "column.date": "Date",
    "column.measure": "Measure",
    "column.value": "Value",
    "column.qualifier": "Qualifier",
    "column.source": "Source",
    "column.donor": "Donor",
    "column.share": "Share of payments",
    "column.paid_usd": "Paid (USD)",
    "column.donors": "Donors",
    "label.illustrative": "illustrative",
    # Sources page
    "sources.title": "Sources and methods",
    "sources.datasets": "Datasets",
    "sources.published": "Published figures",
    "sources.published_caption": "Every figure the IIIM or the UN published that this dashboard uses, "
    "in the words of its source.",
    "sources.definitions": "Definitions",
    "sources.cite": "How to cite",
    "sources.cite_text": "IIIM, *Mandate Metrics* ({title}), data version {version}, figures as of "
    "{as_of}. Dataset versions are listed above. Cite published figures by their original source.",
    "sources.download": "Download {name}.csv",
    "sources.rows": "{rows} rows",
    "sources.provenance.published": "Published",
    "sources.provenance.illustrative": "Illustrative",
    "sources.provenance.mixed": "Published and illustrative rows, flagged per row",
    "sources.provenance.official": "Official data, declared by staff at publish",
    "jurisdictions.undisclosed_name": "Undisclosed",
    "sources.visibility_note": "How small numbers are protected (statistical disclosure control): "
    "jurisdictions that have not agreed to be named are pooled by region; counts from 1 to 4 beneath "
    "region level are withheld (primary suppression); further cells are withheld until every published "
    "sum (a region's jurisdictions, the headline's regions) holds no withheld cell or at least two, and "
    "no withheld cell can be solved for from the published sums (complementary suppression, checked by "
    "rank); every withheld cell reads the same. Public downloads are aggregates: rows of single requests "
    "or investigations are for staff only.",
    "sources.column.dataset": "Dataset",
    "sources.column.provenance": "Provenance",
    "sources.column.version": "Version",
    "sources.column.as_of": "As of",
    "sources.column.rows": "Rows",
    "sources.column.sources": "Sources",
    "sources.column.licence": "Licence",
    "sources.column.value": "Value",
    "sources.column.measure": "What it measures",
    "sources.column.source": "Source",
    "sources.column.link": "Link",
    "sources.column.quote": "In the source's words",
    "sources.column.status": "Verification",
    "sources.column.definition": "Definition",
    "sources.cite_link": "Link to this view",
    "funding.donor_year": "Donors in",
    "funding.all_years": "All years",
    "column.currency": "Currency",
    "currency.note_day": "Derived: {currency} converted at {rate} USD, the ECB reference rate of {when} "
    "({source}); not an official UN rate",
    "currency.note_period": "Derived: {currency} converted at {rate} USD, the mean of the ECB daily "
    "reference rates over {when} ({source}); not an official UN rate",
    "column.amount": "Amount",
    "column.kind": "Kind",
    "column.conversion": "USD conversion",
    "column.provenance": "Provenance",
    # Briefing (presentation mode, deck, PDF)
    "page.briefing": "Briefing",
    "brief.stamp": "Data version {version} · figures as of {as_of}",
    "brief.illustrative": "Illustrative: includes sample values that are not public figures",
    "brief.hatched": "hatched bars and solid lines are sample values",
    "brief.published": "Latest published: {value} ({date}, {source})",
    "brief.headline.title": "What the mandate delivers",
    "brief.headline.takeaway": "{value} requests for assistance received by {date}",
    "brief.headline.none": "No figure had been published by {as_of}.",
    "brief.demand.takeaway": "Requests for assistance received reached {value} by {date}",
    "brief.demand.lead": "Requests received and requests supported, each on its own line.",
    "brief.investigations.lead": "The two investigation series are different measures and are never mixed.",
    "brief.reach.takeaway": "Requests came from {value} jurisdictions by {date}",
    "brief.reach.regions": "Requests by region ({count} regions, under the disclosure rule):",
    "brief.funding.record_takeaway": "On the UN regular budget since 2020; voluntary contributions "
    "published for {count} donors",
    "brief.funding.short.regular_budget_approved_2020": "Regular budget, 2020",
    "brief.funding.short.received_to_date": "Voluntary funds received",
    "brief.funding.record_notes": "Published contributions (announcements and pledges in their own "
    "currency; payment is not in the sources read): {donors}.",
    "brief.demand.title": "Demand keeps growing",
    "brief.reach.title": "Reach across {count} jurisdictions",
    "brief.investigations.title": "Investigations supported",
    "brief.investigations.takeaway": "Distinct investigations supported reached {value} by {date}",
    "brief.funding.title": "The funding situation",
    "brief.funding.takeaway": "{year}: {coverage} of the requirement funded; gap {gap}",
    "brief.ask.title": "The ask",
    "brief.ask.appeal": "The appeal {year}",
    "brief.ask.takeaway": "Justice and accountability require sustained funding",
    "brief.ask.none": "No key message on record for this date.",
    "brief.sources.title": "Sources",
    "brief.sources.takeaway": "Where every figure comes from, as of {as_of}",
    "brief.sources.more": "Every figure with its source, the published record and the data behind "
    "the charts: the Sources & methods page of Mandate Metrics.",
    "brief.slide_of": "Slide {n} of {total}",
    "brief.next": "Next",
    "brief.back": "Back",
    "brief.present": "Present full screen",
    "brief.exit": "Exit presentation",
    "brief.deck": "Download PowerPoint deck",
    "brief.pdf": "Download PDF brief",
    "brief.pdf_prepare": "Prepare PDF brief",
    "brief.pdf_busy": "Another PDF brief is being printed. Try again in a few seconds.",
    "brief.pdf_limit": "This session has asked for {count} PDF briefs in the last ten minutes. Try again "
    "later, or download the PowerPoint deck.",
    "brief.pdf_missing": "The PDF brief needs Chromium, which is not installed on this server "
    "(Debian: apt-get install chromium). The PowerPoint deck works without it.",
    "brief.intro": "The figures leadership presents, one message per slide. Present them full screen "
    "(arrow keys move between slides), or take them away as a PowerPoint deck or a PDF brief.",
    "cite.chart": "IIIM, Mandate Metrics: “{title}”. {view}, data version {version}, figures as of {as_of}. "
    "{marking}Accessed {accessed}. {url}",
    "cite.marking.illustrative": "Illustrative sample values, not public figures. ",
    "cite.marking.official": "Official data, dataset version {version}. ",
    "cite.marking.published": "Published figures; cite each by its original source too. ",
    "cite.this": "Cite this",
    "cite.help": "Copy this citation. Cite published figures by their original source too.",
    "share.copy_link": "Copy link to this view",
    "share.copy_help": "This link opens this page with the same date, filters and slide. "
    "Use the copy button on the right.",
    "control.download_xlsx": "Download Excel",
    "sources.download_all": "Download all public data (zip)",
    "sources.download_all_help": "Every public dataset as CSV, with a Frictionless data-package descriptor "
    "(datapackage.json) carrying sources, licences, versions and column types.",
    # Staff: sign-in and the Data page
    "page.data": "Data",
    "staff.sso": "Sign in with your organisation",
    "staff.not_staff": "This account is not on the staff list. Ask an administrator to add your address.",
    "staff.name": "Name",
    "staff.password": "Password",
    "staff.sign_in": "Sign in",
    "staff.sign_out": "Sign out",
    "staff.sign_in_help": "Staff sign in here to upload, publish and roll back data. Everyone else can read "
    "every page without signing in. For an account, ask the dashboard's administrator.",
    "staff.link": "Staff sign-in",
    "staff.signed_in": "Signed in as **{name}**.",
    "staff.view_marker": "**Staff view — do not project or share.** Undisclosed names and small counts are "
    "shown while you are signed in.",
    "data.title": "Data",
    "data.tab_upload": "Upload and publish",
    "data.tab_history": "History",
    "data.tab_audit": "Audit log",
    "data.dataset": "Dataset",
    "data.template_csv": "Current data (CSV): edit, add rows, upload back",
    "data.template_xlsx": "Current data (Excel, with a column guide)",
    "data.no_changes": "No changes: this file holds exactly the published data. Nothing to publish.",
    "data.losses": "**Publishing this file would lose published data:**",
    "data.try_append": "To add rows without removing any, choose “Append these rows” above, or start "
    "from “Current data” and add your rows to it.",
    "data.confirm_losses": "I have checked the list above: publish anyway",
    "data.file": "File to upload (CSV or Excel)",
    "data.file_help": "CSV (comma, semicolon or tab; any Excel encoding) or XLSX, up to {mb} MB.",
    "data.companion_dataset": "Companion file is for",
    "data.companion": "Companion file (optional): new jurisdictions or investigations this file refers to",
    "data.sheet": "Sheet (workbooks only; empty for the first sheet)",
    "data.mode": "How to publish",
    "data.replace": "Replace the dataset with this file",
    "data.append": "Append these rows to the dataset",
    "data.problems": "{count} problem(s) in {file}. Nothing will be published until they are fixed. "
    "Fix them in the file and upload it again.",
    "data.problems_download": "Download the problem list (CSV)",
    "data.companion_problems": "The companion file has {count} problem(s):",
    "data.looks_like": "This file's columns match the dataset “{title}”: choose it under Dataset above.",
    "data.valid": "{file} is valid: {rows} rows.",
    "data.preview": "Preview: what changes",
    "data.added": "Rows added",
    "data.removed": "Rows removed",
    "data.changed": "Rows changed",
    "data.changed_cells": "Changed cells",
    "data.effect": "{label}: {before} → {after}",
    "data.note": "Note (why this version; kept in the history)",
    "data.publish": "Publish as a new version",
    "data.published": "Published {dataset} {version} as {declared}. Every page shows it from the next click.",
    "data.declare": "What is this file?",
    "data.declare.official": "Official data: the IIIM's own figures",
    "data.declare.illustrative": "Illustrative sample: values that are not public figures",
    "data.declare.shipped": "Shipped with the app (see the dataset's provenance)",
    "data.declare_help": "Every value computed from this version is marked by this answer, on every page, "
    "slide, download and citation. Choose official only for the IIIM's own, checked figures.",
    "data.refused": "Not published: {reason}",
    "data.history_dataset": "Dataset",
    "history.version": "Version",
    "history.current": "Current",
    "history.declared": "What it is",
    "history.when": "Published",
    "history.by": "By",
    "history.how": "How",
    "history.rows": "Rows",
    "history.note": "Note",
    "history.file": "File",
    "history.restores": "Restores",
    "history.mode.seed": "Shipped with the app",
    "history.mode.replace": "Replaced the dataset",
    "history.mode.append": "Added rows",
    "history.mode.rollback": "Made an earlier version current",
    "history.mode.shipped": "Updated from the shipped data",
    "audit.when": "When",
    "audit.event": "What happened",
    "audit.by": "Who",
    "audit.what": "Details",
    "audit.restores": "restores {version}",
    "audit.event.sign_in": "Signed in",
    "audit.event.sign_in_failed": "Failed sign-in",
    "audit.event.sign_out": "Signed out",
    "audit.event.seed": "Shipped data loaded",
    "audit.event.replace": "Published (replaced the dataset)",
    "audit.event.append": "Published (added rows)",
    "audit.event.rollback": "Rolled back",
    "audit.event.repair": "Store repaired after a crash",
    "audit.event.shipped": "Shipped data updated (new release)",
    "data.version": "Version to preview",
    "data.current": "current",
    "data.make_current": "Make this version current again",
    "data.rolled_back": "{version} is current again (recorded as {new}).",
    "data.preview_rows": "First rows of {version}",
    "caption.chart": "Source: {source}. Figures as of {as_of}.",
    "caption.illustrative": "Illustrative sample, not published figures.",
    "caption.record": "Source: {sources}. Published figures, as of {as_of}.",
    "error.data": "The data could not be loaded: {error}",
    "empty.no_requests": "No requests had been received by {as_of}.",
    "empty.no_contributions": "No contributions on record up to {as_of}.",
}

CATALOGS: dict[str, dict[str, str]] = {"en": EN}


def t(key: str, locale: str = DEFAULT_LOCALE, **values: object) -> str:
    """The text for ``key`` in ``locale`` (falling back to English), with ``values`` filled in.

    Raises:
        KeyError: for an unknown key, so a missing string fails the tests instead of showing a key.
    """
    catalog = CATALOGS.get(locale.split("_")[0], EN)
    text = catalog.get(key, EN[key])
    return text.format(**values) if values else text


def column_label(name: str, locale: str = DEFAULT_LOCALE) -> str:
    """A column's name in words ("Requests received", not requests_received), for tables and downloads."""
    catalog = CATALOGS.get(locale.split("_")[0], EN)
    for key in (f"column.{name}", f"metric.{name}"):
        if key in catalog or key in EN:
            return t(key, locale, year="").strip()
    words = str(name).replace("_", " ").strip()  # a header already in words stays as it is
    return words[:1].upper() + words[1:]


def fmt_int(value: float, locale: str = DEFAULT_LOCALE) -> str:
    """A whole number with the locale's grouping: 1,234."""
    return format_decimal(round(value), locale=locale)


def fmt_delta(value: float, locale: str = DEFAULT_LOCALE) -> str:
    """A signed whole number: +12, −3, 0."""
    sign = "+" if value > 0 else ""
    return sign + fmt_int(value, locale)


def fmt_percent(value: float | None, locale: str = DEFAULT_LOCALE) -> str:
    """A share as a whole percentage: 70%. Missing shows as an en dash."""
    return "–" if value is None else format_percent(value, locale=locale)


def fmt_usd(value: float | None, locale: str = DEFAULT_LOCALE) -> str:
    """US dollars, compact: $17.8M. Missing shows as an en dash."""
    if value is None:
        return "–"
    return format_compact_currency(value, "USD", locale=locale, fraction_digits=1)


def fmt_money(value: float, currency: str, locale: str = DEFAULT_LOCALE) -> str:
    """An amount in its own currency, compact: €1.5M, SEK 3.5M."""
    return format_compact_currency(value, currency, locale=locale, fraction_digits=1)


def fmt_date(value: date, locale: str = DEFAULT_LOCALE) -> str:
    """A date in words, unambiguous across locales: 29 May 2024."""
    return format_date(value, format="d MMMM y", locale=locale)


def fmt_precise_date(value: date, precision: str, locale: str = DEFAULT_LOCALE) -> str:
    """A date only as precise as its source: 2019, May 2024 or 29 May 2024."""
    if precision == "year":
        return str(value.year)
    if precision == "month":
        return format_date(value, format="MMMM y", locale=locale)
    return fmt_date(value, locale)
