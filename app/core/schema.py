"""Reading object definitions: databases, tables, views, triggers, routines, events, sequences, users.

Everything is read as the server itself prints it (`SHOW CREATE ...`), together with the session
settings the object was created under (sql_mode, client character set), because a routine body or a
view means something different under another sql_mode.
"""

from __future__ import annotations

import contextlib
import re
import weakref
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

import pymysql

from app.core.sqltext import SPATIAL_TYPES, display_name, qname, quote_ident, quote_string

SYSTEM_DATABASES = frozenset({"mysql", "information_schema", "performance_schema", "sys"})
INTERNAL_ACCOUNTS = frozenset({("mariadb.sys", "localhost"), ("mysql.sys", "localhost"),
                               ("mysql.session", "localhost"), ("mysql.infoschema", "localhost")})
TRANSACTIONAL_ENGINES = frozenset({"innodb", "rocksdb", "tokudb"})
# Engines whose rows are not their own: the backup keeps the definition only (with this note in
# the manifest), and a restore creates the table after every table with rows of its own.
# (SEQUENCE tables are handled apart, and the SEQUENCE engine's seq_1_to_N tables are virtual.)
ROWS_ELSEWHERE = {
    "mrg_myisam": "a MERGE table: its rows are those of the tables it unites (backed up there)",
    "federated": "a FEDERATED table: its rows live on another server",
    "connect": "a CONNECT table: its rows live in an outside file or source",
    "spider": "a SPIDER table: its rows live on other servers",
}
# Errors of a view's query that mean it cannot be created again as it is.
VIEW_BROKEN = frozenset({1054, 1146, 1305, 1356, 1630})


@dataclass
class Column:
    name: str
    data_type: str
    column_type: str
    charset: str | None
    generated: bool
    nullable: bool


@dataclass
class TableInfo:
    database: str
    name: str
    engine: str
    create: str
    columns: list[Column]
    key: list[str]              # columns of the primary key or a unique NOT NULL key; [] if none
    key_index: str | None
    data_length: int
    estimated_rows: int
    has_virtual: bool = False

    @property
    def rows_elsewhere(self) -> str | None:
        """Why the table has no rows of its own to back up (a MERGE table's), or None."""
        return ROWS_ELSEWHERE.get(self.engine.lower())

    @property
    def dump_columns(self) -> list[Column]:
        """The columns whose values are stored and can be inserted (not generated ones)."""
        return [c for c in self.columns if not c.generated]

    @property
    def transactional(self) -> bool:
        return self.engine.lower() in TRANSACTIONAL_ENGINES


@dataclass
class DatabaseInfo:
    name: str
    charset: str
    collation: str
    comment: str = ""
    tables: list[TableInfo] = field(default_factory=list)
    sequences: list[dict[str, Any]] = field(default_factory=list)
    views: list[dict[str, Any]] = field(default_factory=list)
    triggers: list[dict[str, Any]] = field(default_factory=list)
    routines: list[dict[str, Any]] = field(default_factory=list)
    events: list[dict[str, Any]] = field(default_factory=list)
    # What could not be read as it is (a routine whose body no longer compiles, a view whose
    # table is gone): {"kind", "name", "error", "create"?}; the caller warns and records it.
    unreadable: list[dict[str, Any]] = field(default_factory=list)


def _rows(connection: pymysql.connections.Connection, sql: str,
          args: Iterable[Any] | None = None) -> list[dict[str, Any]]:
    with connection.cursor(pymysql.cursors.DictCursor) as cursor:
        cursor.execute(sql, tuple(args) if args is not None else None)
        return list(cursor.fetchall())


def list_databases(connection: pymysql.connections.Connection) -> list[str]:
    rows = _rows(connection, "SELECT SCHEMA_NAME AS n FROM information_schema.SCHEMATA ORDER BY 1")
    return [r["n"] for r in rows if r["n"].lower() not in SYSTEM_DATABASES]


def databases_not_fully_readable(connection: pymysql.connections.Connection,
                                 databases: list[str]) -> list[str]:
    """Databases on which the current user lacks SELECT (globally or on the whole database).

    information_schema hides the tables a user may not read, so such a backup would silently
    lack them; the caller warns.  Privileges that come only through a role are not counted,
    which errs on the side of a warning too many.
    """
    grantee = ("CONCAT(\"'\", SUBSTRING_INDEX(CURRENT_USER(), '@', 1), \"'@'\", "
               "SUBSTRING_INDEX(CURRENT_USER(), '@', -1), \"'\")")
    if _rows(connection, "SELECT 1 AS x FROM information_schema.USER_PRIVILEGES WHERE "
             f"GRANTEE = {grantee} AND PRIVILEGE_TYPE = 'SELECT'"):
        return []
    readable = {r["s"] for r in _rows(
        connection, "SELECT TABLE_SCHEMA AS s FROM information_schema.SCHEMA_PRIVILEGES WHERE "
        f"GRANTEE = {grantee} AND PRIVILEGE_TYPE = 'SELECT'")}
    return [name for name in databases if name not in readable]


