"""`custode catalog rebuild`: the local catalog recovered from the repositories alone.

A new workstation (or one whose catalog was lost) gets back, for every repository it can open:
- every job recorded in the repository's journal (app/core/journal.py), failures included;
- every backup whose manifest is there, as a good backup job when no journal record covers it
  (backups made before the journal existed, or whose record could not be written);
- the list of backups per repository (the `backups` table).
Running it twice adds nothing twice: journal records are known by name, backups by id.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from app.core import journal
from app.core.catalog import Catalog
from app.core.errors import DamageFound
from app.core.jobs import CancelToken
from app.core.repository import Repository


@dataclass
class RebuildReport:
    repositories: int = 0
    jobs_added: int = 0          # from journals
    backups_added: int = 0       # backup jobs made from manifests without a journal record
    backups_seen: int = 0
    backups_forgotten: int = 0   # remembered backups no longer in their repository
    problems: list[str] = field(default_factory=list)


def rebuild_catalog(catalog: Catalog, sources: list[tuple[str, Repository]],
                    cancel: CancelToken | None = None) -> RebuildReport:
    """Fill `catalog` from each (location, opened repository)."""
    cancel = cancel or CancelToken()
    report = RebuildReport()
    for location, repo in sources:
        cancel.check()
        repository_id = str(repo.config.get("id", ""))
        catalog.put_repository(repository_id, location)
        report.repositories += 1
        for name in journal.names(repo):
            cancel.check()
            if catalog.has_journal_record(name):
                continue
            try:
                record = repo.read_document(name)
            except FileNotFoundError:
                continue
            except DamageFound as exc:
                report.problems.append(f"{location}: the journal record {name} is damaged ({exc})")
                continue
            catalog.add(**_job_from_record(record), repository=location, journal_id=name)
            report.jobs_added += 1
        present: set[str] = set()
        for backup_id in repo.backup_ids():
            cancel.check()
            try:
                manifest = repo.load_backup(backup_id)
            except DamageFound as exc:
                report.problems.append(f"{location}: {exc}")
                continue
            present.add(backup_id)
            report.backups_seen += 1
            catalog.put_backup(**_backup_row(repository_id, manifest))
            if not catalog.has_backup_job(backup_id):
                catalog.add(**_job_from_manifest(manifest), repository=location)
                report.backups_added += 1
        report.backups_forgotten += catalog.forget_backups(repository_id, present)
    return report


def remember_backup(catalog: Catalog, repo: Repository, manifest: dict[str, Any]) -> None:
    """Note a backup just made (or copied) in the catalog's list of backups."""
    repository_id = str(repo.config.get("id", ""))
    catalog.put_repository(repository_id, repo.storage.location)
    catalog.put_backup(**_backup_row(repository_id, manifest))


def _job_from_record(record: dict[str, Any]) -> dict[str, Any]:
    job = {key: record[key] for key in journal.FIELDS if key in record}
    job.setdefault("kind", "backup")
    job.setdefault("status", "ok")
    job.setdefault("started", record.get("finished", ""))
    host = record.get("host")
    if host:
        job["log"] = (str(job.get("log", "")) + f"\n(run on {host})").lstrip("\n")
    return job


def _job_from_manifest(manifest: dict[str, Any]) -> dict[str, Any]:
    totals = manifest.get("totals", {})
    return {"kind": "backup", "status": "ok", "server": manifest["server"]["url"],
            "backup_id": manifest["id"], "started": manifest["started"],
            "finished": manifest["finished"], "seconds": manifest.get("duration", 0.0),
            "bytes": totals.get("plain_bytes", 0), "stored_bytes": totals.get("new_bytes", 0),
            "rows": totals.get("rows", 0),
            "log": "recovered from the backup's manifest by 'custode catalog rebuild'"}


def _backup_row(repository_id: str, manifest: dict[str, Any]) -> dict[str, Any]:
    totals = manifest.get("totals", {})
    return {"repository_id": repository_id, "backup_id": manifest["id"],
            "server": manifest["server"]["url"], "type": manifest.get("type", "full"),
            "started": manifest["started"], "finished": manifest["finished"],
            "seconds": manifest.get("duration", 0.0), "bytes": totals.get("plain_bytes", 0),
            "stored_bytes": totals.get("new_bytes", 0), "rows": totals.get("rows", 0),
            "tables": totals.get("tables", 0)}
