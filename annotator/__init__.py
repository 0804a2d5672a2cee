"""Annotator: hand-annotation of claims, speakers and issues in news articles."""

__version__ = "0.1.0"