TableStats = dict[tuple[str, str], tuple[int, int]]   # (database, table) -> (data bytes, rows)
FEW_MISSING = 4   # tables without InnoDB statistics asked for one by one; more: the whole database


def innodb_statistics(connection: pymysql.connections.Connection) -> TableStats | None:
    """InnoDB's persistent statistics of every table of the server, from one query that opens
    no table; None when the user may not read them.

    information_schema.TABLES opens every table of a database in the engine to give DATA_LENGTH
    and TABLE_ROWS: 10-24 ms per database of 20 tables on a server of 10,000 tables (more than its
    table caches hold), 17.7 s of the server's time in a backup of them. These are the same
    numbers (clustered index pages x page size; rows), 46 ms for the whole server. Tables not
    listed (other engines, partitions, statistics not persistent) are asked for in
    information_schema as before.
    """
    try:
        rows = _rows(connection, "SELECT database_name AS d, table_name AS t, n_rows AS r, "
                     "clustered_index_size * @@innodb_page_size AS b FROM mysql.innodb_table_stats")
    except pymysql.err.MySQLError:
        return None
    return {(r["d"], r["t"]): (int(r["b"] or 0), int(r["r"] or 0)) for r in rows}


def _tables(connection: pymysql.connections.Connection, name: str, only_tables: set[str] | None,
            stats: TableStats | None) -> list[dict[str, Any]]:
    """The database's tables with their type, engine, data length and estimated rows."""
    if stats is None:
        return _rows(connection, "SELECT TABLE_NAME, TABLE_TYPE, ENGINE, DATA_LENGTH, TABLE_ROWS "
                     "FROM information_schema.TABLES WHERE TABLE_SCHEMA=%s ORDER BY TABLE_NAME", [name])
    tables = _rows(connection, "SELECT TABLE_NAME, TABLE_TYPE, ENGINE FROM information_schema.TABLES "
                   "WHERE TABLE_SCHEMA=%s ORDER BY TABLE_NAME", [name])
    missing = [t["TABLE_NAME"] for t in tables if t["TABLE_TYPE"] == "BASE TABLE"
               and (name, t["TABLE_NAME"]) not in stats
               and (only_tables is None or t["TABLE_NAME"] in only_tables)]
    sizes = "SELECT TABLE_NAME, DATA_LENGTH, TABLE_ROWS FROM information_schema.TABLES WHERE TABLE_SCHEMA=%s"
    if len(missing) > FEW_MISSING:
        asked = _rows(connection, sizes, [name])
    else:   # (an equality on both names: the server opens that table only)
        asked = [r for table in missing
                 for r in _rows(connection, sizes + " AND TABLE_NAME=%s", [name, table])]
    found = {(name, r["TABLE_NAME"]): (int(r["DATA_LENGTH"] or 0), int(r["TABLE_ROWS"] or 0)) for r in asked}
    for t in tables:
        key = (name, t["TABLE_NAME"])
        t["DATA_LENGTH"], t["TABLE_ROWS"] = found.get(key) or stats.get(key) or (0, 0)
    return tables


