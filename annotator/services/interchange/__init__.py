"""Moving articles and annotations in and out: text, HTML, manifest and brat import,
CSV and brat export, codebook files."""
