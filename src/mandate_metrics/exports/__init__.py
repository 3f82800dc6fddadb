"""Downloads: every file a user can take away, stamped with its provenance."""
