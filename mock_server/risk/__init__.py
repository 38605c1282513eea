"""Personas, bureau-style credit reports, the scorecard and fraud signals."""
