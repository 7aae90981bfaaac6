"""Settings from the main window: every page is there, a save reaches the window, and the language
switch builds the window again in the other language without losing what was open."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from app.core.catalog import Catalog
from app.core.profile import Profile, RepositoryEntry, ServerEntry
from app.core.repository import Repository
from app.gui.i18n import current_language, install_language
from app.gui.window import MainWindow


@pytest.fixture
def english(qapp: QApplication) -> Iterator[None]:
    yield
    install_language(qapp, "en")


@pytest.fixture
def window(qtbot: QtBot, repo: Repository, backup_ids: list[str], english: None) -> MainWindow:
    profile = Profile.load()
    profile.put_server(ServerEntry(name="shop", host="db.example.com", has_password=False))
    profile.put_repository(RepositoryEntry("local", repo.storage.location))
    profile.save()
    window = MainWindow(profile, Catalog(profile.path.parent / "catalog.sqlite"))
    qtbot.addWidget(window)
    window.show()
    window.show_repository(repo, repo.storage.location, repo.list_backups())
    return window


def test_settings_has_every_page_and_a_saved_server_reaches_the_window(
        qtbot: QtBot, window: MainWindow) -> None:
    assert window.settings_action in window.file_menu.actions()
    dialog = window.open_settings("Servers")
    pages = [dialog.page_list.item(i).text() for i in range(dialog.page_list.count())]
    assert pages == ["General", "Servers", "Repositories", "Plans", "Notifications", "Keys"]
    assert dialog.isVisible() and dialog.heading.text() == "Servers"
    dialog.servers.add_button.click()
    dialog.servers.form.set_values({"name": "crm", "host": "crm.example.com"})
    dialog.save_button.click()
    qtbot.waitUntil(lambda: window.settings_dialog is None)
    assert [window.server_box.itemText(i) for i in range(window.server_box.count())] == ["shop", "crm"]
    assert Profile.load().server("crm") is not None


def test_notifications_are_saved_with_the_rest_or_not_at_all(qtbot: QtBot, window: MainWindow) -> None:
    dialog = window.open_settings("Notifications")
    notify_page = dialog.stack.currentWidget()
    notify_page.desktop.setChecked(False)
    dialog.reject()
    assert "notifications" not in Profile.load().settings
    dialog = window.open_settings("Notifications")
    dialog.stack.currentWidget().desktop.setChecked(False)
    dialog.save_button.click()
    assert Profile.load().settings["notifications"]["desktop"] == {"enabled": False}
    assert window.profile.settings["notifications"]["desktop"] == {"enabled": False}


def test_switching_to_italian_builds_the_window_again_with_the_repository_open(
        qtbot: QtBot, window: MainWindow, repo: Repository) -> None:
    window.tabs.setCurrentIndex(2)
    dialog = window.open_settings()
    dialog.general.form.set_values({"language": "it"})
    with qtbot.waitSignal(window.replaced, timeout=5000) as replaced:
        dialog.save_button.click()
    italian: MainWindow = replaced.args[0]
    qtbot.addWidget(italian)
    assert current_language() == "it" and Profile.load().settings["language"] == "it"
    assert italian.isVisible() and italian.tabs.currentIndex() == 2
    assert italian.repo is repo and italian.model.rowCount() == 3
    # Texts taken when widgets are built are Italian now (the jobs panel's idle line):
    assert window.jobs.idle.title_label.text() == "No job running"
    assert italian.jobs.idle.title_label.text() == "Nessun job in corso"
    qtbot.waitUntil(lambda: not window.isVisible())

    dialog = italian.open_settings()
    dialog.general.form.set_values({"language": "en"})
    with qtbot.waitSignal(italian.replaced, timeout=5000) as replaced:
        dialog.save_button.click()
    english_window: MainWindow = replaced.args[0]
    qtbot.addWidget(english_window)
    assert current_language() == "en" and english_window.repo is repo


def test_the_language_waits_while_a_job_runs(qtbot: QtBot, window: MainWindow,
                                             monkeypatch: pytest.MonkeyPatch) -> None:
    with monkeypatch.context() as patch:
        patch.setattr(window.jobs, "running", lambda: ["a backup"])
        assert window.switch_language("it") is None
    assert window.isVisible() and current_language() == "it"
    assert window.statusBar().currentMessage().startswith("La nuova lingua")
