"""Pure readers of file formats: front matter, brat standoff, text decoding."""
