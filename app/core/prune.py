"""`forget` (delete the manifests a retention policy removes) and `prune` (delete unused objects).

Both work under the repository's exclusive lock (app/core/locks.py), so no backup, restore or
verify runs meanwhile; a dry run takes no lock and writes nothing.

forget only deletes manifests: a backup stops existing the moment its manifest is gone, so an
interruption leaves a repository where every listed backup is whole.  prune then marks every object
named by a remaining manifest and sweeps the rest of `data/`: objects shared with a kept backup
(deduplication) stay.  It never touches `config`, `keys/`, `locks/` or anything outside `data/`.
Objects the storage refuses to delete (S3 Object Lock) are reported with their retention date and
pruning goes on; a later prune deletes them once the retention has ended.
"""

from __future__ import annotations

import contextlib
import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime, tzinfo
from typing import Any

from app.core.errors import ConfigError, DamageFound, ObjectLocked, StorageFull
from app.core.jobs import CancelToken, Progress, ProgressCallback, no_progress
from app.core.locks import RepositoryLock, live_locks, repository_lock
from app.core.repository import FORMAT_VERSION, Repository
from app.core.retention import Backup, Decision, Policy, apply
from app.core.storage import Storage

_OBJECT_NAME = re.compile(r"data/([0-9a-f]{2})/([0-9a-f]{64})")


@dataclass(frozen=True)
class LockedFile:
    """A file the storage would not delete (retention or legal hold)."""

    name: str
    until: str
    message: str


@dataclass
class ForgetReport:
    dry_run: bool
    decisions: list[Decision] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)       # manifests deleted (would be, dry run)
    locked: list[LockedFile] = field(default_factory=list)  # manifests the storage kept
    unreadable: dict[str, str] = field(default_factory=dict)  # id -> why; such backups are kept

    @property
    def kept(self) -> int:
        return sum(1 for d in self.decisions if d.keep) + len(self.unreadable)


@dataclass
class PruneReport:
    dry_run: bool
    backups: int = 0                  # manifests whose objects were kept
    objects: int = 0                  # objects found under data/
    referenced: int = 0               # of which some remaining backup names
    deleted: int = 0                  # objects deleted (would be, dry run)
    freed_bytes: int = 0
    locked: list[LockedFile] = field(default_factory=list)
    locked_bytes: int = 0
    warnings: list[str] = field(default_factory=list)
    temporary: int = 0                # leftover .tmp-* files of killed writers deleted (would be)
    temporary_bytes: int = 0


@contextlib.contextmanager
def _exclusive(repo: Repository, operation: str, held: RepositoryLock | None,
               dry_run: bool) -> Iterator[RepositoryLock | None]:
    if dry_run:
        yield held
    elif held is not None:
        if not held.exclusive:
            raise ValueError(f"{operation} needs an exclusive lock")
        held.check()
        yield held
    else:
        with repository_lock(repo.storage, exclusive=True, operation=operation) as lock:
            yield lock


def _step(cancel: CancelToken | None, lock: RepositoryLock | None) -> None:
    if cancel is not None:
        cancel.check()
    if lock is not None:
        lock.check()


def forget(repo: Repository, policy: Policy, now: datetime | None = None, *, dry_run: bool = False,
           progress: ProgressCallback = no_progress, cancel: CancelToken | None = None,
           tz: tzinfo = UTC, held: RepositoryLock | None = None) -> ForgetReport:
    """Apply `policy` and delete the manifests of the backups it removes (not with dry_run).

    `held` is an exclusive lock the caller already holds (e.g. for forget then prune).
    """
    report = ForgetReport(dry_run=dry_run)
    with _exclusive(repo, "forget", held, dry_run) as lock:
        manifests = []
        ids = repo.backup_ids()
        for number, backup_id in enumerate(ids, 1):
            _step(cancel, lock)
            progress(Progress("reading backups", done_rows=number, total_rows=len(ids),
                              current=backup_id[:8]))
            try:
                manifests.append(repo.load_backup(backup_id))
            except DamageFound as exc:
                report.unreadable[backup_id] = str(exc)
            except ConfigError:
                continue           # deleted meanwhile (only possible without the lock: dry run)
        report.decisions = apply([Backup.from_manifest(m) for m in manifests], policy,
                                 now or datetime.now(UTC), tz=tz)
        doomed = [d.id for d in report.decisions if not d.keep]
        for number, backup_id in enumerate(doomed, 1):
            _step(cancel, lock)
            progress(Progress("forgetting", done_rows=number, total_rows=len(doomed),
                              current=backup_id[:8]))
            if not dry_run:
                try:
                    repo.storage.delete(f"backups/{backup_id}")
                except ObjectLocked as exc:
                    report.locked.append(LockedFile(exc.name, exc.until, str(exc)))
                    continue
            report.removed.append(backup_id)
    return report


def object_ids(manifest: Mapping[str, Any]) -> Iterator[str]:
    """Every object a manifest names: `objects[].id` wherever it appears (tables today)."""
    stack: list[Any] = [manifest]
    while stack:
        node = stack.pop()
        if isinstance(node, Mapping):
            for key, value in node.items():
                if key == "objects" and isinstance(value, list):
                    for item in value:
                        if isinstance(item, Mapping) and isinstance(item.get("id"), str):
                            yield item["id"]
                elif isinstance(value, (Mapping, list)):
                    stack.append(value)
        elif isinstance(node, list):
            stack.extend(v for v in node if isinstance(v, (Mapping, list)))


