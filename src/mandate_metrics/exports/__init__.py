"""Downloads: every file a user can take away, stamped with its provenance.

``tables`` (CSV and XLSX of a table, formula-safe, with the provenance stamp), ``package`` (the
zip of every public dataset with its ``datapackage.json``), ``templates`` (empty upload files for
staff), ``deck`` (the PowerPoint briefing) and ``pdf`` (the printed brief). Exports draw on the
figures, the briefing and the charts below them; only ``ui`` and the command line sit above.
"""
