"""The Keys page: a passphrase change in a worker thread, inline checks, the keyring, the sheet."""

from __future__ import annotations

import stat
from pathlib import Path

import pytest
from PySide6.QtCore import QTimer
from PySide6.QtPrintSupport import QPrinter
from PySide6.QtWidgets import QApplication, QFileDialog, QMessageBox
from pytestqt.qtbot import QtBot

from app.core import keys, secrets
from app.core.errors import WrongPassphrase
from app.core.profile import Profile, RepositoryEntry
from app.core.repository import Repository
from app.core.storage import LocalStorage
from app.gui.forms import ERROR_STYLE, OK_STYLE
from app.gui.keys_page import KEYRING_WRONG, STORED_PLACEHOLDER, KeysPage
from app.gui.passphrase import PassphraseDialog
from tests.gui.conftest import Boxes
from tests.helpers.fixtures import MemoryKeyring

OLD = "correct horse"          # the `repo` fixture's passphrase
NEW = "battery staple 42"


def make_page(qtbot: QtBot, tmp_path: Path, repo: Repository) -> KeysPage:
    profile = Profile(tmp_path / "profile.json")
    profile.put_repository(RepositoryEntry("local", repo.storage.location))
    page = KeysPage(profile)
    qtbot.addWidget(page)
    return page


def type_in(page: KeysPage, **values: str) -> None:
    for key, text in values.items():
        page.form.line_edit(key).setText(text)


def opens(repo: Repository, passphrase: str) -> bool:
    try:
        Repository.open(LocalStorage(Path(repo.storage.location)), passphrase)
    except WrongPassphrase:
        return False
    return True


def change(qtbot: QtBot, page: KeysPage) -> bool:
    with qtbot.waitSignal(page.passphrase_changed, timeout=30000) as outcome:
        page.change_button.click()
        # The click returned at once: the key derivation runs in a worker thread.
        assert page.change_status.text() == "Changing the passphrase…"
        assert not page.change_button.isEnabled() and not page.sheet_button.isEnabled()
    return bool(outcome.args[0])


def test_a_change_through_the_page_uses_and_updates_the_keyring(
        qtbot: QtBot, tmp_path: Path, repo: Repository, memory_keyring: MemoryKeyring) -> None:
    entry = (secrets.REPOSITORY_SERVICE, repo.config["id"])
    memory_keyring.store[entry] = OLD
    page = make_page(qtbot, tmp_path, repo)
    assert page.info.text() == f"Repository {repo.config['id'][:8]}: its passphrase is in the keyring."
    assert page.form.line_edit("old").placeholderText() == STORED_PLACEHOLDER
    type_in(page, new=NEW, confirm=NEW)   # the current one comes from the keyring
    assert page.change_button.isEnabled()
    assert change(qtbot, page)
    assert page.change_status.text() == "Passphrase changed. The keyring holds the new one."
    assert page.change_status.styleSheet() == OK_STYLE
    assert memory_keyring.store[entry] == NEW
    assert opens(repo, NEW) and not opens(repo, OLD)
    assert page.form.values() == {"old": "", "new": "", "confirm": ""}
    assert page.change_button.isEnabled() is False   # nothing typed any more


def test_mismatch_and_a_short_passphrase_are_said_under_their_fields(
        qtbot: QtBot, tmp_path: Path, repo: Repository) -> None:
    page = make_page(qtbot, tmp_path, repo)
    page.show()
    assert page.form.problem("new") == "" and page.form.problem("confirm") == ""   # nothing typed yet
    type_in(page, old=OLD, new="short")
    assert page.form.problem("new").startswith("The new passphrase is too short: use at least 10")
    assert not page.change_button.isEnabled()
    type_in(page, new=NEW, confirm=NEW + "!")
    assert page.form.problem("new") == ""
    assert page.form.problem("confirm") == "The two new passphrases differ."
    assert not page.change_button.isEnabled()
    type_in(page, confirm=NEW)
    assert page.form.problem("confirm") == "" and page.change_button.isEnabled()
    type_in(page, old="")              # no keyring entry: the current passphrase must be typed
    assert not page.change_button.isEnabled()


