"""forget, prune and unlock from a shell: real processes, a real MariaDB server, a real folder."""

from __future__ import annotations

import hashlib
import json
import os
import subprocess
import sys
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from app.core.catalog import Catalog
from app.core.localserver import LocalServer
from app.core.prune import object_ids
from app.core.repository import Repository
from app.core.storage import LocalStorage
from tests.helpers.fingerprint import diff, fingerprint
from tests.helpers.servers import drop_user_databases, execute

ROOT = Path(__file__).resolve().parents[2]
PASSPHRASE = "cli pass phrase"


@pytest.fixture
def env(tmp_path: Path, target_server: LocalServer) -> dict[str, str]:
    drop_user_databases(target_server)
    execute(target_server, "CREATE DATABASE shop",
            "CREATE TABLE shop.catalogue (id INT PRIMARY KEY, name TEXT)",
            "INSERT INTO shop.catalogue SELECT seq, CONCAT('item ', seq) FROM shop.seq_1_to_3000",
            "CREATE TABLE shop.orders (id INT PRIMARY KEY, note VARCHAR(40))")
    environment = {k: v for k, v in os.environ.items() if not k.startswith(("CUSTODE", "MYSQL"))}
    environment.update(CUSTODE_REPO=str(tmp_path / "repo"), CUSTODE_PASSWORD=PASSPHRASE,
                       CUSTODE_SERVER=target_server.url, PYTHONPATH=str(ROOT),
                       CUSTODE_HOME=str(tmp_path / "home"))
    return environment


def custode(env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "app", *args], env=env, capture_output=True,
                          text=True, cwd=ROOT, check=False, timeout=120)


def ok(result: subprocess.CompletedProcess[str]) -> subprocess.CompletedProcess[str]:
    assert result.returncode == 0, result.stderr
    return result


def one_line_error(result: subprocess.CompletedProcess[str], status: int, text: str) -> str:
    assert result.returncode == status, result.stdout + result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("custode: error: "), result.stderr
    assert text in lines[0] and "Traceback" not in result.stderr
    return lines[0]


def listing(repo: Path) -> dict[str, str]:
    return {p.relative_to(repo).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(repo.rglob("*")) if p.is_file()}


def next_second() -> None:
    """Backups are dated to the second: make the next one start in a later second."""
    start = int(time.time())
    while int(time.time()) == start:
        time.sleep(0.02)


def plant_lock(repo: Path, name: str, operation: str, exclusive: bool, age: timedelta) -> None:
    moment = (datetime.now(UTC) - age).isoformat().replace("+00:00", "Z")
    (repo / "locks").mkdir(exist_ok=True)
    (repo / "locks" / name).write_text(json.dumps({
        "version": 1, "user": "bob", "host": "db-host-7", "pid": 31337, "program": "custode 0.1.0",
        "operation": operation, "exclusive": exclusive, "created": moment, "refreshed": moment}))


