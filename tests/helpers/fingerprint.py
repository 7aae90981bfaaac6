"""Referee for backup round-trip tests: a comparable description of databases on a server.

`fingerprint()` describes the data and the definitions of some databases in a form that can be
compared with `==`, stored as JSON and explained with `diff()`.  It uses PyMySQL only and none of
the code under `app/`, so it can judge whether a Custode backup restores identical data.

What it records, per database:

* the default character set, collation and comment;
* per base table: `SHOW CREATE TABLE` (AUTO_INCREMENT kept), the SRID of each geometry column
  (`SHOW CREATE TABLE` does not show REF_SYSTEM_ID), the exact row count and a SHA-256 over the
  rows.  Every column is read, generated and INVISIBLE ones included, and values are fetched
  losslessly: FLOAT as `CAST(col AS DOUBLE)`; binary strings, BIT and spatial columns as
  `HEX(col)`; text in a character set other than utf8mb4/utf8mb3 as `HEX(col)` too (some
  conversions to Unicode are not one-to-one, e.g. sjis 0x5C and 0x815F both read as U+005C);
  everything else through PyMySQL's default conversion and `repr()`.  Each row's repr is hashed
  and the row hashes are sorted, so the result does not depend on row order or collations and
  duplicate rows count;
* views: `SHOW CREATE VIEW` plus the client character set and connection collation;
* triggers: statement text, table, timing, event, ACTION_ORDER (the server does not keep
  FOLLOWS/PRECEDES in the text), sql_mode and character set context (not the Created time);
* procedures, functions (and packages): `SHOW CREATE ...` text, sql_mode, character set context;
* events: `SHOW CREATE EVENT` text (with its STARTS/ENDS/AT timestamps), sql_mode, time_zone,
  status and character set context;
* sequences: `SHOW CREATE SEQUENCE` and the stored state (`next_not_cached_value`, bounds,
  increment, cache size, cycle option and cycle count), read with a plain SELECT, which does not
  advance the sequence.

Values are read with session time_zone '+00:00' (so TIMESTAMPs do not depend on the server's zone)
and sql_mode '' (so `SHOW CREATE` output does not depend on the caller's sql_mode); the caller's
session settings, character set and default database are put back afterwards.  Use an autocommit
connection: in an open REPEATABLE READ transaction later calls would see the same old snapshot.
"""

from __future__ import annotations

import difflib
import hashlib
import re
from typing import Any

import pymysql
import pymysql.cursors

__all__ = ["diff", "fingerprint"]

# Column types read as HEX(col).
_HEX_TYPES = frozenset({
    "binary", "varbinary", "tinyblob", "blob", "mediumblob", "longblob", "bit",
    "geometry", "point", "linestring", "polygon", "multipoint", "multilinestring",
    "multipolygon", "geometrycollection",
})
# Character sets whose conversion to utf8mb4 is one-to-one; other text is read as HEX(col).
_UNICODE_CHARSETS = frozenset({"utf8mb4", "utf8mb3", "utf8"})
_BASE_TABLE_TYPES = frozenset({"BASE TABLE", "SYSTEM VERSIONED"})
_ROUTINE_KEYS = {
    "PROCEDURE": "procedures",
    "FUNCTION": "functions",
    "PACKAGE": "packages",
    "PACKAGE BODY": "package_bodies",
}
_SEQUENCE_STATE_COLUMNS = ("next_not_cached_value", "minimum_value", "maximum_value",
                           "start_value", "increment", "cache_size", "cycle_option",
                           "cycle_count")


def _q(name: str) -> str:
    """Quote an identifier with backticks."""
    return "`" + name.replace("`", "``") + "`"


def _dq(name: str) -> str:
    """Quote an identifier with double quotes (sql_mode ANSI_QUOTES)."""
    return '"' + name.replace('"', '""') + '"'


_NOT_RENAMED = "/*not renamed*/"


