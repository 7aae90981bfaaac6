"""The swap: how a restore puts what it loaded in place, journaled on the target itself.

Everything a swap will do is written first into a journal schema on the target server
(`custode_stage_<tag>_journal`, next to the restore's staging schemas), as an ordered list of
steps, each with the definitions it needs (old ones, read from the target before anything
changes; new ones, from the backup):

1. `drop` the triggers of the tables being replaced (a table with triggers cannot change schema);
2. `swap`: one atomic `RENAME TABLE` that moves each replaced table to the safety schema, each
   replaced view to a hidden name in its own database (`custode_old_<tag>_<n>`: a view cannot
   change schema) and each staged table into place;
3. `drop` the old views (now hidden) and the routines and events that new ones replace;
4. `create` the new routines, tables whose rows are others' (MERGE), views, triggers, events;
5. `commit`; then `repoint` the foreign keys of other tables that followed an old table into the
   safety schema.

The first statements that need another session's metadata lock are the first drop and the
RENAME, run under a short `lock_wait_timeout`. Each step is marked done in the journal when it
has run. A restore that fails before `commit` undoes what was done (`Swap.back`: new objects
dropped, the RENAME reversed, old definitions created again): the target is as it was. After
`commit` it only goes forward. `cleanup` does the same for a restore that is no longer running
(killed, its client or connection lost): stopped before the RENAME, it is undone; after it, it is
finished (`Swap.forward`), and undone if the server refuses. A restore is alive while its
connection holds the named lock `custode-restore-<tag>`.
"""

from __future__ import annotations

import hashlib
import json
import re
from dataclasses import dataclass, field
from typing import Any

import pymysql

from app.core import sqltext
from app.core.faults import fault_point
from app.core.schema import show_create
from app.core.sqltext import qname, quote_ident

LOAD_SQL_MODE = "NO_AUTO_VALUE_ON_ZERO,NO_ENGINE_SUBSTITUTION"
STAGE_PREFIX = "custode_stage_"
_STAGE = re.compile(r"^custode_stage_([0-9a-f]{8})_(?:\d+|journal)$")
SETTINGS = ("sql_mode", "character_set_client", "collation_connection", "database_collation",
            "time_zone")


def owner_lock(tag: str) -> str:
    return f"custode-restore-{tag}"


def target_lock(database: str) -> str:
    """The named lock a restore holds on a target database (GET_LOCK names are at most 64)."""
    return "custode-db-" + hashlib.sha256(database.encode()).hexdigest()[:40]


def journal_schema(tag: str) -> str:
    return f"{STAGE_PREFIX}{tag}_journal"


def hidden_name(tag: str, number: int) -> str:
    return f"custode_old_{tag}_{number}"


def run_definition(connection: pymysql.connections.Connection, sql: str, settings: dict[str, Any],
                   database: str, collations: dict[str, str]) -> None:
    """Run a stored definition under the session settings it was created with, then put the
    loading session back (sql_mode, names, time zone, the database's default collation)."""
    charset, payload = sqltext.encode_for(sql, settings.get("character_set_client"))
    with connection.cursor() as cursor:
        cursor.execute(f"USE {quote_ident(database)}")
        # A stored program keeps the database collation it was created under (a CHAR parameter
        # takes its character set): the default is switched for the CREATE.
        current = None
        if settings.get("database_collation"):
            if database not in collations:
                cursor.execute("SELECT DEFAULT_COLLATION_NAME FROM information_schema.SCHEMATA "
                               "WHERE SCHEMA_NAME = %s", (database,))
                collations[database] = cursor.fetchone()[0]
            current = collations[database]
            if current == settings["database_collation"]:
                current = None
            else:
                cursor.execute(f"ALTER DATABASE {quote_ident(database)} "
                               f"COLLATE {sqltext.charset_name(settings['database_collation'])}")
        cursor.execute("SET SESSION sql_mode = %s", (settings.get("sql_mode", ""),))
        if settings.get("time_zone"):
            cursor.execute("SET SESSION time_zone = %s", (settings["time_zone"],))
        cursor.execute(f"SET SESSION character_set_client = {sqltext.charset_name(charset)}")
        if settings.get("collation_connection"):
            cursor.execute("SET SESSION collation_connection = "
                           + sqltext.charset_name(settings["collation_connection"]))
        try:
            connection.query(payload)
        finally:
            cursor.execute("SET NAMES utf8mb4")
            cursor.execute("SET SESSION time_zone = '+00:00'")
            cursor.execute(f"SET SESSION sql_mode = '{LOAD_SQL_MODE}'")
            if current:
                cursor.execute(f"ALTER DATABASE {quote_ident(database)} "
                               f"COLLATE {sqltext.charset_name(current)}")