def test_forget_keep_last_2_then_prune_verify_and_restore(env: dict[str, str], tmp_path: Path,
                                                          target_server: LocalServer) -> None:
    repo_path = tmp_path / "repo"
    ok(custode(env, "init"))
    ids = []
    for n in range(4):
        execute(target_server, f"INSERT INTO shop.orders VALUES ({n}, 'order {n}')")
        next_second()
        ids.append(ok(custode(env, "backup", "--databases", "shop")).stdout.strip())
    connection = target_server.connect()
    source = fingerprint(connection, ["shop"])             # what the newest backup holds
    repo = Repository.open(LocalStorage(repo_path), PASSPHRASE)
    used = {i: set(object_ids(repo.load_backup(i))) for i in ids}
    assert used[ids[0]] & used[ids[3]], "the unchanged table is shared between backups"
    only_removed = (used[ids[0]] | used[ids[1]]) - used[ids[2]] - used[ids[3]]
    assert only_removed
    sizes = {o: (repo_path / repo.object_path(o)).stat().st_size for o in only_removed}

    # A dry run says what would happen and changes nothing at all.
    before = listing(repo_path)
    dry = ok(custode(env, "forget", "--keep-last", "2", "--dry-run", "--prune"))
    assert listing(repo_path) == before
    rows = {line[:8]: line for line in dry.stdout.splitlines()[1:5]}
    assert set(rows) == {i[:8] for i in ids}
    assert all("would remove" in rows[i[:8]] for i in ids[:2])
    assert all(" keep " in rows[i[:8]] and rows[i[:8]].endswith("last 2") for i in ids[2:])
    assert "would keep 2 and would remove 2 of 4 backups (last 2)" in dry.stdout
    assert f"would delete {len(only_removed)} unused objects" in dry.stdout

    forgotten = json.loads(ok(custode(env, "--json", "forget", "--keep-last", "2")).stdout)
    assert sorted(forgotten["removed"]) == sorted(ids[:2]) and forgotten["kept"] == 2
    assert [b["id"] for b in forgotten["backups"]] == ids[::-1]
    assert [b["reasons"] for b in forgotten["backups"]] == [["last 2"], ["last 2"], [], []]
    listed = json.loads(ok(custode(env, "--json", "list")).stdout)
    assert [b["id"] for b in listed] == [ids[3], ids[2]]

    pruned = json.loads(ok(custode(env, "--json", "prune")).stdout)
    assert pruned["deleted"] == len(only_removed)
    assert pruned["freed_bytes"] == sum(sizes.values()) and pruned["locked"] == []
    for object_id in used[ids[2]] | used[ids[3]]:
        assert (repo_path / repo.object_path(object_id)).exists()
    for object_id in only_removed:
        assert not (repo_path / repo.object_path(object_id)).exists()
    assert not (repo_path / "locks").exists() or not any((repo_path / "locks").iterdir())

    assert "no damage found" in ok(custode(env, "verify", "--all")).stdout
    ok(custode(env, "restore", "latest", "--rename", "shop=shop_back"))
    restored = fingerprint(connection, ["shop"], rename={"shop": "shop_back"})
    connection.close()
    assert restored == source, "\n".join(diff(source, restored))

    jobs = Catalog(tmp_path / "home" / "data" / "catalog.sqlite").jobs()
    kinds = [(j["kind"], j["status"]) for j in reversed(jobs)]
    assert kinds[4:] == [("forget", "ok"), ("prune", "ok"), ("verify", "ok"), ("restore", "ok")]
    prune_job = next(j for j in jobs if j["kind"] == "prune")
    assert prune_job["bytes"] == sum(sizes.values())


def test_usage_mistakes(env: dict[str, str]) -> None:
    ok(custode(env, "init"))
    one_line_error(custode(env, "forget"), 2, "give at least one --keep option")
    one_line_error(custode(env, "forget", "--dry-run", "--keep-daily", "0"), 2,
                   "give at least one --keep option")
    one_line_error(custode(env, "forget", "--keep-within", "3x"), 2, "not a duration")
    one_line_error(custode(env, "forget", "--keep-last", "-1"), 2, "must not be negative")
    one_line_error(custode({**env, "CUSTODE_REPO": env["CUSTODE_REPO"] + "-none"}, "unlock"), 2,
                   "no repository at")


def test_locks_between_commands_and_unlock(env: dict[str, str], tmp_path: Path) -> None:
    repo_path = tmp_path / "repo"
    ok(custode(env, "init"))
    ok(custode(env, "backup", "--databases", "shop"))

    plant_lock(repo_path, "running-backup", "backup", False, timedelta(minutes=3))
    error = one_line_error(custode(env, "prune"), 1, "cannot prune: the repository is locked by "
                                                     "backup (shared) by bob on host db-host-7")
    assert "pid 31337" in error and "'custode unlock'" in error
    one_line_error(custode(env, "forget", "--keep-last", "1"), 1, "cannot forget")
    ok(custode(env, "verify", "--all"))                        # shared locks coexist
    kept = ok(custode(env, "unlock"))
    assert "kept the live lock of backup (shared) by bob on host db-host-7" in kept.stdout
    assert (repo_path / "locks" / "running-backup").exists()
    forced = ok(custode(env, "unlock", "--force"))
    assert "warning: --force removes the locks of jobs that may still be running" in forced.stderr
    assert not (repo_path / "locks" / "running-backup").exists()

    plant_lock(repo_path, "prune-on-7", "prune", True, timedelta(minutes=1))
    one_line_error(custode(env, "backup", "--databases", "shop"), 1,
                   "cannot backup: the repository is locked by prune (exclusive)")
    jobs = Catalog(tmp_path / "home" / "data" / "catalog.sqlite").jobs()
    assert (jobs[0]["kind"], jobs[0]["status"]) == ("backup", "failed")
    assert "locked by prune" in jobs[0]["message"]

    plant_lock(repo_path, "prune-on-7", "prune", True, timedelta(hours=3))   # died long ago
    ok(custode(env, "backup", "--databases", "shop"))          # a stale lock blocks nothing
    removed = ok(custode(env, "--json", "unlock"))
    assert json.loads(removed.stdout)["removed"] == [{
        "name": "locks/prune-on-7", "reason": "lock by prune on host db-host-7, pid 31337, not "
                                              "refreshed for 3 h (stale after 30 min)"}]
    assert ok(custode(env, "unlock")).stdout.strip() == "no locks: nothing to do"
