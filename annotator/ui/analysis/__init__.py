"""Looking at the results: coverage chart, agreement, curation."""
