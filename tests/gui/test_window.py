"""The main window: opening a repository, filtering, details, and the passphrase paths."""

from __future__ import annotations

import keyring
import keyring.backends.fail
import pytest
from PySide6.QtWidgets import QApplication, QDialog
from pytestqt.qtbot import QtBot

from app.core import secrets
from app.core.repository import Repository
from app.gui import main as gui_main
from app.gui.backup_model import FINISHED, manifest_at
from app.gui.passphrase import PassphraseDialog
from app.gui.window import MainWindow
from tests.gui.conftest import Boxes
from tests.helpers.fixtures import MemoryKeyring


def open_window(qtbot: QtBot, *argv: str) -> MainWindow:
    window = gui_main.create_window(list(argv))
    qtbot.addWidget(window)
    return window


def type_passphrase(monkeypatch: pytest.MonkeyPatch, text: str | None, remember: bool = False) -> list[str]:
    """Make the passphrase dialog answer `text` (None: the user cancels); returns its notes."""
    notes: list[str] = []

    def fake_exec(dialog: PassphraseDialog) -> int:
        notes.append(dialog.note.text())
        if text is None:
            return QDialog.DialogCode.Rejected
        dialog.edit.setText(text)
        dialog.remember.setChecked(remember)
        return QDialog.DialogCode.Accepted

    monkeypatch.setattr(PassphraseDialog, "exec", fake_exec)
    return notes


def test_opens_repository_from_command_line(qtbot: QtBot, monkeypatch: pytest.MonkeyPatch,
                                            repo: Repository, backup_ids: list[str], boxes: Boxes) -> None:
    monkeypatch.setenv("CUSTODE_PASSWORD", "correct horse")
    window = open_window(qtbot, "--repo", repo.storage.location)
    assert window.windowTitle() == "Custode"
    assert window.stack.currentIndex() == 1
    assert window.proxy.rowCount() == 3
    assert repo.storage.location in window.heading.text()
    assert "3 backups" in window.heading.text()
    newest_first = [manifest_at(window.proxy, r)["id"] for r in range(3)]  # type: ignore[index]
    assert newest_first == backup_ids
    assert window.proxy.data(window.proxy.index(0, FINISHED)) == "2024-05-03 02:00:41"
    assert not window.verify_action.isEnabled()  # nothing selected yet
    assert boxes.shown == []


def test_opens_repository_from_environment(qtbot: QtBot, monkeypatch: pytest.MonkeyPatch,
                                           repo: Repository, backup_ids: list[str]) -> None:
    monkeypatch.setenv("CUSTODE_PASSWORD", "correct horse")
    monkeypatch.setenv("CUSTODE_REPO", repo.storage.location)
    window = open_window(qtbot)
    assert window.proxy.rowCount() == 3


def test_main_runs_the_event_loop(monkeypatch: pytest.MonkeyPatch, qapp: QApplication,
                                  repo: Repository, backup_ids: list[str]) -> None:
    monkeypatch.setenv("CUSTODE_PASSWORD", "correct horse")
    monkeypatch.setattr(QApplication, "exec", lambda *_: 0)
    assert gui_main.main(["--repo", repo.storage.location]) == 0
    windows = [w for w in qapp.topLevelWidgets() if isinstance(w, MainWindow) and w.repo is not None]
    assert windows and windows[-1].proxy.rowCount() == 3
    for window in windows:
        window.close()


def test_empty_state_without_repository(qtbot: QtBot) -> None:
    window = open_window(qtbot)
    assert window.stack.currentIndex() == 0
    assert "Set up…" in window.empty.text.text()
    assert window.empty.button.text() == "Open repository…"
    assert window.empty.setup_button.text() == "Set up…"
    assert window.wizard is not None   # a fresh profile starts with the welcome wizard
    assert window.file_menu.title() == "&File" and window.open_action in window.file_menu.actions()
    assert not window.verify_action.isEnabled()


def test_missing_repository_is_one_line(qtbot: QtBot, tmp_path: object, boxes: Boxes) -> None:
    window = open_window(qtbot)
    assert not window.open_location(str(tmp_path) + "/nothing-here")
    assert boxes.kinds() == ["warning"]
    assert "No repository at" in boxes.text() and "Traceback" not in boxes.text()
    assert window.stack.currentIndex() == 0


def test_wrong_passphrase_says_so_and_nothing_else(qtbot: QtBot, monkeypatch: pytest.MonkeyPatch,
                                                   repo: Repository, boxes: Boxes) -> None:
    type_passphrase(monkeypatch, "wrong horse")
    window = open_window(qtbot, "--repo", repo.storage.location)
    assert boxes.shown == [("warning", "Wrong passphrase",
                            "Wrong passphrase for this repository. Nothing was opened.")]
    assert window.repo is None and window.stack.currentIndex() == 0


def test_cancelled_dialog_opens_nothing(qtbot: QtBot, monkeypatch: pytest.MonkeyPatch,
                                        repo: Repository, boxes: Boxes) -> None:
    type_passphrase(monkeypatch, None)
    window = open_window(qtbot, "--repo", repo.storage.location)
    assert boxes.shown == [] and window.repo is None


