"""Colours as people with the common colour-vision deficiencies see them (Machado, Oliveira
and Fernandes 2009, severity 1.0, applied in linear RGB): about one man in twelve has a red or
green deficiency, so two codes must stay apart for them too."""

from enum import StrEnum

from annotator.core.palette.lab import RGB, Lab, linear_to_lab, to_linear

Matrix = tuple[tuple[float, float, float], ...]


class Vision(StrEnum):
    NORMAL = "normal"
    DEUTERANOPIA = "deuteranopia"
    PROTANOPIA = "protanopia"


_MATRICES: dict[Vision, Matrix] = {
    Vision.PROTANOPIA: (
        (0.152286, 1.052583, -0.204868),
        (0.114503, 0.786281, 0.099216),
        (-0.003882, -0.048116, 1.051998),
    ),
    Vision.DEUTERANOPIA: (
        (0.367322, 0.860646, -0.227968),
        (0.280085, 0.672501, 0.047413),
        (-0.011820, 0.042940, 0.968881),
    ),
}


def simulated_lab(rgb: RGB, vision: Vision) -> Lab:
    """The CIELAB of ``rgb`` as seen with ``vision``."""
    linear = [to_linear(c / 255) for c in rgb]
    matrix = _MATRICES.get(vision)
    if matrix is not None:
        linear = [max(0.0, min(1.0, sum(m * c for m, c in zip(row, linear, strict=True))))
                  for row in matrix]  # fmt: skip
    r, g, b = linear
    return linear_to_lab(r, g, b)


def views(rgb: RGB) -> tuple[Lab, ...]:
    """The colour's CIELAB under every Vision, in its order."""
    return tuple(simulated_lab(rgb, vision) for vision in Vision)
