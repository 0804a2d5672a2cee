"""Colours for new codes: distinct on white, readable under dark text, in a stable order so
that the same codebook gets the same colours on every machine."""

from collections.abc import Iterable

# Tableau 20's lighter half and mid tones: tested for separation on a white page.
PALETTE = (
    "#4e79a7", "#f28e2b", "#e15759", "#76b7b2", "#59a14f", "#edc948", "#b07aa1",
    "#ff9da7", "#9c755f", "#bab0ac", "#a0cbe8", "#ffbe7d", "#8cd17d", "#b6992d",
    "#f1ce63", "#86bcb6", "#d37295", "#fabfd2", "#d4a6c8", "#79706e",
)  # fmt: skip


def next_colour(used: Iterable[str]) -> str:
    """The first palette colour not yet used, cycling once every colour is taken."""
    taken = [c.lower() for c in used]
    for colour in PALETTE:
        if colour not in taken:
            return colour
    return PALETTE[len(taken) % len(PALETTE)]


def is_colour(value: str) -> bool:
    """``#rrggbb``: the one form the store, the CSV and Qt all read the same way."""
    return (
        len(value) == 7
        and value[0] == "#"
        and all(c in "0123456789abcdefABCDEF" for c in value[1:])
    )
