"""Use cases: each runs one request's work in one transaction over storage and the engines."""
