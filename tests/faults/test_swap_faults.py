"""The restore's worst day, on purpose: killed at every step of its swap, blocked by another
session's open transaction, raced by a second restore onto the same database.

Each kill is a real SIGKILL of a real `custode restore` process, at a named point
(CUSTODE_FAULT, app/core/swap.py `fault_point`), on a real server; the target is then judged by
tests/helpers/fingerprint.py: equal to the state before the restore, or to the backup.
"""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pymysql
import pytest

from app.core.localserver import LocalServer
from tests.helpers.fingerprint import diff
from tests.helpers.servers import databases_of, drop_user_databases, execute, fingerprint_of

ROOT = Path(__file__).resolve().parents[2]

NEW = [   # what the backup holds
    "CREATE DATABASE shop", "USE shop",
    "CREATE TABLE items (id INT PRIMARY KEY, name VARCHAR(20), price DECIMAL(8,2))",
    "INSERT INTO items SELECT seq, CONCAT('item ', seq), seq * 1.5 FROM seq_1_to_2000",
    "CREATE TABLE log (id INT AUTO_INCREMENT PRIMARY KEY, item INT)",
    "CREATE VIEW cheap AS SELECT id, name FROM items WHERE price < 10",
    "CREATE VIEW dear AS SELECT id FROM items WHERE price > 1000",
    "CREATE TRIGGER items_ins AFTER INSERT ON items FOR EACH ROW INSERT INTO log (item) VALUES (NEW.id)",
    "CREATE TRIGGER items_upd BEFORE UPDATE ON items FOR EACH ROW SET NEW.price = NEW.price + 0",
    "CREATE FUNCTION twice(x INT) RETURNS INT DETERMINISTIC RETURN x * 2",
    "CREATE PROCEDURE hello() SELECT 'new'",
    "CREATE EVENT tidy ON SCHEDULE EVERY 1 DAY STARTS '2031-01-01 00:00:00' DISABLE DO DELETE FROM log",
]
OLD_CHANGES = [   # what the target holds when the restore starts
    "USE shop", "UPDATE items SET name = 'changed' WHERE id <= 100", "DELETE FROM items WHERE id > 1900",
    "DROP TRIGGER items_ins",
    "CREATE TRIGGER items_ins AFTER INSERT ON items FOR EACH ROW INSERT INTO log (item) VALUES (-NEW.id)",
    "CREATE OR REPLACE VIEW cheap AS SELECT id FROM items WHERE price < 5",
    "DROP FUNCTION twice", "CREATE FUNCTION twice(x INT) RETURNS INT DETERMINISTIC RETURN x + x + 0",
    "CREATE PROCEDURE only_old() SELECT 'old'",
    "ALTER EVENT tidy ON SCHEDULE EVERY 2 DAY STARTS '2032-01-01 00:00:00'",
]


def custode(env: dict[str, str], *args: str, fault: str = "",
            timeout: float = 120) -> subprocess.CompletedProcess[str]:
    environment = {**env, **({"CUSTODE_FAULT": fault} if fault else {})}
    return subprocess.run([sys.executable, "-m", "app", *args], env=environment, capture_output=True,
                          text=True, cwd=ROOT, check=False, timeout=timeout)


@pytest.fixture
def world(tmp_path: Path, target_server: LocalServer) -> Iterator[dict[str, Any]]:
    """A repository holding a backup of the new `shop`, and a way to put the old one back."""
    drop_user_databases(target_server)
    env = {k: v for k, v in os.environ.items() if not k.startswith(("CUSTODE", "MYSQL"))}
    env.update(CUSTODE_REPO=str(tmp_path / "repo"), CUSTODE_PASSWORD="fault pass phrase",
               CUSTODE_SERVER=target_server.url, PYTHONPATH=str(ROOT),
               CUSTODE_HOME=str(tmp_path / "home"))
    assert custode(env, "init").returncode == 0
    execute(target_server, *NEW)
    new = fingerprint_of(target_server, ["shop"])
    made = custode(env, "backup", "--databases", "shop")
    assert made.returncode == 0, made.stderr
    execute(target_server, *OLD_CHANGES)
    old = fingerprint_of(target_server, ["shop"])
    assert diff(old, new)

    def reset() -> None:
        drop_user_databases(target_server)
        execute(target_server, *NEW, *OLD_CHANGES)
        assert not diff(old, fingerprint_of(target_server, ["shop"]))

    # "New": what a restore that nothing stopped leaves (the backup's objects; what only the
    # target had, such as the procedure only_old, stays).
    done = custode(env, "restore", "latest", "--databases", "shop", "--yes")
    assert done.returncode == 0, done.stderr
    restored = fingerprint_of(target_server, ["shop"])
    assert not diff(new["shop"]["tables"], restored["shop"]["tables"])
    reset()
    yield {"env": env, "old": old, "new": restored, "reset": reset, "server": target_server}
    drop_user_databases(target_server)


