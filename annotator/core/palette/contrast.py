"""WCAG 2 contrast, and the nearest colour of the same hue that reaches a minimum: the
article view draws a code's colour adjusted this way (the stored colour stays), so a light
grey underline shows on white and a dark blue one on a dark theme."""

from annotator.core.palette.lab import RGB, to_linear

#: WCAG 2.1 AA: text against what is behind it.
TEXT_CONTRAST = 4.5
#: WCAG 2.1 non-text contrast: lines and marks (an underline) against their background.
LINE_CONTRAST = 3.0


def luminance(rgb: RGB) -> float:
    """WCAG relative luminance, 0 (black) to 1 (white)."""
    r, g, b = (to_linear(c / 255) for c in rgb)
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


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
    if contrast(colour, background) >= minimum:
        return colour
    dark_background = luminance(background) < 0.179  # where black and white tie
    target = (255, 255, 255) if dark_background else (0, 0, 0)
    low, high = 0.0, 1.0  # share of the target mixed in
    for _ in range(16):
        middle = (low + high) / 2
        if contrast(mix(colour, target, middle), background) >= minimum:
            high = middle
        else:
            low = middle
    found = mix(colour, target, high)
    while contrast(found, background) < minimum and high < 1:  # rounding to whole units
        high = min(1.0, high + 1 / 512)
        found = mix(colour, target, high)
    return found


def mix(colour: RGB, target: RGB, share: float) -> RGB:
    """``share`` of ``target`` mixed into ``colour``, channel by channel: towards black or
    white this keeps the hue exactly (the channels' ratios or their spread)."""
    r, g, b = (round(c + (t - c) * share) for c, t in zip(colour, target, strict=True))
    return r, g, b