def referenced_objects(repo: Repository, *, exclude: frozenset[str] = frozenset(),
                       progress: ProgressCallback = no_progress,
                       cancel: CancelToken | None = None,
                       lock: RepositoryLock | None = None) -> tuple[set[str], int]:
    """The ids of every object a backup (other than those in `exclude`) names; and how many
    backups that was.  A manifest that cannot be read stops everything: prune would not know
    which objects that backup needs."""
    referenced: set[str] = set()
    ids = [i for i in repo.backup_ids() if i not in exclude]
    for number, backup_id in enumerate(ids, 1):
        _step(cancel, lock)
        progress(Progress("reading backups", done_rows=number, total_rows=len(ids),
                          current=backup_id[:8]))
        try:
            manifest = repo.load_backup(backup_id)
        except DamageFound as exc:
            raise DamageFound(f"{exc}; prune stopped without deleting anything, because it cannot "
                              f"tell which objects backup {backup_id[:8]} needs (run 'custode "
                              "verify --all')") from None
        if manifest.get("format", 1) > FORMAT_VERSION:
            raise ConfigError(f"backup {backup_id[:8]} was written by a newer Custode (format "
                              f"{manifest.get('format')}); prune with that version")
        referenced.update(object_ids(manifest))
    return referenced, len(ids)


def prune(repo: Repository, *, dry_run: bool = False, progress: ProgressCallback = no_progress,
          cancel: CancelToken | None = None, held: RepositoryLock | None = None,
          assume_forgotten: frozenset[str] = frozenset()) -> PruneReport:
    """Delete every object under data/ that no remaining backup names (mark and sweep).

    `assume_forgotten` (for a dry run after a dry-run forget) counts those backups as gone.
    """
    report = PruneReport(dry_run=dry_run)
    try:
        return _prune(repo, report, dry_run, progress, cancel, held, assume_forgotten)
    except StorageFull:
        # Not even the lock file fits. With no job running, make room by deleting one object no
        # backup names (the largest), then take the lock and prune as usual.
        if dry_run or held is not None or report.objects:
            raise
        running = live_locks(repo.storage)
        if running:
            raise StorageFull(f"the disk of {repo.storage.location} is full and a job is running "
                              f"({running[0].operation} on {running[0].host}): let it end, or "
                              "free some space by hand") from None
        referenced, _ = referenced_objects(repo, cancel=cancel)
        unused = [(repo.storage.size(name), name) for name in repo.storage.list("data")
                  if (match := _OBJECT_NAME.fullmatch(name)) and match.group(2) not in referenced]
        if not unused:
            raise
        size, name = max(unused)
        repo.storage.delete(name)
        report = PruneReport(dry_run=False)
        report.warnings.append(f"the disk was full, so the unused object {name} "
                               f"({size} bytes) was deleted before the lock could be taken")
        report = _prune(repo, report, dry_run, progress, cancel, held, assume_forgotten)
        report.deleted += 1
        report.freed_bytes += size
        return report


def _prune(repo: Repository, report: PruneReport, dry_run: bool, progress: ProgressCallback,
           cancel: CancelToken | None, held: RepositoryLock | None,
           assume_forgotten: frozenset[str]) -> PruneReport:
    storage = repo.storage
    with _exclusive(repo, "prune", held, dry_run) as lock:
        if dry_run:
            running = [f"{x.operation} on host {x.host}" for x in live_locks(storage)]
            if running:
                report.warnings.append(
                    f"jobs are running ({', '.join(running)}): objects a running backup has written "
                    "but not yet named in its manifest show here as unused; prune itself waits "
                    "for them")
        referenced, report.backups = referenced_objects(
            repo, exclude=assume_forgotten, progress=progress, cancel=cancel, lock=lock)
        unused: list[str] = []
        for name in storage.list("data"):
            match = _OBJECT_NAME.fullmatch(name)
            if match is None or match.group(2)[:2] != match.group(1):
                continue          # not an object this format writes: never ours to delete
            report.objects += 1
            if match.group(2) in referenced:
                report.referenced += 1
            else:
                unused.append(name)
        done = 0
        for name in unused:
            _step(cancel, lock)
            try:
                size = storage.size(name)
            except FileNotFoundError:
                continue
            if not dry_run:
                try:
                    storage.delete(name)
                except ObjectLocked as exc:
                    report.locked.append(LockedFile(name, exc.until, str(exc)))
                    report.locked_bytes += size
                    continue
            report.deleted += 1
            report.freed_bytes += size
            done += 1
            progress(Progress("pruning", done_bytes=report.freed_bytes, done_rows=done,
                              total_rows=len(unused), current=name.rsplit("/", 1)[1][:8]))
        _temporary_files(storage, report, dry_run)
    return report


def _temporary_files(storage: Storage, report: PruneReport, dry_run: bool) -> None:
    """Remove what killed writers left: `.tmp-*` files. Under prune's exclusive lock no writer
    is alive, so each one is garbage; a dry run, which takes no lock, counts only those older
    than every live lock (a running job may be writing the others)."""
    listing = getattr(storage, "temporary_files", None)
    if listing is None:
        return   # a storage whose writes leave no temporary file behind (S3: atomic PUT)
    oldest = min((lock.created.timestamp() for lock in live_locks(storage) if lock.created),
                 default=None) if dry_run else None
    for name, size, changed in listing():
        if oldest is not None and changed >= oldest:
            continue
        if not dry_run:
            with contextlib.suppress(FileNotFoundError):
                storage.delete(name)
        report.temporary += 1
        report.temporary_bytes += size
