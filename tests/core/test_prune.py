"""forget and prune on a real (folder) repository with encrypted objects and manifests."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from app.core.errors import Cancelled, DamageFound, ObjectLocked, RepositoryLocked
from app.core.jobs import CancelToken, Progress
from app.core.locks import repository_lock
from app.core.prune import forget, object_ids, prune
from app.core.repository import Repository
from app.core.retention import Policy
from app.core.storage import LocalStorage
from tests.helpers.fixtures import TEST_KDF

NOW = datetime(2026, 11, 4, 12, 0, tzinfo=UTC)


def save(repo: Repository, hours_ago: int, objects: list[str], server: str = "mysql://root@db1",
         **extra: Any) -> str:
    """A backup whose one table is made of `objects` (each stored as an object of its text)."""
    started = (NOW - timedelta(hours=hours_ago)).strftime("%Y-%m-%dT%H:%M:%SZ")
    refs = []
    for text in objects:
        result = repo.put(text.encode() * 2000)
        refs.append({"id": result.object_id, "rows": 1, "size": result.plain_size})
    return repo.save_backup({
        "format": 1, "kind": "custode-backup", "type": "full", "started": started,
        "finished": started, "server": {"url": server},
        "selection": {"databases": ["shop"], "tables": []},
        "databases": [{"name": "shop", "tables": [{"name": "t", "objects": refs}]}], **extra})


def object_file(repo: Repository, text: str) -> Path:
    import hashlib
    object_id = hashlib.sha256(text.encode() * 2000).hexdigest()
    assert isinstance(repo.storage, LocalStorage)
    return repo.storage.root / repo.object_path(object_id)


def snapshot(repo: Repository) -> dict[str, bytes]:
    return {name: b"".join(repo.storage.read(name)) for name in repo.storage.list("")}


def test_forget_then_prune_frees_only_what_removed_backups_used(repo: Repository) -> None:
    oldest = save(repo, 30, ["a", "shared"])
    middle = save(repo, 20, ["c"])
    newest = save(repo, 10, ["shared", "b"])
    repo.storage.write("journal/20261104T000000Z-0123456789abcdef", [b"a record"])
    sizes = {t: object_file(repo, t).stat().st_size for t in ("a", "b", "c", "shared")}

    report = forget(repo, Policy(keep_last=1), NOW)
    assert report.removed == [middle, oldest]
    assert [(d.id, d.keep, d.reasons) for d in report.decisions] == [
        (newest, True, ["last 1"]), (middle, False, []), (oldest, False, [])]
    assert repo.backup_ids() == [newest]
    assert all(object_file(repo, t).exists() for t in sizes)    # forget leaves the objects

    progress: list[Progress] = []
    pruned = prune(repo, progress=progress.append)
    assert (pruned.backups, pruned.objects, pruned.referenced, pruned.deleted) == (1, 4, 2, 2)
    assert pruned.freed_bytes == sizes["a"] + sizes["c"] and pruned.locked == []
    assert progress[-1].phase == "pruning" and progress[-1].done_bytes == pruned.freed_bytes
    assert not object_file(repo, "a").exists() and not object_file(repo, "c").exists()
    assert object_file(repo, "shared").exists() and object_file(repo, "b").exists()
    # The kept backup still reads whole; config, keys, journal and locks are untouched.
    manifest = repo.load_backup(newest)
    assert [repo.read_all(i)[:6] for i in object_ids(manifest)] == [b"shared", b"bbbbbb"]
    names = list(repo.storage.list(""))
    assert "config" in names and any(n.startswith("keys/") for n in names)
    assert "journal/20261104T000000Z-0123456789abcdef" in names
    assert not any(n.startswith("locks/") for n in names)          # our lock is gone again
    assert Repository.open(repo.storage, "correct horse").backup_ids() == [newest]
    # Nothing left to do the second time.
    again = prune(repo)
    assert (again.deleted, again.freed_bytes) == (0, 0)


def test_dry_runs_change_nothing_and_tell_the_same_numbers(repo: Repository) -> None:
    save(repo, 30, ["a", "shared"])
    save(repo, 20, ["c"])
    newest = save(repo, 10, ["shared", "b"])
    repo.storage.write("data/zz/not-an-object", [b"someone else's file"])
    before = snapshot(repo)
    planned = forget(repo, Policy(keep_last=1), NOW, dry_run=True)
    assert len(planned.removed) == 2 and planned.dry_run
    would = prune(repo, dry_run=True, assume_forgotten=frozenset(planned.removed))
    assert snapshot(repo) == before                                  # not one byte changed
    assert (would.deleted, would.referenced) == (2, 2)
    real = forget(repo, Policy(keep_last=1), NOW)
    assert real.removed == planned.removed and repo.backup_ids() == [newest]
    done = prune(repo)
    assert (done.deleted, done.freed_bytes) == (would.deleted, would.freed_bytes)
    assert repo.storage.exists("data/zz/not-an-object")            # not ours: never deleted


def test_orphans_of_an_interrupted_backup_are_pruned(repo: Repository) -> None:
    kept = save(repo, 10, ["x"])
    orphan = repo.put(b"written by a backup that never finished" * 100)
    report = prune(repo)
    assert report.deleted == 1 and not repo.has(orphan.object_id)
    assert repo.backup_ids() == [kept] and repo.has(next(object_ids(repo.load_backup(kept))))


def test_future_manifest_fields_naming_objects_are_respected(repo: Repository) -> None:
    binlog = repo.put(b"binlog file contents" * 100).object_id
    save(repo, 10, ["x"], binlog_archive={"files": [{"name": "binlog.000001",
                                                     "objects": [{"id": binlog, "size": 2000}]}]})
    assert prune(repo).deleted == 0 and repo.has(binlog)


class _RetainingStorage(LocalStorage):
    """A folder that refuses to delete some files, like S3 Object Lock does (ObjectLocked)."""

    def __init__(self, root: Path) -> None:
        super().__init__(root)
        self.retained: set[str] = set()

    def delete(self, name: str) -> None:
        if name in self.retained:
            raise ObjectLocked(f"{name} is under S3 compliance retention until 2027-01-01T00:00:00Z",
                               name, "2027-01-01T00:00:00Z")
        super().delete(name)


def test_objects_under_retention_are_listed_and_pruning_goes_on(tmp_path: Path) -> None:
    storage = _RetainingStorage(tmp_path / "repo")
    repo = Repository.init(storage, "correct horse", kdf=TEST_KDF)
    first = save(repo, 30, ["a", "b"])
    save(repo, 10, ["c"])
    locked_name = repo.object_path(next(object_ids(repo.load_backup(first))))
    storage.retained = {locked_name, f"backups/{first}"}
    report = forget(repo, Policy(keep_last=1), NOW)
    assert report.removed == [] and [x.name for x in report.locked] == [f"backups/{first}"]
    storage.retained = {locked_name}
    assert forget(repo, Policy(keep_last=1), NOW).removed == [first]
    pruned = prune(repo)
    assert pruned.deleted == 1 and [(x.name, x.until) for x in pruned.locked] == [
        (locked_name, "2027-01-01T00:00:00Z")]
    assert pruned.locked_bytes == storage.size(locked_name) and pruned.freed_bytes > 0
    assert list(storage.list("locks")) == []


def test_a_damaged_manifest_stops_prune_before_any_delete(repo: Repository) -> None:
    damaged = save(repo, 20, ["a"])
    save(repo, 10, ["b"])
    repo.put(b"orphan" * 100)
    assert isinstance(repo.storage, LocalStorage)
    path = repo.storage.root / "backups" / damaged
    data = bytearray(path.read_bytes())
    data[40] ^= 1
    path.write_bytes(bytes(data))
    before = snapshot(repo)
    with pytest.raises(DamageFound, match="prune stopped without deleting anything"):
        prune(repo)
    assert snapshot(repo) == before
    # forget keeps what it cannot read, and says so.
    report = forget(repo, Policy(keep_last=1), NOW)
    assert list(report.unreadable) == [damaged] and report.removed == []


def test_prune_waits_for_nobody_and_deletes_nothing_beside_a_running_backup(repo: Repository) -> None:
    save(repo, 10, ["x"])
    repo.put(b"new object of a running backup" * 100)
    before = snapshot(repo)
    with repository_lock(repo.storage, False, "backup"):
        with pytest.raises(RepositoryLocked, match="cannot prune: the repository is locked by backup"):
            prune(repo)
        with pytest.raises(RepositoryLocked, match="cannot forget"):
            forget(repo, Policy(keep_last=1), NOW)
        warned = prune(repo, dry_run=True)
        assert warned.deleted == 1 and "backup on host" in warned.warnings[0]
    after = snapshot(repo)
    assert {k: v for k, v in after.items() if not k.startswith("locks/")} == before


def test_cancel_stops_between_deletions_and_releases_the_lock(repo: Repository) -> None:
    save(repo, 10, ["x"])
    for n in range(5):
        repo.put(f"orphan {n}".encode() * 100)
    token = CancelToken()

    def cancel_after_first(p: Progress) -> None:
        if p.phase == "pruning":
            token.cancel()

    with pytest.raises(Cancelled):
        prune(repo, progress=cancel_after_first, cancel=token)
    assert len(list(repo.storage.list("data"))) == 1 + 4
    assert list(repo.storage.list("locks")) == []
    assert prune(repo).deleted == 4
