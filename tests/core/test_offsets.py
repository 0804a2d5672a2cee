import pytest
from hypothesis import given
from hypothesis import strategies as st

from annotator.core.spans.offsets import OffsetMap

# Surrogates cannot be encoded, so a real text never holds one; everything else goes, with a
# bias towards astral characters, which are the whole point.
chars = st.one_of(
    st.characters(exclude_categories=("Cs",)),
    st.characters(min_codepoint=0x10000, max_codepoint=0x10FFFF, exclude_categories=("Cs",)),
    st.sampled_from(["\n", "“", "”", "’", "…", "😠", "🇺", "🇸", "é", "a"]),
)
texts = st.lists(chars, max_size=60).map("".join)


def utf16_of(text: str, cp: int) -> int:
    return len(text[:cp].encode("utf-16-le")) // 2


def test_ascii_is_the_identity():
    offsets = OffsetMap("plain text\nsecond line")
    assert offsets.is_identity
    assert offsets.utf16_length == offsets.length == 22
    assert [offsets.to_utf16(i) for i in range(23)] == list(range(23))
    assert [offsets.to_code_point(i) for i in range(23)] == list(range(23))


def test_curly_quotes_and_ellipsis_are_one_unit():
    text = "“We will not sit back,” Xi said… ’"
    offsets = OffsetMap(text)
    assert offsets.is_identity
    assert offsets.to_utf16(len(text)) == len(text) == offsets.utf16_length


def test_an_emoji_takes_two_units():
    text = "Xi 😠 said"
    offsets = OffsetMap(text)
    assert offsets.utf16_length == len(text) + 1
    assert offsets.astral_code_points == (3,)
    assert not offsets.is_identity
    assert offsets.to_utf16(3) == 3  # the emoji starts where it starts
    assert offsets.to_utf16(4) == 5  # the space after it is pushed by one
    assert offsets.to_code_point(5) == 4
    assert text[offsets.to_code_point(6) :] == "said"


def test_a_flag_is_two_astral_characters():
    text = "🇺🇸 US"
    offsets = OffsetMap(text)
    assert len(text) == 5
    assert offsets.utf16_length == 7
    assert [offsets.to_utf16(cp) for cp in range(6)] == [0, 2, 4, 5, 6, 7]


def test_inside_a_surrogate_pair_rounds_down_to_the_character():
    text = "a😠b🇺🇸"
    offsets = OffsetMap(text)
    assert offsets.to_code_point(2) == 1  # between the halves of 😠
    assert offsets.to_code_point(5) == 3  # between the halves of 🇺
    assert offsets.to_code_point(7) == 4  # between the halves of 🇸
    assert offsets.to_code_point(8) == 5


def test_positions_outside_the_text_are_refused():
    offsets = OffsetMap("a😠")
    for bad in (-1, 3):
        with pytest.raises(ValueError, match="outside"):
            offsets.to_utf16(bad)
    for bad in (-1, 4):
        with pytest.raises(ValueError, match="outside"):
            offsets.to_code_point(bad)


def test_empty_text():
    offsets = OffsetMap("")
    assert offsets.utf16_length == 0
    assert offsets.to_utf16(0) == 0
    assert offsets.to_code_point(0) == 0


def test_tricky_text_matches_a_qt_style_count():
    text = "Flags 🇺🇸🇨🇳 first.\n“We will not sit back,” Xi said 😠 — and Biden’s aide replied…"
    offsets = OffsetMap(text)
    start = text.index("Xi said")
    assert offsets.to_utf16(start) == utf16_of(text, start) == start + 4  # two flags


@given(texts)
def test_to_utf16_matches_the_encoder(text):
    offsets = OffsetMap(text)
    assert offsets.utf16_length == len(text.encode("utf-16-le")) // 2
    for cp in range(len(text) + 1):
        assert offsets.to_utf16(cp) == utf16_of(text, cp)


@given(texts)
def test_round_trip_from_code_points(text):
    offsets = OffsetMap(text)
    for cp in range(len(text) + 1):
        assert offsets.to_code_point(offsets.to_utf16(cp)) == cp


@given(texts)
def test_every_utf16_position_maps_to_the_character_it_is_in(text):
    offsets = OffsetMap(text)
    for u16 in range(offsets.utf16_length + 1):
        cp = offsets.to_code_point(u16)
        # The character cp starts at or before u16 and the next one starts after it.
        assert offsets.to_utf16(cp) <= u16
        assert cp == len(text) or u16 < offsets.to_utf16(cp + 1)
        assert offsets.to_utf16(cp) == u16 or ord(text[cp]) > 0xFFFF


@given(texts, st.data())
def test_monotonic(text, data):
    offsets = OffsetMap(text)
    a = data.draw(st.integers(0, len(text)))
    b = data.draw(st.integers(0, len(text)))
    assert (a <= b) == (offsets.to_utf16(a) <= offsets.to_utf16(b))
