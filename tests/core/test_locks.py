"""Repository locks on a real folder, with real threads and real processes racing for them."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from app.core.errors import ObjectLocked, OperationFailed, RepositoryLocked
from app.core.locks import list_locks, live_locks, repository_lock, this_host, unlock
from app.core.storage import LocalStorage

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def storage(tmp_path: Path) -> LocalStorage:
    return LocalStorage(tmp_path / "repo")


def wait_for(condition: Callable[[], bool], timeout: float = 10.0) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, "condition not met in time"
        time.sleep(0.01)


def plant(storage: LocalStorage, name: str, *, host: str = "elsewhere", pid: int = 4242,
          operation: str = "backup", exclusive: bool = False, age: timedelta = timedelta(0)) -> str:
    """A lock file as another Custode process would have left it."""
    moment = (datetime.now(UTC) - age).isoformat().replace("+00:00", "Z")
    storage.write(f"locks/{name}", [json.dumps({
        "version": 1, "user": "alice", "host": host, "pid": pid, "program": "custode 0.1.0",
        "operation": operation, "exclusive": exclusive, "created": moment,
        "refreshed": moment}).encode()])
    return f"locks/{name}"


def test_shared_locks_coexist_and_are_removed_on_release(storage: LocalStorage) -> None:
    with repository_lock(storage, False, "backup") as one, repository_lock(storage, False, "verify"):
        locks = list_locks(storage)
        assert sorted(x.operation for x in locks) == ["backup", "verify"]
        mine = next(x for x in locks if x.name == one.name)
        assert (mine.host, mine.pid, mine.exclusive) == (this_host(), os.getpid(), False)
        assert mine.program.startswith("custode ") and mine.user
    assert list(storage.list("locks")) == []


def test_exclusive_needs_the_repository_to_itself(storage: LocalStorage) -> None:
    with repository_lock(storage, False, "backup"):
        with pytest.raises(RepositoryLocked) as refused, repository_lock(storage, True, "prune"):
            pytest.fail("prune ran beside a backup")
        message = str(refused.value)
        assert message.startswith("cannot prune: the repository is locked by backup (shared) by ")
        assert f"on host {this_host()}, pid {os.getpid()}" in message and "ago" in message
        assert "'custode unlock'" in message and "\n" not in message
        assert len(list_locks(storage)) == 1          # the refused one left nothing behind
    with repository_lock(storage, True, "prune"):
        with (pytest.raises(RepositoryLocked, match="backup cannot run during prune"),
              repository_lock(storage, False, "backup")):
            pytest.fail("backup ran during prune")
        with (pytest.raises(RepositoryLocked, match="forget needs the repository to itself"),
              repository_lock(storage, True, "forget")):
            pytest.fail("two exclusive locks")
    assert list(storage.list("locks")) == []


def test_a_lock_is_released_when_the_block_fails(storage: LocalStorage) -> None:
    with pytest.raises(ZeroDivisionError), repository_lock(storage, True, "forget"):
        _ = 1 / 0
    assert list(storage.list("locks")) == []


def test_a_held_lock_is_refreshed(storage: LocalStorage) -> None:
    with repository_lock(storage, False, "backup", refresh_interval=0.05) as lock:
        first = list_locks(storage)[0].refreshed
        assert first is not None
        wait_for(lambda: list_locks(storage)[0].refreshed != first)
        assert list_locks(storage)[0].created == lock.created.replace(
            microsecond=lock.created.microsecond // 1000 * 1000)
        lock.check()


def test_stale_locks_do_not_block_and_unlock_removes_only_those(storage: LocalStorage) -> None:
    old = plant(storage, "old", exclusive=True, operation="prune", age=timedelta(hours=2))
    live = plant(storage, "live", operation="backup", age=timedelta(minutes=1))
    # A process of this host that has ended: stale at once, whatever its age.
    child = subprocess.Popen([sys.executable, "-c", "pass"])
    child.wait()
    gone = plant(storage, "gone", host=this_host(), pid=child.pid, operation="verify")
    with repository_lock(storage, False, "restore"):     # the stale exclusive lock is no obstacle
        pass
    with (pytest.raises(RepositoryLocked, match="locked by backup"),
          repository_lock(storage, True, "forget")):      # the live shared one is
        pass
    report = unlock(storage)
    removed = {r.lock.name: r.reason for r in report.removed}
    assert set(removed) == {old, gone}
    assert removed[old] == ("lock by prune on host elsewhere, pid 4242, not refreshed for 2 h "
                            "(stale after 30 min)")
    assert removed[gone] == (f"lock by verify on host {this_host()}, pid {child.pid}, which no "
                             "longer runs")
    assert [x.name for x in report.live] == [live]
    assert list(storage.list("locks")) == [live]
    forced = unlock(storage, force=True)
    assert [r.lock.name for r in forced.removed] == [live]
    assert forced.removed[0].reason.startswith("forced: backup (shared) by alice on host elsewhere")
    assert list(storage.list("locks")) == []


def test_unreadable_lock_files_are_ignored_and_unlocked(storage: LocalStorage) -> None:
    storage.write("locks/junk", [b"\x00not json"])
    with repository_lock(storage, True, "prune"):
        pass
    report = unlock(storage)
    assert [(r.lock.name, r.reason) for r in report.removed] == [
        ("locks/junk", "unreadable lock file locks/junk")]


class _Clock:
    def __init__(self) -> None:
        self.now = datetime.now(UTC)

    def __call__(self) -> datetime:
        return self.now


def test_a_lock_not_refreshed_in_time_is_lost(storage: LocalStorage) -> None:
    clock = _Clock()
    with repository_lock(storage, True, "prune", clock=clock, stale_after=60) as lock:
        lock.check()
        clock.now += timedelta(seconds=30)
        lock.refresh()
        lock.check()
        clock.now += timedelta(minutes=5)               # the laptop slept with the job running
        with pytest.raises(OperationFailed, match=r"not refreshed for 5 min \(was the computer asleep"):
            lock.check()
    assert list(storage.list("locks")) == []


def test_a_lock_removed_by_force_is_lost(storage: LocalStorage) -> None:
    with repository_lock(storage, True, "prune") as lock:
        unlock(storage, force=True)
        lock.refresh()
        with pytest.raises(OperationFailed, match="lock was removed"):
            lock.check()
        assert list(storage.list("locks")) == []        # refreshing did not bring it back


class _RetainingStorage(LocalStorage):
    """A folder that refuses deletes like a bucket with a default Object Lock retention."""

    def delete(self, name: str) -> None:
        raise ObjectLocked(f"{name} is under retention", name, "2030-01-01T00:00:00Z")


def test_under_object_lock_a_released_lock_is_marked_and_does_not_block(tmp_path: Path) -> None:
    storage = _RetainingStorage(tmp_path / "repo")
    with repository_lock(storage, True, "prune"):
        pass
    (left,) = list_locks(storage)
    assert left.released and live_locks(storage) == []
    with repository_lock(storage, True, "forget"):
        pass
    report = unlock(storage)
    assert report.removed == [] and report.undeletable == [] and report.live == []


WORKER = """
import os, sys, time
from pathlib import Path
from app.core.errors import RepositoryLocked
from app.core.locks import repository_lock
from app.core.storage import LocalStorage