def read_database(connection: pymysql.connections.Connection, name: str,
                  only_tables: set[str] | None = None, stats: TableStats | None = None) -> DatabaseInfo:
    """Read every object of one database (or only the named tables and their triggers); sizes
    from `stats` (innodb_statistics) where it has them."""
    schemata = _rows(connection, "SELECT * FROM information_schema.SCHEMATA WHERE SCHEMA_NAME=%s",
                     [name])
    if not schemata:
        raise LookupError(name)
    row = schemata[0]
    info = DatabaseInfo(name, row["DEFAULT_CHARACTER_SET_NAME"], row["DEFAULT_COLLATION_NAME"],
                        row.get("SCHEMA_COMMENT") or "")
    tables = _tables(connection, name, only_tables, stats)
    columns = _columns(connection, name)
    keys = _keys(connection, name)
    spatial = any(c.data_type in SPATIAL_TYPES for cols in columns.values() for c in cols)
    srids = _srids(connection, name) if spatial else {}
    with binary_results(connection):          # one SET each way, not two per table
        for t in tables:
            table = t["TABLE_NAME"]
            if only_tables is not None and table not in only_tables:
                continue
            kind = t["TABLE_TYPE"]
            if kind == "SEQUENCE":
                info.sequences.append(_sequence(connection, name, table))
            elif kind in ("BASE TABLE", "SYSTEM VERSIONED"):
                cols = columns.get(table, [])
                key_index, key = _choose_key(keys.get(table, {}), {c.name: c for c in cols})
                create = _with_srids(_show_create(connection, "TABLE", name, table, 1),
                                     cols, srids.get(table, {}))
                info.tables.append(TableInfo(
                    name, table, t["ENGINE"] or "", create,
                    cols, key, key_index, int(t["DATA_LENGTH"] or 0), int(t["TABLE_ROWS"] or 0),
                    has_virtual=any(c.generated for c in cols)))
    if only_tables is None:
        info.views = _views(connection, name, info.unreadable)
        info.routines = _routines(connection, name, info.unreadable)
        info.events = _events(connection, name)
    info.triggers = [t for t in _triggers(connection, name)
                     if only_tables is None or t["table"] in only_tables]
    return info


def _columns(connection: pymysql.connections.Connection, database: str) -> dict[str, list[Column]]:
    rows = _rows(connection, "SELECT TABLE_NAME, COLUMN_NAME, DATA_TYPE, COLUMN_TYPE, "
                 "CHARACTER_SET_NAME, EXTRA, IS_NULLABLE FROM information_schema.COLUMNS "
                 "WHERE TABLE_SCHEMA=%s ORDER BY TABLE_NAME, ORDINAL_POSITION", [database])
    result: dict[str, list[Column]] = {}
    for r in rows:
        extra = (r["EXTRA"] or "").upper()
        generated = "GENERATED" in extra or "VIRTUAL" in extra or "PERSISTENT" in extra
        result.setdefault(r["TABLE_NAME"], []).append(Column(
            r["COLUMN_NAME"], r["DATA_TYPE"].lower(), r["COLUMN_TYPE"].lower(),
            (r["CHARACTER_SET_NAME"] or None), generated, r["IS_NULLABLE"] == "YES"))
    return result


def _srids(connection: pymysql.connections.Connection, database: str) -> dict[str, dict[str, int]]:
    # F_TABLE_SCHEMA, not G_TABLE_SCHEMA (the same value): the server opens only that database's
    # tables for it, and every table on the server for the other (31 ms a database with 2,000
    # tables on the server: 3.1 of the 5.5 s that 100 databases took to read).
    # (F_GEOMETRY_COLUMN is empty on MariaDB: the column's name is in G_GEOMETRY_COLUMN.)
    rows = _rows(connection, "SELECT G_TABLE_NAME, G_GEOMETRY_COLUMN, SRID FROM "
                 "information_schema.GEOMETRY_COLUMNS WHERE F_TABLE_SCHEMA=%s AND SRID <> 0",
                 [database])
    result: dict[str, dict[str, int]] = {}
    for r in rows:
        result.setdefault(r["G_TABLE_NAME"], {})[r["G_GEOMETRY_COLUMN"]] = int(r["SRID"])
    return result


def _with_srids(create: str, columns: list[Column], srids: dict[str, int]) -> str:
    """Put back the REF_SYSTEM_ID of spatial columns, which SHOW CREATE TABLE leaves out."""
    for column in columns:
        srid = srids.get(column.name)
        definition = f"\n  {quote_ident(column.name)} {column.column_type}"
        if not srid or f"{definition} REF_SYSTEM_ID" in create:   # a future server may print it
            continue
        create = create.replace(definition, f"{definition} REF_SYSTEM_ID={srid}", 1)
    return create


def _keys(connection: pymysql.connections.Connection,
          database: str) -> dict[str, dict[str, list[tuple[str, int | None]]]]:
    rows = _rows(connection, "SELECT TABLE_NAME, INDEX_NAME, COLUMN_NAME, SUB_PART "
                 "FROM information_schema.STATISTICS WHERE TABLE_SCHEMA=%s AND NON_UNIQUE=0 "
                 "ORDER BY TABLE_NAME, INDEX_NAME, SEQ_IN_INDEX", [database])
    result: dict[str, dict[str, list[tuple[str, int | None]]]] = {}
    for r in rows:
        result.setdefault(r["TABLE_NAME"], {}).setdefault(r["INDEX_NAME"], []).append(
            (r["COLUMN_NAME"], r["SUB_PART"]))
    return result