@dataclass
class Step:
    """One step of a swap. `kind`/`name` name the object; `definition` and `settings` are what
    `create` runs (a new object) or what undoing a `drop` runs again (the old one)."""
    action: str                    # swap, drop, create, commit, keep, discard, repoint
    database: str = ""
    kind: str = ""                 # TRIGGER, VIEW, PROCEDURE, ..., TABLE
    name: str = ""
    definition: str = ""
    settings: dict[str, Any] = field(default_factory=dict)
    renames: list[tuple[str, str, str, str]] = field(default_factory=list)  # swap: db, name -> db, name
    hidden: str = ""               # the name an old table or view has between swap and keep/drop
    done: bool = False
    number: int = 0


class Journal:
    """The journal tables of one swap, in its journal schema on the target."""

    def __init__(self, connection: pymysql.connections.Connection, schema: str) -> None:
        self.connection, self.schema = connection, schema

    def _execute(self, sql: str, args: Any = None) -> list[tuple[Any, ...]]:
        with self.connection.cursor() as cursor:
            cursor.execute(sql, args)
            return list(cursor.fetchall())

    def create(self, safety: str | None, keep_safety: bool) -> None:
        self._execute(f"CREATE DATABASE IF NOT EXISTS {quote_ident(self.schema)}")
        self._execute(f"CREATE TABLE {qname(self.schema, 'state')} (k VARCHAR(32) PRIMARY KEY, "
                      "v LONGBLOB) ENGINE=InnoDB")
        self._execute(f"CREATE TABLE {qname(self.schema, 'created')} (n INT AUTO_INCREMENT PRIMARY "
                      "KEY, kind VARCHAR(16), database_name VARCHAR(64), name VARCHAR(64)) ENGINE=InnoDB")
        self._execute(f"CREATE TABLE {qname(self.schema, 'steps')} (n INT PRIMARY KEY, "
                      "action VARCHAR(16), database_name VARCHAR(64), kind VARCHAR(16), "
                      "name VARCHAR(64), hidden VARCHAR(64), definition LONGBLOB, settings LONGBLOB, "
                      "renames LONGBLOB, done TINYINT NOT NULL DEFAULT 0) ENGINE=InnoDB")
        self.set("phase", "staging")
        self.set("safety", safety or "")
        self.set("keep_safety", "1" if keep_safety else "0")

    def set(self, key: str, value: str) -> None:
        self._execute(f"REPLACE INTO {qname(self.schema, 'state')} VALUES (%s, %s)", (key, value))

    def get(self, key: str) -> str:
        rows = self._execute(f"SELECT v FROM {qname(self.schema, 'state')} WHERE k = %s", (key,))
        value = rows[0][0] if rows else b""
        return value.decode() if isinstance(value, bytes) else str(value or "")

    def created(self, kind: str, database: str, name: str = "") -> None:
        """Note something the restore is about to make on the target (before it makes it)."""
        self._execute(f"INSERT INTO {qname(self.schema, 'created')} (kind, database_name, name) "
                      "VALUES (%s, %s, %s)", (kind, database, name))

    def created_tables(self, database: str, names: list[str]) -> None:
        """Note the tables a restore is about to make in a database it created (one statement)."""
        for first in range(0, len(names), 500):
            chunk = names[first:first + 500]
            self._execute(f"INSERT INTO {qname(self.schema, 'created')} (kind, database_name, name) "
                          "VALUES " + ", ".join(["('TABLE', %s, %s)"] * len(chunk)),
                          tuple(value for name in chunk for value in (database, name)))

    def made(self) -> list[tuple[str, str, str]]:
        return [(k, d, n) for k, d, n in self._execute(
            f"SELECT kind, database_name, name FROM {qname(self.schema, 'created')} ORDER BY n")]

    def write_steps(self, steps: list[Step]) -> None:
        for number, step in enumerate(steps, 1):
            step.number = number
            self._execute(f"INSERT INTO {qname(self.schema, 'steps')} VALUES "
                          "(%s, %s, %s, %s, %s, %s, %s, %s, %s, 0)",
                          (number, step.action, step.database, step.kind, step.name, step.hidden,
                           sqltext.definition_bytes(step.definition),
                           json.dumps(step.settings), json.dumps(step.renames)))

    def steps(self) -> list[Step]:
        steps = []
        for number, action, database, kind, name, hidden, definition, settings, renames, done in \
                self._execute(f"SELECT n, action, database_name, kind, name, hidden, definition, "
                              f"settings, renames, done FROM {qname(self.schema, 'steps')} ORDER BY n"):
            steps.append(Step(action, database, kind, name,
                              bytes(definition).decode("utf-8", "surrogateescape"),
                              json.loads(bytes(settings)),
                              [tuple(r) for r in json.loads(bytes(renames))],
                              hidden or "", bool(done), number))
        return steps

    def mark(self, step: Step) -> None:
        self._execute(f"UPDATE {qname(self.schema, 'steps')} SET done = 1 WHERE n = %s", (step.number,))
        step.done = True


