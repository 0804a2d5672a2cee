"""The colours the article view draws for a code's colour on a given page: the stored colour
where it reads, adjusted where it would not (WCAG, contrast.py), never changed in the store.

A tint must leave the page's text readable (4.5:1), an underline must show against the page
(3:1), a speaker's bold text must read on the page and on any tint under it (4.5:1). All of it
is cached: the highlighter asks once per colour and page, never per paint."""

import math
from functools import lru_cache
from typing import NamedTuple

from annotator.core.palette.contrast import (
    LINE_CONTRAST,
    TEXT_CONTRAST,
    against_luminance,
    blend,
    contrast,
    luminance,
    with_contrast,
)
from annotator.core.palette.lab import RGB


class Theme(NamedTuple):
    """The page the annotations are drawn on: its background and its text colour."""

    background: RGB
    text: RGB

    @property
    def dark(self) -> bool:
        return luminance(self.background) < luminance(self.text)


LIGHT = Theme((255, 255, 255), (0, 0, 0))


@lru_cache(maxsize=4096)
def tint_alpha(colour: RGB, theme: Theme, alpha: int) -> int:
    """The opacity (0..255) of an issue's tint: ``alpha``, or less, as much as keeps the page's
    text at TEXT_CONTRAST over it."""
    while alpha > 0 and contrast(theme.text, tint_shown(colour, theme, alpha)) < TEXT_CONTRAST:
        alpha -= 5
    return max(alpha, 0)


def tint_shown(colour: RGB, theme: Theme, alpha: int) -> RGB:
    """The opaque colour a tint of opacity ``alpha`` shows on the page."""
    return blend(colour, alpha / 255, theme.background)


@lru_cache(maxsize=4096)
def underline(colour: RGB, theme: Theme) -> RGB:
    """A claim's underline: the colour, or the nearest that shows at LINE_CONTRAST."""
    return with_contrast(colour, theme.background, LINE_CONTRAST)


def speaker_text(colour: RGB, theme: Theme, under: RGB | None = None) -> RGB:
    """A speaker mention's text: the colour adjusted to read at TEXT_CONTRAST on the page and
    on ``under``, the opaque tint below it if any (both lie on the same side, light or dark,
    since a tint keeps the page's text readable)."""
    return speaker_text_at(colour, theme, None if under is None else _level(under, theme))


@lru_cache(maxsize=4096)
def tint_level(colour: RGB, theme: Theme, alpha: int) -> int:
    """The lightness of an issue's tint as drawn (tint_alpha applied), for speaker_text_at."""
    return _level(tint_shown(colour, theme, tint_alpha(colour, theme, alpha)), theme)


@lru_cache(maxsize=65536)
def speaker_text_at(colour: RGB, theme: Theme, level: int | None) -> RGB:
    """speaker_text over a tint known by its level. Blends make tens of thousands of
    (speaker, tint) pairs in a dense article; a tint is taken by its luminance rounded to
    1/LEVELS on the safe side, so one adjustment serves every tint about as light."""
    text = _on_page(colour, theme)
    return text if level is None else _against_level(text, level)


def _level(under: RGB, theme: Theme) -> int:
    level = luminance(under) * LEVELS
    return math.ceil(level) if theme.dark else math.floor(level)


#: Steps of tint luminance that speaker_text tells apart.
LEVELS = 256


@lru_cache(maxsize=4096)
def _on_page(colour: RGB, theme: Theme) -> RGB:
    return with_contrast(colour, theme.background, TEXT_CONTRAST)


@lru_cache(maxsize=65536)
def _against_level(text: RGB, level: int) -> RGB:
    return against_luminance(text, level / LEVELS, TEXT_CONTRAST)
