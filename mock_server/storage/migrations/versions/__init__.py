"""One module per schema revision, each chained after the one before (one head)."""
