"""Export a backup as one plain SQL file that the stock `mariadb`/`mysql` client loads.

The file is written in the order an empty server needs: databases and tables, rows, sequences,
then routines, views in dependency order, triggers and events (each under the sql_mode and client
character set it was created with, inside `DELIMITER ;;` blocks), and users last.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any, BinaryIO

from app.core import sqltext
from app.core.jobs import CancelToken, Counter, ProgressCallback, no_progress
from app.core.repository import Repository
from app.core.sqltext import charset_name, comment_text, display_name, quote_ident, quote_string

# The first line switches the stock client (MariaDB 10.5.25, 10.6.18, 10.11.8, 11.0.6 and later) to
# sandbox mode, in which it refuses every command of its own (`\\!` shell, `\\.` source, `system`,
# `pager`...) for the rest of the file: whatever a name or a definition holds, loading the file only
# runs SQL.  Older clients and servers read the line as a comment (it is executable only by a
# server of version 99.99.99).
SANDBOX = "/*M!999999\\- enable the sandbox mode */"

HEADER = SANDBOX + """
-- Custode export of backup {id}
-- taken {finished} from {server} ({version})
-- load with: mariadb --comments --default-character-set=utf8mb4 < this-file.sql
-- (--comments keeps the comments inside routine and trigger bodies)
/*!40101 SET NAMES utf8mb4 */;
SET @OLD_TIME_ZONE=@@TIME_ZONE, TIME_ZONE='+00:00';
SET @OLD_SQL_MODE=@@SQL_MODE, SQL_MODE='NO_AUTO_VALUE_ON_ZERO,NO_ENGINE_SUBSTITUTION';
SET @OLD_FOREIGN_KEY_CHECKS=@@FOREIGN_KEY_CHECKS, FOREIGN_KEY_CHECKS=0;
SET @OLD_UNIQUE_CHECKS=@@UNIQUE_CHECKS, UNIQUE_CHECKS=0;