def leftovers(server: LocalServer) -> list[str]:
    return sorted(d for d in databases_of(server) if d.startswith("custode_stage_"))


def swap_step(server: LocalServer) -> int:
    """The number of the swap step in the (one) journal left on the server."""
    journals = [d for d in leftovers(server) if d.endswith("_journal")]
    assert len(journals) == 1, leftovers(server)
    connection = server.connect()
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT n FROM `{journals[0]}`.steps WHERE action = 'swap'")
        row = cursor.fetchone()
    connection.close()
    return int(row[0]) if row else 10**6


@pytest.mark.slow
def test_a_restore_killed_at_any_step_of_its_swap_is_settled_to_the_old_or_the_new_state(
        world: dict[str, Any]) -> None:
    env, server, old, new = world["env"], world["server"], world["old"], world["new"]
    hybrid_after_kill = settled_old = settled_new = 0
    points = ["after-stage", "after-prepare"] + [f"after-step-{n}" for n in range(1, 40)]
    for point in points:
        world["reset"]()
        killed = custode(env, "restore", "latest", "--databases", "shop", "--yes", fault=point)
        if killed.returncode == 0:      # past the last step: the restore simply finished
            assert not diff(new, fingerprint_of(server, ["shop"]))
            break
        assert killed.returncode == -signal.SIGKILL, killed.stderr
        state = fingerprint_of(server, ["shop"])
        hybrid_after_kill += bool(diff(old, state) and diff(new, state))
        number = int(point.rsplit("-", 1)[1]) if point.startswith("after-step-") else 0
        expect_new = bool(number) and number >= swap_step(server)
        listed = custode(env, "cleanup", "--dry-run")
        assert listed.returncode == 0 and "would settle: restore " in listed.stdout, listed.stdout
        assert leftovers(server), "a dry run changed nothing"
        cleaned = custode(env, "cleanup")
        assert cleaned.returncode == 0, cleaned.stderr
        assert ("finished it" if expect_new else "the target had not been changed") in cleaned.stdout
        assert not leftovers(server)
        found = diff(new if expect_new else old, fingerprint_of(server, ["shop"]))
        assert not found, f"{point}: " + "\n".join(found[:10])
        settled_new += expect_new
        settled_old += not expect_new
    else:
        pytest.fail("the restore never finished: more steps than the sweep tries")
    print(f"\nkills: {settled_old + settled_new}; hybrid right after the kill: {hybrid_after_kill}; "
          f"settled to the old state: {settled_old}, to the new: {settled_new}")
    assert settled_old >= 3 and settled_new >= 5      # kills before and after the RENAME were made
    # The next restore settles what a killed one left by itself, first.
    world["reset"]()
    assert custode(env, "restore", "latest", "--databases", "shop", "--yes",
                   fault="after-step-2").returncode == -signal.SIGKILL
    again = custode(env, "restore", "latest", "--databases", "shop", "--yes")
    assert again.returncode == 0, again.stderr
    assert "settled a stopped restore first" in again.stderr
    assert not diff(new, fingerprint_of(server, ["shop"])) and not leftovers(server)


def test_a_killed_restore_into_a_new_database_leaves_nothing_after_cleanup(
        world: dict[str, Any]) -> None:
    env, server = world["env"], world["server"]
    killed = custode(env, "restore", "latest", "--rename", "shop=shop_copy", "--yes",
                     fault="after-stage")
    assert killed.returncode == -signal.SIGKILL
    assert "shop_copy" in databases_of(server) and leftovers(server)
    assert custode(env, "cleanup").returncode == 0
    assert "shop_copy" not in databases_of(server) and not leftovers(server)
    assert not diff(world["old"], fingerprint_of(server, ["shop"]))
    assert "nothing to clean up" in custode(env, "cleanup").stdout


