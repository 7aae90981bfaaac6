"""Restore: verify, load into staging schemas, check, then swap in with one atomic RENAME TABLE.

The order of events is what makes a restore safe:
1. plan (read-only): what will be created and what replaced, pre-flight checks;
2. check that every object the restore needs is in the repository (a missing one stops here);
3. load tables into staging schemas `custode_stage_<id>_<n>` in parallel; as each table's load
   ends, build its secondary indexes, check the rows the server reports inserting and compare
   checksums where the server can be trusted to compute the same ones. Every object is verified
   (authentication tag and SHA-256) as it is read, before its transaction commits: a damaged
   object stops the restore here, with the target untouched, and the repository is read once
   instead of twice (half the transfer from remote storage);
4. one `RENAME TABLE` moves what is replaced into a safety schema and the staged tables into place
   (atomic: all or nothing);
5. views, routines, triggers and events are created (what they replace is saved first in the
   safety schema's `_custode_replaced` table); users that do not exist are created.
A failure or cancel before step 4 drops the staging schemas and leaves the target as it was.
"""

from __future__ import annotations

import os
import threading
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Generic, TypeVar

import pymysql

from app.core import loaddata, sqltext
from app.core.backup import parse_table_names
from app.core.errors import Cancelled, ConfigError, CustodeError, DamageFound, OperationFailed
from app.core.jobs import CancelToken, Counter, ProgressCallback, default_jobs, human_size, no_progress
from app.core.repository import Repository
from app.core.schema import show_create
from app.core.server import ServerInfo, ServerSpec, describe
from app.core.sqltext import qname, quote_ident
from app.core.verify import missing_objects, objects_of

# Not strict, as mariadb-dump loads: a FLOAT(10,4) may hold -1000000 (the float nearest
# -999999.9999), which only the clipping of non-strict mode stores back identically.
T = TypeVar("T")
LOAD_SQL_MODE = "NO_AUTO_VALUE_ON_ZERO,NO_ENGINE_SUBSTITUTION"


class TableQueue(Generic[T]):
    """Objects waiting to load, per table, in the order tables were added (biggest first).

    A worker takes its next object from a table no other worker is loading, when there is one:
    two connections appending to the end of the same primary key contend for its last page
    (measured on the benchmark's 400 MB: server CPU 19-21 s down to 17-19 s, wall 10% less).
    """

    def __init__(self) -> None:
        self._waiting: dict[tuple[str, str], list[T]] = {}
        self._busy: dict[tuple[str, str], int] = {}
        self._lock = threading.Lock()

    def add(self, table: tuple[str, str], items: list[T]) -> None:
        self._waiting[table] = list(reversed(items))
        self._busy[table] = 0

    def __len__(self) -> int:
        return sum(len(items) for items in self._waiting.values())

    def take(self, previous: tuple[str, str] | None) -> T | None:
        """The next item for a worker whose last item came from `previous` (None at first)."""
        with self._lock:
            if previous is not None:
                self._busy[previous] -= 1
            ready = [table for table, items in self._waiting.items() if items]
            if not ready:
                return None
            table = next((t for t in ready if not self._busy[t]), ready[0])
            self._busy[table] += 1
            return self._waiting[table].pop()


@dataclass
class RestoreOptions:
    databases: list[str] = field(default_factory=list)
    tables: list[str] = field(default_factory=list)
    rename: dict[str, str] = field(default_factory=dict)   # source database -> target database
    safety_copy: bool = True
    users: bool | None = None      # None: restore users when the whole backup is restored
    jobs: int = field(default_factory=default_jobs)


@dataclass
class PlannedDatabase:
    source: dict[str, Any]          # the manifest's database entry
    target: str
    tables: list[dict[str, Any]]
    whole: bool                     # views, routines, triggers, events come along
    exists: bool = False
    replaced_tables: list[str] = field(default_factory=list)
    replaced_other: list[tuple[str, str]] = field(default_factory=list)   # (kind, name)


@dataclass
class RestorePlan:
    backup: dict[str, Any]
    databases: list[PlannedDatabase]
    users: list[dict[str, Any]]
    warnings: list[str] = field(default_factory=list)
    target_version: str = ""
    checks: list[str] = field(default_factory=list)   # the pre-flight checks passed, in words

    @property
    def replaces(self) -> list[str]:
        out = []
        for d in self.databases:
            out += [f"table {d.target}.{t}" for t in d.replaced_tables]
            out += [f"{kind.lower()} {d.target}.{name}" for kind, name in d.replaced_other]
        return out

    @property
    def rows(self) -> int:
        return sum(t["rows"] for d in self.databases for t in d.tables)

    @property
    def bytes(self) -> int:
        return sum(t["bytes"] for d in self.databases for t in d.tables)

    @property
    def confirmation(self) -> str:
        """What the user types to confirm a restore that replaces something: the target names."""
        return ",".join(d.target for d in self.databases)


