"""The command line with FTPS and rclone repositories: init, backup, list, verify as a user runs them."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from app.core.localserver import LocalServer
from tests.helpers.ftpserver import PASSWORD, FtpsServer
from tests.helpers.servers import drop_user_databases

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def ftps(tmp_path_factory: pytest.TempPathFactory) -> Iterator[FtpsServer]:
    server = FtpsServer(tmp_path_factory.mktemp("ftps-cli"))
    server.start()
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture
def env(tmp_path: Path, target_server: LocalServer) -> Iterator[dict[str, str]]:
    drop_user_databases(target_server)
    connection = target_server.connect()
    with connection.cursor() as cursor:
        cursor.execute("CREATE DATABASE notes")
        cursor.execute("CREATE TABLE notes.n (id INT PRIMARY KEY, body TEXT)")
        cursor.execute("INSERT INTO notes.n VALUES (1, 'first'), (2, 'ünïcödé 🦊'), (3, NULL)")
    connection.close()
    environment = {k: v for k, v in os.environ.items()
                   if not k.startswith(("CUSTODE", "MYSQL", "RCLONE"))}
    environment.update(CUSTODE_PASSWORD="cli pass phrase", CUSTODE_SERVER=target_server.url,
                       PYTHONPATH=str(ROOT), CUSTODE_HOME=str(tmp_path / "home"),
                       RCLONE_CONFIG=str(tmp_path / "no-rclone.conf"))
    yield environment
    drop_user_databases(target_server)


def custode(env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "app", *args], env=env, capture_output=True,
                          text=True, cwd=ROOT, check=False, timeout=180)


def assert_one_line_error(result: subprocess.CompletedProcess[str], status: int, text: str) -> None:
    assert result.returncode == status, result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("custode: error: "), result.stderr
    assert text in lines[0]
    assert "Traceback" not in result.stderr


def _cycle(env: dict[str, str], location: str) -> None:
    created = custode(env, "--repo", location, "init")
    assert created.returncode == 0, created.stderr
    env = {**env, "CUSTODE_REPO": location}
    backup = custode(env, "backup", "--databases", "notes")
    assert backup.returncode == 0, backup.stderr
    backup_id = backup.stdout.strip()
    assert len(backup_id) == 64
    listed = json.loads(custode(env, "--json", "list").stdout)
    assert [b["id"] for b in listed] == [backup_id] and listed[0]["rows"] == 3
    verified = custode(env, "verify", "latest")
    assert verified.returncode == 0 and "no damage found" in verified.stdout, verified.stderr


def test_an_ftps_repository_from_the_command_line(env: dict[str, str], ftps: FtpsServer) -> None:
    location = ftps.location("cli-repo")
    refused = custode(env, "--repo", location, "init")              # no password anywhere
    assert_one_line_error(refused, 2, "set CUSTODE_FTPS_PASSWORD or store it in the keyring")
    wrong = custode({**env, "CUSTODE_FTPS_PASSWORD": "wrong"}, "--repo", location, "init")
    assert_one_line_error(wrong, 2, "refused the login of 'backup'")
    assert "wrong" not in wrong.stderr.replace("custode: error:", "")
    _cycle({**env, "CUSTODE_FTPS_PASSWORD": PASSWORD}, location)
    stored = sorted(p.relative_to(ftps.home / "cli-repo").parts[0]
                    for p in (ftps.home / "cli-repo").rglob("*") if p.is_file())
    assert set(stored) >= {"backups", "config", "data", "keys"}
    assert not [p for p in (ftps.home / "cli-repo").rglob(".tmp-*")]


@pytest.mark.skipif(shutil.which("rclone") is None, reason="rclone is not installed")
def test_an_rclone_repository_from_the_command_line(env: dict[str, str], tmp_path: Path) -> None:
    env = {**env, "RCLONE_CONFIG_CLILOCAL_TYPE": "local"}
    location = f"rclone:clilocal:{tmp_path}/rclone-repo"
    _cycle(env, location)
    assert (tmp_path / "rclone-repo" / "config").is_file()
    unknown = custode(env, "--repo", f"rclone:elsewhere:{tmp_path}/x", "list")
    assert_one_line_error(unknown, 2, "rclone has no remote named 'elsewhere': create it with "
                                      "'rclone config'")
    no_rclone = custode({**env, "PATH": str(tmp_path / "empty")}, "--repo", location, "list")
    assert_one_line_error(no_rclone, 2, "rclone is not installed: install it (Debian/Ubuntu: "
                                        "sudo apt install rclone; others: https://rclone.org/install/) "
                                        "or set CUSTODE_RCLONE")
