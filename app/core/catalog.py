"""The catalog: a local SQLite record of every job (backup, restore, verify...) and its metrics.

It feeds the history page, the dashboard and its charts.  It is a cache of what happened on this
workstation: the repositories stay the source of truth for what backups exist.

Schema changes are numbered migrations; `PRAGMA user_version` says which have run.  Writers use
short transactions and WAL, so the GUI and a scheduled run can share the file.
"""

from __future__ import annotations

import contextlib
import getpass
import socket
import sqlite3
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, NamedTuple

from app.core.errors import Cancelled, DamageFound

MIGRATIONS: tuple[str, ...] = (
    # 1: jobs
    """
    CREATE TABLE jobs (
        id INTEGER PRIMARY KEY,
        kind TEXT NOT NULL,             -- backup | restore | verify | test-restore | ...
        status TEXT NOT NULL,           -- running | ok | failed | cancelled | damaged
        server TEXT NOT NULL DEFAULT '',
        repository TEXT NOT NULL DEFAULT '',
        backup_id TEXT NOT NULL DEFAULT '',
        started TEXT NOT NULL,          -- ISO 8601, UTC
        finished TEXT,
        seconds REAL,
        bytes INTEGER NOT NULL DEFAULT 0,        -- data handled (SQL text)
        stored_bytes INTEGER NOT NULL DEFAULT 0, -- new bytes written to the repository
        rows INTEGER NOT NULL DEFAULT 0,
        message TEXT NOT NULL DEFAULT '',
        log TEXT NOT NULL DEFAULT ''
    );
    CREATE INDEX jobs_started ON jobs (started);
    CREATE INDEX jobs_server ON jobs (server, kind, status);
    """,
    # 2: the dashboard's aggregates (per server, per server and repository) and its charts (by time)
    # read good jobs from these indexes alone
    """
    CREATE INDEX jobs_good_by_server ON jobs (kind, status, server, repository, finished, stored_bytes);
    CREATE INDEX jobs_good_by_time ON jobs (kind, status, finished);
    """,
    # 3: the repositories' journals (a job read back by `catalog rebuild` is known by its record's
    # name), the repositories and backups seen, and the append-only audit log
    """
    ALTER TABLE jobs ADD COLUMN journal_id TEXT NOT NULL DEFAULT '';
    CREATE INDEX jobs_journal ON jobs (journal_id);
    CREATE TABLE repositories (
        id TEXT PRIMARY KEY,            -- the repository's own id (its config file)
        location TEXT NOT NULL,
        seen TEXT NOT NULL              -- last time this workstation read it
    );
    CREATE TABLE backups (
        repository_id TEXT NOT NULL,
        backup_id TEXT NOT NULL,
        server TEXT NOT NULL,
        type TEXT NOT NULL,
        started TEXT NOT NULL,
        finished TEXT NOT NULL,
        seconds REAL NOT NULL,
        bytes INTEGER NOT NULL,
        stored_bytes INTEGER NOT NULL,
        rows INTEGER NOT NULL,
        tables INTEGER NOT NULL,
        PRIMARY KEY (repository_id, backup_id)
    );
    CREATE TABLE audit (
        id INTEGER PRIMARY KEY,
        time TEXT NOT NULL,
        user TEXT NOT NULL,
        host TEXT NOT NULL,
        action TEXT NOT NULL,           -- init | backup | restore | forget | prune | copy | ...
        target TEXT NOT NULL DEFAULT '',
        detail TEXT NOT NULL DEFAULT ''
    );
    CREATE TRIGGER audit_append_only_update BEFORE UPDATE ON audit
        BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;
    CREATE TRIGGER audit_append_only_delete BEFORE DELETE ON audit
        BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;
    """,
)

KINDS = ("backup", "restore", "verify", "test-restore", "copy", "forget", "prune")
STATUSES = ("running", "ok", "failed", "cancelled", "damaged")
COLUMNS = ("id", "kind", "status", "server", "repository", "backup_id", "started", "finished",
           "seconds", "bytes", "stored_bytes", "rows", "message", "log", "journal_id")
BACKUP_COLUMNS = ("repository_id", "backup_id", "server", "type", "started", "finished", "seconds",
                  "bytes", "stored_bytes", "rows", "tables")


ISO_FORMAT = "%Y-%m-%dT%H:%M:%SZ"


def default_path() -> Path:
    from app.core.profile import data_dir
    return data_dir() / "catalog.sqlite"


def now_iso() -> str:
    return datetime.now(UTC).strftime(ISO_FORMAT)


def to_iso(moment: datetime) -> str:
    """A datetime as the catalog stores it (UTC; a naive one is taken as UTC)."""
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(UTC).strftime(ISO_FORMAT)


