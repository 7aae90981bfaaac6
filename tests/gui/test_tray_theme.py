"""Tray icon (status, Back up now, notifications on failure) and the light and dark themes."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtGui import QPalette
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from app.core.catalog import Catalog
from app.core.profile import Profile, ServerEntry
from app.gui.jobs import Work
from app.gui.theme import apply_theme
from app.gui.tray import Tray, badge_icon
from app.gui.window import MainWindow


def test_tray_menu_lists_servers_and_asks_for_a_backup(qtbot: QtBot) -> None:
    names = ["shop-db", "crm-db"]
    tray = Tray(lambda: names)
    tray.fill_backup_menu()
    actions = tray.backup_menu.actions()
    assert [a.text() for a in actions] == names
    with qtbot.waitSignal(tray.backup_requested) as asked:
        actions[1].trigger()
    assert asked.args == ["crm-db"]
    names.clear()
    tray.fill_backup_menu()
    [empty] = tray.backup_menu.actions()
    assert not empty.isEnabled() and "No server" in empty.text()


def test_tray_status_colours_the_icon_and_the_tooltip(qtbot: QtBot) -> None:
    tray = Tray(lambda: [])
    tray.set_status("red", "shop-db: no good backup for 3 days")
    assert tray.icon.toolTip() == "Custode — shop-db: no good backup for 3 days"
    assert tray.status_action.text() == "shop-db: no good backup for 3 days"
    red = badge_icon("red").pixmap(64, 64).toImage().pixelColor(50, 50)
    green = badge_icon("green").pixmap(64, 64).toImage().pixelColor(50, 50)
    assert red.red() > 200 and red.green() < 100
    assert green.green() > 150 and green.red() < 100


def test_a_failed_job_raises_a_desktop_notification_unless_turned_off(qtbot: QtBot, tmp_path: Path) -> None:
    profile = Profile(tmp_path / "profile.json", servers=[ServerEntry("x")])
    window = MainWindow(profile, Catalog(tmp_path / "catalog.sqlite"))
    qtbot.addWidget(window)

    def broken(_progress: object, _cancel: object) -> None:
        from app.core.errors import OperationFailed
        raise OperationFailed("cannot connect to mysql://root@x:3306: host not found")

    work: Work = broken   # type: ignore[assignment]
    with qtbot.waitSignal(window.jobs.job_ended, timeout=10000):
        window.jobs.start("Backup of x", work)
    assert window.tray.messages == [("red", "Backup of x failed",
                                     "Cannot connect to mysql://root@x:3306: host not found")]
    profile.settings["notifications"] = {"desktop": {"enabled": False}}
    with qtbot.waitSignal(window.jobs.job_ended, timeout=10000):
        window.jobs.start("Backup of x", work)
    assert len(window.tray.messages) == 1


def test_light_and_dark_themes(qtbot: QtBot) -> None:
    app = QApplication.instance()
    assert isinstance(app, QApplication)
    try:
        assert apply_theme(app, "dark") == "dark"
        window_colour = app.palette().color(QPalette.ColorRole.Window)
        text_colour = app.palette().color(QPalette.ColorRole.WindowText)
        assert window_colour.lightness() < 80 and text_colour.lightness() > 180
        assert apply_theme(app, "light") == "light"
        assert app.palette().color(QPalette.ColorRole.Window).lightness() > 180
        assert app.palette().color(QPalette.ColorRole.WindowText).lightness() < 80
    finally:
        apply_theme(app, "light")
