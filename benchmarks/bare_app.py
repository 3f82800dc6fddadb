"""The baseline page: one metric and one chart, the least a dashboard page can be."""

import plotly.graph_objects as go
import streamlit as st

st.metric("Requests for assistance", "534")
st.plotly_chart(go.Figure(go.Scatter(x=list(range(2018, 2026)), y=[10, 40, 90, 160, 250, 340, 450, 534])))
