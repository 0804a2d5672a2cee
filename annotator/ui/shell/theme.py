"""Following the desktop's light or dark colour scheme (Qt 6.5+ ``QStyleHints.colorScheme``).

Where the platform theme gives Qt a dark palette itself, nothing is needed; where it only
reports the scheme (X11 without a desktop portal theme, some Fusion setups), the window would
stay light, so a dark palette is set here. The article view then draws its annotation colours
for the palette it has (ui/annotate/highlighter.py)."""

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QGuiApplication, QPalette

Role = QPalette.ColorRole

_DARK = {
    Role.Window: "#2b2b2b", Role.WindowText: "#e6e6e6", Role.Base: "#1f1f1f",
    Role.AlternateBase: "#2a2a2a", Role.ToolTipBase: "#3a3a3a", Role.ToolTipText: "#f0f0f0",
    Role.PlaceholderText: "#a8a8a8", Role.Text: "#e6e6e6", Role.Button: "#353535",
    Role.ButtonText: "#e6e6e6", Role.BrightText: "#ff6b6b", Role.Light: "#4a4a4a",
    Role.Midlight: "#3d3d3d", Role.Mid: "#2f2f2f", Role.Dark: "#1a1a1a", Role.Shadow: "#000000",
    Role.Highlight: "#3d7ad6", Role.HighlightedText: "#ffffff", Role.Link: "#7fb2ff",
    Role.LinkVisited: "#c89bff",
}  # fmt: skip


def dark_palette() -> QPalette:
    """A dark palette whose text reads at 4.5:1 or better on every background role."""
    palette = QPalette()
    for role, colour in _DARK.items():
        palette.setColor(role, QColor(colour))
    for role in (Role.Text, Role.WindowText, Role.ButtonText):
        palette.setColor(QPalette.ColorGroup.Disabled, role, QColor("#8c8c8c"))
    return palette


def is_dark(palette: QPalette) -> bool:
    return palette.color(Role.Window).lightness() < palette.color(Role.WindowText).lightness()


def follow_colour_scheme(app: QGuiApplication) -> None:
    """Match the desktop's scheme now and whenever it changes."""
    hints = app.styleHints()
    apply_colour_scheme(app, hints.colorScheme())
    hints.colorSchemeChanged.connect(lambda scheme: apply_colour_scheme(app, scheme))


def apply_colour_scheme(app: QGuiApplication, scheme: Qt.ColorScheme) -> None:
    """Dark palette for a dark scheme unless the platform gave one; back to the style's own
    palette for a light scheme if the dark one was ours."""
    current = app.palette()
    if scheme == Qt.ColorScheme.Dark and not is_dark(current):
        app.setProperty("annotator_dark_palette", True)
        app.setPalette(dark_palette())
    elif scheme == Qt.ColorScheme.Light and app.property("annotator_dark_palette"):
        app.setProperty("annotator_dark_palette", False)
        app.setPalette(QPalette())