def test_a_wrong_current_passphrase_is_said_in_red_and_changes_nothing(
        qtbot: QtBot, tmp_path: Path, repo: Repository, memory_keyring: MemoryKeyring) -> None:
    page = make_page(qtbot, tmp_path, repo)
    type_in(page, old="not the passphrase", new=NEW, confirm=NEW)
    assert not change(qtbot, page)
    assert page.change_status.text() == "Wrong passphrase for this repository."
    assert page.change_status.styleSheet() == ERROR_STYLE
    assert page.form.values()["new"] == NEW        # kept, to try again

    memory_keyring.store[(secrets.REPOSITORY_SERVICE, repo.config["id"])] = "stale passphrase"
    page._repository_chosen()
    type_in(page, old="")
    assert not change(qtbot, page)
    assert page.change_status.text() == KEYRING_WRONG
    assert opens(repo, OLD) and not opens(repo, NEW)


@pytest.fixture
def save_as(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Path:
    target = tmp_path / "sheet"         # the page adds .html
    monkeypatch.setattr(QFileDialog, "getSaveFileName",
                        staticmethod(lambda *_args: (str(target), "Web page (*.html)")))
    return target.with_suffix(".html")


def save(qtbot: QtBot, page: KeysPage) -> bool:
    with qtbot.waitSignal(page.sheet_saved, timeout=30000) as outcome:
        page.sheet_button.click()
        assert page.sheet_status.text() == "Writing the recovery sheet…"
    return bool(outcome.args[0])


def test_the_sheet_is_saved_private_printed_and_opens_the_repository(
        qtbot: QtBot, tmp_path: Path, repo: Repository, memory_keyring: MemoryKeyring,
        save_as: Path, boxes: Boxes, monkeypatch: pytest.MonkeyPatch) -> None:
    memory_keyring.store[(secrets.REPOSITORY_SERVICE, repo.config["id"])] = OLD
    page = make_page(qtbot, tmp_path, repo)
    pdf = tmp_path / "printed.pdf"

    def pdf_printer() -> QPrinter:     # stands for the user's choice in the system print dialog
        printer = QPrinter()
        printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
        printer.setOutputFileName(str(pdf))
        return printer

    monkeypatch.setattr(page, "choose_printer", pdf_printer)
    assert save(qtbot, page)
    assert page.sheet_status.text().startswith(f"Saved to {save_as}. Print it, keep it in a safe")
    assert stat.S_IMODE(save_as.stat().st_mode) == 0o600
    sheet = save_as.read_text(encoding="utf-8")
    assert OLD not in sheet and repo.config["id"] in sheet
    assert boxes.kinds() == ["question"] and "Print the recovery sheet" in boxes.text()
    assert pdf.read_bytes().startswith(b"%PDF") and pdf.stat().st_size > 1000

    key = "\n".join(line for line in keys.recovery_key_lines(repo.master_key, repo.config["id"])
                    if line in sheet)
    assert keys.open_with_recovery_key(repo.storage.location, key).master_key == repo.master_key


def test_without_the_keyring_the_sheet_asks_for_the_passphrase(
        qtbot: QtBot, tmp_path: Path, repo: Repository, save_as: Path, boxes: Boxes) -> None:
    boxes.answer = QMessageBox.StandardButton.No    # no printing this time
    page = make_page(qtbot, tmp_path, repo)
    asked: list[str] = []

    def answer() -> None:               # types into the modal dialog once it is up
        dialog = QApplication.activeModalWidget()
        if not isinstance(dialog, PassphraseDialog):
            QTimer.singleShot(10, answer)
            return
        asked.append(dialog.note.text())
        dialog.edit.setText(OLD)
        dialog.accept()

    QTimer.singleShot(0, answer)
    assert save(qtbot, page)
    assert asked == ["The recovery sheet needs the passphrase once."]
    assert save_as.is_file() and OLD not in save_as.read_text(encoding="utf-8")


def test_without_a_repository_the_page_says_what_to_do(qtbot: QtBot, tmp_path: Path,
                                                       repo: Repository) -> None:
    page = KeysPage(Profile(tmp_path / "profile.json"))
    qtbot.addWidget(page)
    assert page.info.text() == "Add a repository first: its keys are managed here."
    assert not page.change_button.isEnabled() and not page.sheet_button.isEnabled()

