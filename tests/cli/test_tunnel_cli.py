# ruff: noqa: F811 - the sshd and MariaDB fixtures are imported into this module and used as arguments
"""`custode backup --server 'mysql://...?ssh=root@127.0.0.1:PORT&ssh-key=KEY'` from a shell."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from tests.cli.test_cli import ROOT, assert_one_line_error, custode
from tests.helpers.sshserver import SshServer, free_port, ssh_server  # noqa: F401
from tests.helpers.tcpserver import TCP_PASSWORD, TCP_USER, TcpServer, tcp_server  # noqa: F401


@pytest.fixture
def env(tmp_path: Path) -> dict[str, str]:
    home = tmp_path / "user"
    home.mkdir()
    environment = {k: v for k, v in os.environ.items()
                   if not k.startswith(("CUSTODE", "MYSQL", "SSH_AUTH_SOCK"))}
    environment.update(
        CUSTODE_REPO=str(tmp_path / "repo"), CUSTODE_PASSWORD="cli pass phrase",
        MYSQL_PWD=TCP_PASSWORD, PYTHONPATH=str(ROOT), CUSTODE_HOME=str(tmp_path / "home"),
        HOME=str(home), PYTHON_KEYRING_BACKEND="keyring.backends.fail.Keyring")
    return environment


def test_a_backup_through_an_ssh_tunnel_from_the_shell(env: dict[str, str], ssh_server: SshServer,
                                                       tcp_server: TcpServer) -> None:
    server = (f"mysql://{TCP_USER}@127.0.0.1:{tcp_server.port}/?ssh=root@127.0.0.1:{ssh_server.port}"
              f"&ssh-key={ssh_server.client_key}")
    assert custode(env, "init").returncode == 0
    fingerprint = ssh_server.host_fingerprint

    refused = custode(env, "backup", "--server", server, "--databases", "shop")
    assert_one_line_error(refused, 2, f"run again with --trust-host-key {fingerprint}")

    made = custode(env, "backup", "--server", server, "--databases", "shop", "--trust-host-key",
                   fingerprint)
    assert made.returncode == 0, made.stderr
    assert f"trusted the ED25519 host key {fingerprint}" in made.stderr
    assert TCP_PASSWORD not in made.stderr + made.stdout

    again = custode(env, "backup", "--server", server, "--databases", "shop")   # trusted now
    assert again.returncode == 0, again.stderr
    listed = json.loads(custode(env, "--json", "list").stdout)
    assert len(listed) == 2 and listed[0]["rows"] >= 3505

    closed = free_port()
    nothing = server.replace(f":{tcp_server.port}/", f":{closed}/")
    failed = custode(env, "backup", "--server", nothing, "--databases", "shop")
    assert_one_line_error(failed, 1, f"cannot reach the database at 127.0.0.1:{closed}")