def _choose_key(indexes: dict[str, list[tuple[str, int | None]]],
                columns: dict[str, Column]) -> tuple[str | None, list[str]]:
    """The primary key, else the first unique index on whole NOT NULL stored columns."""
    def usable(parts: list[tuple[str, int | None]]) -> bool:
        return all(sub is None and name in columns and not columns[name].nullable
                   and not columns[name].generated for name, sub in parts)

    candidates = sorted(indexes.items(), key=lambda item: (item[0] != "PRIMARY", item[0]))
    for index, parts in candidates:
        if usable(parts):
            return index, [name for name, _ in parts]
    return None, []


_BINARY: weakref.WeakSet[pymysql.connections.Connection] = weakref.WeakSet()


@contextlib.contextmanager
def binary_results(connection: pymysql.connections.Connection) -> Iterator[None]:
    """Read a run of SHOW CREATE rows byte for byte (see show_create) with one SET each way."""
    with connection.cursor() as cursor:
        cursor.execute("SET SESSION character_set_results = binary")
    _BINARY.add(connection)
    try:
        yield
    finally:
        _BINARY.discard(connection)
        with connection.cursor() as cursor:
            cursor.execute("SET SESSION character_set_results = utf8mb4")


def show_create(connection: pymysql.connections.Connection,
                statement: str) -> tuple[dict[str, Any] | None, int]:
    """One `SHOW CREATE ...` row, byte for byte, and the statement's warning count.

    A definition may hold bytes that are not UTF-8: a literal after a character set introducer
    (`_latin1 0xE9` is kept as `_latin1'\xe9'`). As mariadb-dump does, the row is read with
    character_set_results = binary; text is decoded as UTF-8 with surrogateescape, so every byte
    that is not UTF-8 survives to the manifest (as a JSON escape, see FORMAT.md) and back to the
    server (sqltext.encode_for).
    """
    with connection.cursor(pymysql.cursors.DictCursor) as cursor:
        if connection in _BINARY:
            cursor.execute(statement)
            row, warnings = cursor.fetchone(), cursor.warning_count
        else:
            cursor.execute("SET SESSION character_set_results = binary")
            try:
                cursor.execute(statement)
                row, warnings = cursor.fetchone(), cursor.warning_count
            finally:
                cursor.execute("SET SESSION character_set_results = utf8mb4")
    if row is None:
        return None, warnings
    return {key: value.decode("utf-8", "surrogateescape") if isinstance(value, bytes) else value
            for key, value in row.items()}, warnings


def _show_create(connection: pymysql.connections.Connection, kind: str, database: str,
                 name: str, column: int) -> str:
    row, _ = show_create(connection, f"SHOW CREATE {kind} {qname(database, name)}")
    text = list(row.values())[column] if row else None
    if text is None:
        raise PermissionError(f"the server did not show the definition of {kind.lower()} "
                              f"{display_name(database, name)}: the backup user lacks privileges "
                              "to read it")
    return str(text)


def _sequence(connection: pymysql.connections.Connection, database: str, name: str) -> dict[str, Any]:
    """A sequence's definition; its value comes later (read_sequence_values)."""
    return {"name": name, "create": _show_create(connection, "SEQUENCE", database, name, 1)}


_DDL_COUNTER = re.compile(r"com_(alter|create|drop|rename)_(table|index|view|trigger|procedure|function"
                          r"|event|db|sequence|package|package_body)|com_truncate", re.IGNORECASE)


def ddl_statements(connection: pymysql.connections.Connection) -> int | None:
    """How many DDL statements the server has run since it started (its Com_ counters for
    tables, indexes, views, triggers, routines, events, databases and sequences; temporary tables
    not counted); None when the server does not say."""
    try:
        rows = _rows(connection, "SHOW GLOBAL STATUS LIKE 'Com\\_%'")
    except pymysql.err.MySQLError:
        return None
    return sum(int(r["Value"]) for r in rows if _DDL_COUNTER.fullmatch(r["Variable_name"]))


def read_sequence_values(connection: pymysql.connections.Connection,
                         databases: list[DatabaseInfo]) -> None:
    """Where each sequence stands, read after the snapshot began: never before a value the
    snapshot's rows hold (a sequence only moves on), so a restored one hands out no used value."""
    for database in databases:
        for sequence in database.sequences:
            rows = _rows(connection, "SELECT next_not_cached_value AS v, cycle_count AS c "
                         f"FROM {qname(database.name, sequence['name'])}")
            sequence["next_value"], sequence["round"] = int(rows[0]["v"]), int(rows[0]["c"])


