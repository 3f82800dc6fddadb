"""Serve the dashboard: ``streamlit run serve.py`` (``make run``). The pages are ``app.py``'s.

Streamlit finds the ``st.App`` below (by reading this file: it must be written out here) and runs it
with uvicorn; the middleware from ``mandate_metrics.ui.server`` stands in front of Streamlit's
routes (uploads only from signed-in staff sessions, compression), the read API is served
beside the pages under /api/v1/ (``mandate_metrics.api``), and /auth/session gives a signed-in
staff member the cookie that keeps them signed in across a reload (``ui.staff_session``).
"""

import streamlit as st

from mandate_metrics.api.routes import ROUTES
from mandate_metrics.ui.server import MIDDLEWARE
from mandate_metrics.ui.staff_session import ROUTES as STAFF_ROUTES

app = st.App("app.py", routes=[*ROUTES, *STAFF_ROUTES], middleware=MIDDLEWARE)