def from_iso(text: str) -> datetime:
    return datetime.strptime(text, ISO_FORMAT).replace(tzinfo=UTC)


class SeriesPoint(NamedTuple):
    """One good job on a chart."""

    finished: datetime
    bytes: int           # data handled (SQL text)
    stored_bytes: int    # new bytes written to the repository
    seconds: float


@dataclass(frozen=True)
class ServerSummary:
    """What the dashboard's card says about one server's backups."""

    server: str
    last_good: datetime | None = None
    good_count: int = 0
    last_failure: datetime | None = None
    failure_message: str = ""


@dataclass(frozen=True)
class RepositoryUsage:
    """Bytes a server's good backups wrote into one repository (before any pruning)."""

    server: str
    repository: str
    stored_bytes: int
    backups: int


@dataclass
class JobFilter:
    """What the history shows; empty fields do not filter."""

    kinds: tuple[str, ...] = ()
    statuses: tuple[str, ...] = ()
    server: str = ""
    text: str = ""
    since: str = ""      # ISO date or date-time, inclusive
    until: str = ""      # ISO date or date-time, exclusive

    def where(self) -> tuple[str, list[Any]]:
        terms: list[str] = []
        params: list[Any] = []
        if self.kinds:
            terms.append(f"kind IN ({','.join('?' * len(self.kinds))})")
            params += self.kinds
        if self.statuses:
            terms.append(f"status IN ({','.join('?' * len(self.statuses))})")
            params += self.statuses
        if self.server:
            terms.append("server = ?")
            params.append(self.server)
        if self.text:
            terms.append("(server || ' ' || repository || ' ' || backup_id || ' ' || message) LIKE ?")
            params.append(f"%{self.text}%")
        if self.since:
            terms.append("started >= ?")
            params.append(self.since)
        if self.until:
            terms.append("started < ?")
            params.append(self.until)
        return (" WHERE " + " AND ".join(terms)) if terms else "", params


@dataclass
class JobRun:
    """A job being recorded; see `Catalog.job`."""

    catalog: Catalog
    id: int
    started: float = field(default_factory=time.monotonic)
    values: dict[str, Any] = field(default_factory=dict)
    lines: list[str] = field(default_factory=list)

    def log(self, line: str) -> None:
        self.lines.append(f"{datetime.now(UTC).strftime('%H:%M:%S')} {line}")

    def set(self, **values: Any) -> None:
        self.values.update(values)