def _restore_in_background(env: dict[str, str], wait_for_locks: int) -> subprocess.Popen[str]:
    """`custode restore latest --databases shop` started and left running."""
    return subprocess.Popen([sys.executable, "-m", "app", "restore", "latest", "--databases", "shop",
                             "--yes", "--wait-for-locks", str(wait_for_locks)], env=env, cwd=ROOT,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def _wait_for_its_journal(server: LocalServer, restore: subprocess.Popen[str]) -> None:
    """Until the running restore has written its journal on the target (30 s at most)."""
    deadline = time.monotonic() + 30
    while not any(d.endswith("_journal") for d in leftovers(server)):
        assert time.monotonic() < deadline and restore.poll() is None
        time.sleep(0.2)


def _hold_the_items_table(server: LocalServer, seconds: float) -> threading.Thread:
    """An application session with an open transaction that read `shop.items`."""
    ready = threading.Event()

    def hold() -> None:
        connection = server.connect()
        with connection.cursor() as cursor:
            cursor.execute("BEGIN")
            cursor.execute("SELECT COUNT(*) FROM shop.items")
            ready.set()
            time.sleep(seconds)
            with contextlib.suppress(pymysql.err.MySQLError):   # (the server may be gone)
                cursor.execute("COMMIT")
        with contextlib.suppress(pymysql.err.MySQLError):
            connection.close()

    thread = threading.Thread(target=hold, daemon=True)
    thread.start()
    assert ready.wait(10)
    return thread


def test_a_restore_blocked_by_an_open_transaction_gives_up_names_it_and_changes_nothing(
        world: dict[str, Any]) -> None:
    env, server = world["env"], world["server"]
    holder = _hold_the_items_table(server, 25)
    started = time.monotonic()
    blocked = custode(env, "restore", "latest", "--databases", "shop", "--yes", "--wait-for-locks", "2")
    took = time.monotonic() - started
    assert blocked.returncode != 0 and took < 20, (took, blocked.stderr)
    line = blocked.stderr.strip().splitlines()[-1]
    assert "in an open transaction" in line and "nothing was changed" in line, blocked.stderr
    assert "Traceback" not in blocked.stderr
    assert not diff(world["old"], fingerprint_of(server, ["shop"]))
    assert not leftovers(server) and not [d for d in databases_of(server) if d.startswith("custode_safety")]
    holder.join()


def test_a_second_restore_onto_the_same_database_refuses_at_once_naming_the_first(
        world: dict[str, Any]) -> None:
    env, server = world["env"], world["server"]
    holder = _hold_the_items_table(server, 12)      # keeps the first restore in its swap
    first = _restore_in_background(env, 30)
    try:
        _wait_for_its_journal(server, first)
        time.sleep(1)
        started = time.monotonic()
        second = custode(env, "restore", "latest", "--databases", "shop", "--yes")
        assert time.monotonic() - started < 15
        assert second.returncode != 0
        line = second.stderr.strip().splitlines()[-1]
        assert "another restore onto shop is running (connection " in line, second.stderr
        assert "nothing was changed" in line
        holder.join()
        _, err = first.communicate(timeout=120)
        assert first.returncode == 0, err
    finally:
        if first.poll() is None:
            first.kill()
    assert not diff(world["new"], fingerprint_of(server, ["shop"]))
    assert not leftovers(server)


def test_sigterm_while_the_swap_waits_for_a_lock_puts_everything_back_and_says_so(
        world: dict[str, Any]) -> None:
    env, server = world["env"], world["server"]
    holder = _hold_the_items_table(server, 20)
    restore = _restore_in_background(env, 60)
    try:
        _wait_for_its_journal(server, restore)
        time.sleep(1.5)                          # inside the swap, waiting for the holder
        os.kill(restore.pid, signal.SIGTERM)     # by its process id
        _, err = restore.communicate(timeout=60)
    finally:
        if restore.poll() is None:
            restore.kill()
    assert restore.returncode == 1, err
    assert err.strip().splitlines()[-1] == "custode: interrupted; nothing half-done was kept", err
    assert not diff(world["old"], fingerprint_of(server, ["shop"]))
    assert not leftovers(server)
    holder.join()


def test_the_target_server_killed_inside_the_swap_is_settled_after_it_restarts(
        tmp_path: Path, world: dict[str, Any]) -> None:
    """A throwaway server of its own (the session's servers must live): the restore onto it is
    blocked inside its swap, the server is killed with SIGKILL, started again, and cleanup brings
    the target back to its old state."""
    env = world["env"]
    server = LocalServer(tmp_path / "crash" / "data")
    server.start()
    try:
        execute(server, *NEW, *OLD_CHANGES)
        old = fingerprint_of(server, ["shop"])
        env = {**env, "CUSTODE_SERVER": server.url}
        holder = _hold_the_items_table(server, 60)
        restore = _restore_in_background(env, 60)
        try:
            _wait_for_its_journal(server, restore)
            time.sleep(1.5)
            server.kill()
            _, err = restore.communicate(timeout=60)
        finally:
            if restore.poll() is None:
                restore.kill()
        assert restore.returncode == 1 and "Traceback" not in err, err
        assert err.strip().splitlines()[-1].startswith("custode: error: "), err
        holder.join(timeout=5)
        server.start()
        assert leftovers(server), "the journal did not survive the crash"
        cleaned = custode(env, "cleanup")
        assert cleaned.returncode == 0, cleaned.stderr
        assert not diff(old, fingerprint_of(server, ["shop"])) and not leftovers(server)
    finally:
        server.stop()
