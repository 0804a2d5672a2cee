"""Working across the whole corpus: search, code every hit, retrieve what a code marks."""
