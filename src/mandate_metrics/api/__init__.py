"""The read API and the plain record page: the published record for machines and for archives.

``routes`` holds the Starlette routes that ``serve.py`` mounts beside the pages: ``/api/v1/``
(figures, series, contributions, datasets, the data package, the OpenAPI description and a page
documenting it) and ``/record``. ``openapi`` holds that description; ``record_page`` draws
``/record``, the published record as one plain HTML page for archives, text browsers and slow
links. Read-only and public: the published record and official data, sample values only when
``view=sample`` is asked for, and then every value says so. It sits beside the command line,
above the figures, the exports and the store, and imports no Streamlit.
"""
