"""Mandate Metrics: the IIIM's mandate and funding figures, traceable to their sources."""

__version__ = "0.1.0"
