"""Commands across the whole corpus: search, code every hit, retrieve coded segments."""
