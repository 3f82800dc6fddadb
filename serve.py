"""Serve the dashboard: ``streamlit run serve.py`` (``make run``). The pages are ``app.py``'s.

Streamlit finds the ``st.App`` below (by reading this file: it must be written out here) and runs it
with uvicorn; the middleware from ``mandate_metrics.ui.server`` stands in front of Streamlit's
routes (uploads only from signed-in staff sessions).
"""

import streamlit as st

from mandate_metrics.ui.server import MIDDLEWARE

app = st.App("app.py", middleware=MIDDLEWARE)