def test_wrong_environment_passphrase_asks(qtbot: QtBot, monkeypatch: pytest.MonkeyPatch,
                                           repo: Repository, backup_ids: list[str]) -> None:
    monkeypatch.setenv("CUSTODE_PASSWORD", "stale")
    notes = type_passphrase(monkeypatch, "correct horse")
    window = open_window(qtbot, "--repo", repo.storage.location)
    assert notes == ["The passphrase from CUSTODE_PASSWORD does not open this repository."]
    assert window.proxy.rowCount() == 3


def test_keyring_passphrase_is_used(qtbot: QtBot, monkeypatch: pytest.MonkeyPatch, repo: Repository,
                                    memory_keyring: MemoryKeyring, backup_ids: list[str]) -> None:
    memory_keyring.set_password(secrets.REPOSITORY_SERVICE, repo.config["id"], "correct horse")
    notes = type_passphrase(monkeypatch, "never asked")
    window = open_window(qtbot, "--repo", repo.storage.location)
    assert notes == [] and window.proxy.rowCount() == 3


def test_remember_in_keyring(qtbot: QtBot, monkeypatch: pytest.MonkeyPatch, repo: Repository,
                             memory_keyring: MemoryKeyring) -> None:
    type_passphrase(monkeypatch, "correct horse", remember=True)
    window = open_window(qtbot, "--repo", repo.storage.location)
    assert window.repo is not None
    assert memory_keyring.store == {(secrets.REPOSITORY_SERVICE, repo.config["id"]): "correct horse"}


def test_not_remembered_unless_asked(qtbot: QtBot, monkeypatch: pytest.MonkeyPatch, repo: Repository,
                                     memory_keyring: MemoryKeyring) -> None:
    type_passphrase(monkeypatch, "correct horse", remember=False)
    assert open_window(qtbot, "--repo", repo.storage.location).repo is not None
    assert memory_keyring.store == {}


def test_remember_disabled_without_keyring(qtbot: QtBot) -> None:
    keyring.set_keyring(keyring.backends.fail.Keyring())  # the autouse fixture restores it
    dialog = PassphraseDialog("/somewhere")
    qtbot.addWidget(dialog)
    assert not dialog.remember.isEnabled()
    assert "No usable keyring" in dialog.remember.toolTip()
    assert dialog.edit.echoMode() == dialog.edit.EchoMode.Password


def test_filter_narrows_rows(qtbot: QtBot, monkeypatch: pytest.MonkeyPatch, repo: Repository,
                             backup_ids: list[str]) -> None:
    monkeypatch.setenv("CUSTODE_PASSWORD", "correct horse")
    window = open_window(qtbot, "--repo", repo.storage.location)
    window.filter_edit.setText("WAREHOUSE")
    assert window.proxy.rowCount() == 1
    assert manifest_at(window.proxy, 0)["id"] == backup_ids[1]  # type: ignore[index]
    window.filter_edit.setText("shop")
    assert window.proxy.rowCount() == 2
    window.filter_edit.setText("no such thing")
    assert window.proxy.rowCount() == 0
    window.filter_edit.clear()
    assert window.proxy.rowCount() == 3


def test_details_after_selecting_a_row(qtbot: QtBot, monkeypatch: pytest.MonkeyPatch, repo: Repository,
                                       backup_ids: list[str]) -> None:
    monkeypatch.setenv("CUSTODE_PASSWORD", "correct horse")
    window = open_window(qtbot, "--repo", repo.storage.location)
    window.table.selectRow(0)
    fields = {name: label.text() for name, label in window.details.fields.items()}
    assert fields["Backup"] == backup_ids[0]
    assert fields["Binlog"] == "mariadb-bin.000042:1234567, GTID 0-1-9876"
    assert fields["Version"] == "11.4.2-MariaDB"
    assert fields["Consistency"].startswith("global read lock")
    tree = window.details.tree
    databases = [item for i in range(tree.topLevelItemCount()) if (item := tree.topLevelItem(i))]
    assert [d.text(0) for d in databases] == ["sakila", "shop"]
    sakila = databases[0]
    assert sakila.childCount() == 5
    rental = next(child for i in range(5) if (child := sakila.child(i)) and child.text(0) == "rental")
    assert rental.text(1) == "16,044" and rental.text(2).endswith(" KiB")
    assert window.verify_action.isEnabled()

    window.filter_edit.setText("warehouse")
    window.table.selectRow(0)
    assert window.details.fields["Backup"].text() == backup_ids[1]
    assert window.details.fields["Binlog"].text() == "not enabled on the server"
    assert window.details.fields["Consistency"].text() == "one consistent transaction on one connection"

    window.filter_edit.setText("no such thing")  # the selection is filtered away
    assert window.details.form.isHidden() and window.details.tree.topLevelItemCount() == 0
    assert not window.verify_action.isEnabled()


def test_custode_gui_command_opens_the_window(monkeypatch: pytest.MonkeyPatch, qapp: QApplication) -> None:
    from app import cli

    monkeypatch.setattr(QApplication, "exec", lambda *_: 0)
    assert cli.main(["gui"]) == 0
    windows = [w for w in qapp.topLevelWidgets() if isinstance(w, MainWindow) and w.isVisible()]
    assert windows and windows[-1].stack.currentIndex() == 0
    for window in windows:
        window.close()
