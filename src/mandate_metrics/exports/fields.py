"""What each column of a download means, for the data package's field descriptions.

A data team that opens ``datapackage.json`` in a validator, a spreadsheet or DuckDB reads these;
keyed by the column's name in the datasets (before headers are put in words), in English like the
package itself. ``tests/test_exports.py`` fails on a public column with no description here.
"""

from __future__ import annotations

DESCRIPTIONS: dict[str, str] = {
    "figure_id": "Identifier of the published figure in this dataset.",
    "as_of": "The date the figure describes, as precisely as the source gives it (see As-of precision).",
    "as_of_precision": "How precisely the date is known: day, month or year.",
    "metric": "The measure, as a code (requests_received, requests_supported, …).",
    "label": "The measure in words, as the source states it.",
    "label_ar": "The label in Arabic (a proposed translation unless a UN translator checked it).",
    "label_fr": "The label in French (a proposed translation unless a UN translator checked it).",
    "label_es": "The label in Spanish (a proposed translation unless a UN translator checked it).",
    "label_ru": "The label in Russian (a proposed translation unless a UN translator checked it).",
    "label_zh": "The label in Chinese (a proposed translation unless a UN translator checked it).",
    "value": "The published value.",
    "qualifier": "How the source states the value: exact, approx (about) or lower_bound (more than).",
    "unit": "The unit of the value (requests, jurisdictions, investigations, USD, EUR…).",
    "source_title": "The publication the value comes from.",
    "source_url": "Where the source can be read.",
    "source_type": "primary (the IIIM or the UN) or secondary (a news report or a government).",
    "verification": "How the value was checked against its source.",
    "quote": "The source's own words for the value.",
    "occasion": "Where the figure was presented (a conference, a report).",
    "occasion_ar": "The occasion in Arabic.",
    "occasion_fr": "The occasion in French.",
    "occasion_es": "The occasion in Spanish.",
    "occasion_ru": "The occasion in Russian.",
    "occasion_zh": "The occasion in Chinese.",
    "request_id": "Identifier of the request for assistance.",
    "received_on": "The day the request was received.",
    "jurisdiction_id": "Identifier of the requesting jurisdiction (blank where its name is not disclosed).",
    "assistance_type": "What was asked for.",
    "status": "The row's status: for a request its latest decision; elsewhere published or illustrative.",
    "status_on": "The day the request took its latest status.",
    "investigation_id": "Identifier of the investigation the request relates to.",
    "stage": "The investigation's latest stage.",
    "stage_on": "The day the investigation reached its latest stage.",
    "name": "The jurisdiction's name, or a neutral label where its name is not disclosed.",
    "kind": "For a jurisdiction, national or international; for a contribution, pledge, payment, "
    "announcement or statement of support (never summed together).",
    "region": "The region of the requesting jurisdiction.",
    "iso3": "ISO 3166-1 alpha-3 code of the jurisdiction, where it is a state and disclosed.",
    "disclose_name": "Whether the jurisdiction agreed to be named in public.",
    "contribution_id": "Identifier of the contribution.",
    "donor": "The donor as the source names it.",
    "donor_code": "ISO 3166-1 alpha-2 code of the donor where it is a state (EU for the European Union); "
    "its name in other languages comes from CLDR by this code.",
    "donor_type": "member_state, intergovernmental or private.",
    "year": "The budget year.",
    "amount": "The amount in its original currency, as the source states it (blank: none stated).",
    "currency": "ISO 4217 code of the original currency.",
    "amount_usd": "The amount in US dollars, derived from the ECB reference rates (see USD rate note); "
    "not an official UN rate of exchange.",
    "usd_rate_note": "The rate and dates used to derive the USD amount.",
    "date": "The day, month or year of the row (see Date precision).",
    "date_precision": "How precisely the date is known: day, month or year.",
    "requirement_usd": "The year's resource requirement, in US dollars.",
    "requirement_status": "Whether the requirement is published, illustrative or not available.",
    "regular_budget_usd": "The year's appropriation from the UN regular budget, in US dollars.",
    "regular_budget_status": "Whether the regular-budget amount is published, illustrative or not available.",
    "note": "Notes on the row's values and sources.",
    "message_id": "Identifier of the message.",
    "page": "The dashboard page the message belongs to.",
    "text": "The message or quotation, as said.",
    "attribution": "Who said it, and in what role.",
    "attribution_ar": "The attribution in Arabic.",
    "attribution_fr": "The attribution in French.",
    "attribution_es": "The attribution in Spanish.",
    "attribution_ru": "The attribution in Russian.",
    "attribution_zh": "The attribution in Chinese.",
    "milestone_id": "Identifier of the milestone.",
    "event": "What happened.",
    "event_ar": "What happened, in Arabic.",
    "event_fr": "What happened, in French.",
    "event_es": "What happened, in Spanish.",
    "event_ru": "What happened, in Russian.",
    "event_zh": "What happened, in Chinese.",
    "topic": "institution, funding or vote.",
    "requests_received": "Requests for assistance received on or before the as-of date "
    "(blank or 'withheld': not disclosed).",
    "requests_supported": "Requests supported as of the as-of date (blank or 'withheld': not disclosed).",
    "investigations_related": "Distinct investigations related to the requests received "
    "(blank or 'withheld': not disclosed).",
    "jurisdictions": "Requesting jurisdictions in the region (named or not).",
    "illustrative": "Yes where the row holds sample values that are not public figures: do not cite them.",
}

UNITS: dict[str, str] = {"amount_usd": "USD", "requirement_usd": "USD", "regular_budget_usd": "USD"}
INTEGERS = frozenset({"year", "requests_received", "requests_supported", "investigations_related"})
"""Columns that count or name a year: integers even where a gap made pandas hold them as floats."""
