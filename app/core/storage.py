"""Storage backends: where a repository's files live.

A backend knows nothing of encryption or backups; it stores named files.  Names are relative paths
with forward slashes (`data/ab/ab12...`).  Every write is atomic: a reader sees the whole file or
nothing, which is what keeps an interrupted backup from ever looking complete.
"""

from __future__ import annotations

import contextlib
import errno
import importlib
import json
import os
import threading
import uuid
from collections.abc import Iterable, Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Protocol

from app.core.errors import ConfigError, OperationFailed, StorageFull, StorageReadOnly
from app.core.faults import fault_point

READ_BLOCK = 1 << 20
SYNC_THREADS = 16   # fsyncs in flight at once: the file system commits them together


class Storage(Protocol):
    """What a repository needs from a place to keep files."""

    location: str

    def exists(self, name: str) -> bool: ...

    def read(self, name: str) -> Iterator[bytes]: ...

    def write(self, name: str, blocks: Iterable[bytes]) -> int: ...

    def list(self, prefix: str) -> Iterator[str]: ...

    def size(self, name: str) -> int: ...

    def delete(self, name: str) -> None: ...


class LocalStorage:
    """A folder on a local disk or a mounted network share."""

    def __init__(self, root: Path) -> None:
        self.root = Path(root).expanduser().absolute()
        self.location = str(self.root)
        # Files written with write_deferred: final name -> its temporary file, not yet durable.
        self._pending: dict[str, Path] = {}
        self._pending_lock = threading.Lock()

    def _path(self, name: str) -> Path:
        if name.startswith("/") or ".." in name.split("/"):
            raise ValueError(f"bad storage name {name!r}")
        return self.root / name

    def _current(self, name: str) -> Path:
        """Where the file of `name` is now: its temporary file while it is deferred."""
        path = self._path(name)
        with self._pending_lock:
            return self._pending.get(name, path)

    def exists(self, name: str) -> bool:
        return self._current(name).is_file()

    def read(self, name: str) -> Iterator[bytes]:
        path = self._current(name)
        try:
            handle = open(path, "rb")  # noqa: SIM115 - closed by the generator
        except FileNotFoundError:
            raise FileNotFoundError(name) from None
        except OSError as exc:
            raise OperationFailed(f"cannot read {path}: {exc.strerror}") from None
        return self._blocks(handle)

    @staticmethod
    def _blocks(handle: object) -> Iterator[bytes]:
        with handle:  # type: ignore[attr-defined]
            while block := handle.read(READ_BLOCK):  # type: ignore[attr-defined]
                yield block

    def write(self, name: str, blocks: Iterable[bytes]) -> int:
        """Write to a temporary file, fsync, then rename into place (atomic on POSIX)."""
        path = self._path(name)
        temp, written = self._write_temporary(path, blocks, sync=True)
        try:
            fault_point("storage-before-rename")
            os.replace(temp, path)
            _fsync_dir(path.parent)
        except OSError as exc:
            with contextlib.suppress(OSError):
                temp.unlink(missing_ok=True)
            raise self._write_error(exc) from None
        except BaseException:
            temp.unlink(missing_ok=True)
            raise
        return written

    def _write_temporary(self, path: Path, blocks: Iterable[bytes], sync: bool) -> tuple[Path, int]:
        """The blocks in a new `.tmp-*` file beside `path` (fsync'ed when `sync`); removed again
        on any failure."""
        temp = path.with_name(f".tmp-{uuid.uuid4().hex}")
        written = 0
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            with open(temp, "wb") as handle:
                for block in blocks:
                    handle.write(block)
                    written += len(block)
                if sync:
                    handle.flush()
                    os.fsync(handle.fileno())
        except OSError as exc:
            with contextlib.suppress(OSError):   # (the folder may be a file: nothing was made)
                temp.unlink(missing_ok=True)
            raise self._write_error(exc) from None
        except BaseException:
            temp.unlink(missing_ok=True)
            raise
        return temp, written

    def write_deferred(self, name: str, blocks: Iterable[bytes]) -> int:
        """Write a file that becomes durable, and visible under its name, only at `sync_deferred`.

        Thousands of small objects each fsync'ed and renamed on its own cost a disk flush each
        (10,000 tables: 4-5 s of a backup's 17-21 s); together they cost a few rounds of flushes.
        Until then the file is a `.tmp-*` one that a killed job leaves to `prune`, never a final
        name whose content a power cut could have lost.
        """
        temp, written = self._write_temporary(self._path(name), blocks, sync=False)
        with self._pending_lock:
            if name in self._pending:           # the same object twice: keep one
                temp.unlink(missing_ok=True)
            else:
                self._pending[name] = temp
        return written

    def sync_deferred(self) -> None:
        """Make every deferred file durable, then give it its name: fsync the files together
        (the file system commits them in a few rounds), rename, fsync their folders."""
        with self._pending_lock:
            pending, self._pending = self._pending, {}
        if not pending:
            return
        try:
            with ThreadPoolExecutor(max_workers=SYNC_THREADS) as pool:
                list(pool.map(_fsync_dir, pending.values()))   # (a file: the same call)
                for name, temp in pending.items():
                    fault_point("storage-before-rename")
                    os.replace(temp, self._path(name))
                list(pool.map(_fsync_dir, {self._path(name).parent for name in pending}))
        except OSError as exc:
            self.discard_deferred(pending)
            raise self._write_error(exc) from None
        except BaseException:
            self.discard_deferred(pending)
            raise

    def discard_deferred(self, pending: dict[str, Path] | None = None) -> None:
        """Remove deferred files that will not be needed (the job failed)."""
        if pending is None:
            with self._pending_lock:
                pending, self._pending = self._pending, {}
        for temp in pending.values():
            with contextlib.suppress(OSError):
                temp.unlink(missing_ok=True)

    def _write_error(self, exc: OSError) -> Exception:
        if exc.errno in (errno.EROFS, errno.EACCES, errno.EPERM):
            return StorageReadOnly(f"cannot write to {self.root}: {exc.strerror or exc}")
        if exc.errno == errno.ENOSPC:
            return StorageFull(f"cannot write to {self.root}: {exc.strerror or exc}; free some "
                               "space (e.g. 'custode forget ... --prune') and run it again: "
                               "what was stored is reused")
        return OperationFailed(f"cannot write to {self.root}: {exc.strerror or exc}")

    def list(self, prefix: str) -> Iterator[str]:
        base = self._path(prefix) if prefix else self.root
        if not base.is_dir():
            return
        for path in sorted(base.rglob("*")):
            if path.is_file() and not path.name.startswith(".tmp-"):
                yield path.relative_to(self.root).as_posix()

    def size(self, name: str) -> int:
        return self._current(name).stat().st_size

    def temporary_files(self) -> Iterator[tuple[str, int, float]]:
        """The `.tmp-*` files that writes left behind (a job killed mid-write): storage name,
        size, time of last change (seconds since the epoch)."""
        if not self.root.is_dir():
            return
        for path in sorted(self.root.rglob(".tmp-*")):
            with contextlib.suppress(FileNotFoundError):
                if path.is_file():
                    stat = path.stat()
                    yield path.relative_to(self.root).as_posix(), stat.st_size, stat.st_mtime

    def delete(self, name: str) -> None:
        self._path(name).unlink(missing_ok=True)