def _exists(connection: pymysql.connections.Connection, kind: str, database: str, name: str) -> bool:
    with connection.cursor() as cursor:
        if kind in ("TABLE", "VIEW"):
            cursor.execute("SELECT COUNT(*) FROM information_schema.TABLES WHERE TABLE_SCHEMA=%s "
                           "AND TABLE_NAME=%s", (database, name))
        elif kind == "TRIGGER":
            cursor.execute("SELECT COUNT(*) FROM information_schema.TRIGGERS WHERE EVENT_OBJECT_SCHEMA=%s "
                           "AND TRIGGER_NAME=%s", (database, name))
        elif kind == "EVENT":
            cursor.execute("SELECT COUNT(*) FROM information_schema.EVENTS WHERE EVENT_SCHEMA=%s "
                           "AND EVENT_NAME=%s", (database, name))
        elif kind == "DATABASE":
            cursor.execute("SELECT COUNT(*) FROM information_schema.SCHEMATA WHERE SCHEMA_NAME=%s",
                           (database,))
        else:
            cursor.execute("SELECT COUNT(*) FROM information_schema.ROUTINES WHERE ROUTINE_SCHEMA=%s "
                           "AND ROUTINE_TYPE=%s AND ROUTINE_NAME=%s", (database, kind, name))
        return bool(cursor.fetchone()[0])


def _drop(connection: pymysql.connections.Connection, kind: str, database: str, name: str) -> None:
    with connection.cursor() as cursor:
        if kind.startswith("PACKAGE"):   # a statement only sql_mode=ORACLE knows
            cursor.execute("SET SESSION sql_mode = 'ORACLE'")
        try:
            cursor.execute(f"DROP {kind} IF EXISTS {qname(database, name)}")
        finally:
            if kind.startswith("PACKAGE"):
                cursor.execute(f"SET SESSION sql_mode = '{LOAD_SQL_MODE}'")


