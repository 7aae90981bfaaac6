# ruff: noqa: F811 - the sshd and MariaDB fixtures are imported into this module and used as arguments
"""'Test connection' of a server reached through an SSH tunnel: the host-key question, then connected."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from app.core import storage_sftp, tunnel
from app.core.profile import SERVER_FIELDS, ServerEntry
from app.gui.connection_test import ConnectionTest
from app.gui.host_key import HostKeyDialog
from tests.helpers.sshserver import SshServer, ssh_home, ssh_server  # noqa: F401
from tests.helpers.tcpserver import TCP_PASSWORD, TCP_USER, TcpServer, tcp_server  # noqa: F401


@pytest.fixture(autouse=True)
def _no_prompts(ssh_home: Path) -> Iterator[None]:
    previous = storage_sftp.PROMPTS
    storage_sftp.PROMPTS = storage_sftp.Prompts()
    yield
    storage_sftp.PROMPTS = previous


def answer_host_key(which: str, seen: list[str]) -> QTimer:
    """Press a button of the host-key dialog whenever one shows up."""
    timer = QTimer()

    def press() -> None:
        for widget in QApplication.topLevelWidgets():
            if isinstance(widget, HostKeyDialog) and widget.isVisible():
                seen.append(widget.fingerprint_label.text())
                (widget.trust_button if which == "trust" else widget.cancel_button).click()
    timer.timeout.connect(press)
    timer.start(20)
    return timer


def entry_for(ssh: SshServer, db: TcpServer) -> ServerEntry:
    return ServerEntry(name="behind", user=TCP_USER, host="127.0.0.1", port=db.port,
                       ssh=f"root@127.0.0.1:{ssh.port}", ssh_key=str(ssh.client_key))


def test_the_server_form_has_the_tunnel_fields() -> None:
    fields = {f.key: f for f in SERVER_FIELDS}
    assert fields["ssh"].label == "SSH tunnel" and fields["ssh_key"].kind == "file"
    check = fields["ssh"].check
    assert check is not None
    assert check("deploy@bastion:2222", {}) is None and check("deploy@[::1]:22", {}) is None
    assert check("bastion", {}) == "Write it user@host or user@host:port."
    assert "Unix socket" in str(check("u@bastion", {"socket": "/run/mysqld.sock"}))
    entry = ServerEntry.from_values({"name": "x", "user": "app", "host": "10.0.0.5", "port": 3306,
                                     "ssh": "deploy@bastion", "ssh_key": "/k"})
    assert entry.url == "mysql://app@10.0.0.5:3306/?ssh=deploy@bastion&ssh-key=/k"


@pytest.mark.parametrize("answer", ["cancel", "trust"])
def test_test_connection_asks_about_the_ssh_host_key(qtbot: QtBot, ssh_server: SshServer,
                                                     tcp_server: TcpServer, answer: str) -> None:
    entry = entry_for(ssh_server, tcp_server)
    tester = ConnectionTest(lambda: (entry, TCP_PASSWORD))
    qtbot.addWidget(tester)
    seen: list[str] = []
    timer = answer_host_key(answer, seen)
    try:
        with qtbot.waitSignal(tester.done, timeout=30000) as done:
            assert tester.start()
    finally:
        timer.stop()
    assert seen == [ssh_server.host_fingerprint]
    if answer == "cancel":
        assert done.args == ["failed"]
        assert "host key was not trusted" in tester.result.text()
        assert not storage_sftp.custode_known_hosts().exists()
    else:
        assert done.args == ["ok"], tester.result.text()
        assert tester.result.text().startswith("Connected: ")
        with qtbot.waitSignal(tester.done, timeout=30000) as again:     # trusted: no question
            assert tester.start()
        assert again.args == ["ok"] and seen == [ssh_server.host_fingerprint]
    assert tunnel.open_tunnels() == []


def test_the_welcome_wizard_asks_about_the_ssh_host_key_then_connects(
        qtbot: QtBot, tmp_path: Path, ssh_server: SshServer, tcp_server: TcpServer) -> None:
    from app.gui import main as gui_main
    from app.gui.welcome import WelcomeWizard
    window = gui_main.create_window([])
    qtbot.addWidget(window)
    wizard = window.wizard
    assert isinstance(wizard, WelcomeWizard)
    wizard.repository_page.form.set_values({"name": "local", "location": str(tmp_path / "b"),
                                            "passphrase": "correct horse battery"})
    wizard.repository_page.confirm.setText("correct horse battery")
    wizard.next()
    page = wizard.server_page
    page.form.set_values({"name": "behind", "host": "127.0.0.1", "port": tcp_server.port,
                          "user": TCP_USER, "password": TCP_PASSWORD,
                          "ssh": f"root@127.0.0.1:{ssh_server.port}",
                          "ssh_key": str(ssh_server.client_key)})
    seen: list[str] = []
    timer = answer_host_key("trust", seen)
    try:
        with qtbot.waitSignal(page.test_done, timeout=30000) as done:
            page.test_button.click()
    finally:
        timer.stop()
    assert seen == [ssh_server.host_fingerprint]
    assert done.args == ["ok"] and page.test_result.text().startswith("Connected: "), \
        page.test_result.text()
    assert page.entry().url.endswith(f"?ssh=root@127.0.0.1:{ssh_server.port}"
                                     f"&ssh-key={ssh_server.client_key}")