def _fsync_dir(folder: Path) -> None:
    """fsync a folder (or a file: the same call, read-only)."""
    fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


# Remote kinds: scheme -> (module, opener).  Imported only when used, so a local repository never
# pays for boto3 or paramiko; each opener takes the whole location and returns a Storage.
REMOTE_KINDS: dict[str, tuple[str, str]] = {
    "s3": ("app.core.storage_s3", "open_s3"),
    "sftp": ("app.core.storage_sftp", "open_sftp"),
    "ftps": ("app.core.storage_ftps", "open_ftps"),
    "rclone": ("app.core.storage_rclone", "open_rclone"),
}


def scheme_of(location: str) -> str:
    """The lower-case text before the first ':' (`s3`, `rclone`, `file`, `c` for C:\\...), or ''."""
    return location.split(":", 1)[0].lower() if ":" in location else ""


def kind_of(location: str) -> str:
    """`folder`, or the remote kind of a location: `s3`, `sftp`, `ftps`, `rclone`."""
    scheme = scheme_of(location)
    return scheme if scheme in REMOTE_KINDS else "folder"


def open_storage(location: str) -> Storage:
    """Turn a repository location from the command line or the config into a backend.

    A folder path (or file://path) is local; s3://bucket/prefix, sftp://user@host/path,
    ftps://user@host/path and rclone:remote:path are remote (see docs/STORAGE.md).
    """
    if not location:
        raise ConfigError("no repository given: use --repo LOCATION or set CUSTODE_REPO")
    scheme = scheme_of(location)
    if scheme in REMOTE_KINDS:
        module_name, opener = REMOTE_KINDS[scheme]
        try:
            module = importlib.import_module(module_name)
        except ModuleNotFoundError as exc:
            raise ConfigError(f"{scheme} repositories are not available in this installation "
                              f"({exc.name} is missing); reinstall Custode") from None
        storage: Storage = getattr(module, opener)(location)
        return storage
    if "://" in location and scheme != "file":
        raise ConfigError(f"unknown repository location {location!r}: use a folder path, "
                          "s3://bucket/prefix, sftp://user@host/path, ftps://user@host/path "
                          "or rclone:remote:path")
    return LocalStorage(Path(location.removeprefix("file://")))


def credential_account(location: str) -> tuple[str, str] | None:
    """(kind, keyring account) under which a remote location's password or secret key is kept
    (service `custode-storage`); None for a folder and for rclone (rclone keeps its own)."""
    scheme = kind_of(location)
    if scheme not in ("s3", "sftp", "ftps"):
        return None
    module = importlib.import_module(REMOTE_KINDS[scheme][0])
    account: str = module.parse_location(location).account
    return scheme, account


def remember_credentials(location: str, secret: str, key_id: str = "") -> bool:
    """Keep a remote location's password (SFTP, FTPS) or S3 key pair in the keyring.

    Returns False when there is no usable keyring (the caller says the secret will be asked for).
    """
    from app.core import secrets
    found = credential_account(location)
    if found is None or not secret:
        return False
    kind, account = found
    if kind == "s3":
        if not key_id:
            raise ConfigError("an S3 secret access key needs its access key id")
        secret = json.dumps({"access_key_id": key_id, "secret_access_key": secret})
    return secrets.set_secret(secrets.STORAGE_SERVICE, account, secret)
