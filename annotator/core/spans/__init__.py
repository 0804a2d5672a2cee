"""Spans of text: fragments and their rules, code points and Qt's UTF-16 positions, reading
order, selection snapping, and the index of what covers which paragraph."""
