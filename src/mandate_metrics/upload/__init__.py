"""The upload pipeline: a staff member's file in, every problem found at once, a version published.

One module per step, imported by name (``from mandate_metrics.upload import validation``):

- ``reading``: CSV and workbooks read as text columns (fast compiled readers, an exact fallback);
- ``cells``: what each cell means (dates, numbers, true/false), checked a column at a time;
- ``validation``: the report (``validate_upload``, ``Report``, ``Problem``), schema and references;
- ``publishing``: the preview of what changes, then publish and rollback through the store.

The rest of the package may use ``validation`` and ``publishing``; ``reading`` and ``cells`` serve
them. The pipeline sits above ``figures/`` (a preview shows the figures a publish would change) and
the store, and below the pages and the command line.
"""
