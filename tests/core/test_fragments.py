import pytest
from hypothesis import given
from hypothesis import strategies as st

from annotator.core.errors import ValidationError
from annotator.core.spans.fragments import make_fragments

TEXT = "“Quote,” 🇺🇸 said Flynn. “More.”"


def test_fragments_are_sorted_and_quoted_in_code_points():
    fragments = make_fragments(TEXT, [(24, 31), (0, 8)])
    assert [(f.start, f.end) for f in fragments] == [(0, 8), (24, 31)]
    assert fragments[0].quote == "“Quote,”"
    assert fragments[1].quote == "“More.”"


@pytest.mark.parametrize(
    ("spans", "message"),
    [
        ([], "at least one"),
        ([(3, 3)], "empty"),
        ([(5, 2)], "empty"),
        ([(-1, 2)], "outside"),
        ([(0, len(TEXT) + 1)], "outside"),
        ([(0, 5), (4, 8)], "overlaps"),
    ],
)
def test_bad_fragments_are_refused(spans, message):
    with pytest.raises(ValidationError, match=message):
        make_fragments(TEXT, spans)


def test_touching_fragments_are_allowed():
    assert len(make_fragments(TEXT, [(0, 3), (3, 6)])) == 2


@given(st.text(min_size=1), st.data())
def test_quote_is_always_the_text_at_the_offsets(text, data):
    start = data.draw(st.integers(0, len(text) - 1))
    end = data.draw(st.integers(start + 1, len(text)))
    (fragment,) = make_fragments(text, [(start, end)])
    assert text[fragment.start : fragment.end] == fragment.quote
