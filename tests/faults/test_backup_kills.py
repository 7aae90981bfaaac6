"""A backup killed while it writes (at each of its writes in turn) leaves no backup that looks
good, and what it left (a `.tmp-*` file of a write it never finished, objects no manifest names)
is found and removed by prune."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from pathlib import Path

from app.core.localserver import LocalServer
from tests.helpers.fingerprint import diff
from tests.helpers.servers import drop_user_databases, execute, fingerprint_of

ROOT = Path(__file__).resolve().parents[2]


def custode(env: dict[str, str], *args: str, fault: str = "",
            skip: int = 0) -> subprocess.CompletedProcess[str]:
    faults = {"CUSTODE_FAULT": fault, "CUSTODE_FAULT_SKIP": str(skip)} if fault else {}
    return subprocess.run([sys.executable, "-m", "app", *args], env={**env, **faults},
                          capture_output=True, text=True, cwd=ROOT, check=False, timeout=120)


def temporary_files(root: Path) -> list[Path]:
    return sorted(root.rglob(".tmp-*"))


def test_a_backup_killed_mid_write_is_never_listed_and_prune_removes_what_it_left(
        tmp_path: Path, target_server: LocalServer) -> None:
    drop_user_databases(target_server)
    execute(target_server, "CREATE DATABASE notes", "USE notes",
            "CREATE TABLE n (id INT PRIMARY KEY, body TEXT)",
            "INSERT INTO n SELECT seq, REPEAT(CONCAT('note ', seq), 20) FROM seq_1_to_3000",
            *[f"CREATE TABLE n{i} AS SELECT * FROM n WHERE id % {i + 2} = 0" for i in range(8)])
    source = fingerprint_of(target_server, ["notes"])
    env = {k: v for k, v in os.environ.items() if not k.startswith(("CUSTODE", "MYSQL"))}
    env.update(CUSTODE_REPO=str(tmp_path / "repo"), CUSTODE_PASSWORD="kill pass phrase",
               CUSTODE_SERVER=target_server.url, PYTHONPATH=str(ROOT), CUSTODE_HOME=str(tmp_path / "home"))
    assert custode(env, "init").returncode == 0
    kills = complete = 0
    for skip in range(16):      # killed at its 1st, 2nd, ... write (lock, objects, manifest, journal)
        killed = custode(env, "backup", "--databases", "notes", "--jobs", "1",
                         fault="storage-before-rename", skip=skip)
        if killed.returncode == 0:
            break               # fewer writes than that: the backup simply finished
        assert killed.returncode == -signal.SIGKILL, killed.stderr
        kills += 1
        left = temporary_files(tmp_path / "repo")
        assert left, "the kill left no temporary file: the fault point was not reached"
        listed = custode(env, "list")
        assert listed.returncode == 0, listed.stderr
        if "no backups yet" not in listed.stdout:   # killed after its manifest was in place:
            complete += 1                            # then it is whole, and verify proves it
            verified = custode(env, "verify", "--all")
            assert verified.returncode == 0, verified.stdout + verified.stderr
        assert custode(env, "unlock").returncode == 0   # its lock is stale: the process is gone
        dry = custode(env, "prune", "--dry-run")
        assert dry.returncode == 0, dry.stderr
        assert f"would delete {len(left)} temporary files that killed jobs left" in dry.stdout, dry.stdout
        assert temporary_files(tmp_path / "repo") == left
        pruned = custode(env, "prune")
        assert pruned.returncode == 0, pruned.stderr
        assert not temporary_files(tmp_path / "repo")
    print(f"\nbackup killed at {kills} writes: {kills - complete} left no backup, {complete} a whole one")
    assert kills >= 3 and kills - complete >= 2, (kills, complete)
    # The repository is whole afterwards: a new backup verifies and restores the same rows.
    assert custode(env, "backup", "--databases", "notes").returncode == 0
    assert custode(env, "verify", "--all").returncode == 0
    execute(target_server, "DROP DATABASE notes")
    assert custode(env, "restore", "latest", "--yes").returncode == 0
    assert not diff(source, fingerprint_of(target_server, ["notes"]))
    drop_user_databases(target_server)