class _Renamer:
    """Puts original database names back into definitions taken from renamed databases.

    A quoted NEW name becomes the original name.  A quoted ORIGINAL name (one that is not also
    some other database's new name) is a reference that a renaming restore left pointing at the
    source database: it is marked ``/*not renamed*/`` so that it does not compare equal.
    """

    def __init__(self, rename: dict[str, str]) -> None:
        # quoted name -> replacement, for backticks and (ANSI_QUOTES) double quotes
        self._back: dict[str, str] = {}
        self._ansi: dict[str, str] = {}
        renamed = {original: new for original, new in rename.items() if original != new}
        new_names = set(renamed.values())
        for original, new in renamed.items():
            self._back[_q(new)] = _q(original)
            self._ansi[_dq(new)] = _dq(original)
        for original in renamed:
            if original not in new_names:
                self._back[_q(original)] = _q(original) + _NOT_RENAMED
                self._ansi[_dq(original)] = _dq(original) + _NOT_RENAMED
        self._back_re = self._compile(self._back)
        self._ansi_re = self._compile(self._ansi)

    @staticmethod
    def _compile(mapping: dict[str, str]) -> re.Pattern[str] | None:
        if not mapping:
            return None
        # Longest first, replaced in one pass, so that swaps ({a: b, b: a}) work too.
        return re.compile("|".join(re.escape(k) for k in sorted(mapping, key=len, reverse=True)))

    def __call__(self, text: str | None, sql_mode: str = "") -> str | None:
        if text is None:
            return None
        if self._back_re is not None:
            text = self._back_re.sub(lambda m: self._back[m.group(0)], text)
        if self._ansi_re is not None and "ANSI_QUOTES" in sql_mode.upper().split(","):
            text = self._ansi_re.sub(lambda m: self._ansi[m.group(0)], text)
        return text


def _rows(cur: pymysql.cursors.Cursor, sql: str, args: Any = None) -> list[tuple[Any, ...]]:
    cur.execute(sql, args)
    return list(cur.fetchall())


def _dict_row(cur: pymysql.cursors.Cursor, sql: str) -> dict[str, Any]:
    """One row by column name, read with character_set_results = binary: a definition may hold
    bytes that are not UTF-8 (a literal after `_latin1`), kept as surrogateescape characters."""
    cur.execute("SET SESSION character_set_results = binary")
    try:
        cur.execute(sql)
        row, description = cur.fetchone(), cur.description
    finally:
        cur.execute("SET SESSION character_set_results = utf8mb4")
    if row is None:
        return {}
    return {desc[0]: value.decode("utf-8", "surrogateescape") if isinstance(value, bytes) else value
            for desc, value in zip(description, row, strict=True)}


def _column_expression(name: str, data_type: str, charset: str | None) -> str:
    col = _q(name)
    data_type = data_type.lower()
    if data_type == "float":
        return f"CAST({col} AS DOUBLE)"
    if data_type in _HEX_TYPES:
        return f"HEX({col})"
    if charset is not None and charset.lower() not in _UNICODE_CHARSETS:
        return f"HEX({col})"
    return col


def _normalise(value: Any) -> Any:
    # A SET column could come back as a Python set, whose repr order is not stable.
    if isinstance(value, (set, frozenset)):
        return sorted(value)
    return value


def _table_data(conn: pymysql.connections.Connection, db: str, table: str) -> dict[str, Any]:
    with conn.cursor() as cur:
        columns = _rows(cur, "SELECT COLUMN_NAME, DATA_TYPE, CHARACTER_SET_NAME "
                             "FROM information_schema.COLUMNS "
                             "WHERE TABLE_SCHEMA = %s AND TABLE_NAME = %s "
                             "ORDER BY ORDINAL_POSITION", (db, table))
    expressions = ", ".join(_column_expression(name, dtype, charset)
                            for name, dtype, charset in columns)
    digests: list[bytes] = []
    with conn.cursor(pymysql.cursors.SSCursor) as cur:
        cur.execute(f"SELECT {expressions} FROM {_q(db)}.{_q(table)}")
        while True:
            batch = cur.fetchmany(1000)
            if not batch:
                break
            for row in batch:
                text = repr(tuple(_normalise(v) for v in row))
                digests.append(hashlib.sha256(text.encode("utf-8", "surrogatepass")).digest())
    digests.sort()
    total = hashlib.sha256()
    for digest in digests:
        total.update(digest)
    return {
        "columns": [name for name, _, _ in columns],
        "rows": len(digests),
        "sha256": total.hexdigest(),
    }


