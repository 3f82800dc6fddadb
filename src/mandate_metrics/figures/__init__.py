"""The figures: what each measure is as of a date, and where its value comes from.

One module per task, imported by name (``from mandate_metrics.figures import metrics``):

- ``record``: the one interface pages, slides, exports and the command line ask (``Evidence``):
  the published record or a ledger version, each value a ``Figure`` carrying its provenance;
- ``metrics``: the ledger's measures as of a date, exactly as DESIGN.md defines them;
- ``funding``: requirement, regular budget, payments, gap and coverage by year; donors;
- ``currency``: USD conversions from the ECB reference rates, each saying its rate and date;
- ``disclosure``: what the public may see (names, small counts, complementary suppression);
- ``linked``: the public's tables by region and jurisdiction at reference dates, protected together;
- ``disclosure_audit``: the auditor those tables pass (linear programs over everything public).

Figures are plain functions over DataFrames: they import the datasets (``loading``), ``schemas``,
``frames`` and ``i18n`` below them and nothing above (no charts, narrative, exports or ``ui``).
"""
