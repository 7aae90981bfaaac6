"""Repository locks: files `locks/<random hex>` that say who is working on a repository.

Shared locks (backup, verify, restore, copy) coexist; an exclusive lock (forget, prune) needs the
repository to itself.  A lock is plain JSON (docs/FORMAT.md, "Locks"), written through the Storage
like any file, so it works the same on a folder, S3, SFTP, FTPS or rclone, and `custode unlock`
needs no passphrase.

Taking a lock: look for live locks that conflict (fail at once if there is one), write our lock,
then list again and re-check, because another process may have written its lock between our look
and our write.  When the re-check finds a conflict, both sides may have seen each other: each
removes its own lock, waits a random moment and tries again, until `wait` seconds have passed.

While held, a timer thread rewrites the lock every `refresh_interval` seconds.  A lock is stale
when it was not refreshed for `stale_after` seconds, or when it was written on this host by a
process that no longer runs; stale locks do not block anybody, and `custode unlock` removes them.
If the holder itself cannot refresh in time (the laptop slept, the network was down) or finds its
lock file gone (`unlock --force`), it marks the lock lost: `RepositoryLock.check()` then raises, so
a long job stops before it deletes or writes on the strength of a lock it no longer has.
"""

from __future__ import annotations

import contextlib
import getpass
import json
import os
import random
import socket
import sys
import threading
import time
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from app import __version__
from app.core.errors import ObjectLocked, OperationFailed, RepositoryLocked, StorageReadOnly
from app.core.storage import Storage

PREFIX = "locks"
REFRESH_INTERVAL = 5 * 60.0     # seconds between refreshes of a held lock
STALE_AFTER = 30 * 60.0         # a lock not refreshed for this long is stale
RACE_WAIT = 5.0                 # how long to retry when two processes took locks at the same moment
EXCLUSIVE_OPERATIONS = frozenset({"forget", "prune"})

Clock = Callable[[], datetime]


def _utc_now() -> datetime:
    return datetime.now(UTC)


