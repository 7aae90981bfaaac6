"""The logical backup: one consistent snapshot, tables cut into key ranges, dumped in parallel.

How the snapshot is made consistent across connections (docs/ARCHITECTURE.md has the picture):
1. DDL only is blocked (MariaDB `BACKUP STAGE BLOCK_DDL`, MySQL `LOCK INSTANCE FOR BACKUP`) while
   the coordinator reads every definition and the users: writes go on, however long it takes;
2. commits are blocked (`BACKUP STAGE BLOCK_COMMIT` or `FLUSH TABLES WITH READ LOCK`) while every
   worker starts `START TRANSACTION WITH CONSISTENT SNAPSHOT` and the binlog position is read;
3. sequence values are read (after the snapshots: never behind the rows they hold);
4. the lock is released as soon as the tables that are not transactional (MyISAM, Aria...) are
   dumped, or at once if there are none.  Workers then read their shared snapshot without locks.
A server with no DDL-only lock reads the definitions under the global lock of step 2.
Without the RELOAD privilege the lock is impossible, and the backup falls back to one connection
with one consistent-snapshot transaction (still consistent, not parallel), and says so.
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import itertools
import queue
import re
import tempfile
import threading
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

import pymysql

from app import __version__
from app.core import schema as schema_mod
from app.core import sqltext, wire
from app.core.errors import Cancelled, ConfigError, CustodeError, OperationFailed
from app.core.jobs import CancelToken, Counter, ProgressCallback, default_backup_jobs, no_progress
from app.core.profile import cache_dir
from app.core.repository import PutResult, Repository
from app.core.schema import DatabaseInfo, TableInfo
from app.core.server import ServerInfo, ServerSpec, describe

FRAME_TARGET = 1 << 20      # bytes of row text per INSERT statement (fits any max_allowed_packet)
OBJECT_TARGET = 16 << 20    # bytes of plaintext per data object
SAMPLE_ROWS = 1000
SMALL_TABLE = 64 << 10   # bytes of data (by the statistics) up to which a table is read in one statement
INTEGER_TYPES = {"tinyint", "smallint", "mediumint", "int", "bigint"}
GROUP_CONCAT_CAP = 8 << 20   # longest batch string (one INSERT at restore); longer batches stream

Task = Callable[[pymysql.connections.Connection], None]
DEFINITIONS_LOCK_WAIT = 5   # seconds a definition read waits for a table a DDL statement holds
PARALLEL_READ_FROM = 8      # databases from which their definitions are read on several connections


@dataclass
class BackupOptions:
    databases: list[str] | None = None      # None with all_databases=False means: all
    all_databases: bool = False
    tables: list[str] = field(default_factory=list)   # "db.table"
    users: bool = False
    jobs: int = field(default_factory=default_backup_jobs)
    backup_type: str = "full"
    lock_timeout: int = 60
    strict: bool = False   # an object that cannot be read fails the backup instead of a warning


@dataclass
class BackupResult:
    backup_id: str
    manifest: dict[str, Any]


_NAME_PART = r"`(?:[^`]|``)+`|[^.`]+"


def table_name(database: str, table: str) -> str:
    """`database.table` as parse_table_names reads it back (a part with a dot or backtick quoted)."""
    def part(name: str) -> str:
        return f"`{name.replace('`', '``')}`" if "." in name or "`" in name or "," in name else name
    return f"{part(database)}.{part(table)}"


def parse_table_names(names: list[str]) -> dict[str, set[str]]:
    """Turn ["db.t", ...] into {"db": {"t", ...}}. A part holding a dot is quoted as SQL quotes
    it, with backticks (`` `db.x`.t ``, a backtick inside doubled); anything else is a usage error."""
    result: dict[str, set[str]] = {}
    for name in names:
        match = re.fullmatch(rf"({_NAME_PART})\.({_NAME_PART})", name.strip())
        if match is None:
            raise ConfigError(f"table {name!r} must be written as database.table (put a name "
                              "that holds a dot in backticks: `shop.eu`.orders)")
        database, table = (part[1:-1].replace("``", "`") if part.startswith("`") else part
                           for part in match.groups())
        result.setdefault(database, set()).add(table)
    return result


def run_backup(repo: Repository, server: ServerSpec, password: str | None,
               options: BackupOptions, progress: ProgressCallback = no_progress,
               cancel: CancelToken | None = None) -> BackupResult:
    """Back up what `options` selects into `repo`; the backup exists only if this returns."""
    if options.backup_type != "full":
        raise ConfigError(f"{options.backup_type} backups need binary-log archiving, which this "
                          "version does not have yet; use --type full")
    try:
        return _Backup(repo, server, password, options, progress, cancel or CancelToken()).run()
    except pymysql.err.MySQLError as exc:
        repo.keep_objects()
        raise OperationFailed(f"backup failed, nothing was saved: {describe(exc)}") from None
    except BaseException:
        repo.keep_objects()          # reused by the next run; prune removes them if not
        raise


class _Backup:
    def __init__(self, repo: Repository, server: ServerSpec, password: str | None,
                 options: BackupOptions, progress: ProgressCallback, cancel: CancelToken) -> None:
        self.repo, self.server, self.password = repo, server, password
        self.options, self.cancel = options, cancel
        self.progress_callback = progress
        self.pool: queue.Queue[pymysql.connections.Connection] = queue.Queue()
        self.connections: list[pymysql.connections.Connection] = []
        self.results: dict[tuple[str, str], dict[tuple[int, int], dict[str, Any]]] = {}
        self.checksums: dict[tuple[str, str], int | None] = {}
        self.max_frame: dict[tuple[str, str], int] = {}
        self.totals = {"new_objects": 0, "new_bytes": 0, "objects": 0, "plain_bytes": 0}
        self.lock = threading.Lock()
        self.pending = 0
        self.done = threading.Condition(self.lock)
        self.errors: list[BaseException] = []
        self.locked_tables_left = 0
        self.warnings: list[str] = []
        self.coordinator: pymysql.connections.Connection | None = None
        self.ddl_lock: str | None = None
        self.ddl_blocked_at: float | None = None
        self.locked_at: float | None = None
        self.unlocked = False
        self.lock_seconds: dict[str, float] = {}   # how long writes and DDL were blocked

    # -- the whole run --------------------------------------------------------------------------
    def run(self) -> BackupResult:
        started = datetime.now(UTC)
        t0 = time.monotonic()
        self.coordinator = self.server.connect(self.password)
        try:
            info = ServerInfo.read(self.coordinator)
            # Definitions are read while only DDL is blocked (writes go on); the global lock
            # that stops commits is held only to start the snapshots and read the binlog
            # position. A server without a DDL-only lock reads them under the global lock.
            databases, users = self._definitions_without_global_lock(info)
            consistency = self._lock_and_snapshot()
            binlog = self._binlog_position(consistency)
            ddl_before = schema_mod.ddl_statements(self.coordinator)
            if not self.ddl_lock:
                databases = self._read_schema()
                users = self._read_users()
            tables = [t for db in databases for t in db.tables if not t.rows_elsewhere]
            self.counter = Counter("backup", self.progress_callback,
                                   total_bytes=sum(t.data_length for t in tables),
                                   total_rows=sum(t.estimated_rows for t in tables))
            self.locked_tables_left = sum(1 for t in tables if not t.transactional)
            # Sequences are read once every snapshot has started: a value read later is never
            # one the snapshot's rows already used (one read before could be handed out again).
            schema_mod.read_sequence_values(self.coordinator, databases)
            if consistency == "global-read-lock" and not self.locked_tables_left:
                self._unlock()
            self._dump(tables)
            self._unlock()
            self._warn_of_ddl(ddl_before)
        finally:
            self._close()
        self.counter.finish()
        manifest = self._manifest(info, consistency, binlog, databases, users, started,
                                  time.monotonic() - t0)
        return BackupResult(self.repo.save_backup(manifest), manifest)

    def _want_users(self) -> bool:
        return self.options.users or self.options.all_databases

    def _warn_of_ddl(self, before: int | None) -> None:
        """Say so when DDL ran during the dump (after the lock, nothing blocks it): a table it
        changed was read as it was after the change, not as at the snapshot."""
        assert self.coordinator is not None
        after = schema_mod.ddl_statements(self.coordinator)
        if before is not None and after is not None and after > before:
            self.warnings.append(
                f"{after - before} DDL statements (ALTER, CREATE, DROP, RENAME, TRUNCATE) ran on "
                "the server during the backup: a table they changed was read as it was after the "
                "change; back up again when no schema change is running to be sure")

    def _read_users(self) -> list[dict[str, Any]]:
        assert self.coordinator is not None
        return schema_mod.read_users(self.coordinator, self.warnings) if self._want_users() else []

    def _definitions_without_global_lock(
            self, info: ServerInfo) -> tuple[list[DatabaseInfo], list[dict[str, Any]]]:
        """Read the definitions under the DDL-only lock (`ddl_lock` says which, None when the
        server has none: then they are read under the global lock, later).

        An ALTER TABLE already running when DDL is blocked goes on until its last stage and
        waits there, holding its table: reading that table's definition then deadlocks (the
        server stops the read) or waits. Then the DDL block is let go so the ALTER can end, and
        the read starts again; after three tries the global lock, which waits for the ALTER to
        finish, is used instead."""
        assert self.coordinator is not None
        for attempt in range(3):
            self.ddl_lock = self._block_ddl(info)
            if not self.ddl_lock:
                return [], []
            warnings = len(self.warnings)
            try:
                with self.coordinator.cursor() as cursor:   # back off soon: see above
                    cursor.execute(f"SET SESSION lock_wait_timeout = {DEFINITIONS_LOCK_WAIT}")
                return self._read_schema(), self._read_users()
            except pymysql.err.OperationalError as exc:
                if exc.args[0] not in (1205, 1213):     # lock wait timeout, deadlock
                    raise
                del self.warnings[warnings:]
                with self.coordinator.cursor() as cursor:
                    cursor.execute("BACKUP STAGE END" if self.ddl_lock == "backup-stage"
                                   else "UNLOCK INSTANCE")
                self.ddl_lock = self.ddl_blocked_at = None
                time.sleep(0.5 * (attempt + 1))
        return [], []

    def _block_ddl(self, info: ServerInfo) -> str | None:
        """Block DDL, and nothing else that InnoDB does, for the definitions read: MariaDB's
        `BACKUP STAGE BLOCK_DDL` (10.4+; MyISAM and other non-transactional writes wait too)
        or MySQL's `LOCK INSTANCE FOR BACKUP` (8.0+). None when the server or the user's
        privileges have neither: the definitions are then read under the global lock."""
        assert self.coordinator is not None
        statements = (["BACKUP STAGE START", "BACKUP STAGE BLOCK_DDL"] if info.flavor == "mariadb"
                      else ["LOCK INSTANCE FOR BACKUP"])
        with self.coordinator.cursor() as cursor:
            cursor.execute("SET SESSION lock_wait_timeout = %s", (self.options.lock_timeout,))
            try:
                for statement in statements:
                    cursor.execute(statement)
            except pymysql.err.OperationalError as exc:
                if exc.args[0] == 1205:
                    raise OperationFailed(f"could not block DDL within {self.options.lock_timeout} "
                                          "s: a long ALTER TABLE or other DDL is running on the "
                                          "server") from None
                if info.flavor == "mariadb":
                    with contextlib.suppress(pymysql.err.MySQLError):
                        cursor.execute("BACKUP STAGE END")
                return None
            except pymysql.err.ProgrammingError:     # a server without it: a syntax error
                return None
        self.ddl_blocked_at = time.monotonic()
        return "backup-stage" if info.flavor == "mariadb" else "backup-lock"

    def _lock_and_snapshot(self) -> str:
        assert self.coordinator is not None
        jobs = max(1, self.options.jobs)
        with self.coordinator.cursor() as cursor:
            cursor.execute("SET SESSION lock_wait_timeout = %s", (self.options.lock_timeout,))
            try:
                cursor.execute("BACKUP STAGE BLOCK_COMMIT" if self.ddl_lock == "backup-stage"
                               else "FLUSH TABLES WITH READ LOCK")
                consistency = "global-read-lock"
                self.locked_at = time.monotonic()
            except pymysql.err.OperationalError as exc:
                if exc.args[0] == 1205:
                    raise OperationFailed("could not take the global read lock within "
                                          f"{self.options.lock_timeout} s: a long query or "
                                          "transaction is running on the server") from None
                if exc.args[0] not in (1227, 1044, 1045, 1142):
                    raise
                consistency, jobs = "single-transaction", 1
        if consistency == "single-transaction":
            self._start_snapshot(self.coordinator)
            self.pool.put(self.coordinator)
            return consistency
        for _ in range(jobs):
            connection = self.server.connect(self.password)
            self.connections.append(connection)
            self._start_snapshot(connection)
            self.pool.put(connection)
        return consistency

    def _start_snapshot(self, connection: pymysql.connections.Connection) -> None:
        with connection.cursor() as cursor:
            cursor.execute("SELECT @@max_allowed_packet")
            packet = int(cursor.fetchone()[0])
            cursor.execute("SET SESSION group_concat_max_len = %s", (min(packet, GROUP_CONCAT_CAP),))
            cursor.execute("SET SESSION TRANSACTION ISOLATION LEVEL REPEATABLE READ")
            cursor.execute("START TRANSACTION WITH CONSISTENT SNAPSHOT")

    def _binlog_position(self, consistency: str) -> dict[str, Any] | None:
        assert self.coordinator is not None
        with self.coordinator.cursor(pymysql.cursors.DictCursor) as cursor:
            if consistency == "single-transaction":
                cursor.execute("SHOW STATUS LIKE 'binlog_snapshot_%'")
                status = {r["Variable_name"]: r["Value"] for r in cursor.fetchall()}
                row = {"File": status.get("Binlog_snapshot_file"),
                       "Position": status.get("Binlog_snapshot_position")}
            else:
                try:
                    cursor.execute("SHOW MASTER STATUS")
                    row = cursor.fetchone() or {}
                except pymysql.err.OperationalError:
                    row = {}
            if not row.get("File"):
                return None
            gtid = None
            try:
                cursor.execute("SELECT @@GLOBAL.gtid_binlog_pos AS g")
                gtid = cursor.fetchone()["g"] or None
            except pymysql.err.MySQLError:
                cursor.execute("SELECT @@GLOBAL.gtid_executed AS g")
                gtid = cursor.fetchone()["g"] or None
        return {"file": row["File"], "position": int(str(row["Position"])), "gtid": gtid}

    def _read_schema(self) -> list[DatabaseInfo]:
        assert self.coordinator is not None
        with self.coordinator.cursor() as cursor:
            cursor.execute("SET SESSION sql_mode = ''")
        existing = schema_mod.list_databases(self.coordinator)
        wanted_tables = parse_table_names(self.options.tables)
        if self.options.tables:
            names = sorted(wanted_tables)
        elif self.options.databases and not self.options.all_databases:
            names = list(dict.fromkeys(self.options.databases))
        else:
            names = existing
        missing = [n for n in names if n not in existing]
        if missing:
            raise ConfigError(f"database {missing[0]!r} does not exist on {self.server.url}")
        for name in schema_mod.databases_not_fully_readable(self.coordinator, names):
            self.warnings.append(f"the backup user has no SELECT privilege on the whole database "
                                 f"{name}: tables it cannot see are NOT in this backup")
        stats = schema_mod.innodb_statistics(self.coordinator)

        def read(connection: pymysql.connections.Connection, name: str) -> DatabaseInfo:
            only = wanted_tables.get(name)
            database = schema_mod.read_database(connection, name, only, stats)
            if only:
                found = {t.name for t in database.tables} | {s["name"] for s in database.sequences}
                absent = sorted(only - found)
                if absent:
                    raise ConfigError(f"table {name}.{absent[0]} does not exist")
            return database

        try:
            if self.ddl_lock and len(names) >= PARALLEL_READ_FROM:
                databases = self._read_in_parallel(names, read)
            else:
                databases = [read(self.coordinator, name) for name in names]
        except PermissionError as exc:
            raise OperationFailed(str(exc)) from None
        self._report_unreadable(databases)
        return databases

    def _read_in_parallel(self, names: list[str],
                          read: Callable[[pymysql.connections.Connection, str], DatabaseInfo]
                          ) -> list[DatabaseInfo]:
        """Read many databases' definitions on `jobs` connections: DDL is blocked for the whole
        server, so they see one state as the coordinator would, in a fraction of the time (the
        server answers each SHOW CREATE in a fraction of a millisecond; the round trips add up)."""
        assert self.coordinator is not None
        readers = [self.coordinator]
        try:
            for _ in range(max(1, min(self.options.jobs, 8)) - 1):
                reader = self.server.connect(self.password)
                readers.append(reader)
                with reader.cursor() as cursor:
                    cursor.execute("SET SESSION sql_mode = ''")
                    cursor.execute(f"SET SESSION lock_wait_timeout = {DEFINITIONS_LOCK_WAIT}")
            free: queue.Queue[pymysql.connections.Connection] = queue.Queue()
            for reader in readers:
                free.put(reader)

            def on_a_free_connection(name: str) -> DatabaseInfo:
                self.cancel.check()
                connection = free.get()
                try:
                    return read(connection, name)
                finally:
                    free.put(connection)

            with ThreadPoolExecutor(max_workers=len(readers), thread_name_prefix="read") as pool:
                return list(pool.map(on_a_free_connection, names))
        finally:
            for reader in readers[1:]:
                with contextlib.suppress(pymysql.err.MySQLError):
                    reader.close()

    def _report_unreadable(self, databases: list[DatabaseInfo]) -> None:
        """Name every object that could not be read as it is: a warning, or with `strict` the
        end of the backup (before any row is read)."""
        problems = []
        for database in databases:
            for item in database.unreadable:
                name = sqltext.display_name(database.name, item["name"])
                what = ("it is NOT in this backup (its definition is kept in the manifest)"
                        if item["kind"] == "view" else
                        "it is NOT in this backup (its stored text is kept in the manifest)")
                problems.append(f"{item['kind']} {name} cannot be read as it is: "
                                f"{sqltext.comment_text(str(item['error']))}; {what}")
        if problems and self.options.strict:
            more = f" (and {len(problems) - 1} more)" if len(problems) > 1 else ""
            raise OperationFailed(f"backup refused (--strict): {problems[0]}{more}; nothing was saved")
        self.warnings.extend(problems)

    def _unlock(self) -> None:
        """End the global lock (and the DDL block): once the snapshots have started, or once
        the non-transactional tables are dumped. Called again at the end: then it does nothing."""
        if self.coordinator is None or self.unlocked:
            return
        self.unlocked = True
        with self.coordinator.cursor() as cursor:
            if self.ddl_lock == "backup-stage":
                cursor.execute("BACKUP STAGE END")
            else:
                if self.connections:
                    cursor.execute("UNLOCK TABLES")
                if self.ddl_lock == "backup-lock":
                    cursor.execute("UNLOCK INSTANCE")
        now = time.monotonic()
        if self.locked_at is not None:
            self.lock_seconds["writes_blocked"] = round(now - self.locked_at, 4)
        if self.ddl_blocked_at is not None:
            self.lock_seconds["ddl_blocked"] = round(now - self.ddl_blocked_at, 4)

    def _close(self) -> None:
        for connection in [*self.connections, self.coordinator]:
            if connection is None:
                continue
            try:
                connection.close()
            except pymysql.err.MySQLError:
                pass
        self.connections.clear()
        self.coordinator = None

    # -- the task pool ----------------------------------------------------------------------------
    def _dump(self, tables: list[TableInfo]) -> None:
        # Locked (non-transactional) tables first; then tables without a usable key, which one
        # connection dumps in one pass, so that they run beside the others instead of alone at
        # the end; then the biggest first for an even finish.
        order = sorted(tables, key=lambda t: (t.transactional, bool(t.key), -t.data_length))
        threads = [threading.Thread(target=self._worker, name=f"dump-{i}", daemon=True)
                   for i in range(self.pool.qsize())]
        # Tasks run by (table's place in `order`, step, submission): the workers finish a table's
        # ranges before they start the next table, and its checksum scan runs beside its ranges,
        # so the pages one reads are still in the buffer pool for the other.
        self.tasks: queue.PriorityQueue[tuple[int, int, int, Task | None]] = queue.PriorityQueue()
        self.submitted = itertools.count()
        self.place = {(t.database, t.name): i for i, t in enumerate(order)}
        for table in order:
            self.results[(table.database, table.name)] = {}
            self._submit(functools.partial(self._table_task, table=table), table, 0)
            if table.transactional and not table.key:
                # Its checksum beside its one pass (a locked table's is taken under the lock).
                self._submit(functools.partial(self._checksum_task, table=table), table, 0)
        # With one or two connections, one object at a time is handed to a storer thread
        # (compress, encrypt, write), so that its connection keeps the server formatting
        # meanwhile (with two connections the server sat idle for that about a fifth of the
        # time); when the storer is busy, a worker stores its object itself. With more
        # connections the others keep the server busy, and an object in flight would cost up
        # to 3 x 16 MiB more memory (-j 4 on 1 GB: 163-176 MB peak without it, 218 MB with).
        storing = 1 if len(threads) <= 2 else 0
        self.in_flight = threading.Semaphore(storing)
        self.storers = ThreadPoolExecutor(max_workers=1, thread_name_prefix="store")
        try:
            self._run_tasks(threads)
        finally:
            self.storers.shutdown(wait=True)

    def _run_tasks(self, threads: list[threading.Thread]) -> None:
        for thread in threads:
            thread.start()
        with self.done:
            while self.pending and not self.errors:
                self.done.wait(0.2)
                if self.cancel.cancelled and not self.errors:
                    self.errors.append(Cancelled("backup cancelled; nothing was saved"))
        for _ in threads:
            self.tasks.put((len(self.place), 0, next(self.submitted), None))
        for thread in threads:
            thread.join()
        if self.errors:
            first = next((e for e in self.errors if not isinstance(e, Cancelled)), self.errors[0])
            if isinstance(first, CustodeError):
                raise first
            if isinstance(first, pymysql.err.MySQLError):
                raise OperationFailed(f"backup failed: {describe(first)}") from first
            raise first

    def _submit(self, task: Task, table: TableInfo, step: int) -> None:
        with self.lock:
            self.pending += 1
        self.tasks.put((self.place[(table.database, table.name)], step, next(self.submitted), task))

    def _worker(self) -> None:
        connection = self.pool.get()
        while (task := self.tasks.get()[3]) is not None:
            self._settle(functools.partial(self._checked, task, connection))

    def _checked(self, task: Task, connection: pymysql.connections.Connection) -> None:
        self.cancel.check()
        try:
            task(connection)
        except pymysql.err.OperationalError as exc:
            table = getattr(task, "keywords", {}).get("table")
            # 1412: table definition has changed; 1213: a DDL statement waiting for this table
            # (which the snapshot holds) blocked another read of it, and the server broke the
            # deadlock by stopping the read.
            if exc.args[0] not in (1412, 1213) or table is None:
                raise
            raise OperationFailed(
                f"backup failed, nothing was saved: table "
                f"{sqltext.display_name(table.database, table.name)} was changed by a DDL statement "
                "(ALTER, TRUNCATE, OPTIMIZE...) while it was being backed up; run the backup again "
                "when no schema change is running") from None

    def _settle(self, work: Callable[[], None]) -> None:
        """Run one unit of work counted in `pending` (skipped once something failed): a failure
        goes to `errors` for the coordinating thread, and the count goes down either way."""
        try:
            if not self.errors:
                work()
        except BaseException as exc:  # noqa: BLE001 - handed to the coordinating thread
            with self.lock:
                self.errors.append(exc)
        finally:
            with self.done:
                self.pending -= 1
                self.done.notify_all()

    # -- one table ----------------------------------------------------------------------------
    def _table_task(self, connection: pymysql.connections.Connection, table: TableInfo) -> None:
        if not table.key or not table.transactional:
            # No usable key (or the global lock is held): one sequential pass.
            if not table.transactional:
                self._checksum_task(connection, table)
            self._dump_rows(connection, table)
            if not table.transactional:
                self._locked_table_done()
            return
        if (table.data_length <= SMALL_TABLE and table.estimated_rows <= SAMPLE_ROWS
                and self._small_table(connection, table)):
            return
        name = sqltext.qname(table.database, table.name)
        columns = table.dump_columns
        order = ",".join(sqltext.quote_ident(k) for k in table.key)
        index = _key_hint(table)
        integer = len(table.key) == 1 and self._column(table, table.key[0]).data_type in INTEGER_TYPES
        # One sample of the first rows gives the average row size and, for an integer key, the
        # key's density: one statement, not two (a small table costs few statements in all).
        bounds = (f", MIN({order}), MAX({order})" if integer else "")
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT COUNT(*), AVG(LENGTH({sqltext.tuple_expr(columns)})){bounds} FROM "
                           f"(SELECT {sqltext.column_list(columns)} FROM {name} {index} "
                           f"ORDER BY {order} LIMIT {SAMPLE_ROWS}) AS sample")
            sampled, average, *sample = cursor.fetchone()
        if not sampled:
            self._checksum_task(connection, table)
            return  # empty table
        if average is None:
            # No sampled row could be formatted (longer than the server's max_allowed_packet):
            # the batches find out and say so.
            average = FRAME_TARGET
        batch_rows = _pow2_floor(FRAME_TARGET / max(1.0, float(average)), 1, 65536)
        batches_per_object = _pow2_floor(OBJECT_TARGET / (batch_rows * max(1.0, float(average))),
                                         1, 1024)
        if integer:
            self._integer_ranges(connection, table, batch_rows, batches_per_object,
                                 (int(sample[0]), int(sample[1]), int(sampled)))
        else:
            self._walked_ranges(connection, table, batch_rows, batches_per_object)

    def _small_table(self, connection: pymysql.connections.Connection, table: TableInfo) -> bool:
        """Read a table that the statistics call small whole, in one statement with no sample
        first, then its checksum while the server has it open (10,000 tables of 10 rows: 10,000
        statements fewer). False, having stored nothing, when it holds more than SAMPLE_ROWS rows:
        statistics lag behind a table that grew, and the reading stops at SAMPLE_ROWS + 1."""
        order = ",".join(sqltext.quote_ident(k) for k in table.key)
        source = (f"(SELECT {sqltext.column_list(table.dump_columns)} FROM "
                  f"{sqltext.qname(table.database, table.name)} {_key_hint(table)} "
                  f"ORDER BY {order} LIMIT {SAMPLE_ROWS + 1}) AS small")
        out = bytearray()
        flush = self._object_writer(table, 0)
        try:
            rows = self._batch(connection, table, source, "TRUE", out, 0, flush, most=SAMPLE_ROWS)
        except _MoreRows:
            return False
        if out:
            flush(out, rows)
        self._checksum_task(connection, table)
        return True

    def _integer_ranges(self, connection: pymysql.connections.Connection, table: TableInfo,
                        batch_rows: int, batches_per_object: int,
                        sample: tuple[int, int, int]) -> None:
        """Cut a table with a one-column integer key into aligned key-value ranges, unread.

        The width of a batch (in key values) comes from the key density of the first rows, as a
        power of two; batches and objects start at multiples of their width, so an unchanged
        stretch of the table gives the same objects again (deduplication). Gaps in the key are
        skipped with one index probe per object; a stretch much denser than the sample only
        makes its batches longer (they are streamed when too long for one GROUP_CONCAT).
        `sample`: the lowest and highest key and the count of the first SAMPLE_ROWS rows.
        """
        name = sqltext.qname(table.database, table.name)
        key = sqltext.quote_ident(table.key[0])
        index = _key_hint(table)
        first, last, sampled = sample
        if sampled < SAMPLE_ROWS:
            highest = last               # the sample was the whole table
        else:
            with connection.cursor() as cursor:
                cursor.execute(f"SELECT MAX({key}) FROM {name} {index}")
                highest = int(cursor.fetchone()[0])
        width = _pow2_floor(batch_rows * (last - first + 1) / sampled, 1, 1 << 62)
        object_width = width * batches_per_object
        start: int | None = first // object_width * object_width
        sequence = 0
        while start is not None:
            self.cancel.check()
            # (No batch past the highest key: it would only find nothing.)
            wheres = [f"{key} >= {low} AND {key} < {low + width}"
                      for low in range(start, min(start + object_width, highest + 1), width)]
            self._submit_range(table, wheres, sequence)
            sequence += 1
            start += object_width
            if start > highest:
                break
            # Skip a gap in the key with one probe (never past the highest value: the server
            # would clamp a literal beyond the column's range).
            with connection.cursor() as cursor:
                cursor.execute(f"SELECT MIN({key}) FROM {name} {index} WHERE {key} >= {start}")
                following = cursor.fetchone()[0]
            start = None if following is None else int(following) // object_width * object_width

    def _walked_ranges(self, connection: pymysql.connections.Connection, table: TableInfo,
                       batch_rows: int, batches_per_object: int) -> None:
        """Cut a table into ranges of `batch_rows` rows by walking its key (any key type)."""
        name = sqltext.qname(table.database, table.name)
        order = ",".join(sqltext.quote_ident(k) for k in table.key)
        index = _key_hint(table)
        key_exprs = ",".join(sqltext.value_expr(self._column(table, k)) for k in table.key)
        low: list[str] | None = None
        wheres: list[str] = []
        sequence = 0
        while True:
            self.cancel.check()
            where = f"WHERE {sqltext.after_key(table.key, low)}" if low else ""
            with connection.cursor() as cursor:
                cursor.execute(f"SELECT {key_exprs} FROM {name} {index} {where} ORDER BY {order} "
                               f"LIMIT 1 OFFSET {batch_rows - 1}")
                row = cursor.fetchone()
            high = [v.decode("utf-8", "surrogateescape") for v in row] if row else None
            wheres.append(sqltext.key_range(table.key, low, high))
            if len(wheres) == batches_per_object or high is None:
                self._submit_range(table, wheres, sequence)
                wheres, sequence = [], sequence + 1
            if high is None:
                return
            low = high

    def _submit_range(self, table: TableInfo, wheres: list[str], sequence: int) -> None:
        """Queue one object's ranges; after the first, the table's checksum, to run beside them."""
        self._submit(functools.partial(self._range_task, table=table, wheres=wheres,
                                       sequence=sequence), table, 1)
        if sequence == 0:
            self._submit(functools.partial(self._checksum_task, table=table), table, 1)

    def _range_task(self, connection: pymysql.connections.Connection, table: TableInfo,
                    wheres: list[str], sequence: int) -> None:
        name = sqltext.qname(table.database, table.name)
        index = _key_hint(table)
        out = bytearray()   # the object's plaintext, built in place: no list of copies
        rows = 0
        flush = self._object_writer(table, sequence)
        for where in wheres:
            self.cancel.check()
            rows = self._batch(connection, table, f"{name} {index} WHERE {where}", where, out, rows,
                               flush)
        if out:
            flush(out, rows)

    def _batch(self, connection: pymysql.connections.Connection, table: TableInfo, source: str,
               where: str, out: bytearray, rows: int, flush: _ObjectWriter,
               most: int | None = None) -> int:
        """Append the rows of `source` (FROM text) to `out` as one frame, or stream them with
        `where` when they are too long for one GROUP_CONCAT; `rows`: those already in `out`.
        Returns the rows now in `out`; raises _MoreRows, having added nothing, when there are
        more than `most`."""
        with connection.cursor() as cursor:
            # No ORDER BY inside GROUP_CONCAT: it costs a third of the server's work, and the
            # forced key range scan already reads in key order (order matters only for
            # deduplication, never for correctness).
            cursor.execute(f"SELECT GROUP_CONCAT({sqltext.tuple_expr(table.dump_columns)} "
                           f"SEPARATOR ','), COUNT(*) FROM {source}")
            body, count = cursor.fetchone()
            truncated = cursor.warning_count > 0
        if most is not None and count > most:
            raise _MoreRows
        if not count:
            return rows
        if truncated or body is None:
            # Rows too long for one GROUP_CONCAT: stream this range instead.
            if rows and out:
                flush(out, rows)
            return self._stream_rows(connection, table, where, out, flush)
        sqltext.append_frame(out, body)
        rows += count
        self.counter.add(len(body), count, sqltext.display_name(table.database, table.name))
        del body
        if len(out) >= OBJECT_TARGET:
            flush(out, rows)
            rows = 0
        return rows

    def _dump_rows(self, connection: pymysql.connections.Connection, table: TableInfo) -> None:
        """Dump a whole table in one sequential pass, storing an object every OBJECT_TARGET."""
        out = bytearray()
        flush = self._object_writer(table, 0)
        rows = self._stream_rows(connection, table, "TRUE", out, flush)
        if out:
            flush(out, rows)

    def _object_writer(self, table: TableInfo, sequence: int) -> _ObjectWriter:
        return _ObjectWriter(self, table, sequence)

    def _stream_rows(self, connection: pymysql.connections.Connection, table: TableInfo,
                     where: str, out: bytearray, flush: _ObjectWriter) -> int:
        """Stream rows (each formatted by the server) and append them as frames to `out`, handing
        `out` to `flush` whenever it reaches an object's size; a row longer than wire.LONG_ROW
        becomes an object of its own, never held in memory whole.

        Returns the rows in `out` not yet handed to `flush`.
        """
        name = sqltext.qname(table.database, table.name)
        label = sqltext.display_name(table.database, table.name)
        pending_rows = 0
        sql = f"SELECT {sqltext.tuple_expr(table.dump_columns)} FROM {name} WHERE {where}"
        with contextlib.closing(wire.stream_frames(connection, sql, FRAME_TARGET)) as frames:
            try:
                for frame, count in frames:
                    if isinstance(frame, wire.LongRow):
                        if out:
                            flush(out, pending_rows)
                            pending_rows = 0
                        flush.long_row(frame, label)
                        continue
                    sqltext.append_frame(out, frame)
                    self.counter.add(len(frame), count, label)
                    pending_rows += count
                    self.cancel.check()
                    if len(out) >= OBJECT_TARGET:
                        flush(out, pending_rows)
                        pending_rows = 0
            except wire.NullValue:
                # CONCAT gives NULL for a result longer than max_allowed_packet.
                with connection.cursor() as cursor:
                    cursor.execute("SELECT @@max_allowed_packet")
                    packet = int(cursor.fetchone()[0])
                raise OperationFailed(
                    f"{label} has a row that the server cannot format within its max_allowed_packet "
                    f"({packet} bytes; the SQL text of a row is a little longer than its values): "
                    "raise it on the server, for example SET GLOBAL max_allowed_packet = 1073741824, "
                    "and retry") from None
        return pending_rows

    def _submit_store(self, table: TableInfo, order: tuple[int, int], plaintext: bytes,
                      rows: int) -> None:
        with self.lock:
            self.pending += 1

        def store() -> None:
            try:
                self._settle(functools.partial(self._store, table, order, plaintext, rows))
            finally:
                self.in_flight.release()

        self.storers.submit(store)

    def _store(self, table: TableInfo, order: tuple[int, int], plaintext: bytes | bytearray,
               rows: int) -> None:
        self._stored(table, order, self.repo.put(plaintext, deferred=True), rows,
                     max(_frame_sizes(plaintext), default=0))

    def _stored(self, table: TableInfo, order: tuple[int, int], result: PutResult, rows: int,
                largest: int) -> None:
        with self.lock:
            self.max_frame[(table.database, table.name)] = max(
                largest, self.max_frame.get((table.database, table.name), 0))
            self.results[(table.database, table.name)][order] = {
                "id": result.object_id, "rows": rows, "size": result.plain_size}
            self.totals["objects"] += 1
            self.totals["plain_bytes"] += result.plain_size
            if result.new:
                self.totals["new_objects"] += 1
                self.totals["new_bytes"] += result.stored_size

    def _checksum_task(self, connection: pymysql.connections.Connection, table: TableInfo) -> None:
        with connection.cursor() as cursor:
            cursor.execute(f"CHECKSUM TABLE {sqltext.qname(table.database, table.name)}")
            row = cursor.fetchone()
        checksum = None if row is None or row[1] is None else int(row[1])
        with self.lock:
            self.checksums[(table.database, table.name)] = checksum

    def _locked_table_done(self) -> None:
        with self.lock:
            self.locked_tables_left -= 1
            last = self.locked_tables_left == 0
        if last:
            self._unlock()

    @staticmethod
    def _column(table: TableInfo, name: str) -> schema_mod.Column:
        return next(c for c in table.columns if c.name == name)

    # -- the manifest -------------------------------------------------------------------------
    def _manifest(self, info: ServerInfo, consistency: str, binlog: dict[str, Any] | None,
                  databases: list[DatabaseInfo], users: list[dict[str, Any]],
                  started: datetime, duration: float) -> dict[str, Any]:
        out_databases = []
        total_rows = 0
        for db in databases:
            tables = []
            for t in db.tables:
                parts = self.results.get((db.name, t.name), {})
                objects = [parts[k] for k in sorted(parts)]
                rows = sum(o["rows"] for o in objects)
                total_rows += rows
                tables.append({
                    "name": t.name, "engine": t.engine, "create": t.create,
                    "columns": [c.name for c in t.dump_columns],
                    "column_types": [c.data_type for c in t.dump_columns],
                    "key": t.key, "has_virtual": t.has_virtual, "rows": rows,
                    "load_data": all(sqltext.load_data_compatible(c) for c in t.dump_columns),
                    "checksum": self.checksums.get((db.name, t.name)),
                    "bytes": sum(o["size"] for o in objects), "data_length": t.data_length,
                    "max_frame": self.max_frame.get((db.name, t.name), 0),
                    "objects": objects,
                    **({"definition_only": t.rows_elsewhere} if t.rows_elsewhere else {})})
            out_databases.append({
                "name": db.name, "charset": db.charset, "collation": db.collation,
                "comment": db.comment, "tables": tables, "sequences": db.sequences,
                "views": db.views, "triggers": db.triggers, "routines": db.routines,
                "events": db.events,
                **({"unreadable": db.unreadable} if db.unreadable else {})})
        return {
            "format": 1, "kind": "custode-backup", "type": "full", "program": f"custode {__version__}",
            "started": started.strftime("%Y-%m-%dT%H:%M:%SZ"),
            "finished": datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
            "duration": round(duration, 3),
            "server": {"url": self.server.url, "version": info.version, "flavor": info.flavor},
            "consistency": consistency, "binlog": binlog,
            "locks": {"ddl_lock": self.ddl_lock or "global-read-lock", **self.lock_seconds},
            "selection": {"databases": [d.name for d in databases],
                          "tables": self.options.tables,
                          "all_databases": self.options.all_databases,
                          "users": self._want_users()},
            "databases": out_databases,
            "view_order": [list(k) for k in schema_mod.view_order(databases)],
            "users": users,
            "warnings": self.warnings,
            "totals": {**self.totals, "rows": total_rows, "tables": sum(len(d.tables) for d in databases)},
        }


def _frame_sizes(plaintext: bytes | bytearray) -> list[int]:
    """The body sizes of an object's frames (cheap: an object has a few dozen frames)."""
    sizes, offset = [], 0
    while offset < len(plaintext):
        (size,) = sqltext.FRAME_HEADER.unpack_from(plaintext, offset)
        sizes.append(size)
        offset += sqltext.FRAME_HEADER.size + size
    return sizes


