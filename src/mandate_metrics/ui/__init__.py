"""The Streamlit layer: the only package code that imports ``streamlit``.

Pages in ``app_pages/`` call it: ``shell`` (the shared controls and the page ``Context``),
``cached`` (datasets, evidence and exports held once per data version), ``prepared`` (what
pages draw, built once per version, date, language, role, view and filter), ``components`` (figure
cards, chart panels, downloads), ``slides`` (presentation mode), ``staff`` (sign-in), ``share``
(links to this view), ``language`` (the switcher, ``lang`` and ``dir``) and ``funding_record``.
It sits above everything else in the package; nothing below imports it.
"""
