"""Turning a rough mouse selection into the span a coder meant."""


def _is_word(char: str) -> bool:
    return char.isalnum() or char in "_'’-"


def snap_to_words(text: str, start: int, end: int) -> tuple[int, int]:
    """Trim surrounding white space, then widen both ends to whole words, so a drag that
    starts or stops inside a word still takes the word. Quotes and punctuation next to the
    selection are left as selected. Returns (start, start) for a blank selection."""
    start, end = max(0, min(start, end)), min(len(text), max(start, end))
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    if start == end:
        return start, start
    if _is_word(text[start]):
        while start > 0 and _is_word(text[start - 1]):
            start -= 1
    if _is_word(text[end - 1]):
        while end < len(text) and _is_word(text[end]):
            end += 1
    return start, end