@dataclass
class RestoreReport:
    databases: list[str]
    tables: int
    rows: int
    safety_schema: str | None
    replaced: list[str]
    users_created: list[str]
    seconds: float = 0.0
    objects_load_data: int = 0      # objects loaded with LOAD DATA
    objects_insert: int = 0         # objects loaded with INSERTs (including those below)
    load_data_retried: list[str] = field(default_factory=list)   # tables LOAD DATA warned about


def plan_restore(repo: Repository, backup_id: str, server: ServerSpec, password: str | None,
                 options: RestoreOptions) -> RestorePlan:
    """Work out what a restore will do and check it can; changes nothing anywhere."""
    try:
        return _plan(repo, backup_id, server, password, options)
    except pymysql.err.MySQLError as exc:
        raise OperationFailed(f"cannot plan the restore: {describe(exc)}") from None


def _plan(repo: Repository, backup_id: str, server: ServerSpec, password: str | None,
          options: RestoreOptions) -> RestorePlan:
    manifest = repo.load_backup(backup_id)
    by_name = {d["name"]: d for d in manifest["databases"]}
    for old in options.rename:
        if old not in by_name:
            raise ConfigError(f"--rename {old}=...: the backup holds no database {old!r}")
    wanted_tables = parse_table_names(options.tables)
    selected = list(options.databases) or sorted(wanted_tables) or list(by_name)
    for name in selected:
        if name not in by_name:
            raise ConfigError(f"the backup holds no database {name!r} (it has: "
                              f"{', '.join(sorted(by_name)) or 'none'})")
    connection = server.connect(password)
    try:
        target_info = ServerInfo.read(connection)
        plan = RestorePlan(manifest, [], [], target_version=target_info.version)
        for name in selected:
            source = by_name[name]
            only = wanted_tables.get(name)
            tables = [t for t in source["tables"] if only is None or t["name"] in only]
            if only:
                known = {t["name"] for t in source["tables"]} | {s["name"] for s in source["sequences"]}
                absent = sorted(only - known)
                if absent:
                    raise ConfigError(f"the backup holds no table {name}.{absent[0]}")
            planned = PlannedDatabase(source, options.rename.get(name, name), tables, only is None)
            if only is not None:
                planned.source = {**source, "sequences": [s for s in source["sequences"]
                                                          if s["name"] in only]}
            _find_clashes(connection, planned)
            plan.databases.append(planned)
        targets = [d.target for d in plan.databases]
        if len(set(targets)) != len(targets):
            raise ConfigError("two databases would be restored under the same name; fix --rename")
        whole_backup = not options.databases and not options.tables and not options.rename
        restore_users = options.users if options.users is not None else whole_backup
        plan.users = manifest.get("users", []) if restore_users else []
        _preflight(connection, plan, manifest, target_info)
    finally:
        connection.close()
    return plan


def _find_clashes(connection: pymysql.connections.Connection, planned: PlannedDatabase) -> None:
    with connection.cursor() as cursor:
        cursor.execute("SELECT COUNT(*) FROM information_schema.SCHEMATA WHERE SCHEMA_NAME=%s",
                       (planned.target,))
        planned.exists = bool(cursor.fetchone()[0])
        if not planned.exists:
            return
        cursor.execute("SELECT TABLE_NAME, TABLE_TYPE FROM information_schema.TABLES "
                       "WHERE TABLE_SCHEMA=%s", (planned.target,))
        existing = {name: kind for name, kind in cursor.fetchall()}
        incoming = [t["name"] for t in planned.tables] + [s["name"] for s in planned.source["sequences"]]
        planned.replaced_tables = sorted(n for n in incoming if existing.get(n) in
                                         ("BASE TABLE", "SEQUENCE", "SYSTEM VERSIONED"))
        planned.replaced_other = [("VIEW", n) for n in sorted(incoming) if existing.get(n) == "VIEW"]
        if planned.whole:
            for view in planned.source["views"]:
                kind = existing.get(view["name"])
                if kind == "VIEW":
                    planned.replaced_other.append(("VIEW", view["name"]))
                elif kind:
                    planned.replaced_tables.append(view["name"])
            cursor.execute("SELECT ROUTINE_TYPE, ROUTINE_NAME FROM information_schema.ROUTINES "
                           "WHERE ROUTINE_SCHEMA=%s", (planned.target,))
            routines = set(cursor.fetchall())
            planned.replaced_other += [(r["type"], r["name"]) for r in planned.source["routines"]
                                       if (r["type"], r["name"]) in routines]
            cursor.execute("SELECT EVENT_NAME FROM information_schema.EVENTS WHERE EVENT_SCHEMA=%s",
                           (planned.target,))
            events = {r[0] for r in cursor.fetchall()}
            planned.replaced_other += [("EVENT", e["name"]) for e in planned.source["events"]
                                       if e["name"] in events]
        cursor.execute("SELECT TRIGGER_NAME FROM information_schema.TRIGGERS WHERE TRIGGER_SCHEMA=%s",
                       (planned.target,))
        triggers = {r[0] for r in cursor.fetchall()}
        planned.replaced_other += [("TRIGGER", t["name"]) for t in planned.source["triggers"]
                                   if t["name"] in triggers
                                   and t["table"] in {x["name"] for x in planned.tables}]