def swapped(connection: pymysql.connections.Connection, step: Step) -> bool:
    """Whether the swap's RENAME has happened (it is atomic: one moved table tells)."""
    if step.done:
        return True
    for old_db, old_name, new_db, new_name in step.renames:
        if old_db != new_db:   # a staged table: in place once it has left its staging schema
            return not _exists(connection, "TABLE", old_db, old_name) and \
                _exists(connection, "TABLE", new_db, new_name)
    return bool(step.renames) and all(_exists(connection, "TABLE", d, n) for _, _, d, n in step.renames)


class Swap:
    """Runs, finishes or undoes the steps of one journal."""

    def __init__(self, connection: pymysql.connections.Connection, journal: Journal) -> None:
        self.connection, self.journal = connection, journal
        self.collations: dict[str, str] = {}

    def forward(self, steps: list[Step]) -> None:
        """Run every step not yet done, in order (each checks whether a kill came between its
        work and its mark)."""
        for step in steps:
            if step.done:
                continue
            self._run(step)
            self.journal.mark(step)
            if step.action == "commit":
                self.journal.set("phase", "committed")
            fault_point(f"after-step-{step.number}")
            fault_point(f"after-{step.action}")

    def _run(self, step: Step) -> None:
        if step.action == "swap":
            if step.renames and not swapped(self.connection, step):
                with self.connection.cursor() as cursor:
                    cursor.execute("RENAME TABLE " + ", ".join(
                        f"{qname(a, b)} TO {qname(c, d)}" for a, b, c, d in step.renames))
            self.journal.set("phase", "swapped")
        elif step.action == "drop":
            _drop(self.connection, step.kind, step.database, step.hidden or step.name)
        elif step.action == "create":
            if not _exists(self.connection, step.kind, step.database, step.name):
                run_definition(self.connection, step.definition, step.settings, step.database,
                               self.collations)
        elif step.action == "repoint":
            origin = {kept: (db, table) for kept, (db, table) in step.settings["origin"].items()}
            repoint_children(self.connection, self.journal.get("safety"), origin)

    def back(self, steps: list[Step]) -> None:
        """Undo a swap that was not committed: new objects dropped, the RENAME reversed, the old
        definitions created again. Leaves the target as it was before the swap."""
        assert not any(s.done for s in steps if s.action == "commit"), "a committed swap goes forward"
        swap = next((s for s in steps if s.action == "swap"), None)
        renamed = swap is not None and swapped(self.connection, swap)
        # What a create made: the done ones, and the one in flight when it was killed (a kill between
        # its CREATE and its mark). Before that one, every old object of the same name was dropped.
        pending = next((s for s in steps if not s.done), None)
        for step in reversed(steps):
            if step.action == "create" and (step.done or step is pending):
                _drop(self.connection, step.kind, step.database, step.name)
        if swap is not None and renamed:
            with self.connection.cursor() as cursor:
                back = [(c, d, a, b) for a, b, c, d in reversed(swap.renames)
                        if _exists(self.connection, "TABLE", c, d)]
                # new tables out first, then the old ones back under their names
                back.sort(key=lambda r: r[2] == r[0])
                if back:
                    cursor.execute("RENAME TABLE " + ", ".join(
                        f"{qname(a, b)} TO {qname(c, d)}" for a, b, c, d in back))
        for step in reversed(steps):   # events, routines (a package before its body), views, triggers
            if step.action == "drop" and not _exists(self.connection, step.kind, step.database,
                                                      step.name):
                run_definition(self.connection, step.definition, step.settings, step.database,
                               self.collations)
        self.journal.set("phase", "rolled-back")


