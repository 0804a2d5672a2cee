"""Colours for codes: far apart for everyone, in a stable order, so that the same codebook
gets the same colours on every machine.

The palette starts with Okabe and Ito's colour-blind-safe set (2008, black left out: it cannot
tint), followed by colours drawn from Paul Tol's qualitative schemes (bright, muted, vibrant,
light) and their lighter and darker variants, each chosen as the one farthest (CIEDE2000) from
all chosen before it, as seen with normal vision, deuteranopia and protanopia. Its first 16
colours are all at least MIN_DISTANCE apart that way; beyond that, no set of colours is, and
``next_colour`` gives the one farthest from what the codebook uses.
"""

from collections.abc import Iterable, Sequence
from functools import lru_cache

from annotator.core.palette.contrast import mix
from annotator.core.palette.lab import Lab, ciede2000, hex_to_rgb, rgb_to_hex, rgb_to_lab
from annotator.core.palette.vision import views

PALETTE = (
    "#e69f00", "#56b4e9", "#009e73", "#f0e442", "#0072b2", "#d55e00", "#cc79a7", "#882255",
    "#f7c6ca", "#952309", "#c4c489", "#b0daf2", "#954956", "#af6249", "#008677", "#005282",
    "#daa8c2", "#44bb99", "#afa262", "#166223", "#f2a0a7", "#6fa2bc", "#86c2e1", "#009988",
    "#e7cbd9", "#008b64", "#ee7733", "#117733", "#567ca2", "#4b9ecd",
)  # fmt: skip

#: ΔE00, the least of normal, deuteranopic and protanopic vision, that two codes' colours keep
#: while the palette allows (its first 16 colours); 10 reads as "another colour" at a glance.
MIN_DISTANCE = 10.0
#: Lightness (CIELAB L*) of the variants tried once the palette is used up: dark enough to tint
#: a white page visibly, light enough to tell from black text.
_LIGHTNESS = (30.0, 85.0)


def distance(first: str, second: str) -> float:
    """How far apart two ``#rrggbb`` colours look to the viewer who tells them apart worst:
    the smallest CIEDE2000 difference under normal vision, deuteranopia and protanopia."""
    return _distance(_views(first.lower()), _views(second.lower()))


def next_colour(used: Iterable[str]) -> str:
    """The colour for a new code beside codes coloured ``used``: the first palette colour at
    least MIN_DISTANCE from all of them, else the candidate (palette and its variants)
    farthest from the closest of them. Values that are not ``#rrggbb`` are ignored."""
    taken = [_views(c.lower()) for c in used if is_colour(c)]
    for colour in PALETTE:
        if all(_distance(_views(colour), other) >= MIN_DISTANCE for other in taken):
            return colour
    best, best_distance = PALETTE[0], -1.0
    for colour in _candidates():
        mine = _views(colour)
        nearest = float("inf")
        for other in taken:
            nearest = min(nearest, _distance(mine, other))
            if nearest <= best_distance:
                break  # cannot beat the best so far
        if nearest > best_distance:
            best, best_distance = colour, nearest
    return best


def assign_colours(count: int, keep: Sequence[str] = ()) -> list[str]:
    """Colours for ``count`` codes given fresh colours beside codes that keep theirs: what the
    codebook's Reassign colours uses."""
    chosen: list[str] = []
    for _ in range(count):
        chosen.append(next_colour([*keep, *chosen]))
    return chosen


def spread(colours: Sequence[str]) -> list[str]:
    """Colours for codes given oldest first: each keeps its colour unless that is within
    MIN_DISTANCE of a colour kept before it (or is no colour); those get next_colour beside
    everything kept and given, if that is farther from its nearest. What the codebook's
    Reassign clashing colours applies."""
    kept: list[str] = []
    keeps = []
    for colour in colours:
        keep = is_colour(colour) and all(distance(colour, k) >= MIN_DISTANCE for k in kept)
        keeps.append(keep)
        if keep:
            kept.append(colour)
    result, chosen = [], list(kept)
    for colour, keep in zip(colours, keeps, strict=True):
        if not keep:
            fresh = next_colour(chosen)
            if not is_colour(colour) or _nearest(fresh, chosen) > _nearest(colour, chosen):
                colour = fresh  # else: past the palette, and no candidate does better
            chosen.append(colour)
        result.append(colour)
    return result


def _nearest(colour: str, others: Sequence[str]) -> float:
    return min((distance(colour, other) for other in others), default=float("inf"))


def is_colour(value: str) -> bool:
    """``#rrggbb``: the one form the store, the CSV and Qt all read the same way."""
    return (
        len(value) == 7
        and value[0] == "#"
        and all(c in "0123456789abcdefABCDEF" for c in value[1:])
    )


@lru_cache(maxsize=4096)
def _views(colour: str) -> tuple[Lab, ...]:
    return views(hex_to_rgb(colour))


def _distance(first: tuple[Lab, ...], second: tuple[Lab, ...]) -> float:
    return min(ciede2000(a, b) for a, b in zip(first, second, strict=True))


@lru_cache(maxsize=1)
def _candidates() -> tuple[str, ...]:
    """The palette, then its colours mixed with a quarter or half of black or white, within
    _LIGHTNESS: more choice once the palette's own colours are all in use."""
    found = list(PALETTE)
    low, high = _LIGHTNESS
    for colour in PALETTE:
        rgb = hex_to_rgb(colour)
        for target in ((0, 0, 0), (255, 255, 255)):
            for share in (0.25, 0.5):
                variant = rgb_to_hex(mix(rgb, target, share))
                if low <= rgb_to_lab(hex_to_rgb(variant))[0] <= high and variant not in found:
                    found.append(variant)
    return tuple(found)