def _major_minor(version: str) -> tuple[int, int]:
    try:
        numbers = version.split("-", 1)[0].split(".")
        return int(numbers[0]), int(numbers[1])
    except (ValueError, IndexError):
        return (0, 0)


def _preflight(connection: pymysql.connections.Connection, plan: RestorePlan,
               manifest: dict[str, Any], target: ServerInfo) -> None:
    source = manifest["server"]
    source_flavor = source["flavor"]
    if source_flavor != target.flavor:
        plan.warnings.append(f"the backup comes from {source_flavor} and the target is "
                             f"{target.flavor}: definitions may need changes")
    elif _major_minor(source.get("version", "")) > target.major_minor:
        plan.warnings.append(f"the target runs {target.version}, older than the backup's source "
                             f"({source['version']}): definitions that use newer features may fail")
    else:
        plan.checks.append(f"version: the backup comes from {source.get('version', source_flavor)}, "
                           f"the target runs {target.version}")
    with connection.cursor() as cursor:
        cursor.execute("SELECT @@max_allowed_packet, @@datadir, @@log_bin, "
                       "@@log_bin_trust_function_creators")
        packet, datadir, log_bin, trusted = cursor.fetchone()
    if int(log_bin) and not int(trusted):
        # The server refuses such a function (error 1418), after the tables were swapped in.
        refused = [sqltext.display_name(d.target, r["name"]) for d in plan.databases if d.whole
                   for r in d.source["routines"] if r.get("type") == "FUNCTION"
                   and r.get("deterministic") is False
                   and r.get("sql_data_access") not in ("NO SQL", "READS SQL DATA")]
        if refused:
            more = f" (and {len(refused) - 1} more)" if len(refused) > 1 else ""
            raise ConfigError(f"the target writes a binary log and refuses function {refused[0]}{more}, "
                              "which is declared neither DETERMINISTIC, NO SQL nor READS SQL DATA: "
                              "run SET GLOBAL log_bin_trust_function_creators = 1 on the target (or "
                              "declare the function so on the source) and retry; nothing was changed")
    largest = max((t.get("max_frame", 0) for d in plan.databases for t in d.tables), default=0)
    if largest + 65536 > int(packet):
        raise ConfigError(f"the target's max_allowed_packet ({int(packet)} bytes) is smaller than "
                          f"the largest statement of this backup ({largest} bytes): raise it "
                          "on the target server and retry")
    plan.checks.append(f"statements: the largest is {human_size(largest)}, the target's "
                       f"max_allowed_packet is {human_size(int(packet))}")
    needed = sum(t.get("data_length", 0) for d in plan.databases for t in d.tables)
    try:
        stat = os.statvfs(datadir)  # meaningful only when the server runs on this machine
    except OSError:
        plan.checks.append("space: the target's data folder is on another machine; not checked")
        return
    free = stat.f_bavail * stat.f_frsize
    if not os.path.isdir(os.path.join(datadir, "mysql")):
        plan.checks.append("space: the target's data folder is on another machine; not checked")
        return
    if free < needed * 1.2:
        raise ConfigError(f"the target has {free // 2**20} MiB free in {datadir} and the restore "
                          f"needs about {needed * 1.2 // 2**20:.0f} MiB: free some space first")
    plan.checks.append(f"space: about {human_size(int(needed * 1.2))} needed, "
                       f"{human_size(free)} free in {datadir}")


def run_restore(repo: Repository, plan: RestorePlan, server: ServerSpec, password: str | None,
                options: RestoreOptions, progress: ProgressCallback = no_progress,
                cancel: CancelToken | None = None) -> RestoreReport:
    return _Restore(repo, plan, server, password, options, progress, cancel or CancelToken()).run()


