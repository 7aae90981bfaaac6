"""Verification: re-read every object of one or more backups, checking tags and SHA-256."""

from __future__ import annotations

import time
from collections.abc import Iterable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import Any

from app.core.errors import DamageFound
from app.core.jobs import CancelToken, Counter, ProgressCallback, no_progress
from app.core.repository import Repository


@dataclass
class VerifyReport:
    backups: list[str]
    objects: int = 0
    bytes: int = 0
    damaged: dict[str, str] = field(default_factory=dict)   # object id -> what is wrong
    seconds: float = 0.0

    @property
    def ok(self) -> bool:
        return not self.damaged


def objects_of(manifest: dict[str, Any], tables: Iterable[tuple[str, str]] | None = None) -> dict[str, int]:
    """Object id -> plaintext size for a backup (or only the given (database, table) pairs)."""
    wanted = set(tables) if tables is not None else None
    result: dict[str, int] = {}
    for database in manifest["databases"]:
        for table in database["tables"]:
            if wanted is None or (database["name"], table["name"]) in wanted:
                for obj in table["objects"]:
                    result[obj["id"]] = obj["size"]
    return result


def verify_objects(repo: Repository, objects: dict[str, int], *, jobs: int = 2,
                   progress: ProgressCallback = no_progress,
                   cancel: CancelToken | None = None) -> dict[str, str]:
    """Read every object through decryption and hashing; return the damaged ones."""
    cancel = cancel or CancelToken()
    counter = Counter("verify", progress, total_bytes=sum(objects.values()))
    damaged: dict[str, str] = {}

    def check(object_id: str) -> None:
        cancel.check()
        try:
            for piece in repo.read(object_id):
                counter.add(len(piece))
        except DamageFound as exc:
            damaged[object_id] = str(exc)

    with ThreadPoolExecutor(max_workers=max(1, jobs)) as pool:
        for future in [pool.submit(check, object_id) for object_id in sorted(objects)]:
            future.result()
    counter.finish()
    return damaged


def missing_objects(repo: Repository, objects: Iterable[str], *, jobs: int = 2,
                    cancel: CancelToken | None = None) -> list[str]:
    """The objects absent from the repository (a quick check: nothing is read or decrypted)."""
    cancel = cancel or CancelToken()

    def absent(object_id: str) -> bool:
        cancel.check()
        return not repo.storage.exists(repo.object_path(object_id))

    names = sorted(objects)
    with ThreadPoolExecutor(max_workers=max(1, jobs)) as pool:
        return [name for name, gone in zip(names, pool.map(absent, names), strict=True) if gone]


def verify_backups(repo: Repository, backup_ids: list[str], *, jobs: int = 2,
                   progress: ProgressCallback = no_progress,
                   cancel: CancelToken | None = None) -> VerifyReport:
    report = VerifyReport(backup_ids)
    objects: dict[str, int] = {}
    for backup_id in backup_ids:
        try:
            objects.update(objects_of(repo.load_backup(backup_id)))
        except DamageFound as exc:
            report.damaged[f"backups/{backup_id}"] = str(exc)
    started = time.monotonic()
    report.damaged.update(verify_objects(repo, objects, jobs=jobs, progress=progress,
                                         cancel=cancel))
    report.objects = len(objects)
    report.bytes = sum(objects.values())
    report.seconds = time.monotonic() - started
    return report