def repoint_children(connection: pymysql.connections.Connection, safety: str,
                     origin: dict[str, tuple[str, str]]) -> None:
    """Point foreign keys that followed a replaced table into the safety schema back home.

    RENAME TABLE moves a parent's children along: after restoring only `film`, the target's
    `film_actor` would reference the safety copy's `film`. Restored tables are staged with their
    parents, so only tables the restore did not touch are concerned. `origin`: the name of each
    table in the safety schema -> (database, table) it came from.
    """
    with connection.cursor() as cursor:
        cursor.execute("SELECT CONSTRAINT_SCHEMA, TABLE_NAME, CONSTRAINT_NAME, REFERENCED_TABLE_NAME "
                       "FROM information_schema.REFERENTIAL_CONSTRAINTS "
                       "WHERE UNIQUE_CONSTRAINT_SCHEMA=%s AND CONSTRAINT_SCHEMA<>%s", (safety, safety))
        children = cursor.fetchall()
        for schema, table, name, parent in children:
            if parent not in origin:
                continue
            shown, _ = show_create(connection, f"SHOW CREATE TABLE {qname(schema, table)}")
            assert shown is not None
            create = shown["Create Table"]
            head = f"CONSTRAINT {quote_ident(name)} FOREIGN KEY"
            line = next(x for x in create.split("\n") if x.strip().startswith(head))
            line = line.strip().rstrip(",").replace(f"REFERENCES {qname(safety, parent)}",
                                                    f"REFERENCES {qname(*origin[parent])}")
            cursor.execute(f"ALTER TABLE {qname(schema, table)} DROP FOREIGN KEY {quote_ident(name)}")
            cursor.execute(f"ALTER TABLE {qname(schema, table)} ADD {line}")


def prepare_session(connection: pymysql.connections.Connection) -> None:
    """The session a restore loads and swaps in."""
    with connection.cursor() as cursor:
        cursor.execute(f"SET SESSION sql_mode = '{LOAD_SQL_MODE}'")
        cursor.execute("SET SESSION foreign_key_checks = 0, unique_checks = 0")
        cursor.execute("SET SESSION time_zone = '+00:00'")


@dataclass
class Leftover:
    """What a restore that is no longer running left on a server."""
    tag: str
    schemas: list[str]
    phase: str              # the journal's phase; "" when there is no journal (an older version)
    databases: list[str]    # the target databases it was restoring

    def describe(self) -> str:
        where = ", ".join(sqltext.display_name(d) for d in self.databases) or "unknown databases"
        if self.phase in ("swapped", "committed"):
            what = "stopped while putting the restored objects in place: cleanup finishes it"
        elif self.phase in ("", "staging", "prepared", "rolled-back"):
            what = "stopped before changing them: cleanup removes what it made"
        else:
            what = f"in phase {self.phase}"
        return (f"restore {self.tag} onto {where} {what} "
                f"({len(self.schemas)} schema{'s' if len(self.schemas) != 1 else ''}: "
                f"{', '.join(sqltext.display_name(s) for s in self.schemas)})")


def _tables(connection: pymysql.connections.Connection, schema: str) -> set[str]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT TABLE_NAME FROM information_schema.TABLES WHERE TABLE_SCHEMA=%s",
                       (schema,))
        return {r[0] for r in cursor.fetchall()}


