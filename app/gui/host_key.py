"""Trusting an SFTP server's host key: shows host, key type and SHA256 fingerprint, and asks.

The engine (app.core.storage_sftp) never trusts a key by itself: an unknown key raises
`UnknownHostKey`, which the GUI turns into this question; yes adds the key to Custode's
known_hosts.  A *changed* key (`HostKeyChanged`) is only reported, never offered for trust.

Connecting happens in workers; the question is asked on the GUI thread.  The usual pattern:
the worker fails with UnknownHostKey, the GUI thread calls `ask_to_trust(error, parent)`, and on
True runs the job again.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

from PySide6.QtCore import Qt
from PySide6.QtGui import QFontDatabase
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QMessageBox,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from app.core.storage_sftp import HostKeyChanged, UnknownHostKey, host_entry, trust_host_key
from app.gui.i18n import tr

T = TypeVar("T")


class HostKeyDialog(QDialog):
    """The question: host, key type, fingerprint; "Trust and connect" or Cancel (the default)."""

    def __init__(self, error: UnknownHostKey, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.error = error
        where = host_entry(error.host, error.port)
        self.setWindowTitle(tr("Check the server's identity"))
        self.setMinimumWidth(520)
        layout = QVBoxLayout(self)
        intro = QLabel(tr("Custode has not connected to {host} before. Compare this fingerprint with "
                          "the one the server's administrator gives you (ssh-keygen -lf on the "
                          "server's host key) before you trust it.").format(host=where))
        intro.setWordWrap(True)
        layout.addWidget(intro)
        form = QFormLayout()
        self.host_label = QLabel(where)
        self.type_label = QLabel(error.key_type)
        self.fingerprint_label = QLabel(error.fingerprint)
        self.fingerprint_label.setFont(QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont))
        for label in (self.host_label, self.fingerprint_label):
            label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        form.addRow(tr("Server:"), self.host_label)
        form.addRow(tr("Key type:"), self.type_label)
        form.addRow(tr("Fingerprint:"), self.fingerprint_label)
        layout.addLayout(form)
        buttons = QDialogButtonBox()
        self.trust_button = QPushButton(tr("Trust and connect"))
        self.trust_button.setAutoDefault(False)
        buttons.addButton(self.trust_button, QDialogButtonBox.ButtonRole.AcceptRole)
        self.cancel_button = buttons.addButton(QDialogButtonBox.StandardButton.Cancel)
        self.cancel_button.setDefault(True)          # Enter does not trust by accident
        self.cancel_button.setFocus()
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)


def ask_to_trust(error: UnknownHostKey, parent: QWidget | None = None) -> bool:
    """Ask; on "Trust and connect" add the key to Custode's known_hosts and return True."""
    dialog = HostKeyDialog(error, parent)
    try:
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return False
    finally:
        dialog.deleteLater()
    trust_host_key(error.host, error.port, error.key)
    return True


def warn_changed(error: HostKeyChanged, parent: QWidget | None = None) -> None:
    """A changed key: say so plainly; there is nothing to click that would accept it."""
    QMessageBox.critical(parent, tr("Server identity changed"), tr(
        "The host key of {host} has changed. Someone may be intercepting the connection "
        "(man-in-the-middle), so Custode will not connect. If the server's administrator confirms "
        "the new key ({fingerprint}), remove the old one from the known_hosts files and try again."
    ).format(host=host_entry(error.host, error.port), fingerprint=error.fingerprint))


def connect_trusting(connect: Callable[[], T], parent: QWidget | None = None) -> T | None:
    """Run `connect` (e.g. `lambda: open_storage(location)`) on the GUI thread, asking about an
    unknown host key and retrying once it is trusted.  None when the user declined or the key
    changed (already reported); other errors propagate."""
    try:
        return connect()
    except UnknownHostKey as error:
        if not ask_to_trust(error, parent):
            return None
    except HostKeyChanged as error:
        warn_changed(error, parent)
        return None
    return connect()
