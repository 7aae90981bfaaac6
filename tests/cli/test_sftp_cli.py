# ruff: noqa: F811 - the sshd fixture is imported into this module and used as an argument
"""`custode --repo sftp://...` from a shell: the host-key question, --trust-host-key, a whole cycle."""

from __future__ import annotations

import json
import os
import pty
import select
import subprocess
import sys
import time
from pathlib import Path

import pytest

from app.core.localserver import LocalServer
from tests.cli.test_cli import ROOT, assert_one_line_error, custode
from tests.helpers.servers import drop_user_databases
from tests.helpers.sshserver import SshServer, ssh_server  # noqa: F401 - fixture


@pytest.fixture
def env(tmp_path: Path, ssh_server: SshServer, target_server: LocalServer) -> dict[str, str]:
    drop_user_databases(target_server)
    connection = target_server.connect()
    with connection.cursor() as cursor:
        cursor.execute("CREATE DATABASE notes")
        cursor.execute("CREATE TABLE notes.n (id INT PRIMARY KEY, body TEXT)")
        cursor.execute("INSERT INTO notes.n VALUES (1, 'first'), (2, 'ünïcödé 🦊'), (3, NULL)")
    connection.close()
    home = tmp_path / "user"
    home.mkdir()
    environment = {k: v for k, v in os.environ.items()
                   if not k.startswith(("CUSTODE", "MYSQL", "SSH_AUTH_SOCK"))}
    environment.update(
        CUSTODE_REPO=f"sftp://root@127.0.0.1:{ssh_server.port}{tmp_path}/repo?key={ssh_server.client_key}",
        CUSTODE_PASSWORD="cli pass phrase", CUSTODE_SERVER=target_server.url, PYTHONPATH=str(ROOT),
        CUSTODE_HOME=str(tmp_path / "home"), HOME=str(home),
        PYTHON_KEYRING_BACKEND="keyring.backends.fail.Keyring")
    return environment


def test_the_whole_cycle_over_sftp(env: dict[str, str], ssh_server: SshServer,
                                   tmp_path: Path, target_server: LocalServer) -> None:
    fingerprint = ssh_server.host_fingerprint
    refused = custode(env, "init")
    assert_one_line_error(refused, 2, f"run again with --trust-host-key {fingerprint}")
    assert "not known yet" in refused.stderr and "ED25519" in refused.stderr
    assert not (tmp_path / "repo").exists()

    wrong = custode(env, "--trust-host-key", "SHA256:" + "A" * 43, "init")
    assert_one_line_error(wrong, 2, "nothing was trusted")

    made = custode(env, "--trust-host-key", fingerprint, "init")
    assert made.returncode == 0, made.stderr
    assert f"trusted the ED25519 host key {fingerprint}" in made.stderr
    known = tmp_path / "home" / "config" / "known_hosts"
    assert known.read_text().startswith(f"[127.0.0.1]:{ssh_server.port} ssh-ed25519 ")
    assert (tmp_path / "repo" / "config").is_file()

    backup = custode(env, "backup", "--databases", "notes")          # trusted from now on
    assert backup.returncode == 0, backup.stderr
    backup_id = backup.stdout.strip()
    listed = json.loads(custode(env, "--json", "list").stdout)
    assert [b["id"] for b in listed] == [backup_id] and listed[0]["rows"] == 3
    verified = custode(env, "verify", "latest")
    assert verified.returncode == 0 and "no damage found" in verified.stdout, verified.stderr

    restored = custode(env, "--json", "restore", "latest", "--rename", "notes=notes_sftp")
    assert restored.returncode == 0, restored.stderr
    connection = target_server.connect()
    with connection.cursor() as cursor:
        cursor.execute("SELECT body FROM notes_sftp.n ORDER BY id")
        assert [r[0] for r in cursor.fetchall()] == ["first", "ünïcödé 🦊", None]
    connection.close()


def test_a_wrong_key_is_one_clear_line(env: dict[str, str], ssh_server: SshServer,
                                       tmp_path: Path) -> None:
    stranger = tmp_path / "stranger"
    subprocess.run(["ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-f", str(stranger)], check=True)
    env["CUSTODE_REPO"] = env["CUSTODE_REPO"].replace(str(ssh_server.client_key), str(stranger))
    result = custode(env, "--trust-host-key", ssh_server.host_fingerprint, "list")
    assert result.returncode == 2 and "Traceback" not in result.stderr, result.stderr
    note, error = result.stderr.strip().splitlines()          # the key is trusted, the login not
    assert note.startswith("note: trusted the ED25519 host key")
    assert error.startswith("custode: error: ") and "refused the login of root" in error
    assert str(stranger) in error and "?key=" in error


def _run_on_a_terminal(env: dict[str, str], args: list[str], answer: bytes,
                       timeout: float = 60) -> tuple[int, str]:
    """Run custode with a pseudo-terminal as stdin/stdout/stderr, answering the first question."""
    master, slave = pty.openpty()
    process = subprocess.Popen([sys.executable, "-m", "app", *args], env=env, cwd=ROOT,
                               stdin=slave, stdout=slave, stderr=slave, close_fds=True)
    os.close(slave)
    output = b""
    answered = False
    deadline = time.monotonic() + timeout
    try:
        while time.monotonic() < deadline:
            ready, _, _ = select.select([master], [], [], 0.2)
            if ready:
                try:
                    chunk = os.read(master, 4096)
                except OSError:
                    break
                if not chunk:
                    break
                output += chunk
                if not answered and b"[y/N]" in output:
                    os.write(master, answer)
                    answered = True
            elif process.poll() is not None:
                break
        status = process.wait(timeout=max(1, deadline - time.monotonic()))
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()
        os.close(master)
    return status, output.decode(errors="replace")


def test_on_a_terminal_the_host_key_is_asked_for(env: dict[str, str], ssh_server: SshServer,
                                                 tmp_path: Path) -> None:
    status, output = _run_on_a_terminal(env, ["init"], b"n\n")
    assert status == 2, output
    assert "Trust this host key? [y/N]" in output and ssh_server.host_fingerprint in output
    assert not (tmp_path / "home" / "config" / "known_hosts").exists()

    status, output = _run_on_a_terminal(env, ["init"], b"y\n")
    assert status == 0, output
    assert "created repository" in output
    assert (tmp_path / "home" / "config" / "known_hosts").exists()
