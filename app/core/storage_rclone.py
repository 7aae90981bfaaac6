"""rclone storage: any remote the user configured in rclone (Google Drive, OneDrive, Dropbox, Azure
Blob, Backblaze B2, WebDAV...), driven through the rclone program.

Location: ``rclone:remote:path`` where ``remote`` is a remote of the user's rclone configuration
(``rclone config``; remotes defined by ``RCLONE_CONFIG_<NAME>_TYPE`` variables work too).  rclone
keeps the remote's credentials itself: Custode passes none, on the command line or elsewhere.
The program is found on PATH or at ``CUSTODE_RCLONE``.

Every operation is one rclone process, started without a shell and never allowed to prompt
(``--ask-password=false``, stdin closed):

* write: ``rclone rcat`` streams into a hidden temporary name in the same folder, then
  ``rclone moveto --ignore-times`` renames it over the final name (a server-side move where the
  backend has one; on object stores an upload only appears once complete).  The upload is teed into
  a spool file so that it can be sent again when rclone reports a temporary error (exit status 5);
* read: ``rclone cat`` streams stdout in blocks; after a temporary error it resumes with ``--offset``;
* list: ``rclone lsjson -R --files-only --fast-list``; size and exists: ``rclone lsjson --stat``;
  delete: ``rclone deletefile`` (a file already gone is fine).

A backup asks `exists` for every object it stores, and each call is a process (tens of ms), so the
names under ``data/`` are listed once (one call) and kept: objects are named by their content and
never change, a name this storage writes or deletes updates the list, and the repository lock
keeps prune (the only deleter of objects) away while a backup runs.  A name missing from the list
is absent for `exists` (an object stored meanwhile by another process is at worst uploaded again,
identical); the list is read again after `DATA_CACHE_SECONDS`.  Other names are asked each time.

rclone's stderr becomes one line: its timestamps and log levels are stripped and its last error is
kept.
"""

from __future__ import annotations

import builtins
import datetime
import json
import os
import re
import shutil
import subprocess
import tempfile
import threading
import time
import uuid
from collections.abc import Callable, Iterable, Iterator
from typing import IO, Any

from app.core.errors import ConfigError, OperationFailed
from app.core.storage import READ_BLOCK

RCLONE_ENV = "CUSTODE_RCLONE"
NOT_INSTALLED = ("rclone is not installed: install it (Debian/Ubuntu: sudo apt install rclone; "
                 f"others: https://rclone.org/install/) or set {RCLONE_ENV}")
TEMP_PREFIX = ".tmp-"
ATTEMPTS = 4
BACKOFF = (1.0, 2.0, 4.0)
SPOOL_MEMORY = 8 << 20
DATA_CACHE_SECONDS = 600.0
CALL_TIMEOUT = 600.0          # seconds for a call that is not a transfer (list, stat, move, delete)
# Exit statuses of rclone (https://rclone.org/docs/#exit-code)
EXIT_NOT_FOUND = (3, 4)       # directory / file not found
EXIT_TEMPORARY = 5
COMMON_FLAGS = ("-q", "--ask-password=false")

_REMOTE_NAME = re.compile(r"^[\w][\w.+@ -]*$")
_LOG_PREFIX = re.compile(r"^\d{4}/\d\d/\d\d \d\d:\d\d:\d\d\s+"
                         r"(?:(?:ERROR|NOTICE|INFO|DEBUG|CRITICAL)\s*:\s*)?")


def find_rclone() -> str:
    """The rclone program: CUSTODE_RCLONE, else on PATH; ConfigError saying how to install it."""
    configured = os.environ.get(RCLONE_ENV)
    if configured:
        found = shutil.which(os.path.expanduser(configured))
        if not found:
            raise ConfigError(f"{NOT_INSTALLED} ({RCLONE_ENV}={configured} is not a program)")
        return found
    found = shutil.which("rclone")
    if not found:
        raise ConfigError(NOT_INSTALLED)
    return found