def _database(conn: pymysql.connections.Connection, db: str, unrename: _Renamer) -> dict[str, Any]:
    with conn.cursor() as cur:
        schema = _rows(cur, "SELECT DEFAULT_CHARACTER_SET_NAME, DEFAULT_COLLATION_NAME, SCHEMA_COMMENT "
                            "FROM information_schema.SCHEMATA WHERE SCHEMA_NAME = %s", (db,))
        if not schema:
            return {"exists": False}
        charset, collation, comment = schema[0]
        result: dict[str, Any] = {
            "exists": True,
            "charset": charset,
            "collation": collation,
            "comment": comment,
            "tables": {},
            "views": {},
            "sequences": {},
            "triggers": {},
            "procedures": {},
            "functions": {},
            "events": {},
        }
        objects = _rows(cur, "SELECT TABLE_NAME, TABLE_TYPE FROM information_schema.TABLES "
                             "WHERE TABLE_SCHEMA = %s ORDER BY TABLE_NAME", (db,))
        srids: dict[str, dict[str, int]] = {}
        for table, column, srid in _rows(
                cur, "SELECT G_TABLE_NAME, G_GEOMETRY_COLUMN, SRID "
                     "FROM information_schema.GEOMETRY_COLUMNS WHERE G_TABLE_SCHEMA = %s", (db,)):
            srids.setdefault(table, {})[column] = int(srid)

    for name, table_type in objects:
        qualified = f"{_q(db)}.{_q(name)}"
        with conn.cursor() as cur:
            if table_type in _BASE_TABLE_TYPES:
                create = _dict_row(cur, f"SHOW CREATE TABLE {qualified}")
                entry = {"type": table_type, "create": unrename(create["Create Table"])}
                if name in srids:
                    entry["geometry_srid"] = dict(sorted(srids[name].items()))
                result["tables"][name] = entry
            elif table_type == "VIEW":
                create = _dict_row(cur, f"SHOW CREATE VIEW {qualified}")
                result["views"][name] = {
                    "create": unrename(create["Create View"]),
                    "character_set_client": create["character_set_client"],
                    "collation_connection": create["collation_connection"],
                }
            elif table_type == "SEQUENCE":
                create = _dict_row(cur, f"SHOW CREATE SEQUENCE {qualified}")
                state = _dict_row(cur, f"SELECT {', '.join(_SEQUENCE_STATE_COLUMNS)} FROM {qualified}")
                result["sequences"][name] = {
                    "create": unrename(create["Create Table"]),
                    "state": {k: (int(v) if v is not None else None) for k, v in state.items()},
                }
        if table_type in _BASE_TABLE_TYPES:
            result["tables"][name].update(_table_data(conn, db, name))

    with conn.cursor() as cur:
        triggers = _rows(cur, "SELECT TRIGGER_NAME, EVENT_OBJECT_TABLE, ACTION_TIMING, "
                              "EVENT_MANIPULATION, ACTION_ORDER FROM information_schema.TRIGGERS "
                              "WHERE TRIGGER_SCHEMA = %s ORDER BY TRIGGER_NAME", (db,))
        for name, table, timing, event, order in triggers:
            create = _dict_row(cur, f"SHOW CREATE TRIGGER {_q(db)}.{_q(name)}")
            result["triggers"][name] = {
                "table": table,
                "timing": timing,
                "event": event,
                "action_order": int(order),
                "sql_mode": create["sql_mode"],
                "statement": unrename(create["SQL Original Statement"], create["sql_mode"]),
                "character_set_client": create["character_set_client"],
                "collation_connection": create["collation_connection"],
                "database_collation": create["Database Collation"],
            }

        routines = _rows(cur, "SELECT ROUTINE_NAME, ROUTINE_TYPE FROM information_schema.ROUTINES "
                              "WHERE ROUTINE_SCHEMA = %s ORDER BY ROUTINE_TYPE, ROUTINE_NAME", (db,))
        for name, routine_type in routines:
            key = _ROUTINE_KEYS.get(routine_type.upper(), routine_type.lower())
            create = _dict_row(cur, f"SHOW CREATE {routine_type} {_q(db)}.{_q(name)}")
            text_column = next(c for c in create if c.startswith("Create "))
            result.setdefault(key, {})[name] = {
                "sql_mode": create["sql_mode"],
                "create": unrename(create[text_column], create["sql_mode"]),
                "character_set_client": create["character_set_client"],
                "collation_connection": create["collation_connection"],
                "database_collation": create["Database Collation"],
            }

        events = _rows(cur, "SELECT EVENT_NAME, STATUS FROM information_schema.EVENTS "
                            "WHERE EVENT_SCHEMA = %s ORDER BY EVENT_NAME", (db,))
        for name, status in events:
            create = _dict_row(cur, f"SHOW CREATE EVENT {_q(db)}.{_q(name)}")
            result["events"][name] = {
                "status": status,
                "sql_mode": create["sql_mode"],
                "time_zone": create["time_zone"],
                "create": unrename(create["Create Event"], create["sql_mode"]),
                "character_set_client": create["character_set_client"],
                "collation_connection": create["collation_connection"],
                "database_collation": create["Database Collation"],
            }
    return result