storage = LocalStorage(Path(sys.argv[1]))
log = sys.argv[2]
start = float(sys.argv[3])
exclusive = sys.argv[4] == "x"
while time.time() < start:
    time.sleep(0.001)
done = refused = 0
while done < 5:
    try:
        with repository_lock(storage, exclusive, "prune" if exclusive else "backup", wait=10):
            fd = os.open(log, os.O_WRONLY | os.O_APPEND)
            os.write(fd, f"in {os.getpid()} {'x' if exclusive else 's'}\\n".encode())
            time.sleep(0.03)
            os.write(fd, f"out {os.getpid()} {'x' if exclusive else 's'}\\n".encode())
            os.close(fd)
            done += 1
    except RepositoryLocked:
        refused += 1
        time.sleep(0.01)
print(done, refused)
"""


@pytest.mark.parametrize("kinds", ["xx", "xs"])
def test_processes_racing_never_hold_conflicting_locks(tmp_path: Path, kinds: str) -> None:
    log = tmp_path / "log"
    log.touch()
    start = time.time() + 1.0           # both start their first attempt at the same moment
    workers = [subprocess.Popen([sys.executable, "-c", WORKER, str(tmp_path / "repo"), str(log),
                                 str(start), kind], cwd=ROOT, stdout=subprocess.PIPE, text=True,
                                env={**os.environ, "PYTHONPATH": str(ROOT)}) for kind in kinds]
    outputs = [w.communicate(timeout=60)[0] for w in workers]
    assert [w.returncode for w in workers] == [0, 0], outputs
    inside: dict[str, str] = {}
    entries = 0
    for line in log.read_text().splitlines():
        step, pid, kind = line.split()
        if step == "in":
            entries += 1
            assert "x" not in inside.values() and (kind == "s" or not inside), \
                f"{kind} lock of {pid} taken while {inside} held"
            inside[pid] = kind
        else:
            del inside[pid]
    assert entries == 10 and not inside
    assert list((tmp_path / "repo" / "locks").iterdir()) == []
