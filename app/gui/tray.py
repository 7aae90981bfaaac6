"""The tray icon: how things stand at a glance, "Back up now" per server, desktop notifications.

The icon carries a dot in the SPEC's colours (green: every server has a fresh backup; amber:
one is getting old; red: one is overdue or a job failed).  Where the desktop has no tray (some
Wayland sessions, the offscreen platform of the tests), the object still keeps its state and
messages, and nothing is shown.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QObject, QRectF, Signal
from PySide6.QtGui import QAction, QColor, QIcon, QPainter
from PySide6.QtWidgets import QMenu, QSystemTrayIcon, QWidget

from app.gui.i18n import tr
from app.gui.theme import app_icon

COLOURS = {"green": "#28a745", "amber": "#ffc107", "red": "#dc3545", "info": "#17a2b8"}


def badge_icon(level: str) -> QIcon:
    """The application icon with a status dot in its lower right corner."""
    pixmap = app_icon().pixmap(64, 64)
    if level in COLOURS:
        painter = QPainter(pixmap)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.setPen(QColor("#ffffff"))
        painter.setBrush(QColor(COLOURS[level]))
        painter.drawEllipse(QRectF(38, 38, 24, 24))
        painter.end()
    return QIcon(pixmap)


class Tray(QObject):
    """Owns the QSystemTrayIcon; `backup_requested(server)`, `show_requested`, `quit_requested`."""

    backup_requested = Signal(str)
    show_requested = Signal()
    quit_requested = Signal()

    def __init__(self, servers: Callable[[], list[str]], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.servers = servers
        self.level = ""
        self.status = ""
        self.messages: list[tuple[str, str, str]] = []   # (level, title, text), newest last
        self.icon = QSystemTrayIcon(app_icon(), self)
        self.menu = QMenu(parent)
        self.show_action = QAction(tr("Show Custode"), self.menu)
        self.show_action.triggered.connect(self.show_requested)
        self.status_action = QAction("", self.menu)
        self.status_action.setEnabled(False)
        self.backup_menu = QMenu(tr("Back up now"), self.menu)
        self.backup_menu.aboutToShow.connect(self.fill_backup_menu)
        self.quit_action = QAction(tr("Quit"), self.menu)
        self.quit_action.triggered.connect(self.quit_requested)
        self.menu.addAction(self.show_action)
        self.menu.addAction(self.status_action)
        self.menu.addSeparator()
        self.menu.addMenu(self.backup_menu)
        self.menu.addSeparator()
        self.menu.addAction(self.quit_action)
        self.icon.setContextMenu(self.menu)
        self.icon.activated.connect(self._activated)
        self.fill_backup_menu()
        self.set_status("info", tr("Starting…"))
        if QSystemTrayIcon.isSystemTrayAvailable():
            self.icon.show()

    @property
    def available(self) -> bool:
        return self.icon.isVisible()

    def fill_backup_menu(self) -> None:
        self.backup_menu.clear()
        names = self.servers()
        for name in names:
            action = self.backup_menu.addAction(name)
            action.triggered.connect(lambda _checked=False, n=name: self.backup_requested.emit(n))
        if not names:
            empty = self.backup_menu.addAction(tr("No server set up yet"))
            empty.setEnabled(False)

    def set_status(self, level: str, text: str) -> None:
        """Show `text` in the tooltip and the menu; `level` colours the icon's dot."""
        if level != self.level:
            self.icon.setIcon(badge_icon(level))
        self.level, self.status = level, text
        self.icon.setToolTip(f"Custode — {text}")
        self.status_action.setText(text)

    def notify(self, level: str, title: str, text: str) -> None:
        """A desktop notification (kept in `messages` also where none can be shown)."""
        self.messages.append((level, title, text))
        if self.available and QSystemTrayIcon.supportsMessages():
            icon = {"red": QSystemTrayIcon.MessageIcon.Critical,
                    "amber": QSystemTrayIcon.MessageIcon.Warning}.get(level,
                                                                      QSystemTrayIcon.MessageIcon.Information)
            self.icon.showMessage(title, text, icon, 15000)

    def _activated(self, reason: QSystemTrayIcon.ActivationReason) -> None:
        if reason in (QSystemTrayIcon.ActivationReason.Trigger,
                      QSystemTrayIcon.ActivationReason.DoubleClick):
            self.show_requested.emit()

    def hide(self) -> None:
        self.icon.hide()

