from annotator.core.palette import PALETTE, is_colour, next_colour


def test_next_colour_skips_used_ones_and_cycles():
    assert next_colour([]) == PALETTE[0]
    assert next_colour([PALETTE[0].upper()]) == PALETTE[1]
    assert next_colour(PALETTE) == PALETTE[0]


def test_colour_form():
    assert is_colour("#a0B1c2")
    assert not is_colour("red")
    assert not is_colour("#abc")