def parse_location(location: str) -> tuple[str, str]:
    """`rclone:remote:path` -> (remote, path)."""
    rest = location.split(":", 1)[1] if ":" in location else ""
    remote, colon, path = rest.partition(":")
    if not colon or not remote:
        raise ConfigError(f"rclone location {location!r} needs a remote: rclone:remote:path "
                          "(see 'rclone listremotes')")
    if not _REMOTE_NAME.match(remote):
        raise ConfigError(f"{remote!r} is not an rclone remote name: use a remote from "
                          "'rclone listremotes' (set its options with 'rclone config')")
    path = path.rstrip("/") if path not in ("", "/") else path
    if ".." in path.split("/"):
        raise ConfigError(f"rclone location {location!r} must not contain '..'")
    return remote, path


def open_rclone(location: str) -> RcloneStorage:
    remote, path = parse_location(location)
    storage = RcloneStorage(location, find_rclone(), remote, path)
    storage.check()
    return storage


class RcloneStorage:
    """A repository folder on an rclone remote (see the module's docstring)."""

    def __init__(self, location: str, program: str, remote: str, path: str) -> None:
        self.location = location
        self.program = program
        self.remote = remote
        self.path = path
        self.sleep: Callable[[float], None] = time.sleep
        self._lock = threading.Lock()
        self._data: set[str] | None = None        # names under data/ known to exist
        self._data_time = 0.0
        self.calls = 0                            # rclone processes started (for measurements)

    def __repr__(self) -> str:
        return f"RcloneStorage({self.location!r})"

    # -- names ----------------------------------------------------------------------------------
    def _check_name(self, name: str) -> None:
        if not name or name.startswith("/") or ".." in name.split("/") or "\n" in name:
            raise ValueError(f"bad storage name {name!r}")

    def _target(self, name: str) -> str:
        if not name:
            return f"{self.remote}:{self.path}"
        if not self.path:
            return f"{self.remote}:{name}"
        return f"{self.remote}:{self.path.rstrip('/')}/{name}"

    # -- running rclone -------------------------------------------------------------------------
    def _command(self, *args: str) -> list[str]:
        return [self.program, *COMMON_FLAGS, *args]

    def _call(self, what: str, *args: str, missing_ok: bool = False) -> str | None:
        """Run a short rclone command with retries on temporary errors; its stdout, or None when
        `missing_ok` and rclone said not found."""
        for attempt in range(ATTEMPTS):
            if attempt:
                self.sleep(BACKOFF[min(attempt - 1, len(BACKOFF) - 1)])
            self.calls += 1
            try:
                done = subprocess.run(self._command(*args), stdin=subprocess.DEVNULL,
                                      capture_output=True, text=True, check=False,
                                      timeout=CALL_TIMEOUT)
            except FileNotFoundError:
                raise ConfigError(NOT_INSTALLED) from None
            except subprocess.TimeoutExpired:
                if attempt + 1 < ATTEMPTS:
                    continue
                raise OperationFailed(f"rclone took too long {what} on {self.remote}:") from None
            if done.returncode == 0:
                return done.stdout
            if missing_ok and done.returncode in EXIT_NOT_FOUND:
                return None
            if done.returncode != EXIT_TEMPORARY or attempt + 1 == ATTEMPTS:
                raise self._error(what, done.returncode, done.stderr)
        raise AssertionError("unreachable")

    def _error(self, what: str, status: int, stderr: str) -> Exception:
        message = _last_error(stderr)
        if "didn't find section in config file" in stderr:
            return ConfigError(f"rclone has no remote named {self.remote!r}: create it with "
                               "'rclone config' (or check RCLONE_CONFIG)")
        if status == 1 and "unknown flag" in stderr:
            return OperationFailed(f"this rclone is too old for Custode ({message}): install a "
                                   "current one (https://rclone.org/install/)")
        hint = "retry later" if status == EXIT_TEMPORARY else \
            f"check the remote with 'rclone lsd {self.remote}:'"
        return OperationFailed(f"rclone failed {what} on {self.remote}: "
                               f"{message or f'exit status {status}'}; {hint}")

    def check(self) -> None:
        """Ask once whether the remote works (unknown remote, expired token...) at opening."""
        self._call("opening the repository", "lsjson", "--stat", self._target(""), missing_ok=True)

    # -- the Storage protocol -------------------------------------------------------------------
    def _stat(self, name: str) -> dict[str, Any] | None:
        out = self._call(f"looking at {name}", "lsjson", "--stat", self._target(name), missing_ok=True)
        if out is None:
            return None
        entry: dict[str, Any] = json.loads(out)
        return None if entry.get("IsDir") else entry

    def exists(self, name: str) -> bool:
        self._check_name(name)
        if name.startswith("data/"):
            # From the list (see the module's docstring).  An object another process stored after
            # the list was taken counts as absent until it is read again: at worst it is uploaded
            # once more, with the same content under the same name.
            return name in self._data_names()
        return self._stat(name) is not None

    def _data_names(self) -> set[str]:
        with self._lock:
            if self._data is not None and time.monotonic() - self._data_time < DATA_CACHE_SECONDS:
                return self._data
        names = set(self._list("data"))
        with self._lock:
            self._data, self._data_time = names, time.monotonic()
            return names

    def size(self, name: str) -> int:
        self._check_name(name)
        entry = self._stat(name)
        if entry is None:
            raise FileNotFoundError(name)
        return int(entry["Size"])

    def delete(self, name: str) -> None:
        self._check_name(name)
        try:
            self._call(f"deleting {name}", "deletefile", "--retries", "1", self._target(name),
                       missing_ok=True)
        except OperationFailed:
            if self._stat(name) is not None:
                raise
        with self._lock:
            if self._data is not None:
                self._data.discard(name)

    def list(self, prefix: str) -> Iterator[str]:
        if prefix:
            self._check_name(prefix.rstrip("/"))
        return iter(self._list(prefix.rstrip("/")))

    def _list(self, prefix: str) -> builtins.list[str]:
        out = self._call(f"listing {prefix or 'the repository'}", "lsjson", "-R", "--files-only",
                         "--fast-list", "--no-mimetype", "--no-modtime", self._target(prefix),
                         missing_ok=True)
        if out is None:
            return []
        head = f"{prefix}/" if prefix else ""
        names = [head + entry["Path"] for entry in json.loads(out)
                 if not entry.get("IsDir") and not entry["Name"].startswith(TEMP_PREFIX)]
        return sorted(names)

    def temporary_files(self) -> Iterator[tuple[str, int, float]]:
        """The `.tmp-*` files that killed writers left: storage name, size, time of last change."""
        out = self._call("listing the repository", "lsjson", "-R", "--files-only", "--fast-list",
                         "--no-mimetype", self._target(""), missing_ok=True)
        found: builtins.list[tuple[str, int, float]] = []
        for entry in json.loads(out) if out else []:
            if entry.get("IsDir") or not entry["Name"].startswith(TEMP_PREFIX):
                continue
            try:
                changed = datetime.datetime.fromisoformat(entry["ModTime"]).timestamp()
            except (KeyError, TypeError, ValueError):
                changed = 0.0        # no time known: as old as can be (prune's lock makes it safe)
            found.append((entry["Path"], int(entry.get("Size") or 0), changed))
        return iter(sorted(found))

    def read(self, name: str) -> Iterator[bytes]:
        """Start `rclone cat` now (FileNotFoundError when there is no such file) and stream it."""
        self._check_name(name)
        cat = _Cat(self, name, 0)
        try:
            first = cat.read()
            if not first:
                status, stderr = cat.finish()
                if status in EXIT_NOT_FOUND:
                    raise FileNotFoundError(name)
                if status != 0:
                    raise self._error(f"reading {name}", status, stderr)
                return iter(())                       # an empty file
        except BaseException:
            cat.kill()
            raise
        return self._stream(name, cat, first)

    def _stream(self, name: str, cat: _Cat, first: bytes) -> Iterator[bytes]:
        offset = 0
        resumes = 0
        block = first
        try:
            while True:
                if block:
                    offset += len(block)
                    yield block
                block = cat.read()
                if block:
                    continue
                status, stderr = cat.finish()
                if status == 0:
                    return
                if status != EXIT_TEMPORARY or resumes + 1 >= ATTEMPTS:
                    raise self._error(f"reading {name}", status, stderr)
                resumes += 1
                self.sleep(BACKOFF[min(resumes - 1, len(BACKOFF) - 1)])
                cat = _Cat(self, name, offset)
                block = b""
        finally:
            cat.kill()

    def write(self, name: str, blocks: Iterable[bytes]) -> int:
        self._check_name(name)
        folder, _, _base = name.rpartition("/")
        temp = f"{folder}/{TEMP_PREFIX}{uuid.uuid4().hex}" if folder else \
            f"{TEMP_PREFIX}{uuid.uuid4().hex}"
        source = iter(blocks)
        try:
            with tempfile.SpooledTemporaryFile(max_size=SPOOL_MEMORY) as spool:
                written = self._upload(name, temp, source, spool)
            self._call(f"writing {name}", "moveto", "--ignore-times", self._target(temp),
                       self._target(name))
        except BaseException:
            try:
                self._call(f"cleaning up after {name}", "deletefile", "--retries", "1",
                           self._target(temp), missing_ok=True)
            except (OperationFailed, ConfigError):
                pass
            raise
        if name.startswith("data/"):
            with self._lock:
                if self._data is not None:
                    self._data.add(name)
        return written

    def _upload(self, name: str, temp: str, source: Iterator[bytes], spool: IO[bytes]) -> int:
        for attempt in range(ATTEMPTS):
            if attempt:
                self.sleep(BACKOFF[min(attempt - 1, len(BACKOFF) - 1)])
            with tempfile.TemporaryFile() as errors:
                self.calls += 1
                try:
                    process = subprocess.Popen(self._command("rcat", self._target(temp)),
                                               stdin=subprocess.PIPE, stdout=subprocess.DEVNULL,
                                               stderr=errors)
                except FileNotFoundError:
                    raise ConfigError(NOT_INSTALLED) from None
                assert process.stdin is not None
                try:
                    spool.seek(0)
                    for block in _replay_then_tee(spool, source):
                        process.stdin.write(block)
                    process.stdin.close()
                except BrokenPipeError:
                    pass                              # rclone stopped: its status says why
                except BaseException:
                    process.kill()                    # before stdin closes: no partial upload
                    process.wait()
                    raise
                status = process.wait()
                if status == 0:
                    return spool.tell()
                errors.seek(0)
                stderr = errors.read().decode(errors="replace")
            if status != EXIT_TEMPORARY or attempt + 1 == ATTEMPTS:
                raise self._error(f"writing {name}", status, stderr)
            for _rest in _replay_then_tee(spool, source):
                pass                                  # the whole source into the spool first
        raise AssertionError("unreachable")


