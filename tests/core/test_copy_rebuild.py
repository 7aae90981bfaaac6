"""Copies between repositories, the repository journal, and the catalog rebuilt from repositories."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from app.core import journal
from app.core.backup import BackupOptions, run_backup
from app.core.catalog import Catalog, JobFilter
from app.core.copy import copy_backups
from app.core.errors import ConfigError, DamageFound, OperationFailed
from app.core.localserver import LocalServer
from app.core.rebuild import rebuild_catalog
from app.core.repository import Repository
from app.core.server import ServerSpec
from app.core.storage import LocalStorage
from app.core.verify import verify_backups
from tests.helpers.fixtures import TEST_KDF
from tests.helpers.restored import assert_restores_identical


def _new_repo(path: Path, passphrase: str) -> Repository:
    return Repository.init(LocalStorage(path), passphrase, kdf=TEST_KDF)


def test_a_copy_restores_identical_and_sends_each_object_once(
        tmp_path: Path, source_server: LocalServer, target_server: LocalServer) -> None:
    source = _new_repo(tmp_path / "local", "local pass")
    target = _new_repo(tmp_path / "offsite", "another pass")
    spec = ServerSpec.parse(source_server.url)
    first = run_backup(source, spec, "", BackupOptions(databases=["sakila"], jobs=2)).backup_id

    report = copy_backups(source, target, [first])
    assert report.copied == [first] and report.present == []
    objects = report.objects_sent
    assert objects == source.load_backup(first)["totals"]["objects"] > 0
    # Re-encrypted under the target's own key: no stored file is byte-for-byte the source's.
    some = Repository.object_path(source.load_backup(first)["databases"][0]["tables"][0]["objects"][0]["id"])
    assert (tmp_path / "offsite" / some).read_bytes() != (tmp_path / "local" / some).read_bytes()
    assert Repository.open(LocalStorage(tmp_path / "offsite"), "another pass").backup_ids() == [first]
    assert verify_backups(target, [first]).ok

    assert_restores_identical(target, first, source_server, target_server)

    # Copying again sends nothing; a second backup of unchanged data sends no object either.
    again = copy_backups(source, target, [first])
    assert again.present == [first] and again.copied == [] and again.objects_sent == 0
    second = run_backup(source, spec, "", BackupOptions(databases=["sakila"], jobs=2)).backup_id
    more = copy_backups(source, target, [first, second])
    assert more.copied == [second] and more.objects_sent == 0 and more.objects_present == objects
    assert sorted(target.backup_ids()) == sorted([first, second])


def test_a_damaged_source_object_stops_the_copy_before_the_manifest(
        tmp_path: Path, source_server: LocalServer) -> None:
    source = _new_repo(tmp_path / "local", "pw")
    target = _new_repo(tmp_path / "offsite", "pw2")
    backup_id = run_backup(source, ServerSpec.parse(source_server.url), "",
                           BackupOptions(tables=["sakila.actor", "sakila.film"])).backup_id
    victim = source.load_backup(backup_id)["databases"][0]["tables"][0]["objects"][0]["id"]
    path = tmp_path / "local" / Repository.object_path(victim)
    data = bytearray(path.read_bytes())
    data[len(data) // 2] ^= 0x01
    path.write_bytes(bytes(data))

    with pytest.raises(DamageFound, match=victim):
        copy_backups(source, target, [backup_id])
    assert target.backup_ids() == []          # no manifest: the copy is not a backup there


def test_copy_to_the_same_repository_is_refused(tmp_path: Path) -> None:
    repo = _new_repo(tmp_path / "r", "pw")
    same = Repository.open(LocalStorage(tmp_path / "r"), "pw")
    with pytest.raises(ConfigError, match="source repository itself"):
        copy_backups(repo, same, [])


def _job_rows(catalog: Catalog) -> list[tuple[object, ...]]:
    keys = ("kind", "status", "server", "backup_id", "started", "finished", "seconds", "bytes",
            "stored_bytes", "rows", "message")
    return sorted(tuple(job[k] for k in keys) for job in catalog.jobs())


def test_the_catalog_comes_back_from_the_repository_alone(
        tmp_path: Path, source_server: LocalServer) -> None:
    repo = _new_repo(tmp_path / "repo", "pw")
    spec = ServerSpec.parse(source_server.url)
    catalog = Catalog(tmp_path / "one" / "catalog.sqlite")
    write = journal.writer(repo)
    for tables in (["sakila.actor"], ["sakila.actor", "sakila.category"]):
        with catalog.job("backup", on_finish=write, server=spec.url, repository="r") as run:
            result = run_backup(repo, spec, "", BackupOptions(tables=tables))
            totals = result.manifest["totals"]
            run.set(backup_id=result.backup_id, bytes=totals["plain_bytes"],
                    stored_bytes=totals["new_bytes"], rows=totals["rows"])
    with (pytest.raises(OperationFailed),
          catalog.job("backup", on_finish=write, server=spec.url, repository="r")):
        raise OperationFailed("cannot connect to the server")
    # A backup made without the catalog (say, by an older version) has no journal record.
    untracked = run_backup(repo, spec, "", BackupOptions(tables=["sakila.language"])).backup_id
    before = _job_rows(catalog)
    assert len(before) == 3 and all(j["journal_id"].startswith("journal/") for j in catalog.jobs())
    catalog.close()

    fresh = Catalog(tmp_path / "two" / "catalog.sqlite")       # a new workstation
    report = rebuild_catalog(fresh, [("r", repo)])
    assert report.jobs_added == 3 and report.backups_added == 1 and report.backups_seen == 3
    after = _job_rows(fresh)
    assert [row for row in after if row[3] != untracked] == before
    failed = fresh.jobs(JobFilter(statuses=("failed",)))
    assert len(failed) == 1 and failed[0]["message"] == "cannot connect to the server"
    recovered = [job for job in fresh.jobs() if job["backup_id"] == untracked]
    assert len(recovered) == 1 and recovered[0]["status"] == "ok" and recovered[0]["rows"] > 0
    assert {b["backup_id"] for b in fresh.backups()} == set(repo.backup_ids())

    # The charts read the same series; rebuilding again adds nothing.
    since = min(job["started"] for job in fresh.jobs())
    from app.core.catalog import from_iso
    assert len(fresh.series(spec.url, "backup", from_iso(since))) == 3
    again = rebuild_catalog(fresh, [("r", repo)])
    assert again.jobs_added == 0 and again.backups_added == 0
    assert len(fresh.jobs()) == 4


def test_a_damaged_journal_record_is_reported_and_the_rest_recovered(tmp_path: Path) -> None:
    repo = _new_repo(tmp_path / "repo", "pw")
    first = journal.append(repo, {"kind": "verify", "status": "ok", "started": "2026-11-01T10:00:00Z"})
    journal.append(repo, {"kind": "verify", "status": "ok", "started": "2026-11-02T10:00:00Z"})
    path = tmp_path / "repo" / first
    data = bytearray(path.read_bytes())
    data[-1] ^= 0x80
    path.write_bytes(bytes(data))
    catalog = Catalog(tmp_path / "c.sqlite")
    report = rebuild_catalog(catalog, [("r", repo)])
    assert report.problems and first in report.problems[0]
    assert report.jobs_added == 1
    assert [j['started'] for j in catalog.jobs()] == ['2026-11-02T10:00:00Z']


def test_the_audit_log_is_append_only(tmp_path: Path) -> None:
    catalog = Catalog(tmp_path / "c.sqlite")
    catalog.audit("backup", "/srv/repo", "ok server=mysql://root@db1")
    catalog.audit("forget", "/srv/repo", "2 backups removed")
    assert [e["action"] for e in catalog.audit_log()] == ["forget", "backup"]
    raw = sqlite3.connect(tmp_path / "c.sqlite")
    with pytest.raises(sqlite3.DatabaseError, match="append-only"):
        raw.execute("DELETE FROM audit")
    with pytest.raises(sqlite3.DatabaseError, match="append-only"):
        raw.execute("UPDATE audit SET action = 'nothing'")
    raw.close()
    assert len(catalog.audit_log()) == 2


def test_a_catalog_of_the_previous_schema_is_migrated_with_its_jobs(tmp_path: Path) -> None:
    from app.core.catalog import MIGRATIONS
    path = tmp_path / "old.sqlite"
    raw = sqlite3.connect(path)
    for number, script in enumerate(MIGRATIONS[:2]):
        raw.executescript(script)
        raw.execute(f"PRAGMA user_version = {number + 1}")
    raw.execute("INSERT INTO jobs (kind, status, started) VALUES ('backup', 'ok', '2026-01-01T00:00:00Z')")
    raw.commit()
    raw.close()
    catalog = Catalog(path)
    assert catalog.schema_version == len(MIGRATIONS)
    assert [j["started"] for j in catalog.jobs()] == ["2026-01-01T00:00:00Z"]
    assert catalog.jobs()[0]["journal_id"] == ""