class _Restore:
    def __init__(self, repo: Repository, plan: RestorePlan, server: ServerSpec,
                 password: str | None, options: RestoreOptions, progress: ProgressCallback,
                 cancel: CancelToken) -> None:
        self.repo, self.plan, self.server, self.password = repo, plan, server, password
        self.options, self.progress, self.cancel = options, progress, cancel
        self.tag = uuid.uuid4().hex[:8]
        self.stages = {d.target: f"custode_stage_{self.tag}_{i}" for i, d in enumerate(plan.databases)}
        self.main: pymysql.connections.Connection | None = None
        self.created: list[tuple[str, str]] = []   # undone if the restore fails before the swap
        # (staging schema, table) -> plain secondary KEYs, built once the table's rows are in
        self.deferred_keys: dict[tuple[str, str], list[str]] = {}
        self.kept: dict[tuple[str, str], str] = {}   # (database, table) -> its name in the safety schema
        self.load_data = True   # until the server refuses LOAD DATA LOCAL
        self.objects_load_data = self.objects_insert = 0
        self.load_data_retried: set[str] = set()
        self.tally = threading.Lock()
        self.collations: dict[str, str] = {}   # database -> its default collation on the target

    def run(self) -> RestoreReport:
        started = datetime.now()
        needed = {}
        for d in self.plan.databases:
            needed.update(objects_of({"databases": [{"name": d.source["name"], "tables": d.tables}]}))
        missing = missing_objects(self.repo, needed, jobs=self.options.jobs, cancel=self.cancel)
        if missing:
            count = f"{len(missing)} objects are" if len(missing) > 1 else "an object is"
            raise DamageFound(f"the backup is damaged ({count} missing from the repository, "
                              f"first {missing[0]}); nothing was changed on the target")
        self.main = self.server.connect(self.password)
        try:
            self._session(self.main)
            try:
                self._stage()
                self._load()
            except pymysql.err.MySQLError as exc:
                self._undo()
                raise OperationFailed(f"restore failed: {describe(exc)}; nothing was changed on "
                                      "the target") from None
            except BaseException:
                self._undo()
                raise
            safety = self._swap()
            try:
                self._definitions()
                users = self._users()
            except pymysql.err.MySQLError as exc:
                # The tables are in place already: say so, and where what they replaced is.
                kept = (f"what they replaced is kept in the database {safety}" if safety
                        else "they replaced nothing")
                raise OperationFailed(f"restore failed after the tables were put in place, while "
                                      f"creating views, routines, triggers, events or users: "
                                      f"{describe(exc)}; {kept}") from None
            finally:
                self._drop_stages()
            if safety and not self.options.safety_copy:
                self._execute(f"DROP DATABASE {quote_ident(safety)}")
                safety = None
        except pymysql.err.MySQLError as exc:
            raise OperationFailed(f"restore failed: {describe(exc)}") from None
        finally:
            self.main.close()
        return RestoreReport([d.target for d in self.plan.databases],
                             sum(len(d.tables) for d in self.plan.databases), self.plan.rows,
                             safety, self.plan.replaces, users,
                             (datetime.now() - started).total_seconds(),
                             self.objects_load_data, self.objects_insert,
                             sorted(self.load_data_retried))

    # -- helpers ------------------------------------------------------------------------------
    @staticmethod
    def _session(connection: pymysql.connections.Connection) -> None:
        with connection.cursor() as cursor:
            cursor.execute(f"SET SESSION sql_mode = '{LOAD_SQL_MODE}'")
            cursor.execute("SET SESSION foreign_key_checks = 0, unique_checks = 0")

    def _execute(self, sql: str, connection: pymysql.connections.Connection | None = None) -> None:
        with (connection or self.main).cursor() as cursor:  # type: ignore[union-attr]
            cursor.execute(sqltext.definition_bytes(sql))

    def _execute_as(self, sql: str, obj: dict[str, Any], database: str) -> None:
        """Run a stored definition under the session settings it was created with."""
        assert self.main is not None
        charset, payload = sqltext.encode_for(sql, obj.get("character_set_client"))
        with self.main.cursor() as cursor:
            cursor.execute(f"USE {quote_ident(database)}")
            # A stored program keeps the database collation it was created under (a CHAR
            # parameter takes its character set): the default is switched for the CREATE.
            current = None
            if obj.get("database_collation"):
                if database not in self.collations:
                    cursor.execute("SELECT DEFAULT_COLLATION_NAME FROM information_schema.SCHEMATA "
                                   "WHERE SCHEMA_NAME = %s", (database,))
                    self.collations[database] = cursor.fetchone()[0]
                current = self.collations[database]
                if current == obj["database_collation"]:
                    current = None
                else:
                    cursor.execute(f"ALTER DATABASE {quote_ident(database)} "
                                   f"COLLATE {sqltext.charset_name(obj['database_collation'])}")
            cursor.execute("SET SESSION sql_mode = %s", (obj.get("sql_mode", ""),))
            if obj.get("time_zone"):
                cursor.execute("SET SESSION time_zone = %s", (obj["time_zone"],))
            cursor.execute(f"SET SESSION character_set_client = {sqltext.charset_name(charset)}")
            if obj.get("collation_connection"):
                cursor.execute("SET SESSION collation_connection = "
                               + sqltext.charset_name(obj["collation_connection"]))
            try:
                self.main.query(payload)
            finally:
                cursor.execute("SET NAMES utf8mb4")
                cursor.execute("SET SESSION time_zone = '+00:00'")
                cursor.execute(f"SET SESSION sql_mode = '{LOAD_SQL_MODE}'")
                if current:
                    cursor.execute(f"ALTER DATABASE {quote_ident(database)} "
                                   f"COLLATE {sqltext.charset_name(current)}")

    def _rewrite(self, text: str) -> str:
        """Point qualified references to renamed databases at their new names."""
        for old, new in self.options.rename.items():
            text = text.replace(f"{quote_ident(old)}.", f"{quote_ident(new)}.")
        return text

    # -- steps --------------------------------------------------------------------------------
    def _stage(self) -> None:
        """Create the staging schemas and tables.

        A sequence used as a column DEFAULT must exist, under its final name, before the table
        that uses it is created; so a sequence that replaces nothing is created in the target
        itself (and removed again if the restore fails), and a new target database is created now.
        """
        for d in self.plan.databases:
            stage = self.stages[d.target]
            if not d.exists:
                self._execute(sqltext.create_database(d.target, d.source))
                self.created.append(("DATABASE", quote_ident(d.target)))
            self._execute(sqltext.create_database(stage, d.source, comment=False))
            for sequence in d.source["sequences"]:
                home = stage if sequence["name"] in d.replaced_tables else d.target
                self._execute(f"USE {quote_ident(home)}")
                self._execute(self._rewrite(sequence["create"]))
                self._execute(sqltext.setval(home, sequence))
                if home == d.target:
                    self.created.append(("SEQUENCE", qname(d.target, sequence["name"])))
            self._execute(f"USE {quote_ident(stage)}")
            staged = {t["name"] for t in d.tables}
            for table in d.tables:
                if table.get("definition_only"):
                    continue   # created with the definitions, once the tables it names are in place
                create = sqltext.qualify_foreign_keys(self._rewrite(table["create"]), d.target, staged)
                create, keys = sqltext.split_secondary_keys(create)
                self._execute(create)
                if keys:
                    self.deferred_keys[(stage, table["name"])] = keys

    def _load(self) -> None:
        """Load every table with `jobs` workers; a table's last loader also finishes it.

        Finishing a table means building its deferred secondary indexes and checking it (rows
        loaded, and CHECKSUM TABLE where it can be compared). The worker that loads a table's last
        object does this at once, while the others go on loading: indexing and checking overlap
        the load instead of following it one table at a time.
        """
        keys = self.deferred_keys
        same_server = self.plan.target_version == self.plan.backup["server"]["version"]
        tables: list[tuple[str, str, dict[str, Any]]] = sorted(
            ((self.stages[d.target], d.target, t) for d in self.plan.databases for t in d.tables
             if not t.get("definition_only")),
            key=lambda item: -item[2]["bytes"])
        queue: TableQueue[tuple[str, str, dict[str, Any], dict[str, Any] | None]] = TableQueue()
        left: dict[tuple[str, str], int] = {}
        loaded: dict[tuple[str, str], int] = {}
        finish_units: dict[tuple[str, str], int] = {}   # progress units of indexing and checking
        for stage, target, table in tables:
            key = (stage, table["name"])
            left[key] = len(table["objects"])
            loaded[key] = 0
            finish_units[key] = int(table["bytes"] * self._finish_weight(
                bool(keys.get(key)), same_server, table))
            queue.add(key, [(stage, target, table, obj) for obj in table["objects"]] or
                      [(stage, target, table, None)])
        counter = Counter("restore", self.progress, total_rows=self.plan.rows,
                          total_bytes=sum(t["bytes"] for _, _, t in tables) + sum(finish_units.values()))
        lock = threading.Lock()
        errors: list[BaseException] = []

        def finish(connection: pymysql.connections.Connection, stage: str, target: str,
                   table: dict[str, Any]) -> None:
            name = table["name"]
            table_keys = keys.get((stage, name))
            if table_keys:
                self.cancel.check()
                counter.add(0, 0, f"{sqltext.display_name(target, name)}: indexes")
                self._execute(f"ALTER TABLE {qname(stage, name)} "
                              + ", ".join(f"ADD {k}" for k in table_keys), connection)
            if loaded[(stage, name)] != table["rows"]:
                raise DamageFound(f"{sqltext.display_name(target, name)}: loaded "
                                  f"{loaded[(stage, name)]} rows, the backup recorded "
                                  f"{table['rows']}; target unchanged")
            if self._checksum_comparable(same_server, table):
                self.cancel.check()
                counter.add(0, 0, f"{sqltext.display_name(target, name)}: checksum")
                with connection.cursor() as cursor:
                    cursor.execute(f"CHECKSUM TABLE {qname(stage, name)}")
                    checksum = cursor.fetchone()[1]
                if checksum is not None and int(checksum) != int(table["checksum"]):
                    raise DamageFound(f"{sqltext.display_name(target, name)}: checksum differs "
                                      "from the one recorded at backup time; target unchanged")
            counter.add(finish_units[(stage, name)])

        def work() -> None:
            connection = self.server.connect(self.password, local_infile=True)
            try:
                self._session(connection)
                previous: tuple[str, str] | None = None
                while not errors:
                    task = queue.take(previous)
                    if task is None:
                        return
                    stage, target, table, obj = task
                    previous = (stage, table["name"])
                    if obj is not None:
                        rows = self._load_object(connection, stage, table, obj, counter)
                        with lock:
                            loaded[(stage, table["name"])] += rows
                            left[(stage, table["name"])] -= 1
                            last = left[(stage, table["name"])] == 0
                        if not last:
                            continue
                    finish(connection, stage, target, table)
            except BaseException as exc:  # noqa: BLE001 - handed to the main thread
                errors.append(exc)
            finally:
                connection.close()

        workers = max(1, min(self.options.jobs, len(queue)))
        threads = [threading.Thread(target=work, name=f"load-{i}") for i in range(workers)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        counter.finish()
        if errors:
            first = next((e for e in errors if not isinstance(e, Cancelled)), errors[0])
            if isinstance(first, CustodeError):
                raise first
            if isinstance(first, pymysql.err.MySQLError):
                raise OperationFailed(f"restore failed while loading data, target unchanged: "
                                      f"{describe(first)}") from None
            raise first

    @staticmethod
    def _checksum_comparable(same_server: bool, table: dict[str, Any]) -> bool:
        """CHECKSUM TABLE agrees only on the same server version, and not over virtual columns."""
        return same_server and not table.get("has_virtual") and table.get("checksum") is not None

    @classmethod
    def _finish_weight(cls, has_keys: bool, same_server: bool, table: dict[str, Any]) -> float:
        """Share of a table's progress units for finishing it, relative to loading it (measured:
        building indexes costs about a fifth of loading, a checksum about a tenth)."""
        return (0.2 if has_keys else 0.0) + (0.1 if cls._checksum_comparable(same_server, table) else 0.0)

    def _load_object(self, connection: pymysql.connections.Connection, stage: str,
                     table: dict[str, Any], obj: dict[str, Any], counter: Counter) -> int:
        """Load one object in one transaction; return the rows the server says it inserted.

        With LOAD DATA when the table's literals allow it and the server accepts it (a third less
        server work than INSERTs); an object LOAD DATA warns about is loaded again with INSERTs.
        """
        connection.begin()
        try:
            rows = None
            if table.get("load_data") and self.load_data:
                rows = self._load_data(connection, stage, table, obj, counter)
                if rows is None:
                    connection.rollback()
                    connection.begin()
            with self.tally:
                if rows is None:
                    self.objects_insert += 1
                else:
                    self.objects_load_data += 1
            if rows is None:
                rows = self._insert(connection, stage, table, obj, counter)
        except DamageFound as exc:
            # Found before this transaction commits; the staged tables are dropped.
            raise DamageFound(f"the backup is damaged: {exc}; nothing was changed on the target "
                              "(custode verify lists every damaged object)") from None
        connection.commit()
        counter.add(0, obj["rows"])
        return rows

    def _insert(self, connection: pymysql.connections.Connection, stage: str,
                table: dict[str, Any], obj: dict[str, Any], counter: Counter) -> int:
        prefix = sqltext.insert_prefix(stage, table["name"], table["columns"])
        rows = 0
        for frame in self._frames(obj):
            rows += connection.query(prefix + frame)
            counter.add(len(frame), 0, table["name"])
        return rows

    def _frames(self, obj: dict[str, Any]) -> Iterator[bytes]:
        """An object's frames (one INSERT's rows each), verified as read; cancel is honoured."""
        for frame in sqltext.iter_frames(self.repo.read(obj["id"])):
            self.cancel.check()
            yield frame

    def _load_data(self, connection: pymysql.connections.Connection, stage: str,
                   table: dict[str, Any], obj: dict[str, Any], counter: Counter) -> int | None:
        """LOAD DATA the object; None when it must be loaded with INSERTs instead (the server
        refuses LOAD DATA LOCAL, or it reported warnings: the rows are then rolled back)."""
        sent = 0

        def frames() -> Iterator[bytes]:
            nonlocal sent
            for frame in self._frames(obj):
                sent += len(frame)   # counted once the server accepted them all
                yield frame

        try:
            rows, warnings = loaddata.load_rows(connection, stage, table["name"], table["columns"],
                                                frames())
        except pymysql.err.MySQLError as exc:
            if exc.args and exc.args[0] in loaddata.REFUSED:
                self.load_data = False   # for every worker: the server does not allow it
                return None
            raise
        if warnings:
            with self.tally:
                self.load_data_retried.add(table["name"])
            return None
        counter.add(sent, 0, table["name"])
        return rows

    def _swap(self) -> str | None:
        """Move replaced objects to the safety schema and staged tables into place, atomically."""
        safety = None
        if any(d.replaced_tables or d.replaced_other for d in self.plan.databases):
            safety = self._safety_name()
            self._execute(f"CREATE DATABASE {quote_ident(safety)}")
            self._execute(f"CREATE TABLE {qname(safety, '_custode_replaced')} (database_name "
                          "VARCHAR(64), kind VARCHAR(16), name VARCHAR(64), definition LONGBLOB, "
                          "sql_mode VARCHAR(512)) DEFAULT CHARSET=utf8mb4")
        renames = []
        self.kept = self._safety_tables()
        for d in self.plan.databases:
            replaced = set(d.replaced_tables)
            if safety:
                self._save_and_drop(d, safety, replaced)
            renames += [f"{qname(d.target, t)} TO {qname(safety, self.kept[(d.target, t)])}"  # type: ignore[arg-type]
                        for t in d.replaced_tables]
            stage = self.stages[d.target]
            incoming = [t["name"] for t in d.tables if not t.get("definition_only")] + \
                       [s["name"] for s in d.source["sequences"] if s["name"] in replaced]
            renames += [f"{qname(stage, n)} TO {qname(d.target, n)}" for n in incoming]
        if renames:
            self._execute("RENAME TABLE " + ", ".join(renames))
        if safety:
            self._repoint_children(safety)
        return safety

    def _repoint_children(self, safety: str) -> None:
        """Point foreign keys that followed a replaced table into the safety schema back home.

        RENAME TABLE moves a parent's children along: after restoring only `film`, the target's
        `film_actor` would reference the safety copy's `film`.  Restored tables are staged with
        their parents, so only tables the restore did not touch are concerned.
        """
        origin = {kept: source for source, kept in self.kept.items()}   # safety name -> (db, table)
        with self.main.cursor() as cursor:  # type: ignore[union-attr]
            cursor.execute("SELECT CONSTRAINT_SCHEMA, TABLE_NAME, CONSTRAINT_NAME, REFERENCED_TABLE_NAME "
                           "FROM information_schema.REFERENTIAL_CONSTRAINTS "
                           "WHERE UNIQUE_CONSTRAINT_SCHEMA=%s AND CONSTRAINT_SCHEMA<>%s", (safety, safety))
            children = cursor.fetchall()
            for schema, table, name, parent in children:
                if parent not in origin:
                    continue
                shown, _ = show_create(self.main, f"SHOW CREATE TABLE {qname(schema, table)}")
                assert shown is not None
                create = shown["Create Table"]
                head = f"CONSTRAINT {quote_ident(name)} FOREIGN KEY"
                line = next(x for x in create.split("\n") if x.strip().startswith(head))
                line = line.strip().rstrip(",").replace(f"REFERENCES {qname(safety, parent)}",
                                                        f"REFERENCES {qname(*origin[parent])}")
                cursor.execute(f"ALTER TABLE {qname(schema, table)} DROP FOREIGN KEY {quote_ident(name)}")
                cursor.execute(f"ALTER TABLE {qname(schema, table)} ADD {line}")

    def _safety_tables(self) -> dict[tuple[str, str], str]:
        """The name each replaced table gets in the safety schema: its own, or `db__table` when
        databases restored together both replace a table of that name."""
        counts: dict[str, int] = {}
        for d in self.plan.databases:
            for t in d.replaced_tables:
                counts[t] = counts.get(t, 0) + 1
        return {(d.target, t): t if counts[t] == 1 else f"{d.target}__{t}"[:64]
                for d in self.plan.databases for t in d.replaced_tables}

    def _safety_name(self) -> str:
        stamp = datetime.now().strftime("%Y%m%d_%H%M%S")
        with self.main.cursor() as cursor:  # type: ignore[union-attr]
            cursor.execute("SELECT SCHEMA_NAME FROM information_schema.SCHEMATA")
            existing = {r[0] for r in cursor.fetchall()}
        base = f"custode_safety_{stamp}"
        name, n = base, 1
        while name in existing:
            n += 1
            name = f"{base}_{n}"
        return name

    def _save_and_drop(self, d: PlannedDatabase, safety: str, replaced_tables: set[str]) -> None:
        """Keep the definitions of what will be replaced, then drop it (triggers cannot move)."""
        assert self.main is not None
        drops: list[tuple[str, str, str]] = []   # (kind, name, show create sql)
        with self.main.cursor() as cursor:
            cursor.execute("SELECT TRIGGER_NAME, EVENT_OBJECT_TABLE FROM information_schema.TRIGGERS "
                           "WHERE TRIGGER_SCHEMA=%s", (d.target,))
            for name, table in cursor.fetchall():
                if table in replaced_tables or ("TRIGGER", name) in d.replaced_other:
                    drops.append(("TRIGGER", name, "SQL Original Statement"))
        for kind, name in d.replaced_other:
            if kind != "TRIGGER":
                drops.append((kind, name, {"VIEW": "Create View", "PROCEDURE": "Create Procedure",
                                           "FUNCTION": "Create Function", "PACKAGE": "Create Package",
                                           "PACKAGE BODY": "Create Package Body",
                                           "EVENT": "Create Event"}[kind]))
        # A package body before its package: dropping a package drops its body too.
        drops.sort(key=lambda drop: drop[0] != "PACKAGE BODY")
        for kind, name, column in dict.fromkeys(drops):
            # byte for byte (a definition need not be UTF-8), hence a LONGBLOB column
            row, _ = show_create(self.main, f"SHOW CREATE {kind} {qname(d.target, name)}")
            assert row is not None
            with self.main.cursor() as cursor:
                cursor.execute(f"INSERT INTO {qname(safety, '_custode_replaced')} VALUES "
                               "(%s, %s, %s, %s, %s)",
                               (d.target, kind, name, sqltext.definition_bytes(row[column]),
                                row.get("sql_mode", "")))
                if kind.startswith("PACKAGE"):   # a statement only sql_mode=ORACLE knows
                    cursor.execute("SET SESSION sql_mode = 'ORACLE'")
                cursor.execute(f"DROP {kind} {qname(d.target, name)}")
                if kind.startswith("PACKAGE"):
                    cursor.execute(f"SET SESSION sql_mode = '{LOAD_SQL_MODE}'")

    def _definitions(self) -> None:
        """Routines first (views may call functions), tables whose rows are other tables' (a
        MERGE table, once the tables it unites are in place), then views in order, triggers,
        events."""
        for d in self.plan.databases:
            if d.whole:
                for routine in d.source["routines"]:
                    self._execute_as(routine["create"], routine, d.target)
        for d in self.plan.databases:
            for table in d.tables:
                if table.get("definition_only"):
                    self._execute(f"USE {quote_ident(d.target)}")
                    self._execute(self._rewrite(table["create"]))
        views = {(d.source["name"], v["name"]): (d, v) for d in self.plan.databases if d.whole
                 for v in d.source["views"]}
        order = [tuple(k) for k in self.plan.backup.get("view_order", [])]
        pending = [views[k] for k in order if k in views] + \
                  [views[k] for k in views if k not in order]
        while pending:   # dependency order was computed at backup; retry covers anything missed
            failed = []
            for d, view in pending:
                try:
                    self._execute_as(self._rewrite(view["create"]), view, d.target)
                except pymysql.err.MySQLError as exc:
                    if exc.args[0] not in (1146, 1356):
                        raise
                    failed.append((d, view))
            if len(failed) == len(pending):
                d, view = failed[0]
                raise OperationFailed(f"cannot create view "
                                      f"{sqltext.display_name(d.target, view['name'])}: it "
                                      "refers to something that does not exist on the target")
            pending = failed
        for d in self.plan.databases:
            restored = {t["name"] for t in d.tables}
            for trigger in d.source["triggers"]:
                if trigger["table"] in restored:
                    create = sqltext.requalify_trigger(trigger["create"], self.options.rename)
                    self._execute_as(create, trigger, d.target)
            if d.whole:
                for event in d.source["events"]:
                    self._execute_as(event["create"], event, d.target)

    def _users(self) -> list[str]:
        created = []
        with self.main.cursor() as cursor:  # type: ignore[union-attr]
            cursor.execute("SELECT User, Host FROM mysql.user")
            existing = {(u, h) for u, h in cursor.fetchall()}
            for user in self.plan.users:
                if (user["user"], "" if user["role"] else user["host"]) in existing or \
                        (user["user"], user["host"]) in existing:
                    continue
                cursor.execute(user["create"])
                for grant in user["grants"]:
                    cursor.execute(grant)
                created.append(user["user"] if user["role"] else f"{user['user']}@{user['host']}")
        return created

    def _undo(self) -> None:
        """Remove the staging schemas and whatever the failed restore created in the target."""
        for kind, name in reversed(self.created):
            try:
                self._execute(f"DROP {kind} IF EXISTS {name}")
            except pymysql.err.MySQLError:
                pass
        self._drop_stages()

    def _drop_stages(self) -> None:
        if self.main is None:
            return
        for stage in self.stages.values():
            try:
                self._execute(f"DROP DATABASE IF EXISTS {quote_ident(stage)}")
            except pymysql.err.MySQLError:
                pass
