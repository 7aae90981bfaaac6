"""The repository's journal: one small encrypted record per job that touched the repository.

The local catalog (app/core/catalog.py) is a cache of this workstation's history.  So that a new
workstation can recover the whole history (failed and cancelled jobs included, not only the backups
whose manifests exist), every job run against a repository also appends a record to it:

    journal/<YYYYmmddTHHMMSSZ>-<16 hex>    encrypted JSON, like a manifest (docs/FORMAT.md)

Records are never rewritten; pruning leaves them alone (they are a few hundred bytes each).
`catalog rebuild` (app/core/rebuild.py) reads them back.
"""

from __future__ import annotations

import re
import socket
import uuid
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

from app import __version__
from app.core.catalog import current_user
from app.core.errors import CustodeError, StorageReadOnly
from app.core.repository import Repository

PREFIX = "journal"
LOG_LIMIT = 64 * 1024   # characters of a job's log kept in its record
# What a record carries: the catalog's job columns that mean the same on any workstation.
FIELDS = ("kind", "status", "server", "backup_id", "started", "finished", "seconds", "bytes",
          "stored_bytes", "rows", "message", "log")


def new_name(moment: datetime | None = None) -> str:
    stamp = (moment or datetime.now(UTC)).astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")
    return f"{PREFIX}/{stamp}-{uuid.uuid4().hex[:16]}"


def append(repo: Repository, job: dict[str, Any]) -> str:
    """Write one job's record; returns its storage name (which is also its id)."""
    record = {key: job[key] for key in FIELDS if job.get(key) is not None}
    record["log"] = str(record.get("log", ""))[-LOG_LIMIT:]
    record.update(host=socket.gethostname(), user=current_user(), program=f"custode {__version__}")
    name = new_name()
    repo.write_document(name, record)
    return name


def writer(repo: Repository,
           warn: Callable[[str], None] | None = None) -> Callable[[dict[str, Any]], str | None]:
    """A `Catalog.job(on_finish=...)` callback that journals the job in `repo`.

    A journal that cannot be written does not fail the job it describes: `warn` is told instead.
    """
    def write(job: dict[str, Any]) -> str | None:
        try:
            return append(repo, job)
        except StorageReadOnly:
            return None   # a repository that cannot be written: its readers said so already
        except (CustodeError, OSError) as exc:
            if warn is not None:
                warn(f"the job was not recorded in the repository's journal: {exc}")
            return None
    return write


def names(repo: Repository) -> list[str]:
    """The storage names of every record, oldest first."""
    return sorted(repo.storage.list(PREFIX))


_REMOVED = re.compile(r"removed backup ([0-9a-f]{64})")


def vanished_backups(repo: Repository, present: set[str]) -> list[tuple[str, str]]:
    """Backups the journal says were made and not forgotten, whose manifest is not there:
    (id, when it finished). A manifest deleted outside Custode (by hand, by a storage lifecycle
    rule, by an attacker) would otherwise go unnoticed, and `latest` quietly be an older one."""
    made: dict[str, str] = {}
    forgotten: set[str] = set()
    for name in names(repo):
        try:
            record = repo.read_document(name)
        except CustodeError:
            continue     # a damaged record says nothing either way
        if record.get("kind") == "backup" and record.get("status") == "ok" \
                and isinstance(record.get("backup_id"), str) and len(record["backup_id"]) == 64:
            made[record["backup_id"]] = str(record.get("finished", ""))
        if record.get("kind") in ("forget", "prune", "retention"):
            forgotten.update(_REMOVED.findall(str(record.get("log", ""))))
    return sorted(((i, when) for i, when in made.items() if i not in present and i not in forgotten),
                  key=lambda item: item[1])
