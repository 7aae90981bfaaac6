"""Unlocking a repository: the passphrase from the environment, the keyring, or the user.

The order is the CLI's: `CUSTODE_PASSWORD`, then the OS keyring (under the repository id), then
asking.  A passphrase that came from the environment or the keyring and does not fit is not an
error yet: the user is asked instead, with a note saying why.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QApplication,
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QLabel,
    QLineEdit,
    QMessageBox,
    QVBoxLayout,
    QWidget,
)

from app.core import secrets
from app.core.errors import WrongPassphrase
from app.core.repository import Repository, read_config
from app.core.storage import kind_of, open_storage
from app.gui.i18n import QT_TR_NOOP, tr, tr_value

NO_KEYRING_TIP = QT_TR_NOOP("No usable keyring was found on this system (Custode never stores secrets "
                            "in plain files), so the passphrase will be asked for each time.")
# Whole sentences per source (Italian joins "from" and "the" into one word).
WRONG_NOTES = {
    "CUSTODE_PASSWORD": QT_TR_NOOP("The passphrase from CUSTODE_PASSWORD does not open this repository."),
    "the keyring": QT_TR_NOOP("The passphrase from the keyring does not open this repository."),
}


@contextmanager
def busy() -> Iterator[None]:
    """A wait cursor while the GUI thread does something short but noticeable (key derivation)."""
    QApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)
    try:
        yield
    finally:
        QApplication.restoreOverrideCursor()


class PassphraseDialog(QDialog):
    """Asks for a repository's passphrase, optionally offering to remember it in the keyring."""

    def __init__(self, location: str, note: str = "", parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(tr("Unlock repository"))
        self.setMinimumWidth(420)
        layout = QVBoxLayout(self)
        prompt = QLabel(tr("Passphrase for the repository at\n{location}").format(location=location))
        prompt.setWordWrap(True)
        layout.addWidget(prompt)
        self.note = QLabel(note)
        self.note.setWordWrap(True)
        self.note.setVisible(bool(note))
        layout.addWidget(self.note)
        self.edit = QLineEdit()
        self.edit.setEchoMode(QLineEdit.EchoMode.Password)
        self.edit.setPlaceholderText(tr("passphrase"))
        layout.addWidget(self.edit)
        self.remember = QCheckBox(tr("Remember in the keyring"))
        if secrets.keyring_name() is None:
            self.remember.setEnabled(False)
            self.remember.setToolTip(tr(NO_KEYRING_TIP))
        else:
            self.remember.setToolTip(tr("Store the passphrase in {keyring}")
                                     .format(keyring=secrets.keyring_name()))
        layout.addWidget(self.remember)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok
                                        | QDialogButtonBox.StandardButton.Cancel)
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setText(tr("Unlock"))
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        layout.addWidget(self.buttons)
        self.edit.textChanged.connect(self._update_ok)
        self._update_ok()

    def _update_ok(self) -> None:
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setEnabled(bool(self.edit.text()))

    def passphrase(self) -> str:
        """What the user typed."""
        return self.edit.text()

    def wants_remember(self) -> bool:
        """True when the user asked to keep the passphrase in the keyring (and one exists)."""
        return self.remember.isEnabled() and self.remember.isChecked()


def known_passphrases(repo_id: str) -> list[tuple[str, str]]:
    """(where it came from, passphrase) pairs to try before asking the user."""
    found = []
    if os.environ.get("CUSTODE_PASSWORD"):
        found.append(("CUSTODE_PASSWORD", os.environ["CUSTODE_PASSWORD"]))
    stored = secrets.get_secret(secrets.REPOSITORY_SERVICE, repo_id) if repo_id else None
    if stored:
        found.append(("the keyring", stored))
    return found


def unlock_repository(location: str, parent: QWidget | None = None) -> Repository | None:
    """Open the repository at `location`; None when the user cancelled the passphrase dialog.

    Raises `WrongPassphrase` when the typed passphrase does not fit and any other `CustodeError`
    when there is no readable repository there.
    """
    if kind_of(location) == "sftp":   # an unknown host key is asked about, here
        from app.gui.host_key import connect_trusting  # paramiko: only when needed
        storage = connect_trusting(lambda: open_storage(location), parent)
        if storage is None:
            return None
    else:
        with busy():
            storage = open_storage(location)
    with busy():
        repo_id = str(read_config(storage).get("id", ""))
    notes = []
    for source, passphrase in known_passphrases(repo_id):
        try:
            with busy():
                return Repository.open(storage, passphrase)
        except WrongPassphrase:
            notes.append(tr_value(WRONG_NOTES, source))
    dialog = PassphraseDialog(location, " ".join(notes), parent)
    if dialog.exec() != QDialog.DialogCode.Accepted:
        return None
    with busy():
        repo = Repository.open(storage, dialog.passphrase())
    if dialog.wants_remember() and repo_id and not secrets.set_secret(
            secrets.REPOSITORY_SERVICE, repo_id, dialog.passphrase()):
        QMessageBox.warning(parent, tr("Keyring"), tr("The keyring refused to store the passphrase; "
                                                      "it will be asked for next time."))
    return repo
