"""brat standoff: the annotation files NLP tools read, out and back in."""
