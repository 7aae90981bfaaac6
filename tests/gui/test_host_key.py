# ruff: noqa: F811 - the sshd fixtures are imported into this module and used as arguments
"""The host-key question in the GUI: what it shows, what each button does, a real server."""

from __future__ import annotations

import base64
from pathlib import Path

import paramiko
import pytest
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from app.core.storage import open_storage
from app.core.storage_sftp import (
    HostKeyChanged,
    SftpStorage,
    UnknownHostKey,
    custode_known_hosts,
    trust_host_key,
)
from app.gui.host_key import HostKeyDialog, ask_to_trust, connect_trusting
from tests.gui.conftest import Boxes
from tests.helpers.sshserver import SshServer, fingerprint_of, keygen, ssh_home, ssh_server  # noqa: F401


def unknown_key(tmp_path: Path, port: int = 2222) -> tuple[UnknownHostKey, Path]:
    public = keygen(tmp_path / "hostkey").with_suffix(".pub")
    kind, blob = public.read_text().split()[:2]
    key = paramiko.PKey.from_type_string(kind, base64.b64decode(blob))
    return UnknownHostKey("backup.example.com", port, key), public


def click_when_shown(qtbot: QtBot, which: str) -> None:
    """Press a button of the dialog as soon as exec() shows it."""
    def press() -> None:
        dialog = next((w for w in QApplication.topLevelWidgets()
                       if isinstance(w, HostKeyDialog) and w.isVisible()), None)
        if dialog is None:              # not asked (as expected in some tests): nothing to press
            return
        button = dialog.trust_button if which == "trust" else dialog.cancel_button
        button.click()
    QTimer.singleShot(0, press)


def test_the_dialog_shows_host_type_and_the_fingerprint(qtbot: QtBot, tmp_path: Path) -> None:
    error, public = unknown_key(tmp_path)
    dialog = HostKeyDialog(error)
    qtbot.addWidget(dialog)
    assert dialog.host_label.text() == "[backup.example.com]:2222"
    assert dialog.type_label.text() == "ED25519"
    assert dialog.fingerprint_label.text() == fingerprint_of(public)     # as ssh-keygen -lf says
    assert dialog.cancel_button.isDefault() and not dialog.trust_button.isDefault()
    assert dialog.trust_button.text() == "Trust and connect"


def test_cancel_trusts_nothing(qtbot: QtBot, tmp_path: Path) -> None:
    error, _ = unknown_key(tmp_path)
    click_when_shown(qtbot, "cancel")
    assert ask_to_trust(error) is False
    assert not custode_known_hosts().exists()


def test_trust_and_connect_saves_the_key(qtbot: QtBot, tmp_path: Path) -> None:
    error, public = unknown_key(tmp_path)
    click_when_shown(qtbot, "trust")
    assert ask_to_trust(error) is True
    kind, blob = public.read_text().split()[:2]
    assert custode_known_hosts().read_text() == f"[backup.example.com]:2222 {kind} {blob}\n"


def test_a_real_server_connects_after_the_user_trusts_it(qtbot: QtBot, ssh_server: SshServer,
                                                         ssh_home: Path, tmp_path: Path) -> None:
    where = f"sftp://root@127.0.0.1:{ssh_server.port}{tmp_path}/repo?key={ssh_server.client_key}"
    click_when_shown(qtbot, "cancel")
    assert connect_trusting(lambda: open_storage(where)) is None
    click_when_shown(qtbot, "trust")
    storage = connect_trusting(lambda: open_storage(where))
    assert isinstance(storage, SftpStorage)
    storage.write("config", [b"{}"])
    storage.close()
    assert (tmp_path / "repo" / "config").read_bytes() == b"{}"
    blob = ssh_server.host_key.with_suffix(".pub").read_text().split()[1]
    assert custode_known_hosts().read_text().split()[2] == blob   # the server's own key was saved
    click_when_shown(qtbot, "cancel")          # were it asked again, this would make it fail
    assert isinstance(connect_trusting(lambda: open_storage(where)), SftpStorage)


def test_a_changed_key_is_reported_not_offered(qtbot: QtBot, boxes: Boxes, ssh_server: SshServer,
                                               ssh_home: Path, tmp_path: Path) -> None:
    error, _ = unknown_key(tmp_path, ssh_server.port)
    trust_host_key("127.0.0.1", ssh_server.port, error.key)        # a different key on record
    where = f"sftp://root@127.0.0.1:{ssh_server.port}{tmp_path}/repo?key={ssh_server.client_key}"
    with pytest.raises(HostKeyChanged):
        open_storage(where)
    assert connect_trusting(lambda: open_storage(where)) is None
    assert boxes.kinds() == ["critical"]
    assert "man-in-the-middle" in boxes.text() and ssh_server.host_fingerprint in boxes.text()
