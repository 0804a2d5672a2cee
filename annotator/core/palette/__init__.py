"""Code colours: a palette far apart for colour-blind readers too (colours.py), the colour
science it rests on (lab.py, vision.py), and WCAG contrast for drawing them (contrast.py)."""

from annotator.core.palette.colours import (
    MIN_DISTANCE,
    PALETTE,
    assign_colours,
    distance,
    is_colour,
    next_colour,
    spread,
)

__all__ = [
    "MIN_DISTANCE",
    "PALETTE",
    "assign_colours",
    "distance",
    "is_colour",
    "next_colour",
    "spread",
]