def _key_hint(table: TableInfo) -> str:
    """`FORCE INDEX (...)` for the key a table is cut and read along."""
    return f"FORCE INDEX ({sqltext.quote_ident(table.key_index or 'PRIMARY')})"


def _pow2_floor(value: float, low: int, high: int) -> int:
    """The largest power of two <= value, within [low, high]: stable across small changes."""
    result = low
    while result * 2 <= value and result * 2 <= high:
        result *= 2
    return result


class _MoreRows(Exception):
    """A table read as small holds more rows than the statistics said."""


class _ObjectWriter:
    """Stores a table's filled buffers as its next objects, in order ((sequence, part))."""

    def __init__(self, backup: _Backup, table: TableInfo, sequence: int) -> None:
        self.backup = backup
        self.table = table
        self.sequence = sequence
        self.part = 0

    def _next(self) -> tuple[int, int]:
        order = (self.sequence, self.part)
        self.part += 1
        return order

    def __call__(self, done: bytearray, rows: int) -> None:
        """Store `done` as the next object, then empty it for the next one."""
        backup = self.backup
        if backup.in_flight.acquire(blocking=False):
            # Stored by a storer thread while this connection's server thread goes on
            # formatting the next batch; when every storer is busy, stored here instead.
            backup._submit_store(self.table, self._next(), bytes(done), rows)
        else:
            backup._store(self.table, self._next(), done, rows)
        done.clear()

    def long_row(self, row: wire.LongRow, label: str) -> None:
        """Store one long row as an object of its own: spooled to a temporary file as it
        arrives (hashed on the way), then compressed and encrypted from there."""
        backup = self.backup
        if row.size > sqltext.FRAME_LIMIT:
            raise OperationFailed(f"{label} has a row of {row.size} bytes of SQL text, more than "
                                  f"the {sqltext.FRAME_LIMIT} a frame can hold (docs/FORMAT.md)")
        digest = hashlib.sha256()
        spool_dir = cache_dir()
        spool_dir.mkdir(parents=True, exist_ok=True)
        with tempfile.TemporaryFile(prefix="custode-row-", dir=spool_dir) as spool:
            head = sqltext.FRAME_HEADER.pack(row.size)
            spool.write(head)
            digest.update(head)
            for piece in row.pieces:
                spool.write(piece)
                digest.update(piece)
                backup.counter.add(len(piece), 0, label)
                backup.cancel.check()
            backup.counter.add(0, 1, label)
            size = spool.tell()
            spool.seek(0)
            result = backup.repo.put_stream(
                digest.hexdigest(), size, lambda: iter(lambda: spool.read(1 << 20), b""),
                deferred=True)
        backup._stored(self.table, self._next(), result, 1, row.size)
