"""What a repository holds and who is working on it, read without its passphrase.

The repositories page of the settings and `custode` health views use it: reachable or not, a
Custode repository or not, how many backups, how many bytes its objects take, the free space of a
local disk, and the locks on it (live or stale, see app/core/locks.py).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime

from app.core import locks
from app.core.errors import CustodeError
from app.core.jobs import CancelToken
from app.core.repository import read_config, storage_free_bytes
from app.core.storage import LocalStorage, Storage, kind_of, open_storage


@dataclass
class RepositoryStatus:
    location: str
    kind: str                     # folder | s3 | sftp | ftps | rclone
    repository_id: str = ""
    backups: int = 0
    objects: int = 0
    stored_bytes: int = 0         # the objects' size in the storage (after compression)
    free: int | None = None       # free bytes on a local disk
    locks: list[tuple[str, str | None]] = field(default_factory=list)   # (description, stale why)
    error: str = ""               # why it could not be read; empty when it could


def repository_usage(location: str, cancel: CancelToken | None = None,
                     now: datetime | None = None) -> RepositoryStatus:
    """Read the listing of a repository (one pass over its files); errors go into `.error`."""
    cancel = cancel or CancelToken()
    usage = RepositoryStatus(location, kind_of(location))
    try:
        storage = open_storage(location)
        usage.repository_id = str(read_config(storage).get("id", ""))
        usage.backups = sum(1 for _ in storage.list("backups"))
        for _name, size in sizes(storage, "data", cancel):
            usage.objects += 1
            usage.stored_bytes += size
        moment = now or datetime.now(UTC)
        usage.locks = [(lock.describe(moment), lock.stale_reason(moment))
                       for lock in locks.list_locks(storage)]
        if isinstance(storage, LocalStorage):
            usage.free = storage_free_bytes(str(storage.root))
    except CustodeError as exc:
        usage.error = str(exc)
    except OSError as exc:
        usage.error = f"cannot read {location}: {exc.strerror or exc}"
    return usage


def sizes(storage: Storage, prefix: str, cancel: CancelToken) -> list[tuple[str, int]]:
    """(name, size) of every file under `prefix`: from the listing when the backend offers it
    (`list_sizes`, one request per page on S3), else one `size` call per file."""
    lister = getattr(storage, "list_sizes", None)
    if lister is not None:
        return list(lister(prefix))
    result = []
    for name in storage.list(prefix):
        cancel.check()
        try:
            result.append((name, storage.size(name)))
        except FileNotFoundError:
            continue
    return result
