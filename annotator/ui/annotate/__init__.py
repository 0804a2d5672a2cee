"""Annotating: the article list and view, highlighting, the tagging panel and editor,
and the controllers that turn keys into edits."""
