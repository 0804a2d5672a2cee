import pytest

from annotator.core.spans.selection import snap_to_words

TEXT = "Xi warned Beijing won’t “sit back and watch” 😠 today."


def span(needle: str) -> tuple[int, int]:
    start = TEXT.index(needle)
    return start, start + len(needle)


@pytest.mark.parametrize(
    ("rough", "expected"),
    [
        ("arned Beiji", "warned Beijing"),
        (" warned ", "warned"),
        ("won", "won’t"),
        ("“sit back and watc", "“sit back and watch"),
        ("watch”", "watch”"),
        ("😠 tod", "😠 today"),
    ],
)
def test_snap(rough, expected):
    start, end = snap_to_words(TEXT, *span(rough))
    assert TEXT[start:end] == expected


def test_blank_and_reversed_selections():
    assert snap_to_words(TEXT, 2, 3) == (3, 3)
    assert snap_to_words(TEXT, 9, 3) == snap_to_words(TEXT, 3, 9)
    assert snap_to_words("abc", -5, 99) == (0, 3)