def fingerprint(conn: pymysql.connections.Connection, databases: list[str],
                rename: dict[str, str] | None = None) -> dict[str, Any]:
    """Describe `databases` on the server behind `conn` in a comparable, JSON-serialisable form.

    Args:
        conn: a PyMySQL connection (autocommit, with enough privileges to read every object:
            root in tests).  Its session settings, character set and default database are
            restored before returning.
        databases: names of the databases to describe, as they are called on the SOURCE.
        rename: maps a source database name to the name it has on the server behind `conn`
            (for instance ``{"hostile": "hostile_copy"}``).  The database is read under its new
            name, but the result is keyed by the original name, and backtick-quoted occurrences
            of the new name inside definitions (double-quoted ones as well in objects whose
            sql_mode has ANSI_QUOTES) are replaced by the original name, so the fingerprint of
            a renamed restore equals the source's.  Quoted occurrences of the ORIGINAL name are
            references the restore left pointing at the source database; they get a
            ``/*not renamed*/`` mark and so show up as differences.

    Returns:
        ``{database: {...}}`` with, for each database, ``exists``, ``charset``, ``collation``,
        ``comment``, and dictionaries ``tables`` (create statement, geometry SRIDs, columns, row
        count and SHA-256 of the rows), ``views``, ``sequences`` (create statement and state),
        ``triggers``, ``procedures``, ``functions`` and ``events``.  A database that does not
        exist is ``{"exists": False}``.
    """
    rename = dict(rename or {})
    unrename = _Renamer(rename)
    old_charset = conn.charset
    if old_charset != "utf8mb4":
        conn.set_character_set("utf8mb4")
    with conn.cursor() as cur:
        cur.execute("SELECT @@SESSION.sql_mode, @@SESSION.time_zone, "
                    "@@SESSION.sql_quote_show_create, DATABASE()")
        old_sql_mode, old_time_zone, old_quote, old_db = cur.fetchone()
        cur.execute("SET SESSION sql_mode = '', SESSION time_zone = '+00:00', "
                    "SESSION sql_quote_show_create = 1")
        # SHOW CREATE VIEW leaves out the name of the current database.  If that is one of
        # ours, switch to one that cannot be, so every reference is qualified on both sides.
        if old_db is not None and old_db in {rename.get(db, db) for db in databases}:
            cur.execute("USE information_schema")
    try:
        return {db: _database(conn, rename.get(db, db), unrename) for db in databases}
    finally:
        with conn.cursor() as cur:
            cur.execute("SET SESSION sql_mode = %s, SESSION time_zone = %s, "
                        "SESSION sql_quote_show_create = %s", (old_sql_mode, old_time_zone, old_quote))
            if old_db is not None:
                cur.execute(f"USE {_q(old_db)}")
        if old_charset != "utf8mb4":
            conn.set_character_set(old_charset)


def _path(parts: list[str]) -> str:
    return "/".join(parts) if parts else "(root)"


def _describe(value: Any) -> str:
    text = repr(value)
    return text if len(text) <= 200 else text[:200] + f"... ({len(text)} chars)"


def diff(a: dict[str, Any], b: dict[str, Any]) -> list[str]:
    """List the differences between two fingerprints as human-readable lines.

    Paths are written ``database/section/object/field``.  Long or multi-line strings (create
    statements) are shown as a short unified diff.  An empty list means the fingerprints are
    equal.
    """
    out: list[str] = []
    _diff(a, b, [], out)
    return out


def _diff(a: Any, b: Any, path: list[str], out: list[str]) -> None:
    if isinstance(a, dict) and isinstance(b, dict):
        for key in sorted(set(a) | set(b), key=str):
            where = [*path, str(key)]
            if key not in b:
                out.append(f"{_path(where)}: only in first")
            elif key not in a:
                out.append(f"{_path(where)}: only in second")
            else:
                _diff(a[key], b[key], where, out)
        return
    if a == b:
        return
    if isinstance(a, str) and isinstance(b, str) and "\n" not in a + b and len(a) + len(b) > 160:
        at = next((i for i, (x, y) in enumerate(zip(a, b, strict=False)) if x != y), min(len(a), len(b)))
        start = max(0, at - 60)
        out.append(f"{_path(path)}: differs from character {at}:\n"
                   f"    first:  ...{a[start:at + 80]!r}\n    second: ...{b[start:at + 80]!r}")
        return
    if isinstance(a, str) and isinstance(b, str) and ("\n" in a or "\n" in b):
        lines = list(difflib.unified_diff(a.splitlines(), b.splitlines(), "first", "second",
                                          lineterm="", n=1))
        shown = lines[2:30]
        if len(lines) > 30:
            shown.append(f"... ({len(lines) - 30} more diff lines)")
        out.append(f"{_path(path)}: differs\n    " + "\n    ".join(shown))
        return
    out.append(f"{_path(path)}: {_describe(a)} != {_describe(b)}")
