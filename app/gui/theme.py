"""Light and dark themes: follow the system, or the user's choice in the settings.

Fusion draws the same on every platform; the palette decides light or dark.  Colours that carry a
meaning (the SPEC's green, amber, red and info blue) read well on both.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QGuiApplication, QIcon, QPalette
from PySide6.QtWidgets import QApplication

THEMES = ("system", "light", "dark")
ICON = Path(__file__).resolve().parents[2] / "resources" / "icons" / "custode.svg"


def app_icon() -> QIcon:
    return QIcon(str(ICON))


def dark_palette() -> QPalette:
    palette = QPalette()
    roles = {
        QPalette.ColorRole.Window: "#2b2d30", QPalette.ColorRole.WindowText: "#e6e6e6",
        QPalette.ColorRole.Base: "#1e1f22", QPalette.ColorRole.AlternateBase: "#26282b",
        QPalette.ColorRole.ToolTipBase: "#3c3f41", QPalette.ColorRole.ToolTipText: "#e6e6e6",
        QPalette.ColorRole.PlaceholderText: "#8c8c8c", QPalette.ColorRole.Text: "#e6e6e6",
        QPalette.ColorRole.Button: "#3a3d41", QPalette.ColorRole.ButtonText: "#e6e6e6",
        QPalette.ColorRole.BrightText: "#ff6b6b", QPalette.ColorRole.Link: "#58a6ff",
        QPalette.ColorRole.Highlight: "#2f6fab", QPalette.ColorRole.HighlightedText: "#ffffff",
        QPalette.ColorRole.Light: "#4a4d51", QPalette.ColorRole.Midlight: "#3f4245",
        QPalette.ColorRole.Mid: "#2f3134", QPalette.ColorRole.Dark: "#1b1c1e",
        QPalette.ColorRole.Shadow: "#000000",
    }
    for role, colour in roles.items():
        palette.setColor(role, QColor(colour))
    for role in (QPalette.ColorRole.WindowText, QPalette.ColorRole.Text, QPalette.ColorRole.ButtonText):
        palette.setColor(QPalette.ColorGroup.Disabled, role, QColor("#7a7a7a"))
    return palette


def system_is_dark() -> bool:
    return QGuiApplication.styleHints().colorScheme() == Qt.ColorScheme.Dark


def apply_theme(app: QApplication, choice: str = "system") -> str:
    """Apply "system", "light" or "dark"; returns the one in effect ("light" or "dark")."""
    app.setStyle("Fusion")
    dark = system_is_dark() if choice not in ("light", "dark") else choice == "dark"
    style = app.style()
    app.setPalette(dark_palette() if dark else style.standardPalette())
    app.setProperty("custode_theme", choice)
    return "dark" if dark else "light"


def follow_system(app: QApplication) -> None:
    """Re-apply the theme when the system switches between light and dark (choice "system")."""
    def changed(*_args: object) -> None:
        if app.property("custode_theme") in (None, "system"):
            apply_theme(app, "system")

    QGuiApplication.styleHints().colorSchemeChanged.connect(changed)
