"""The English text of every message, by key: the source the Arabic and French catalogues translate.

Each entry is ``N_(key, text)`` or, when the words depend on a number, ``NN_(key, singular, plural)``
with the number as ``{n}``. ``pybabel extract`` reads these calls (the key becomes the message
context), so translators see the English text and the key together; see ``locales/README.md``.
"""

from __future__ import annotations

Message = str | tuple[str, str]


def N_(key: str, text: str) -> tuple[str, Message]:
    """One message: its key and its English text (a marker ``pybabel extract`` looks for)."""
    return key, text


def NN_(key: str, singular: str, plural: str) -> tuple[str, Message]:
    """One message whose words follow a number ``{n}``: English singular and plural."""
    return key, (singular, plural)


MESSAGES: dict[str, Message] = dict(
    [
        # App and navigation
        N_("app.title", "Mandate Metrics"),
        N_("app.subtitle", "IIIM — International, Impartial and Independent Mechanism for Syria"),
        N_("page.overview", "Overview"),
        N_("page.requests", "Requests & investigations"),
        N_("page.jurisdictions", "Jurisdictions"),
        N_("page.funding", "Funding & donors"),
        N_("page.sources", "Sources & methods"),
        N_(
            "store.damaged",
            "The figures cannot be shown: the data store is damaged, and no figure is shown rather than "
            "a wrong one. Staff: {problem}",
        ),
        N_("control.as_of", "Figures as of"),
        N_(
            "control.as_of.help",
            "Every figure on every page is recomputed as of this date. "
            "The date is kept in the page address, so a shared link shows the same figures.",
        ),
        N_("control.as_of.presets", "Dates figures were presented"),
        N_("control.language", "Language"),
        N_("control.view", "View"),
        N_("control.view.chart", "Chart"),
        N_("control.view.table", "Table"),
        N_("control.download_csv", "Download CSV"),
        N_("sidebar.data_version", "Latest data: {latest}"),
        # Views: the published record, or the request ledger (an illustrative sample or official data)
        N_("view.record", "Published record"),
        N_("view.sample", "Illustrative sample"),
        N_("view.official", "Official data"),
        N_("control.view_data", "Figures from"),
        N_(
            "control.view_data.help",
            "Published record: only figures the IIIM or the UN published, each with "
            "its own date and source. Illustrative sample: a synthetic set of requests that shows "
            "how the dashboard "
            "works; its values are not public figures. The choice is kept in the page address.",
        ),
        N_(
            "link.as_of_not_a_date",
            "The link's date “{value}” is not a date (they look like 2024-05-29). "
            "Showing figures as of {shown}, the latest.",
        ),
        N_(
            "link.as_of_not_a_day",
            "The link's date “{value}” is not a day of the calendar. Showing figures as of "
            "{shown}, the latest.",
        ),
        N_(
            "link.as_of_before",
            "The link's date “{value}” is before the IIIM existed ({first}). Showing figures "
            "as of {shown}, the latest.",
        ),
        N_(
            "link.as_of_after",
            "The link's date “{value}” is after the latest data. Showing figures as of {shown}, the latest.",
        ),
        N_(
            "link.view_official",
            "The link asks for official data, which has not been published yet. Showing the {shown} instead.",
        ),
        N_("link.page", "There is no page “{value}” in this dashboard. Showing the {shown} instead."),
        N_("link.lang", "The link asks for the language “{value}”, which is not available. Showing English."),
        N_(
            "link.slide",
            "The link asks for slide “{value}”; the briefing has slides 1 to {total}. Showing slide {shown}.",
        ),
        NN_(
            "overview.staleness",
            "Latest figure: {date}, one day ago.",
            "Latest figure: {date}, {n} days ago.",
        ),
        N_("overview.about_title", "About the IIIM"),
        N_(
            "overview.about",
            "The International, Impartial and Independent Mechanism (IIIM) was created by the "
            "UN General Assembly in resolution 71/248 of 21 December 2016 and became operational in 2018. It "
            "collects and preserves evidence of the most serious crimes under international law committed in "
            "Syria since March 2011, and assists national and international courts that investigate and "
            "prosecute them. A **request for assistance** is such a court or prosecution service asking the "
            "IIIM for evidence, analysis or help finding witnesses for one of its investigations.",
        ),
        N_(
            "notice.wrong_view",
            "The link asks for the view “{value}”, which this data does not have. "
            "Showing the {shown} instead.",
        ),
        # Provenance of one value
        N_("prov.published", "Published {date}: {source}"),
        # the same with a month or a year ("en décembre 2019", not "le décembre 2019")
        N_("prov.published.period", "Published {date}: {source}"),
        N_("prov.derived", "Derived ({how}) from figures published {date}: {source}"),
        # the same with a month or a year ("en décembre 2019", not "le décembre 2019")
        N_("prov.derived.period", "Derived ({how}) from figures published {date}: {source}"),
        N_("prov.official", "Official data, dataset version {version}"),
        N_("prov.illustrative", "Illustrative sample value, not a published figure"),
        N_("prov.tag.published", "published"),
        N_("prov.tag.official", "official data"),
        N_("prov.tag.derived", "derived from published figures"),
        N_("prov.tag.illustrative", "illustrative, not a public figure"),
        N_("label.illustrative_prefix", "Illustrative: "),
        N_("change.since", "{delta} since {date}"),
        N_("change.since_bound", "more than {delta} since {date}"),
        N_("metric.none_published", "No figure published on or before {as_of}"),
        N_(
            "record.series_caption",
            "Each point is a published figure on the day it was published; the line "
            "only joins the points (nothing is known between them).",
        ),
        N_(
            "record.no_breakdown",
            "The IIIM publishes cumulative totals only: requests per year, by kind of "
            "assistance, by status and investigations by stage are not public. Choose “{sample}” under "
            "“Figures from” to see how the dashboard shows them, on sample values.",
        ),
        N_(
            "record.no_regions",
            "Requests by region and by jurisdiction are not published. Choose “{sample}” "
            "under “Figures from” to see how the dashboard shows them, on sample values.",
        ),
        N_(
            "record.not_official",
            "Not shown: “{dataset}” is still the illustrative sample, and official "
            "figures are never shown beside sample values.",
        ),
        N_("overview.record_lead", "Latest published figures:"),
        N_("overview.ledger_lead", "As of {as_of}:"),
        N_("overview.ledger_item", "{value} {noun}"),
        N_("overview.record_item", "{value} {noun} ({date})"),
        N_("list.sentence", "{lead} {items}."),
        N_("list.separator", "; "),
        N_("noun.requests_received", "requests for assistance received"),
        N_("noun.requesting_jurisdictions", "requesting jurisdictions"),
        N_("noun.requests_supported", "requests supported"),
        N_("noun.investigations_related", "distinct investigations the requests relate to"),
        N_("noun.investigations_supported", "distinct investigations supported"),
        N_("evidence.title", "Evidence and partners"),
        N_("evidence.repository_size_tb", "Central repository"),
        N_("evidence.collection_activities_year", "Collection activities in 2024"),
        N_("evidence.cooperation_frameworks", "Cooperation frameworks"),
        N_("evidence.cso_protocol_signatories", "Syrian civil-society partners"),
        N_("evidence.unit.repository_size_tb", "{value} TB"),
        # Illustrative notice
        N_(
            "notice.illustrative",
            "**Illustrative sample:** values marked illustrative are not public figures — do not cite them.",
        ),
        N_(
            "notice.per_row",
            "Each row says what it is in its 'provenance' column: published (with its source), "
            "derived (arithmetic on published figures), official (with its dataset version) or illustrative "
            "(a sample value, not a public figure: do not cite).",
        ),
        N_("notice.illustrative_short", "Illustrative data, not a public figure: {datasets}"),
        N_(
            "notice.before_data",
            "No data yet as of {as_of}: the IIIM became operational in 2018. Choose a later date.",
        ),
        # Metrics
        N_("metric.requests_received", "Requests received"),
        N_("metric.requesting_jurisdictions", "Requesting jurisdictions"),
        N_("metric.requests_supported", "Requests supported"),
        N_("metric.investigations_related", "Investigations related to requests"),
        N_("metric.investigations_supported", "Investigations supported"),
        N_("metric.support_rate", "Support rate"),
        N_("metric.coverage", "Funding coverage {year}"),
        N_("metric.requirement", "Requirement {year}"),
        N_("metric.funded", "Funded {year}"),
        N_("metric.gap", "Gap {year}"),
        N_("metric.median_days", "Median days to decision"),
        N_("metric.delta_year", "{delta} in 12 months"),
        N_("label.ytd", " (year to date)"),
        N_("metric.not_published", "No published figure for this measure"),
        N_("help.requests_received", "All requests for assistance received on or before the as-of date."),
        N_("help.requesting_jurisdictions", "Distinct jurisdictions among the requests received."),
        N_("help.requests_supported", "Requests whose status is 'supported' as of the as-of date."),
        N_(
            "help.investigations_related",
            "Distinct investigations among the requests received "
            "(271 in April 2024). Not the same as investigations supported.",
        ),
        N_(
            "help.investigations_supported",
            "Distinct investigations among the requests supported (185 in April 2024, 192 in May 2024).",
        ),
        N_("help.support_rate", "Requests supported ÷ requests received, as of the date."),
        N_(
            "help.coverage",
            "Funded (regular budget + voluntary payments) ÷ requirement. Pledges not yet "
            "paid are not counted as funded.",
        ),
        N_(
            "help.median_days",
            "Median days from receipt to a decision (supported or declined), "
            "over decisions made by the as-of date.",
        ),
        # Qualifiers
        N_("qualifier.exact", "{value}"),
        N_("qualifier.approx", "about {value}"),
        N_("qualifier.lower_bound", "more than {value}"),
        N_("qualifier.exact_word", "exact"),  # a table's Qualifier column: exact, about, more than
        # Overview
        N_("overview.title", "What the mandate delivers"),
        N_(
            "overview.plain_page",
            "The published record as a plain page, for slow connections and web archives",
        ),
        N_("overview.api", "The figures for machines (read API)"),
        N_("overview.quote_title", "In their words"),
        N_("overview.timeline_title", "Milestones"),
        N_("overview.figures_title", "Headline figures"),
        # Requests page
        N_("requests.title", "Requests for assistance and investigations"),
        N_("chart.cumulative.published", "Published figure"),
        N_("chart.per_year.title", "{peak_year} saw the most requests received: {peak}"),
        N_("chart.per_year.ytd", "{year} (year to date)"),
        N_("chart.assistance.title", "{top} is the most requested kind of assistance ({share} of requests)"),
        N_("chart.status.title", "{share} of requests received were supported as of {as_of}"),
        N_("chart.stage.title", "{advanced} investigations have reached prosecution or later"),
        N_(
            "chart.published_vs_ledger.title",
            "How we check the figures: the sample meets {ok} of {total} published figures on their dates",
        ),
        N_(
            "requests.reconcile_caption",
            "The illustrative sample is built to reproduce every figure the IIIM "
            "published, on the day it was published; this table checks each one (a “more than” figure is met "
            "when the sample is above it). Share met:",
        ),
        N_("reconcile.published", "Published"),
        N_("reconcile.sample", "Sample on that day"),
        N_("reconcile.met", "Met"),
        N_("assistance.evidence_sharing", "Evidence and information sharing"),
        N_("assistance.analytical_product", "Analytical products"),
        N_("assistance.witness_identification", "Witness and victim identification"),
        N_("assistance.legal_advice", "Legal and technical advice"),
        N_("status.received", "Received"),
        N_("status.under_review", "Under review"),
        N_("status.supported", "Supported"),
        N_("status.declined", "Declined"),
        N_("status.withdrawn", "Withdrawn"),
        N_("stage.investigation", "Investigation"),
        N_("stage.prosecution", "Prosecution"),
        N_("stage.trial", "Trial"),
        N_("stage.judgment", "Judgment"),
        N_("stage.closed", "Closed"),
        # Jurisdictions page
        N_("jurisdictions.title", "Reach across jurisdictions"),
        N_(
            "jurisdictions.disclosure_note",
            "Names of jurisdictions that have not agreed to be named are pooled "
            "by region. Counts from 1 to 4 below region level are withheld, and so are as many "
            "other cells as it "
            "takes for no withheld count to be worked out by subtracting published ones (complementary "
            "suppression); every withheld cell reads “withheld”.",
        ),
        N_("jurisdictions.undisclosed", "Undisclosed jurisdictions ({region})"),
        N_(
            "jurisdictions.reference_date",
            "Tables by region and jurisdiction are published for reference dates only (year ends and "
            "the days figures were presented), protected together so that comparing two dates gives no "
            "withheld count away. Shown: as of {shown}, the last reference date on or before the date "
            "asked for.",
        ),
        N_(
            "jurisdictions.no_reference_yet",
            "No table by region or jurisdiction is published as of {as_of}: before the first reference "
            "date, requests came from too few places to show any without giving a small count away.",
        ),
        N_("chart.region.title", "{region} accounts for {share} of requests received"),
        N_("chart.jurisdiction.title", "Requests by jurisdiction, as of {as_of}"),
        N_("chart.region.neutral", "Requests received by region"),
        N_(
            "jurisdictions.withheld_whole",
            "As of {as_of}, requests came from too few jurisdictions to show them "
            "by region or jurisdiction: the headline total would give a small count away.",
        ),
        N_(
            "sources.row_level",
            "One row per request or investigation is for staff only: counted per region or "
            "month, such rows would reveal what the public tables withhold. The public tables "
            "(Jurisdictions page, "
            "and the zip below) are the aggregates.",
        ),
        N_("column.region", "Region"),
        N_("column.jurisdiction", "Jurisdiction"),
        N_("column.jurisdictions", "Jurisdictions"),
        # Funding page
        N_("funding.title", "Funding and donors"),
        N_(
            "funding.explainer",
            "Gap = requirement − regular budget − voluntary payments. Pledges not yet paid "
            "are shown separately and never counted as funded.",
        ),
        N_("chart.funding.title", "In {year}, {coverage} of the requirement was funded"),
        N_("chart.gap.title", "The funding gap was {gap} in {year}"),
        N_("chart.pledges.title", "{unpaid} pledged in {year} has not been recorded as paid"),
        N_("chart.donors.title", "{top} provided {share} of voluntary payments"),
        NN_(
            "chart.donor_count.title",
            "One donor contributed in {year}",
            "{n} donors contributed in {year}",
        ),
        N_("funding.no_budget", "No budget year with a requirement is on record up to {as_of}."),
        NN_(
            "funding.not_converted",
            "One contribution has no sourced USD conversion and is shown in its original currency only.",
            "{n} contributions have no sourced USD conversion and are shown in their original currency only.",
        ),
        N_("funding.contributions_table", "Every contribution on record"),
        N_(
            "funding.record_intro",
            "What is public about the IIIM's funding, each item with its date and source. "
            "The yearly requirement and most donor amounts are not published, so no gap, coverage or ranking "
            "is computed here.",
        ),
        N_("funding.record_figures", "Budget and funding: published figures"),
        N_(
            "chart.published_contributions.title",
            "Published amounts by donor and kind, in US dollars (each converted at the ECB rate of its "
            "date); donors in alphabetical order, not ranked",
        ),
        N_(
            "funding.contributions_source",
            "Government, EU and news sources (one per row); USD derived from ECB rates",
        ),
        NN_(
            "funding.contributions_caption",
            "One donor has a published contribution. Announcements, pledges and payments are shown as each "
            "source states them, one bar each, never added together; that an announcement or pledge was paid "
            "is not in the sources read. Published with no amount (see the table): {without}.",
            "{n} donors have a published contribution. Announcements, pledges and payments are shown as each "
            "source states them, one bar each, never added together; that an announcement or pledge was paid "
            "is not in the sources read. Published with no amount (see the table): {without}.",
        ),
        N_("funding.votes", "Budget votes and funding events"),
        N_("donor.title", "{donor}: contributions on record"),
        N_("donor.choose", "One donor's contributions"),
        NN_(
            "donor.summary",
            "**{donor}**: one contribution on record, {years} ({kinds}).",
            "**{donor}**: {n} contributions on record, {years} ({kinds}).",
        ),
        N_(
            "donor.unknown",
            "The link names the donor “{value}”, which has no contribution on record. Showing all donors.",
        ),
        N_("embed.snippet", "Embed this chart on a website (it works offline from this server):"),
        N_("share.donor_link", "Link to this donor: {url}"),
        N_("embed.title", "Chart"),
        N_("embed.unknown", "There is no chart “{value}” to embed. Charts that can be embedded: {names}."),
        N_("funding.needs", "The IIIM's published statements of need"),
        N_("funding.amount_not_stated", "not stated"),
        N_("column.usd_derived", "USD (derived)"),
        N_("kind.pledge", "Pledge"),
        N_("kind.payment", "Payment"),
        N_("kind.announcement", "Announcement"),
        N_("kind.support", "Statement of support"),
        N_("region.europe", "Europe"),
        N_("region.north_america", "North America"),
        N_("region.latin_america", "Latin America"),
        N_("region.asia_pacific", "Asia-Pacific"),
        N_("region.mena", "Middle East and North Africa"),
        N_("region.africa", "Africa"),
        N_("region.international", "International"),
        N_("data.member_state", "Member State {letter}"),
        N_("data.intergovernmental", "Intergovernmental organisation {letter}"),
        N_("data.private_foundation", "Private foundation {letter}"),
        N_("data.jurisdiction", "Jurisdiction {letter}"),
        N_("value.withheld", "withheld"),
        N_("provenance.published", "published"),
        N_("provenance.official", "official"),
        N_("provenance.derived", "derived"),
        N_("provenance.illustrative", "illustrative"),
        N_("said.by", "{who}, {when}"),
        N_(
            "dataset.budget.licence",
            "Published values: cite the original source. Illustrative values: CC0 1.0.",
        ),
        N_(
            "dataset.contributions.licence",
            "Published rows: cite the original source. Illustrative rows: CC0 1.0.",
        ),
        N_("dataset.investigations.licence", "CC0 1.0 (synthetic)"),
        N_("dataset.jurisdictions.licence", "CC0 1.0 (synthetic)"),
        N_("dataset.messages.licence", "Quotations; cite the original source."),
        N_("dataset.milestones.licence", "Facts; cite the original source."),
        N_(
            "dataset.published_figures.licence",
            "Figures are facts published by their sources; cite the original source of each row.",
        ),
        N_("dataset.requests.licence", "CC0 1.0 (synthetic)"),
        N_("column.disclose_name", "Disclose name"),
        N_("verification.date_inferred", "date inferred"),
        N_("verification.year_inferred", "year inferred"),
        N_("verification.via_translation", "via translation"),
        N_("verification.motion", "the figure is the motion's"),
        N_("series.requirement", "Requirement"),
        N_("series.regular_budget", "Regular budget"),
        N_("series.voluntary_paid", "Voluntary payments"),
        N_("series.pledged_unpaid", "Pledged, not recorded as paid"),
        N_("series.gap", "Gap"),
        N_("series.coverage", "Coverage"),
        N_("column.year", "Year"),
        N_("column.unit", "Unit"),
        N_("column.table_source", "Table source"),
        N_("column.requirement_usd", "Requirement (USD)"),
        N_("column.regular_budget_usd", "Regular budget (USD)"),
        N_("column.voluntary_paid_usd", "Voluntary payments (USD)"),
        N_("column.funded_usd", "Funded (USD)"),
        N_("column.gap_usd", "Gap (USD)"),
        N_("column.coverage", "Coverage"),
        N_("column.pledged_unpaid_usd", "Pledged, not recorded as paid (USD)"),
        N_("column.requirement_illustrative", "Requirement illustrative"),
        N_("column.regular_budget_illustrative", "Regular budget illustrative"),
        N_("column.voluntary_illustrative", "Voluntary payments illustrative"),
        N_("column.illustrative", "Illustrative"),
        N_("column.year_to_date", "Year to date"),
        N_("column.requests", "Requests"),
        N_("column.investigations", "Investigations"),
        N_("column.stage", "Stage"),
        N_("column.status", "Status"),
        N_("column.assistance_type", "Kind of assistance"),
        N_("column.donor_type", "Donor type"),
        N_("column.name", "Name"),
        N_("column.dataset_version", "Dataset version"),
        N_("column.as_of", "Figures as of"),
        N_("column.note", "Note"),
        N_("column.yes", "yes"),
        N_("column.no", "no"),
        N_("column.date", "Date"),
        N_("column.measure", "Measure"),
        N_("column.value", "Value"),
        N_("column.qualifier", "Qualifier"),
        N_("column.source", "Source"),
        N_("column.donor", "Donor"),
        N_("column.share", "Share of payments"),
        N_("column.paid_usd", "Paid (USD)"),
        N_("column.donors", "Donors"),
        N_("label.illustrative", "illustrative"),
        # Datasets: their titles and descriptions as shipped (a changed title shows as written)
        N_("dataset.budget.title", "Budget by year"),
        N_(
            "dataset.budget.description",
            "One row per year: the requirement and the regular-budget appropriation in USD, each "
            "with its own status (published or illustrative). Only the 2018 requirement estimate, "
            "the absence of a regular budget before 2020 and the 2020 appropriation are published.",
        ),
        N_("dataset.contributions.title", "Voluntary contributions"),
        N_(
            "dataset.contributions.description",
            "One row per pledge, payment, announcement or statement of support, in its original "
            "currency. Published rows come from government, UN or news sources, each naming its "
            "own; their USD amounts are derived from the ECB reference rates (day rate for a "
            "day-precise date, mean of the month's or year's daily rates otherwise) and say so. "
            "Rows with status 'illustrative' come from placeholder donors and are invented.",
        ),
        N_("dataset.investigations.title", "Investigations (illustrative sample)"),
        N_(
            "dataset.investigations.description",
            "One row per national or international investigation that requests relate to, with "
            "its stage and the day it reached it. Synthetic, consistent with the sample requests.",
        ),
        N_("dataset.jurisdictions.title", "Requesting jurisdictions (placeholders)"),
        N_(
            "dataset.jurisdictions.description",
            "One row per jurisdiction in the sample requests. Names are placeholders: no invented "
            "figure is attached to a real country. The Disclose name column says whether the public may "
            "see the name.",
        ),
        N_("dataset.messages.title", "Key messages and quotes"),
        N_(
            "dataset.messages.description",
            "Key messages and quotes for the narrative panels, with who said them, when and where.",
        ),
        N_("dataset.milestones.title", "Milestones"),
        N_(
            "dataset.milestones.description",
            "Dated events in the IIIM's history for the overview timeline, each with its source.",
        ),
        N_("dataset.published_figures.title", "Published figures"),
        N_(
            "dataset.published_figures.description",
            "Every figure on requests, investigations, jurisdictions, the central repository and "
            "funding that the IIIM or the UN published and that could be read in its source, one "
            "row per figure, with the words it was published in. Two investigation series are "
            "kept apart: investigations related to requests, and investigations supported.",
        ),
        N_("dataset.requests.title", "Requests for assistance (illustrative sample)"),
        N_(
            "dataset.requests.description",
            "One row per request for assistance: when it arrived, from which jurisdiction, what "
            "it asked for, its latest status and the day it took it, and the investigation it "
            "relates to. The IIIM's own records are not public: this deterministic sample "
            "reproduces every published cumulative figure at its date, and its other values are invented.",
        ),
        # Sources page
        N_("sources.title", "Sources and methods"),
        N_("sources.datasets", "Datasets"),
        N_("sources.published", "Published figures"),
        N_(
            "sources.published_caption",
            "Every figure the IIIM or the UN published that this dashboard uses, in the words of its source.",
        ),
        N_("sources.definitions", "Definitions"),
        N_("sources.cite", "How to cite"),
        N_(
            "sources.cite_text",
            "IIIM, *Mandate Metrics* ({title}), data version {version}, figures as of "
            "{as_of}. Dataset versions are listed above. Cite published figures by their original source.",
        ),
        N_("sources.download", "Download {name}.csv"),
        NN_(
            "sources.rows",
            "One row",
            "{n} rows",
        ),
        N_("sources.provenance.published", "Published"),
        N_("sources.provenance.illustrative", "Illustrative"),
        N_("sources.provenance.mixed", "Published and illustrative rows, flagged per row"),
        N_("sources.provenance.official", "Official data, declared by staff at publish"),
        N_("jurisdictions.undisclosed_name", "Undisclosed"),
        N_(
            "sources.visibility_note",
            "How small numbers are protected (statistical disclosure control): "
            "jurisdictions that have not agreed to be named are pooled by region; counts from 1 to 4 beneath "
            "region level are withheld (primary suppression); further cells are withheld until "
            "every published "
            "sum (a region's jurisdictions, the headline's regions) holds no withheld cell or at "
            "least two, and "
            "no withheld cell can be solved for from the published sums (complementary "
            "suppression, checked by "
            "rank); every withheld cell reads the same. Public downloads are aggregates: rows of "
            "single requests "
            "or investigations are for staff only.",
        ),
        N_("sources.column.dataset", "Dataset"),
        N_("sources.column.provenance", "Provenance"),
        N_("sources.column.version", "Version"),
        N_("sources.column.as_of", "As of"),
        N_("sources.column.rows", "Rows"),
        N_("sources.column.sources", "Sources"),
        N_("sources.column.licence", "Licence"),
        N_("sources.column.value", "Value"),
        N_("sources.column.measure", "What it measures"),
        N_("sources.column.source", "Source"),
        N_("sources.column.link", "Link"),
        N_("sources.column.quote", "In the source's words"),
        N_("sources.column.status", "Verification"),
        N_("sources.column.definition", "Definition"),
        N_("sources.cite_link", "Link to this view"),
        N_("funding.donor_year", "Donors in"),
        N_("funding.all_years", "All years"),
        N_("column.currency", "Currency"),
        N_(
            "currency.note_day",
            "Derived: {currency} converted at {rate} USD, the ECB reference rate of {when} "
            "({source}); not an official UN rate",
        ),
        N_(
            "currency.note_period",
            "Derived: {currency} converted at {rate} USD, the mean of the ECB daily "
            "reference rates over {when} ({source}); not an official UN rate",
        ),
        N_("column.amount", "Amount"),
        N_("column.kind", "Kind"),
        N_("column.conversion", "USD conversion"),
        N_("column.provenance", "Provenance"),
        # Briefing (presentation mode, deck, PDF)
        N_("page.briefing", "Briefing"),
        N_("brief.stamp", "Data version {version} · figures as of {as_of}"),
        N_("brief.illustrative", "Illustrative: includes sample values that are not public figures"),
        N_("brief.hatched", "hatched bars (values marked *) and solid lines are sample values"),
        N_("brief.published", "Latest published: {value} ({date}, {source})"),
        N_("brief.headline.title", "What the mandate delivers"),
        N_("brief.headline.takeaway", "{value} requests for assistance received by {date}"),
        # the same with a month or a year ("en décembre 2019", not "le décembre 2019")
        N_("brief.headline.takeaway.period", "{value} requests for assistance received by {date}"),
        N_("brief.headline.none", "No figure had been published by {as_of}."),
        N_("brief.demand.takeaway", "Requests for assistance received reached {value} by {date}"),
        # the same with a month or a year ("en décembre 2019", not "le décembre 2019")
        N_("brief.demand.takeaway.period", "Requests for assistance received reached {value} by {date}"),
        N_("brief.demand.lead", "Requests received and requests supported, each on its own line."),
        N_(
            "brief.investigations.lead",
            "The two investigation series are different measures and are never mixed.",
        ),
        N_("brief.reach.takeaway", "Requests came from {value} jurisdictions by {date}"),
        # the same with a month or a year ("en décembre 2019", not "le décembre 2019")
        N_("brief.reach.takeaway.period", "Requests came from {value} jurisdictions by {date}"),
        NN_(
            "brief.reach.regions",
            "Requests by region (one region, under the disclosure rule):",
            "Requests by region ({n} regions, under the disclosure rule):",
        ),
        NN_(
            "brief.funding.record_takeaway",
            "On the UN regular budget since 2020; voluntary contributions published for one donor",
            "On the UN regular budget since 2020; voluntary contributions published for {n} donors",
        ),
        NN_(
            "brief.funding.voluntary_takeaway",
            "Funded by voluntary contributions; contributions published for one donor",
            "Funded by voluntary contributions; contributions published for {n} donors",
        ),
        N_("brief.funding.short.regular_budget_approved_2020", "Regular budget, 2020"),
        N_("brief.funding.short.received_to_date", "Voluntary funds received"),
        N_(
            "brief.funding.record_notes",
            "Published contributions (announcements and pledges in their own "
            "currency; payment is not in the sources read): {donors}.",
        ),
        N_("brief.demand.title", "Demand keeps growing"),
        N_("brief.reach.title", "Reach across {count} jurisdictions"),
        N_("brief.investigations.title", "Investigations supported"),
        N_("brief.investigations.takeaway", "Distinct investigations supported reached {value} by {date}"),
        # the same with a month or a year ("en décembre 2019", not "le décembre 2019")
        N_(
            "brief.investigations.takeaway.period",
            "Distinct investigations supported reached {value} by {date}",
        ),
        N_("brief.funding.title", "The funding situation"),
        N_("brief.funding.takeaway", "{year}: {coverage} of the requirement funded; gap {gap}"),
        N_("brief.funding.recent", "The most recent published funding figures:"),
        # TRANSLATORS: one published funding figure in a list: its own label, value, date and source
        N_("brief.funding.item", "{label}: {value} ({published}, {source})"),
        N_(
            "brief.funding.more",
            "Every published contribution, donor by donor, with its source: the Funding & donors page "
            "of Mandate Metrics.",
        ),
        N_("brief.case.title", "Why funding matters now"),
        N_("brief.case.takeaway", "Demand for the IIIM's support keeps growing: {growths}"),
        N_("brief.case.item", "{noun} {rate} since {date}"),
        N_(
            "brief.case.none",
            "The published record does not yet hold two figures of one measure a year apart.",
        ),
        N_("brief.case.dated", "{label} (published {date})"),
        # the same with a month or a year ("en décembre 2019", not "le décembre 2019")
        N_("brief.case.dated.period", "{label} (published {date})"),
        N_(
            "brief.case.notes",
            "Each growth is arithmetic on two published figures of the same measure, about a year apart; "
            "where the later figure is a lower bound, so is the growth.",
        ),
        N_("case.label", "{measure}: growth since {date}"),
        N_("case.how", "{before} on {before_date} → {now} on {now_date}"),
        N_("case.at_least", "at least {rate}"),
        N_("brief.ask.title", "The ask"),
        N_("brief.ask.appeal", "The appeal {year}"),
        N_("brief.ask.takeaway", "Justice and accountability require sustained funding"),
        N_("brief.ask.none", "No key message on record for this date."),
        N_("brief.sources.title", "Sources"),
        N_("brief.sources.takeaway", "Where every figure comes from, as of {as_of}"),
        N_(
            "brief.sources.more",
            "Every figure with its source, the published record and the data behind "
            "the charts: the Sources & methods page of Mandate Metrics.",
        ),
        N_("brief.sources.qr", "Every source: {address}"),
        N_("brief.slide_of", "Slide {number} of {total}"),
        N_("brief.next", "Next"),
        N_("brief.back", "Back"),
        N_("brief.present", "Present full screen"),
        N_("brief.exit", "Exit presentation"),
        N_("brief.deck", "Download PowerPoint deck"),
        N_("brief.pdf", "Download PDF brief"),
        N_("brief.pdf_prepare", "Prepare PDF brief"),
        N_("brief.pdf_busy", "Another PDF brief is being printed. Try again in a few seconds."),
        NN_(
            "brief.pdf_limit",
            "This session has asked for one PDF brief in the last ten minutes. Try again later, or "
            "download the PowerPoint deck.",
            "This session has asked for {n} PDF briefs in the last ten minutes. Try again later, or "
            "download the PowerPoint deck.",
        ),
        N_(
            "brief.pdf_missing",
            "The PDF brief needs Chromium, which is not installed on this server "
            "(Debian: apt-get install chromium). The PowerPoint deck works without it.",
        ),
        N_(
            "brief.intro",
            "The figures leadership presents, one message per slide. Present them full screen "
            "(arrow keys move between slides), or take them away as a PowerPoint deck or a PDF brief.",
        ),
        N_(
            "cite.chart",
            "IIIM, Mandate Metrics: “{title}”. {view}, data version {version}, figures as of {as_of}. "
            "{marking}Accessed {accessed}. {url}",
        ),
        N_("cite.marking.illustrative", "Illustrative sample values, not public figures. "),
        N_("cite.marking.official", "Official data, dataset version {version}. "),
        N_("cite.marking.published", "Published figures; cite each by its original source too. "),
        N_("cite.this", "Cite this"),
        N_("cite.help", "Copy this citation. Cite published figures by their original source too."),
        N_("share.copy_link", "Copy link to this view"),
        N_(
            "share.copy_help",
            "This link opens this page with the same date, filters and slide. "
            "Use the copy button on the right.",
        ),
        N_("control.download_xlsx", "Download Excel"),
        # The About sheet of an Excel download
        N_("about.title", "Title"),
        N_("about.source", "Source"),
        N_("about.versions", "Dataset versions"),
        N_("about.all_published", "All values from published sources."),
        N_("about.sheet_data", "Data"),
        N_("about.sheet_about", "About"),
        N_("about.field", "Field"),
        N_("sources.download_all", "Download all public data (zip)"),
        N_(
            "sources.download_all_help",
            "Every public dataset as CSV, with a Frictionless data-package descriptor "
            "(datapackage.json) carrying sources, licences, versions and column types.",
        ),
        # Staff: sign-in and the Data page
        N_("page.data", "Data"),
        N_("staff.sso", "Sign in with your organisation"),
        N_(
            "staff.not_staff",
            "This account is not on the staff list. Ask an administrator to add your address.",
        ),
        N_("staff.name", "Name"),
        N_("staff.password", "Password"),
        N_("staff.sign_in", "Sign in"),
        N_("staff.sign_out", "Sign out"),
        N_(
            "staff.sign_in_help",
            "Staff sign in here to upload, publish and roll back data. Everyone else can read "
            "every page without signing in. For an account, ask the dashboard's administrator.",
        ),
        N_("staff.link", "Staff sign-in"),
        N_("staff.signed_in", "Signed in as **{name}**."),
        N_(
            "staff.view_marker",
            "**Staff view — do not project or share.** Undisclosed names and small counts are "
            "shown while you are signed in.",
        ),
        N_("data.title", "Data"),
        N_("data.tab_upload", "Upload and publish"),
        N_("data.tab_history", "History"),
        N_("data.tab_audit", "Audit log"),
        N_("data.dataset", "Dataset"),
        N_("data.template_csv", "Current data (CSV): edit, add rows, upload back"),
        N_("data.template_xlsx", "Current data (Excel, with a column guide)"),
        N_("data.no_changes", "No changes: this file holds exactly the published data. Nothing to publish."),
        N_("data.losses", "**Publishing this file would lose published data:**"),
        N_(
            "data.try_rows",
            "To add or change rows without removing any, upload only those rows, or start from “Current "
            "data” and keep every row in it.",
        ),
        N_("data.confirm_losses", "I have checked the list above: publish anyway"),
        N_("data.file", "File to upload (CSV or Excel)"),
        N_("data.file_help", "CSV (comma, semicolon or tab; any Excel encoding) or XLSX, up to {mb} MB."),
        # the file uploader's own words, drawn over Streamlit's English (ui/language.uploader_words)
        N_("upload.button", "Upload"),
        N_("upload.limit", "{mb} MB per file • {types}"),
        N_("data.companion_dataset", "Companion file is for"),
        N_(
            "data.companion",
            "Companion file (optional): new jurisdictions or investigations this file refers to",
        ),
        N_("data.sheet", "Sheet (workbooks only; empty for the first sheet)"),
        N_(
            "data.read_whole",
            "This file holds most of the published rows, so it is read as the whole table, as it should "
            "be: a published row it leaves out is removed.",
        ),
        N_(
            "data.read_rows",
            "This file holds only some of the published rows (or none), so only its rows are added or "
            "changed; every other row stays as published.",
        ),
        NN_(
            "data.summary",
            "{added} added, {changed} changed, {removed} removed; the other row is unchanged.",
            "{added} added, {changed} changed, {removed} removed; the other {n} rows are unchanged.",
        ),
        N_("data.added_rows", "Rows added"),
        N_("data.removed_rows", "Rows removed"),
        NN_(
            "data.problems",
            "One problem in {file}. Nothing will be published until it is fixed. Fix it in the file "
            "and upload it again.",
            "{n} problems in {file}. Nothing will be published until they are fixed. Fix them in the "
            "file and upload it again.",
        ),
        N_("data.problems_download", "Download the problem list (CSV)"),
        NN_(
            "data.companion_problems",
            "The companion file has one problem:",
            "The companion file has {n} problems:",
        ),
        N_(
            "data.looks_like",
            "This file's columns match the dataset “{title}”: choose it under Dataset above.",
        ),
        NN_(
            "data.valid",
            "{file} is valid: one row.",
            "{file} is valid: {n} rows.",
        ),
        N_("data.preview", "Preview: what changes"),
        N_("data.changed_cells", "Changed cells"),
        N_("data.effect", "{label}: {before} → {after}"),
        N_("data.note", "Note (why this version; kept in the history)"),
        N_("data.publish", "Publish as a new version"),
        N_(
            "data.published",
            "Published {dataset} {version} as {declared}. Every page shows it from the next click.",
        ),
        N_("data.declare", "What is this file?"),
        N_("data.declare.official", "Official data: the IIIM's own figures"),
        N_("data.declare.illustrative", "Illustrative sample: values that are not public figures"),
        N_("data.declare.shipped", "Shipped with the app (see the dataset's provenance)"),
        N_(
            "data.declare_help",
            "Every value computed from this version is marked by this answer, on every page, "
            "slide, download and citation. Choose official only for the IIIM's own, checked figures.",
        ),
        N_("data.refused", "Not published: {reason}"),
        N_("data.history_dataset", "Dataset"),
        N_("history.version", "Version"),
        N_("history.current", "Current"),
        N_("history.declared", "What it is"),
        N_("history.when", "Published"),
        N_("history.by", "By"),
        N_("history.how", "How"),
        N_("history.rows", "Rows"),
        N_("history.note", "Note"),
        N_("history.file", "File"),
        N_("history.restores", "Restores"),
        N_("history.mode.seed", "Shipped with the app"),
        N_("history.mode.replace", "Replaced the dataset"),
        N_("history.mode.append", "Added rows"),
        N_("history.mode.rollback", "Made an earlier version current"),
        N_("history.mode.shipped", "Updated from the shipped data"),
        N_("audit.when", "When"),
        N_("audit.event", "What happened"),
        N_("audit.by", "Who"),
        N_("audit.what", "Details"),
        N_("audit.restores", "restores {version}"),
        N_("audit.event.sign_in", "Signed in"),
        N_("audit.event.sign_in_failed", "Failed sign-in"),
        N_("audit.event.sign_out", "Signed out"),
        N_("audit.event.seed", "Shipped data loaded"),
        N_("audit.event.replace", "Published (replaced the dataset)"),
        N_("audit.event.append", "Published (added rows)"),
        N_("audit.event.rollback", "Rolled back"),
        N_("audit.event.repair", "Store repaired after a crash"),
        N_("audit.event.shipped", "Shipped data updated (new release)"),
        N_("audit.event.not_current", "Kept, not made current (someone published first)"),
        N_("audit.event.stopped", "Not made current (the publish stopped before it took effect)"),
        N_("audit.event.refused", "Refused: someone published first; nothing was changed"),
        N_("data.version", "Version to preview"),
        N_("data.current", "current"),
        N_("data.make_current", "Make this version current again"),
        N_("data.rolled_back", "{version} is current again (recorded as {new})."),
        N_("data.preview_rows", "First rows of {version}"),
        N_("caption.chart", "Source: {source}. Figures as of {as_of}."),
        N_("caption.illustrative", "Illustrative sample, not published figures."),
        N_("caption.starred", "A value marked * (a hatched bar) is a sample value."),
        N_("caption.record", "Source: {sources}. Published figures, as of {as_of}."),
        N_("error.data", "The data could not be loaded: {error}"),
        N_("empty.no_requests", "No requests had been received by {as_of}."),
        N_("empty.no_contributions", "No contributions on record up to {as_of}."),
    ]
)