def find_leftovers(connection: pymysql.connections.Connection) -> list[Leftover]:
    """Staging and journal schemas of restores whose connection is gone (their lock is free)."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT SCHEMA_NAME FROM information_schema.SCHEMATA "
                       "WHERE SCHEMA_NAME LIKE 'custode\\_stage\\_%' ORDER BY SCHEMA_NAME")
        by_tag: dict[str, list[str]] = {}
        for (name,) in cursor.fetchall():
            match = _STAGE.match(name)
            if match:
                by_tag.setdefault(match.group(1), []).append(name)
        found = []
        for tag, schemas in sorted(by_tag.items()):
            cursor.execute("SELECT IS_FREE_LOCK(%s)", (owner_lock(tag),))
            if cursor.fetchone()[0] != 1:
                continue   # its restore is still running
            phase, databases = "", []
            if "state" in _tables(connection, journal_schema(tag)):
                journal = Journal(connection, journal_schema(tag))
                phase = journal.get("phase")
                databases = json.loads(journal.get("targets") or "[]")
            found.append(Leftover(tag, schemas, phase, databases))
    return found


def _empty(connection: pymysql.connections.Connection, database: str) -> bool:
    with connection.cursor() as cursor:
        cursor.execute("SELECT (SELECT COUNT(*) FROM information_schema.TABLES WHERE TABLE_SCHEMA=%s)"
                       " + (SELECT COUNT(*) FROM information_schema.ROUTINES WHERE ROUTINE_SCHEMA=%s)"
                       " + (SELECT COUNT(*) FROM information_schema.EVENTS WHERE EVENT_SCHEMA=%s)",
                       (database, database, database))
        return not cursor.fetchone()[0]


def remove_made(connection: pymysql.connections.Connection, journal: Journal) -> None:
    """Drop what a restore made before its swap: sequences in a target, the tables it loaded
    into a new database, new databases (once nothing else is in them)."""
    with connection.cursor() as cursor:
        for kind, database, name in reversed(journal.made()):
            if kind == "SEQUENCE":
                cursor.execute(f"DROP SEQUENCE IF EXISTS {qname(database, name)}")
            elif kind == "TABLE":
                cursor.execute(f"DROP TABLE IF EXISTS {qname(database, name)}")
            elif kind == "DATABASE" and _exists(connection, "DATABASE", database, "") \
                    and _empty(connection, database):
                cursor.execute(f"DROP DATABASE {quote_ident(database)}")


def settle(connection: pymysql.connections.Connection, tag: str, schemas: list[str]) -> str:
    """Bring a stopped restore's target to the old or the new state; remove its schemas.
    Returns what was done, in words."""
    outcome = "removed its staging schemas"
    if "steps" in _tables(connection, journal_schema(tag)):
        journal = Journal(connection, journal_schema(tag))
        steps = journal.steps()
        swap = Swap(connection, journal)
        committed = any(s.done for s in steps if s.action == "commit")
        renamed = any(swapped(connection, s) for s in steps if s.action == "swap")
        forward = committed or renamed
        if forward:
            try:
                swap.forward(steps)
                outcome = "finished it: the restored objects are in place"
            except pymysql.err.MySQLError:
                if committed:
                    raise
                forward = False
                swap.back(journal.steps())
                outcome = "rolled it back: the target is as it was before it"
        else:
            swap.back(steps)
            outcome = "removed what it made: the target had not been changed"
        if not forward:
            remove_made(connection, journal)
        safety = journal.get("safety")
        if safety and (not forward or journal.get("keep_safety") != "1"):
            with connection.cursor() as cursor:
                cursor.execute(f"DROP DATABASE IF EXISTS {quote_ident(safety)}")
    elif "created" in _tables(connection, journal_schema(tag)):
        journal = Journal(connection, journal_schema(tag))
        remove_made(connection, journal)
        outcome = "removed what it made: the target had not been changed"
    with connection.cursor() as cursor:
        for schema in schemas:
            cursor.execute(f"DROP DATABASE IF EXISTS {quote_ident(schema)}")
    return outcome


def cleanup(connection: pymysql.connections.Connection, *, dry_run: bool = False) -> list[str]:
    """Find the leftovers of stopped restores on this server and settle each; one line each."""
    lines = []
    prepare_session(connection)
    for leftover in find_leftovers(connection):
        if dry_run:
            lines.append(f"would settle: {leftover.describe()}")
            continue
        with connection.cursor() as cursor:   # hold its lock: two cleanups never settle one restore
            cursor.execute("SELECT GET_LOCK(%s, 0)", (owner_lock(leftover.tag),))
            if cursor.fetchone()[0] != 1:
                continue
        try:
            outcome = settle(connection, leftover.tag, leftover.schemas)
        finally:
            with connection.cursor() as cursor:
                cursor.execute("SELECT RELEASE_LOCK(%s)", (owner_lock(leftover.tag),))
        where = ", ".join(sqltext.display_name(d) for d in leftover.databases) or "unknown databases"
        lines.append(f"restore {leftover.tag} onto {where}: {outcome}")
    return lines