def _iso(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%f")[:-3] + "Z"


@dataclass(frozen=True)
class LockInfo:
    """One lock file as read back."""

    name: str                   # storage name, locks/<hex>
    user: str = "?"
    host: str = "?"
    pid: int = 0
    program: str = ""
    operation: str = "?"
    exclusive: bool = False
    created: datetime | None = None
    refreshed: datetime | None = None
    released: bool = False      # released, but the storage refused to delete it (Object Lock)
    readable: bool = True

    @classmethod
    def parse(cls, name: str, data: bytes) -> LockInfo:
        try:
            doc = json.loads(data)
            if not isinstance(doc, dict):
                raise ValueError("not an object")
            return cls(name=name, user=str(doc.get("user", "?")), host=str(doc.get("host", "?")),
                       pid=int(doc.get("pid", 0)), program=str(doc.get("program", "")),
                       operation=str(doc.get("operation", "?")),
                       exclusive=bool(doc.get("exclusive", False)),
                       created=_parse(doc.get("created")), refreshed=_parse(doc.get("refreshed")),
                       released=bool(doc.get("released", False)))
        except (ValueError, TypeError):
            return cls(name=name, readable=False)

    def age(self, now: datetime) -> float:
        """Seconds since the lock was last refreshed (or created)."""
        moment = self.refreshed or self.created
        return (now - moment).total_seconds() if moment else float("inf")

    def stale_reason(self, now: datetime, stale_after: float = STALE_AFTER,
                     host: str | None = None) -> str | None:
        """Why this lock no longer protects anything, or None when it is live."""
        if not self.readable:
            return f"unreadable lock file {self.name}"
        if self.released:
            return f"lock by {self.operation} on host {self.host}, released (kept by the storage)"
        age = self.age(now)
        if age > stale_after:
            return (f"lock by {self.operation} on host {self.host}, pid {self.pid}, not refreshed "
                    f"for {_age_text(age)} (stale after {_age_text(stale_after)})")
        if self.host == (host or this_host()) and not pid_running(self.pid):
            return (f"lock by {self.operation} on host {self.host}, pid {self.pid}, which no "
                    "longer runs")
        return None

    def describe(self, now: datetime) -> str:
        kind = "exclusive" if self.exclusive else "shared"
        return (f"{self.operation} ({kind}) by {self.user} on host {self.host}, pid {self.pid}, "
                f"started {_age_text((now - self.created).total_seconds()) if self.created else '?'}"
                f" ago, refreshed {_age_text(self.age(now))} ago")


def _parse(text: object) -> datetime | None:
    if not isinstance(text, str):
        return None
    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        return None
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment


def _age_text(seconds: float) -> str:
    if seconds == float("inf"):
        return "an unknown time"
    seconds = max(0, int(seconds))
    if seconds < 120:
        return f"{seconds} s"
    if seconds < 2 * 3600:
        return f"{seconds // 60} min"
    if seconds < 2 * 86400:
        return f"{seconds // 3600} h"
    return f"{seconds // 86400} days"


def this_host() -> str:
    return socket.gethostname()


def _user() -> str:
    try:
        return getpass.getuser()
    except (OSError, KeyError):   # no name for this uid (containers)
        return f"uid {os.getuid()}" if hasattr(os, "getuid") else "?"


def pid_running(pid: int) -> bool:
    """Whether a process with this id runs on this machine (True when it cannot be told)."""
    if pid <= 0:
        return False
    if sys.platform == "win32":
        return _windows_pid_running(pid)
    try:
        os.kill(pid, 0)           # signal 0: no signal, only the check
    except ProcessLookupError:
        return False
    except PermissionError:
        return True               # it runs, under another user
    except OSError:
        return True
    return True


def _windows_pid_running(pid: int) -> bool:   # pragma: no cover - Windows only
    # os.kill(pid, 0) would terminate the process on Windows: ask OpenProcess instead.
    import ctypes

    kernel32 = ctypes.windll.kernel32  # type: ignore[attr-defined]
    handle = kernel32.OpenProcess(0x1000, False, pid)   # PROCESS_QUERY_LIMITED_INFORMATION
    if not handle:
        return kernel32.GetLastError() == 5              # access denied: it exists
    try:
        code = ctypes.c_ulong()
        if not kernel32.GetExitCodeProcess(handle, ctypes.byref(code)):
            return True
        return code.value == 259                          # STILL_ACTIVE
    finally:
        kernel32.CloseHandle(handle)


def list_locks(storage: Storage) -> list[LockInfo]:
    """Every lock file of the repository (a file released meanwhile is left out)."""
    found = []
    for name in storage.list(PREFIX):
        try:
            data = b"".join(storage.read(name))
        except FileNotFoundError:
            continue
        found.append(LockInfo.parse(name, data))
    return found


def conflicts(locks: list[LockInfo], exclusive: bool, now: datetime, stale_after: float,
              own: str = "") -> list[LockInfo]:
    """The live locks among `locks` that an (exclusive or shared) lock cannot coexist with."""
    return [lock for lock in locks
            if lock.name != own and (exclusive or lock.exclusive)
            and lock.stale_reason(now, stale_after) is None]


def _refusal(operation: str, exclusive: bool, blocking: list[LockInfo], now: datetime,
             stale_after: float) -> RepositoryLocked:
    lock = max(blocking, key=lambda b: (b.exclusive, b.created or now))
    others = f" (and {len(blocking) - 1} more)" if len(blocking) > 1 else ""
    why = (f"{operation} needs the repository to itself" if exclusive
           else f"{operation} cannot run during {lock.operation}")
    return RepositoryLocked(
        f"cannot {operation}: the repository is locked by {lock.describe(now)}{others}; {why}. "
        f"Wait for it to finish; if it no longer runs, 'custode unlock' removes locks not "
        f"refreshed for {_age_text(stale_after)} or left by a process gone from this host")


class RepositoryLock:
    """A lock this process holds; see `repository_lock`."""

    def __init__(self, storage: Storage, exclusive: bool, operation: str, *,
                 refresh_interval: float = REFRESH_INTERVAL, stale_after: float = STALE_AFTER,
                 clock: Clock = _utc_now) -> None:
        self.storage = storage
        self.exclusive = exclusive
        self.operation = operation
        self.refresh_interval = refresh_interval
        self.stale_after = stale_after
        self.clock = clock
        self.name = f"{PREFIX}/{uuid.uuid4().hex}"
        self.created = clock()
        self.refreshed = self.created
        self.lost: str | None = None
        self.note = ""              # set when a reader went on without a lock (read-only storage)
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self._write_lock = threading.Lock()

    def document(self) -> dict[str, Any]:
        return {"version": 1, "user": _user(), "host": this_host(), "pid": os.getpid(),
                "program": f"custode {__version__}", "operation": self.operation,
                "exclusive": self.exclusive, "created": _iso(self.created),
                "refreshed": _iso(self.refreshed)}

    def _write(self) -> None:
        data = json.dumps(self.document(), sort_keys=True).encode()
        self.storage.write(self.name, [data])

    def acquire(self, wait: float = RACE_WAIT) -> None:
        deadline = time.monotonic() + wait
        backoff = 0.05
        while True:
            now = self.clock()
            blocking = conflicts(list_locks(self.storage), self.exclusive, now, self.stale_after)
            if blocking:            # somebody was there before us: no point waiting
                raise _refusal(self.operation, self.exclusive, blocking, now, self.stale_after)
            self.created = self.refreshed = self.clock()
            self._write()
            try:
                now = self.clock()
                blocking = conflicts(list_locks(self.storage), self.exclusive, now,
                                     self.stale_after, own=self.name)
            except BaseException:
                with contextlib.suppress(Exception):
                    self.storage.delete(self.name)
                raise
            if not blocking:
                break
            self.storage.delete(self.name)     # a race: both back off, then one of us wins
            if time.monotonic() >= deadline:
                raise _refusal(self.operation, self.exclusive, blocking, now, self.stale_after)
            time.sleep(random.uniform(backoff / 2, backoff))
            backoff = min(backoff * 2, 1.0)
        self._thread = threading.Thread(target=self._refresher, name=f"lock-{self.operation}",
                                        daemon=True)
        self._thread.start()

    def _refresher(self) -> None:
        while not self._stop.wait(self.refresh_interval):
            self.refresh()

    def refresh(self) -> None:
        """Rewrite the lock with a new time; mark it lost when that came too late or it vanished."""
        with self._write_lock:
            if self.lost or self._stop.is_set():
                return
            now = self.clock()
            late = (now - self.refreshed).total_seconds()
            if late > self.stale_after:
                self.lost = (f"the {self.operation} lock was not refreshed for {_age_text(late)} "
                             "(was the computer asleep?); another job may have taken over")
                return
            try:
                if not self.storage.exists(self.name):
                    self.lost = (f"the {self.operation} lock was removed (custode unlock --force?) "
                                 "while the job ran")
                    return
                previous = self.refreshed
                self.refreshed = now
                try:
                    self._write()
                except Exception:
                    self.refreshed = previous
                    raise
            except Exception:   # noqa: BLE001 - a network hiccup: try again at the next tick
                return

    def check(self) -> None:
        """Raise when the lock can no longer be trusted; call it before deleting or committing."""
        if self.lost:
            raise OperationFailed(f"stopped: {self.lost}; run the job again")
        if (self.clock() - self.refreshed).total_seconds() > self.stale_after:
            self.refresh()
            if self.lost:
                raise OperationFailed(f"stopped: {self.lost}; run the job again")

    def release(self) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join()
        with self._write_lock, contextlib.suppress(Exception):
            try:
                self.storage.delete(self.name)
            except ObjectLocked:
                # The bucket gives every new file a retention (S3 Object Lock): mark it released
                # instead, so that nobody waits for it; `unlock` deletes it once the retention ends.
                document = {**self.document(), "released": True}
                self.storage.write(self.name, [json.dumps(document, sort_keys=True).encode()])


@contextlib.contextmanager
def repository_lock(storage: Storage, exclusive: bool, operation: str, *,
                    refresh_interval: float = REFRESH_INTERVAL, stale_after: float = STALE_AFTER,
                    wait: float = RACE_WAIT, clock: Clock = _utc_now,
                    read_only_ok: bool = False) -> Iterator[RepositoryLock]:
    """Hold a shared or exclusive lock on the repository for the duration of the block.

    Raises RepositoryLocked (exit 1) when a live conflicting lock is there.  The lock file is
    removed when the block ends, whether it ends well or not.  A reader (`read_only_ok`, shared)
    of a repository that cannot be written goes on without a lock, as restic's --no-lock does:
    the lock's `note` says so, for the face to show once.
    """
    lock = RepositoryLock(storage, exclusive, operation, refresh_interval=refresh_interval,
                          stale_after=stale_after, clock=clock)
    try:
        lock.acquire(wait)
    except StorageReadOnly as exc:
        if exclusive or not read_only_ok:
            raise
        lock.note = (f"the repository cannot be written ({exc}): {operation} goes on without a "
                     "lock, so nothing may prune it meanwhile")
        yield lock
        return
    try:
        yield lock
    finally:
        lock.release()


@dataclass(frozen=True)
class Removal:
    lock: LockInfo
    reason: str                 # why it was stale, or "forced: ..."


@dataclass
class UnlockReport:
    removed: list[Removal] = field(default_factory=list)
    live: list[LockInfo] = field(default_factory=list)           # left in place (not stale)
    undeletable: list[tuple[LockInfo, str]] = field(default_factory=list)  # storage refused


def unlock(storage: Storage, *, force: bool = False, stale_after: float = STALE_AFTER,
           clock: Clock = _utc_now) -> UnlockReport:
    """Remove stale locks (every lock with `force`)."""
    now = clock()
    report = UnlockReport()
    for lock in list_locks(storage):
        reason = lock.stale_reason(now, stale_after)
        if reason is None and not force:
            report.live.append(lock)
            continue
        try:
            storage.delete(lock.name)
        except ObjectLocked as exc:
            if not lock.released:
                report.undeletable.append((lock, str(exc)))
            continue
        report.removed.append(Removal(lock, reason or f"forced: {lock.describe(now)}"))
    return report


def live_locks(storage: Storage, *, stale_after: float = STALE_AFTER,
               clock: Clock = _utc_now) -> list[LockInfo]:
    now = clock()
    return [lock for lock in list_locks(storage) if lock.stale_reason(now, stale_after) is None]


__all__ = ["EXCLUSIVE_OPERATIONS", "PREFIX", "REFRESH_INTERVAL", "STALE_AFTER", "LockInfo",
           "Removal", "RepositoryLock", "UnlockReport", "list_locks", "live_locks", "pid_running",
           "repository_lock", "unlock"]