class _Cat:
    """One `rclone cat` process reading a file from `offset`."""

    def __init__(self, storage: RcloneStorage, name: str, offset: int) -> None:
        self.errors = tempfile.TemporaryFile()  # noqa: SIM115 - closed in finish/kill
        args = ["cat", *(["--offset", str(offset)] if offset else []), storage._target(name)]
        storage.calls += 1
        try:
            self.process = subprocess.Popen(storage._command(*args), stdin=subprocess.DEVNULL,
                                            stdout=subprocess.PIPE, stderr=self.errors)
        except FileNotFoundError:
            self.errors.close()
            raise ConfigError(NOT_INSTALLED) from None
        assert self.process.stdout is not None
        self.stdout = self.process.stdout

    def read(self) -> bytes:
        return self.stdout.read(READ_BLOCK)

    def finish(self) -> tuple[int, str]:
        """Wait for rclone to end: its exit status and stderr."""
        status = self.process.wait()
        self.errors.seek(0)
        stderr = self.errors.read().decode(errors="replace")
        self.errors.close()
        self.stdout.close()
        return status, stderr

    def kill(self) -> None:
        if self.process.poll() is None:
            self.process.kill()
            self.process.wait()
        self.stdout.close()
        self.errors.close()


def _replay_then_tee(spool: IO[bytes], source: Iterator[bytes]) -> Iterator[bytes]:
    """What an earlier try already took from the source, then the rest of it, copied on the way."""
    spool.seek(0)
    while block := spool.read(READ_BLOCK):
        yield block
    for block in source:
        if block:
            spool.write(block)
            yield block


def _last_error(stderr: str) -> str:
    """rclone's last meaningful line, without timestamp and log level, shortened."""
    lines = [_LOG_PREFIX.sub("", line).strip() for line in stderr.splitlines()]
    lines = [line for line in lines if line and not line.startswith("Config file")]
    if not lines:
        return ""
    text = lines[-1]
    for prefix in ("Failed to ", "failed to "):
        if text.startswith(prefix):
            text = text.removeprefix(prefix)
            text = text.split(":", 1)[1].strip() if ":" in text else text
    return text[:300]
