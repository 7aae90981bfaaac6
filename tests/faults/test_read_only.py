"""A repository that cannot be written (write-protected media, a read-only mount) can still be
listed, shown, verified, exported and restored from; each reader says once that it took no lock.

The read-only mount is real (`mount --bind` then `remount,ro`, undone by the fixture); where this
machine does not allow mounting, the test is skipped and says why.
"""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from app.core.localserver import LocalServer
from tests.helpers.fingerprint import diff
from tests.helpers.servers import drop_user_databases, execute, fingerprint_of

ROOT = Path(__file__).resolve().parents[2]


def custode(env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "app", *args], env=env, capture_output=True,
                          text=True, cwd=ROOT, check=False, timeout=120)


@pytest.fixture
def read_only_repo(tmp_path: Path, target_server: LocalServer) -> Iterator[dict[str, str]]:
    drop_user_databases(target_server)
    execute(target_server, "CREATE DATABASE notes", "USE notes",
            "CREATE TABLE notes.n (id INT PRIMARY KEY, body TEXT)",
            "INSERT INTO notes.n SELECT seq, CONCAT('note ', seq) FROM seq_1_to_500")
    env = {k: v for k, v in os.environ.items() if not k.startswith(("CUSTODE", "MYSQL"))}
    env.update(CUSTODE_REPO=str(tmp_path / "repo"), CUSTODE_PASSWORD="read only pass",
               CUSTODE_SERVER=target_server.url, PYTHONPATH=str(ROOT), CUSTODE_HOME=str(tmp_path / "home"))
    assert custode(env, "init").returncode == 0
    assert custode(env, "backup", "--databases", "notes").returncode == 0
    mounted = tmp_path / "mounted"
    mounted.mkdir()
    bind = subprocess.run(["mount", "--bind", str(tmp_path / "repo"), str(mounted)],
                          capture_output=True, text=True, check=False)
    if bind.returncode != 0:
        pytest.skip(f"this machine does not allow a bind mount: {bind.stderr.strip()}")
    try:
        remount = subprocess.run(["mount", "-o", "remount,bind,ro", str(mounted)],
                                 capture_output=True, text=True, check=False)
        if remount.returncode != 0:
            pytest.skip(f"this machine does not allow a read-only remount: {remount.stderr.strip()}")
        assert subprocess.run(["touch", str(mounted / "probe")], capture_output=True,
                              check=False).returncode != 0, "the mount is not read-only"
        yield {**env, "CUSTODE_REPO": str(mounted)}
    finally:
        subprocess.run(["umount", str(mounted)], check=False)
        drop_user_databases(target_server)


def test_a_read_only_repository_is_listed_verified_exported_and_restored_from(
        read_only_repo: dict[str, str], target_server: LocalServer, tmp_path: Path) -> None:
    env = read_only_repo
    source = fingerprint_of(target_server, ["notes"])
    export = ("export", "latest", "--format", "sql", "-o", str(tmp_path / "n.sql"))
    for args in (("list",), ("show", "latest"), export):
        result = custode(env, *args)
        assert result.returncode == 0, (args, result.stderr)
        assert "Traceback" not in result.stderr
    verified = custode(env, "verify", "--all")
    assert verified.returncode == 0, verified.stderr
    assert verified.stderr.count("note: the repository cannot be written") == 1
    execute(target_server, "DROP DATABASE notes")
    restored = custode(env, "restore", "latest", "--yes")
    assert restored.returncode == 0, restored.stderr
    assert "note: the repository cannot be written (cannot write to" in restored.stderr
    assert not diff(source, fingerprint_of(target_server, ["notes"]))
    # What has to write says so in one line and leaves nothing behind.
    refused = custode(env, "backup", "--databases", "notes")
    assert refused.returncode == 1
    assert refused.stderr.strip().splitlines() == [
        f"custode: error: cannot write to {env['CUSTODE_REPO']}: Read-only file system"], refused.stderr
