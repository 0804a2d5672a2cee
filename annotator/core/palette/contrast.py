"""WCAG 2 contrast, and the nearest colour of the same hue that reaches a minimum: the
article view draws a code's colour adjusted this way (the stored colour stays), so a light
grey underline shows on white and a dark blue one on a dark theme."""

from collections.abc import Callable

from annotator.core.palette.lab import RGB, to_linear

#: WCAG 2.1 AA: text against what is behind it.
TEXT_CONTRAST = 4.5
#: WCAG 2.1 non-text contrast: lines and marks (an underline) against their background.
LINE_CONTRAST = 3.0


#: Linear light of each 8-bit sRGB value: the highlighter asks for many luminances when a
#: densely coded article shows colour blends it has not drawn before.
_LINEAR = tuple(to_linear(c / 255) for c in range(256))


def luminance(rgb: RGB) -> float:
    """WCAG relative luminance, 0 (black) to 1 (white)."""
    linear = _LINEAR
    r, g, b = rgb
    return 0.2126 * linear[r] + 0.7152 * linear[g] + 0.0722 * linear[b]


def contrast(first: RGB, second: RGB) -> float:
    """WCAG contrast ratio, 1 (same luminance) to 21 (black on white)."""
    high, low = sorted((luminance(first), luminance(second)), reverse=True)
    return (high + 0.05) / (low + 0.05)


def blend(colour: RGB, alpha: float, background: RGB) -> RGB:
    """What ``colour`` at opacity ``alpha`` (0..1) shows over an opaque ``background``."""
    r, g, b = (round(c * alpha + k * (1 - alpha)) for c, k in zip(colour, background, strict=True))
    return r, g, b


def with_contrast(colour: RGB, background: RGB, minimum: float) -> RGB:
    """``colour`` itself if it has ``minimum`` contrast with ``background``; otherwise the
    nearest colour towards black (on a light background) or white (on a dark one), hue kept
    as far as the mix allows, that has it (at worst pure black or white)."""
    return against_luminance(colour, luminance(background), minimum)


def against_luminance(colour: RGB, behind: float, minimum: float) -> RGB:
    """with_contrast, against a background known by its luminance alone (all contrast needs)."""
    own = luminance(colour)
    if (max(own, behind) + 0.05) / (min(own, behind) + 0.05) >= minimum:
        return colour
    if behind < 0.179:  # a dark background (black and white tie at 0.179): lighten
        enough = min(1.0, minimum * (behind + 0.05) - 0.05)
        return _mixed_until(colour, 255, lambda found: found >= enough)
    enough = max(0.0, (behind + 0.05) / minimum - 0.05)
    return _mixed_until(colour, 0, lambda found: found <= enough)


def _mixed_until(colour: RGB, target: int, reaches: Callable[[float], bool]) -> RGB:
    """The least share of grey ``target`` (0 or 255) mixed into ``colour`` whose luminance
    ``reaches``: a bisection, inlined, since a dense article asks for thousands."""
    r, g, b = colour
    linear = _LINEAR
    low, high = 0.0, 1.0
    for _ in range(10):  # 1/1024: finer than a channel's unit
        share = (low + high) / 2
        found = (
            0.2126 * linear[round(r + (target - r) * share)]
            + 0.7152 * linear[round(g + (target - g) * share)]
            + 0.0722 * linear[round(b + (target - b) * share)]
        )
        if reaches(found):
            high = share
        else:
            low = share
    result = mix(colour, (target, target, target), high)
    while not reaches(luminance(result)) and high < 1:  # rounding to whole units
        high = min(1.0, high + 1 / 512)
        result = mix(colour, (target, target, target), high)
    return result


def mix(colour: RGB, target: RGB, share: float) -> RGB:
    """``share`` of ``target`` mixed into ``colour``, channel by channel: towards black or
    white this keeps the hue exactly (the channels' ratios or their spread)."""
    r, g, b = (round(c + (t - c) * share) for c, t in zip(colour, target, strict=True))
    return r, g, b