def _views(connection: pymysql.connections.Connection, database: str,
           unreadable: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The views; one whose query no longer resolves (its table or column is gone) goes to
    `unreadable` with its definition instead: no server would create it again as it is."""
    views = []
    for r in _rows(connection, "SELECT TABLE_NAME FROM information_schema.VIEWS "
                   "WHERE TABLE_SCHEMA=%s ORDER BY TABLE_NAME", [database]):
        name = r["TABLE_NAME"]
        row, warnings = show_create(connection, f"SHOW CREATE VIEW {qname(database, name)}")
        assert row is not None
        create, charset, collation = (row["Create View"], row["character_set_client"],
                                      row["collation_connection"])
        with connection.cursor() as cursor:
            broken = None
            if warnings:
                # 1356 "references invalid table(s)... or definer lacks rights": ask its query
                # itself, which says which (a definer that does not exist is not a broken view).
                try:
                    cursor.execute(f"SELECT * FROM {qname(database, name)} LIMIT 0")
                except pymysql.err.MySQLError as exc:
                    if exc.args and exc.args[0] in VIEW_BROKEN:
                        broken = str(exc.args[1]) if len(exc.args) > 1 else str(exc)
        view = {"name": name, "create": create,
                "character_set_client": charset, "collation_connection": collation}
        if broken:
            unreadable.append({"kind": "view", "name": name, "error": broken, **view})
        else:
            views.append(view)
    return views


def _triggers(connection: pymysql.connections.Connection, database: str) -> list[dict[str, Any]]:
    triggers = []
    # EVENT_OBJECT_SCHEMA (always the trigger's own): the server reads only that database's
    # trigger files for it, every database's for TRIGGER_SCHEMA.
    for r in _rows(connection, "SELECT TRIGGER_NAME, EVENT_OBJECT_TABLE, ACTION_ORDER "
                   "FROM information_schema.TRIGGERS WHERE EVENT_OBJECT_SCHEMA=%s "
                   "ORDER BY EVENT_OBJECT_TABLE, ACTION_TIMING, EVENT_MANIPULATION, ACTION_ORDER",
                   [database]):
        row, _ = show_create(connection, f"SHOW CREATE TRIGGER {qname(database, r['TRIGGER_NAME'])}")
        assert row is not None
        triggers.append({"name": r["TRIGGER_NAME"], "table": r["EVENT_OBJECT_TABLE"],
                         "create": row["SQL Original Statement"], "sql_mode": row["sql_mode"],
                         "character_set_client": row["character_set_client"],
                         "collation_connection": row["collation_connection"],
                         "database_collation": row.get("Database Collation")})
    return triggers


# Stored programs in the order a server needs them: a package body after its package.
ROUTINE_KINDS = ("PROCEDURE", "FUNCTION", "PACKAGE", "PACKAGE BODY")


def _routines(connection: pymysql.connections.Connection, database: str,
              unreadable: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Procedures, functions, packages and package bodies (the last two exist under
    sql_mode=ORACLE).  One whose body the server can no longer parse goes to `unreadable`,
    with the text the server stored."""
    routines = []
    for r in _rows(connection, "SELECT ROUTINE_NAME, ROUTINE_TYPE, ROUTINE_DEFINITION, "
                   "IS_DETERMINISTIC, SQL_DATA_ACCESS "
                   "FROM information_schema.ROUTINES WHERE ROUTINE_SCHEMA=%s "
                   f"ORDER BY FIELD(ROUTINE_TYPE, {', '.join(map(quote_string, ROUTINE_KINDS))}), "
                   "ROUTINE_NAME", [database]):
        kind = r["ROUTINE_TYPE"]
        if kind not in ROUTINE_KINDS:
            continue
        try:
            row, _ = show_create(connection, f"SHOW CREATE {kind} {qname(database, r['ROUTINE_NAME'])}")
            assert row is not None
        except pymysql.err.MySQLError as exc:
            if not exc.args or exc.args[0] in (1142, 1227, 1370):   # privileges: fail as before
                raise
            unreadable.append({"kind": kind.lower(), "name": r["ROUTINE_NAME"],
                               "error": f"{exc.args[1] if len(exc.args) > 1 else exc} "
                                        f"(error {exc.args[0]})",
                               "body": r["ROUTINE_DEFINITION"]})
            continue
        create = row[f"Create {kind.title()}"]
        if create is None:
            raise PermissionError(f"the server did not show the body of {kind.lower()} "
                                  f"{display_name(database, r['ROUTINE_NAME'])}: grant the backup "
                                  "user SELECT on mysql.proc (or SHOW_ROUTINE)")
        routines.append({"name": r["ROUTINE_NAME"], "type": kind, "create": create,
                         "sql_mode": row["sql_mode"],
                         "character_set_client": row["character_set_client"],
                         "collation_connection": row["collation_connection"],
                         "database_collation": row.get("Database Collation"),
                         "deterministic": r["IS_DETERMINISTIC"] == "YES",
                         "sql_data_access": r["SQL_DATA_ACCESS"]})
    return routines


def _events(connection: pymysql.connections.Connection, database: str) -> list[dict[str, Any]]:
    events = []
    for r in _rows(connection, "SELECT EVENT_NAME FROM information_schema.EVENTS "
                   "WHERE EVENT_SCHEMA=%s ORDER BY EVENT_NAME", [database]):
        row, _ = show_create(connection, f"SHOW CREATE EVENT {qname(database, r['EVENT_NAME'])}")
        assert row is not None
        events.append({"name": r["EVENT_NAME"], "create": row["Create Event"],
                       "sql_mode": row["sql_mode"], "time_zone": row["time_zone"],
                       "character_set_client": row["character_set_client"],
                       "collation_connection": row["collation_connection"],
                       "database_collation": row.get("Database Collation")})
    return events


def read_users(connection: pymysql.connections.Connection,
               warnings: list[str] | None = None) -> list[dict[str, Any]]:
    """Accounts and roles with their CREATE statement and grants (internal accounts skipped).

    An account the server will not show (a host name under skip-name-resolve) is skipped and
    named in `warnings`.
    """
    columns = {r["COLUMN_NAME"] for r in _rows(
        connection, "SELECT COLUMN_NAME FROM information_schema.COLUMNS "
        "WHERE TABLE_SCHEMA='mysql' AND TABLE_NAME='user'")}
    role_expr = "is_role" if "is_role" in columns else "'N'"
    accounts = _rows(connection, f"SELECT User AS u, Host AS h, {role_expr} AS r FROM mysql.user "
                     "ORDER BY User, Host")
    users = []
    for a in accounts:
        user, host, is_role = a["u"], a["h"], a["r"] == "Y"
        if (user, host) in INTERNAL_ACCOUNTS or not user:
            continue
        account = quote_string(user) if is_role else f"{quote_string(user)}@{quote_string(host)}"
        with connection.cursor() as cursor:
            try:
                if is_role:
                    create = f"CREATE ROLE IF NOT EXISTS {quote_ident(user)}"
                else:
                    cursor.execute(f"SHOW CREATE USER {account}")
                    create = re.sub(r"^CREATE USER ", "CREATE USER IF NOT EXISTS ",
                                    str(cursor.fetchone()[0]))
                cursor.execute(f"SHOW GRANTS FOR {account}")
                grants = [str(row[0]) for row in cursor.fetchall()]
            except pymysql.err.OperationalError as exc:
                if exc.args[0] not in (1133, 1141):
                    raise
                if warnings is not None:
                    warnings.append(f"account {user}@{host} skipped: the server does not "
                                    "resolve it (skip-name-resolve?)")
                continue
        users.append({"user": user, "host": host, "role": is_role, "create": create,
                      "grants": grants})
    return users


def view_order(databases: list[DatabaseInfo]) -> list[tuple[str, str]]:
    """Views of all databases sorted so that each comes after the views it selects from.

    The server prints view bodies with fully qualified names (`db`.`view`), so a reference is
    found by looking for that text.
    """
    views = {(db.name, v["name"]): v["create"] for db in databases for v in db.views}
    needs = {key: {other for other in views if other != key
                   and f"{quote_ident(other[0])}.{quote_ident(other[1])}" in text}
             for key, text in views.items()}
    ordered: list[tuple[str, str]] = []
    done: set[tuple[str, str]] = set()
    while len(ordered) < len(views):
        ready = sorted(k for k in views if k not in done and needs[k] <= done)
        if not ready:  # a cycle cannot exist between views; fall back to name order
            ready = sorted(k for k in views if k not in done)
        for key in ready:
            ordered.append(key)
            done.add(key)
    return ordered