class Catalog:
    """One SQLite file; safe to use from several threads (one connection, a lock)."""

    def __init__(self, path: Path) -> None:
        self.path = path
        path.parent.mkdir(parents=True, exist_ok=True)
        self._lock = threading.Lock()
        self._db = sqlite3.connect(str(path), check_same_thread=False, timeout=10)
        self._db.execute("PRAGMA journal_mode=WAL")
        self._migrate()

    @classmethod
    def open_default(cls) -> Catalog:
        return cls(default_path())

    def close(self) -> None:
        with self._lock:
            self._db.close()

    def _migrate(self) -> None:
        with self._lock:
            version = int(self._db.execute("PRAGMA user_version").fetchone()[0])
            if version > len(MIGRATIONS):
                raise RuntimeError(f"the catalog {self.path} was written by a newer Custode "
                                   f"(schema {version}); update Custode")
            for number in range(version, len(MIGRATIONS)):
                with self._db:
                    self._db.executescript(MIGRATIONS[number])
                    self._db.execute(f"PRAGMA user_version = {number + 1}")

    @property
    def schema_version(self) -> int:
        with self._lock:
            return int(self._db.execute("PRAGMA user_version").fetchone()[0])

    # -- writing -------------------------------------------------------------------------------
    def add(self, **values: Any) -> int:
        """Insert one finished (or running) job record; returns its id."""
        values.setdefault("started", now_iso())
        unknown = set(values) - set(COLUMNS)
        if unknown:
            raise ValueError(f"unknown job fields {sorted(unknown)}")
        keys = list(values)
        with self._lock, self._db:
            cursor = self._db.execute(
                f"INSERT INTO jobs ({','.join(keys)}) VALUES ({','.join('?' * len(keys))})",
                [values[k] for k in keys])
            return int(cursor.lastrowid or 0)

    def update(self, job_id: int, **values: Any) -> None:
        if not values:
            return
        with self._lock, self._db:
            self._db.execute(f"UPDATE jobs SET {', '.join(f'{k} = ?' for k in values)} WHERE id = ?",
                             [*values.values(), job_id])

    @contextlib.contextmanager
    def job(self, kind: str, on_finish: Callable[[dict[str, Any]], str | None] | None = None,
            **values: Any) -> Iterator[JobRun]:
        """Record a job around a block: `running` at once, then ok / cancelled / failed.

        An exception ends the record as failed (or cancelled, or damaged for DamageFound) with
        its one-line message, and goes on up.  The block may also set its own outcome with
        `run.set(status=..., message=...)`, e.g. damage found and reported without an exception.
        `on_finish(job)` gets the finished record (e.g. to journal it in the repository) and may
        return the journal record's name, kept with the job so that a rebuild does not add it twice.
        """
        run = JobRun(self, self.add(kind=kind, status="running", **values))
        status, message = "ok", ""
        try:
            yield run
        except Cancelled as exc:
            status, message = "cancelled", str(exc)
            raise
        except BaseException as exc:
            status = "damaged" if isinstance(exc, DamageFound) else "failed"
            message = str(exc) or type(exc).__name__
            raise
        finally:
            record = {"status": status, "message": "", **run.values}
            if message:   # an exception's outcome wins over what the block set
                run.log(message)
                record.update(status=status, message=message)
            self.update(run.id, finished=now_iso(), seconds=round(time.monotonic() - run.started, 3),
                        log="\n".join(run.lines), **record)
            if on_finish is not None:
                finished = self.job_by_id(run.id)
                journal_id = on_finish(finished) if finished is not None else None
                if journal_id:
                    self.update(run.id, journal_id=journal_id)

    def has_journal_record(self, journal_id: str) -> bool:
        with self._lock:
            return self._db.execute("SELECT 1 FROM jobs WHERE journal_id = ? LIMIT 1",
                                    (journal_id,)).fetchone() is not None

    def has_backup_job(self, backup_id: str) -> bool:
        with self._lock:
            return self._db.execute("SELECT 1 FROM jobs WHERE kind = 'backup' AND backup_id = ? "
                                    "LIMIT 1", (backup_id,)).fetchone() is not None

    def put_repository(self, repository_id: str, location: str) -> None:
        with self._lock, self._db:
            self._db.execute("INSERT INTO repositories (id, location, seen) VALUES (?, ?, ?) "
                             "ON CONFLICT (id) DO UPDATE SET location = excluded.location, "
                             "seen = excluded.seen", (repository_id, location, now_iso()))

    def put_backup(self, **values: Any) -> None:
        """Remember one backup of a repository (insert or replace)."""
        with self._lock, self._db:
            self._db.execute(f"INSERT OR REPLACE INTO backups ({','.join(BACKUP_COLUMNS)}) "
                             f"VALUES ({','.join('?' * len(BACKUP_COLUMNS))})",
                             [values[k] for k in BACKUP_COLUMNS])

    def forget_backups(self, repository_id: str, keep: set[str]) -> int:
        """Drop the remembered backups of a repository that it no longer holds; returns how many."""
        with self._lock, self._db:
            ids = [r[0] for r in self._db.execute(
                "SELECT backup_id FROM backups WHERE repository_id = ?", (repository_id,))]
            gone = [i for i in ids if i not in keep]
            self._db.executemany("DELETE FROM backups WHERE repository_id = ? AND backup_id = ?",
                                 [(repository_id, i) for i in gone])
        return len(gone)

    def audit(self, action: str, target: str = "", detail: str = "") -> None:
        """Append to the audit log (who did what, when); entries are never changed or removed."""
        with self._lock, self._db:
            self._db.execute("INSERT INTO audit (time, user, host, action, target, detail) "
                             "VALUES (?, ?, ?, ?, ?, ?)",
                             (now_iso(), current_user(), socket.gethostname(), action, target, detail))

    # -- reading -------------------------------------------------------------------------------
    def job_by_id(self, job_id: int) -> dict[str, Any] | None:
        with self._lock:
            row = self._db.execute(f"SELECT {','.join(COLUMNS)} FROM jobs WHERE id = ?",
                                   (job_id,)).fetchone()
        return dict(zip(COLUMNS, row, strict=True)) if row else None

    def backups(self, repository_id: str | None = None) -> list[dict[str, Any]]:
        """Remembered backups (of one repository), newest first."""
        sql = f"SELECT {','.join(BACKUP_COLUMNS)} FROM backups"
        params: list[Any] = []
        if repository_id is not None:
            sql += " WHERE repository_id = ?"
            params.append(repository_id)
        with self._lock:
            rows = self._db.execute(sql + " ORDER BY finished DESC, backup_id", params).fetchall()
        return [dict(zip(BACKUP_COLUMNS, row, strict=True)) for row in rows]

    def newest_backups(self) -> dict[tuple[str, str], datetime]:
        """(server, repository location) -> when its newest backup there finished: where copies
        stand (a repository whose newest backup is older than the server's newest lags behind)."""
        with self._lock:
            rows = self._db.execute(
                "SELECT b.server, r.location, MAX(b.finished) FROM backups b "
                "JOIN repositories r ON r.id = b.repository_id GROUP BY b.server, r.location").fetchall()
        return {(str(s), str(loc)): from_iso(str(f)) for s, loc, f in rows}

    def audit_log(self, limit: int = -1) -> list[dict[str, Any]]:
        keys = ("id", "time", "user", "host", "action", "target", "detail")
        with self._lock:
            rows = self._db.execute(f"SELECT {','.join(keys)} FROM audit ORDER BY id DESC LIMIT ?",
                                    (limit,)).fetchall()
        return [dict(zip(keys, row, strict=True)) for row in rows]

    def count(self, where: JobFilter | None = None) -> int:
        clause, params = (where or JobFilter()).where()
        with self._lock:
            return int(self._db.execute(f"SELECT COUNT(*) FROM jobs{clause}", params).fetchone()[0])

    def jobs(self, where: JobFilter | None = None, limit: int = -1, offset: int = 0) -> list[dict[str, Any]]:
        """Jobs matching `where`, newest first."""
        clause, params = (where or JobFilter()).where()
        with self._lock:
            cursor = self._db.execute(
                f"SELECT {','.join(COLUMNS)} FROM jobs{clause} ORDER BY started DESC, id DESC "
                f"LIMIT ? OFFSET ?", [*params, limit, offset])
            return [dict(zip(COLUMNS, row, strict=True)) for row in cursor.fetchall()]

    def servers(self) -> list[str]:
        with self._lock:
            return [r[0] for r in self._db.execute(
                "SELECT DISTINCT server FROM jobs WHERE server <> '' ORDER BY server")]

    def last_good_backup(self, server: str) -> dict[str, Any] | None:
        rows = self.jobs(JobFilter(kinds=("backup",), statuses=("ok",), server=server), limit=1)
        return rows[0] if rows else None

    # -- the dashboard: SQL aggregates, so that 10,000 jobs cost no more than ten -----------------
    def series(self, server: str | None, kind: str, since: datetime) -> list[SeriesPoint]:
        """Good (`ok`) jobs of `kind` finished since `since`, oldest first: the trend charts.

        `server` None means every server.  The epoch comes from SQLite: parsing 10,000 ISO strings
        in Python would cost more than the whole query.
        """
        sql = ("SELECT CAST(strftime('%s', finished) AS INTEGER), bytes, stored_bytes, seconds "
               "FROM jobs WHERE kind = ? AND status = 'ok' AND finished >= ?")
        params: list[Any] = [kind, to_iso(since)]
        if server is not None:
            sql += " AND server = ?"
            params.append(server)
        with self._lock:
            rows = self._db.execute(sql + " ORDER BY finished, id", params).fetchall()
        stamp = datetime.fromtimestamp
        return [SeriesPoint(stamp(r[0], UTC), int(r[1]), int(r[2]), float(r[3] or 0.0)) for r in rows]

    def summaries(self, kind: str = "backup") -> dict[str, ServerSummary]:
        """Per server: the last good job of `kind`, how many, and the last failure (with its message)."""
        with self._lock:
            good = self._db.execute(
                "SELECT server, MAX(finished), COUNT(*) FROM jobs WHERE kind = ? AND status = 'ok' "
                "AND server <> '' GROUP BY server", (kind,)).fetchall()
            # SQLite fills the bare `message` column from the row that holds the MAX().
            bad = self._db.execute(
                "SELECT server, MAX(started), message FROM jobs WHERE kind = ? "
                "AND status IN ('failed', 'damaged') AND server <> '' GROUP BY server", (kind,)).fetchall()
        result = {server: ServerSummary(server, from_iso(last) if last else None, int(count))
                  for server, last, count in good}
        for server, started, message in bad:
            previous = result.get(server, ServerSummary(server))
            result[server] = ServerSummary(server, previous.last_good, previous.good_count,
                                           from_iso(started), str(message))
        return result

    def repository_usage(self) -> list[RepositoryUsage]:
        """Stored bytes of good backups and copies per (server, repository)."""
        with self._lock:
            rows = self._db.execute(
                "SELECT server, repository, SUM(stored_bytes), COUNT(*) FROM jobs "
                "WHERE kind IN ('backup', 'copy') AND status = 'ok' GROUP BY server, repository "
                "ORDER BY server, repository").fetchall()
        return [RepositoryUsage(str(s), str(r), int(b or 0), int(n)) for s, r, b, n in rows]


def current_user() -> str:
    """The login name of this process's user ('' when it has none), for the audit log and journal."""
    try:
        return getpass.getuser()
    except (KeyError, OSError):
        return ""
