"""`custode copy`: backups copied from one repository to another (say local, then S3).

Each repository has its own master key, so an object is decrypted from the source (its SHA-256
checked on the way), re-encrypted for the target and written there, then read back from the target
and checked against the same SHA-256 before the backup's manifest is written, last, with the very
same JSON text: the backup keeps its id in every repository, and a copy that was interrupted is
not a backup in the target (its objects are reused by the next attempt).

Objects the target already holds (same id = same content) are not sent again, so copying every
new backup after each run sends only what changed.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field

from app.core import secrets
from app.core.errors import ConfigError
from app.core.jobs import CancelToken, Counter, ProgressCallback, no_progress
from app.core.profile import Profile, RepositoryEntry
from app.core.repository import Repository, read_config
from app.core.storage import open_storage
from app.core.verify import objects_of


@dataclass
class CopyReport:
    copied: list[str] = field(default_factory=list)    # backup ids now in the target
    present: list[str] = field(default_factory=list)   # already there before
    objects_sent: int = 0
    objects_present: int = 0
    bytes: int = 0              # plaintext of the objects sent
    stored_bytes: int = 0       # what they took in the target
    seconds: float = 0.0


def copy_backups(source: Repository, target: Repository, backup_ids: list[str], *, jobs: int = 2,
                 progress: ProgressCallback = no_progress, cancel: CancelToken | None = None,
                 on_copied: Callable[[str], None] | None = None) -> CopyReport:
    """Copy the backups (oldest first) whose manifests the target lacks; see the module's notes."""
    cancel = cancel or CancelToken()
    report = CopyReport()
    started = time.monotonic()
    if source.config.get("id") == target.config.get("id"):
        raise ConfigError(f"{target.storage.location} is the source repository itself (same id): "
                          "copy to another repository")
    todo: list[tuple[str, dict[str, int]]] = []
    for backup_id in backup_ids:
        if target.storage.exists(f"backups/{backup_id}"):
            report.present.append(backup_id)
        else:
            todo.append((backup_id, objects_of(source.load_backup(backup_id))))
    wanted: dict[str, int] = {}
    for _, objects in todo:
        wanted.update(objects)
    counter = Counter("copy", progress, total_bytes=sum(wanted.values()))
    done: set[str] = set()
    lock = threading.Lock()

    def copy_object(object_id: str) -> None:
        cancel.check()
        if target.has(object_id):
            with lock:
                report.objects_present += 1
            counter.add(wanted[object_id])
            return
        # Streamed (an object may hold one row of a gigabyte); the source's tag and SHA-256 are
        # checked on the way and the target's write stops before its last chunk if they fail.
        result = target.put_stream(object_id, wanted[object_id], lambda: source.read(object_id),
                                   deferred=True)
        cancel.check()
        for _ in target.read(object_id):                 # read back: the target's copy is sound
            pass
        with lock:
            report.objects_sent += 1
            report.bytes += result.plain_size
            report.stored_bytes += result.stored_size
        counter.add(result.plain_size, current=object_id[:12])

    try:
        with ThreadPoolExecutor(max_workers=max(1, jobs)) as pool:
            for backup_id, objects in todo:
                missing = [o for o in sorted(objects) if o not in done]
                for future in [pool.submit(copy_object, o) for o in missing]:
                    future.result()
                done.update(missing)
                cancel.check()
                # Last (after its objects are made durable): now it is a backup.
                target.store_manifest(source.manifest_text(backup_id))
                report.copied.append(backup_id)
                if on_copied is not None:
                    on_copied(backup_id)
    except BaseException:
        target.keep_objects()      # the next copy reuses them; prune removes them if not
        raise
    counter.finish()
    report.seconds = time.monotonic() - started
    return report


def copy_targets(profile: Profile, server: str, location: str) -> list[RepositoryEntry]:
    """The repositories that receive copies of `server`'s backups made into `location`: the
    other repositories of every plan of that server whose list includes `location`."""
    found: list[RepositoryEntry] = []
    for plan in profile.plans:
        entries = [profile.repository(name) for name in plan.repositories]
        if plan.server != server or not any(e is not None and e.location == location for e in entries):
            continue
        for entry in entries:
            if entry is not None and entry.location != location and entry not in found:
                found.append(entry)
    return found


def open_from_keyring(location: str) -> Repository:
    """Open a repository with the passphrase the keyring keeps for it (no prompt: a copy runs
    unattended); a clear error when there is none."""
    storage = open_storage(location)
    repository_id = str(read_config(storage).get("id", ""))
    passphrase = secrets.get_secret(secrets.REPOSITORY_SERVICE, repository_id)
    if not passphrase:
        raise ConfigError(f"no passphrase for the repository at {location} in the keyring: open it "
                          "once in Custode and let it remember the passphrase")
    return Repository.open(storage, passphrase)