"""

FOOTER = """
SET TIME_ZONE=@OLD_TIME_ZONE;
SET SQL_MODE=@OLD_SQL_MODE;
SET FOREIGN_KEY_CHECKS=@OLD_FOREIGN_KEY_CHECKS;
SET UNIQUE_CHECKS=@OLD_UNIQUE_CHECKS;
-- end of export
"""


def export_sql(repo: Repository, backup_id: str, out: BinaryIO,
               progress: ProgressCallback = no_progress, cancel: CancelToken | None = None) -> int:
    """Write the backup to `out` as SQL; returns the number of bytes written."""
    cancel = cancel or CancelToken()
    manifest = repo.load_backup(backup_id)
    counter = Counter("export", progress, total_bytes=sum(
        t["bytes"] for d in manifest["databases"] for t in d["tables"]))
    written = 0

    def write(data: bytes) -> None:
        nonlocal written
        out.write(data)
        written += len(data)

    write(HEADER.format(id=comment_text(backup_id), finished=comment_text(manifest["finished"]),
                        server=comment_text(manifest["server"]["url"]),
                        version=comment_text(manifest["server"]["version"])).encode())
    for database in manifest["databases"]:
        write(f"{sqltext.create_database(database['name'], database, if_not_exists=True)};\n"
              f"USE {quote_ident(database['name'])};\n\n".encode())
        for sequence in database["sequences"]:   # before tables: a DEFAULT may use one
            write(sqltext.definition_bytes(f"{sequence['create']};\n{sqltext.setval(None, sequence)};\n\n"))
        for table in database["tables"]:
            if table.get("definition_only"):
                continue   # created after every table: its rows are those of other tables
            write(f"-- table {display_name(database['name'], table['name'])}: "
                  f"{int(table['rows'])} rows\n".encode())
            write(sqltext.definition_bytes(table["create"]) + b";\n")
            prefix = sqltext.insert_prefix(None, table["name"], table["columns"])
            for obj in table["objects"]:
                for frame in sqltext.iter_frames(repo.read(obj["id"])):
                    cancel.check()
                    # The client turns CR LF inside a string into LF; a CR byte can only be
                    # inside a quoted string, where the escape \r means the same.
                    if isinstance(frame, sqltext.LongFrame):   # written as it is read
                        write(prefix)
                        for piece in frame.pieces:
                            write(piece.replace(b"\r", b"\\r"))
                            counter.add(len(piece))
                        write(b";\n")
                        continue
                    write(prefix + frame.replace(b"\r", b"\\r") + b";\n")
                    counter.add(len(frame))
            write(b"\n")
    for database in manifest["databases"]:   # tables whose rows are other tables' (MERGE)
        for table in database["tables"]:
            if table.get("definition_only"):
                write(f"-- table {display_name(database['name'], table['name'])}: "
                      f"{comment_text(str(table['definition_only']))}\n"
                      f"USE {quote_ident(database['name'])};\n".encode()
                      + sqltext.definition_bytes(table["create"]) + b";\n\n")
    for database in manifest["databases"]:   # routines before views: a view may call one
        for routine in database["routines"]:
            write(_definition(database, routine, routine["create"], delimiter=True))
    databases = {d["name"]: d for d in manifest["databases"]}
    views = {(d["name"], v["name"]): v for d in manifest["databases"] for v in d["views"]}
    for db_name, view_name in manifest.get("view_order", []):
        view = views[(db_name, view_name)]
        write(_definition(databases[db_name], view, view["create"], delimiter=False))
    for database in manifest["databases"]:
        for kind in ("triggers", "events"):
            for obj in database[kind]:
                write(_definition(database, obj, obj["create"], delimiter=True))
    for user in manifest.get("users", []):
        write(f"{user['create']};\n".encode())
        write("".join(f"{grant};\n" for grant in user["grants"]).encode())
    write(FOOTER.encode())
    counter.finish()
    return written


def _definition(database: dict[str, Any], obj: dict[str, Any], create: str, *,
                delimiter: bool) -> bytes:
    """A stored definition with the session settings it needs, restored afterwards.

    The definition itself is written in its own client character set (bytes the stock client
    passes through unchanged), so a latin1 trigger body comes back byte for byte.  A stored
    program keeps the database collation it was created under (the server records it, and a
    `CHAR` parameter takes that character set): the database's default is switched to it for the
    CREATE and back afterwards, as mariadb-dump does.
    """
    name = quote_ident(database["name"])
    charset, body = sqltext.encode_for(create, obj.get("character_set_client"))
    collation = obj.get("collation_connection") if charset == obj.get("character_set_client") else None
    created_under = obj.get("database_collation")
    switch = bool(created_under) and created_under != database["collation"]
    before = [f"ALTER DATABASE {name} COLLATE {charset_name(created_under)};" if switch else "",
              f"USE {name};",
              f"SET @SAVED_SQL_MODE=@@SQL_MODE, SQL_MODE={quote_string(obj.get('sql_mode', ''))};",
              f"SET character_set_client={charset_name(charset)}"
              + (f", collation_connection={charset_name(collation)};" if collation else ";")]
    before = [line for line in before if line]
    if obj.get("time_zone"):
        before.append(f"SET @SAVED_TZ=@@TIME_ZONE, TIME_ZONE={quote_string(obj['time_zone'])};")
    if delimiter:
        before.append("DELIMITER ;;")
    after = ["DELIMITER ;" if delimiter else "", "SET NAMES utf8mb4;",
             "SET TIME_ZONE=@SAVED_TZ;" if obj.get("time_zone") else "",
             "SET SQL_MODE=@SAVED_SQL_MODE;",
             f"ALTER DATABASE {name} COLLATE {charset_name(database['collation'])};" if switch else ""]
    end = b";;\n" if delimiter else b";\n"
    return ("\n".join(before) + "\n").encode() + body + end + \
        ("\n".join(line for line in after if line) + "\n\n").encode()


def iter_backup_rows(repo: Repository, table: dict[str, Any]) -> Iterator[bytes]:
    """The frames of one table of a backup, in order (for previews and tools)."""
    for obj in table["objects"]:
        yield from sqltext.whole_frames(repo.read(obj["id"]))
