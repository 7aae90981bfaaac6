"""SQL text: identifiers, server-side value formatting and the frame layout of data objects.

The server formats rows itself: for each column an expression turns the value into an exact SQL
literal, every piece that has a character set is cast to BINARY (so no character set conversion
and no collation clash can happen), and `GROUP_CONCAT` joins a whole batch into one value per
round trip.  Python then handles one string per batch, never one value per row.

How each type becomes a literal, and why:
- integers, DECIMAL, YEAR, DOUBLE: their text form is exact (MariaDB prints doubles round-trip).
- FLOAT: printed with six digits by the server, which loses data; CAST(... AS DOUBLE) is exact.
- BIT: b'0101' from BIN().
- binary strings and BLOBs: _binary'..' from QUOTE(): raw bytes with only backslash, quote, NUL
  and Ctrl-Z escaped, half the size of hex.  Safe because in UTF-8 the bytes of a quote or a
  backslash are never inside a multi-byte character, so no parser mistakes where a string ends.
- spatial values: X'..' from HEX() (the internal format, SRID included, is accepted by INSERT).
- text in utf8mb3/utf8mb4/ascii: QUOTE(), which escapes quote, backslash, NUL and Ctrl-Z.
- text in any other character set: _charset X'..', because multi-byte sets such as sjis or gbk can
  contain a 0x5C (backslash) byte inside a character, which a quoted literal would break.
- dates and times: QUOTE() of the text form (sessions run in UTC so TIMESTAMPs do not shift).
"""

from __future__ import annotations

import re
import struct
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any, Protocol

from app.core.errors import DamageFound

FRAME_HEADER = struct.Struct("<I")
FRAME_LIMIT = 0xFFFFFFFF   # the longest frame body a 4-byte length can give
LONG_FRAME = 4 << 20       # a frame longer than this is read in pieces, never held whole

QUOTED_CHARSETS = frozenset({"utf8mb4", "utf8mb3", "utf8", "ascii"})
INTEGER_TYPES = frozenset({"tinyint", "smallint", "mediumint", "int", "integer", "bigint",
                           "decimal", "numeric", "year", "double", "real"})
BINARY_TYPES = frozenset({"binary", "varbinary", "tinyblob", "blob", "mediumblob", "longblob"})
SPATIAL_TYPES = frozenset({"geometry", "point", "linestring", "polygon", "multipoint",
                           "multilinestring", "multipolygon", "geometrycollection"})
UNCAST_EXCLUDED = BINARY_TYPES | SPATIAL_TYPES | {"bit"}


class ColumnLike(Protocol):
    name: str
    data_type: str
    charset: str | None


def quote_ident(name: str) -> str:
    return "`" + name.replace("`", "``") + "`"


def qname(database: str, name: str) -> str:
    return f"{quote_ident(database)}.{quote_ident(name)}"


def quote_string(value: str) -> str:
    return "'" + value.replace("\\", "\\\\").replace("'", "''") + "'"


_CHARSET_NAME = re.compile(r"[A-Za-z0-9_]{1,64}")


def charset_name(name: object) -> str:
    """A character set or collation name, as SQL takes it bare (`SET NAMES latin1`).

    Such names come from the server or a manifest; one that is not a plain word (a damaged or
    forged manifest) is refused rather than written into SQL.
    """
    if not isinstance(name, str) or not _CHARSET_NAME.fullmatch(name):
        raise DamageFound("the backup names a character set or collation that is not one: "
                          + comment_text(str(name)))
    return name


_UNSAFE_IN_COMMENT = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029\\\\]|\\*/")
_ESCAPES = {"\n": "\\n", "\r": "\\r", "\t": "\\t", "\\": "\\\\", "*/": "*\\/"}


def comment_text(text: str) -> str:
    """Any text (a name, a server's version string) made safe for one line of a comment, a log
    line or a message: line breaks and other control characters become escapes (`\\n`, `\\x00`),
    a backslash is doubled and `*/` cannot end a `/* */` comment.  What comes out is one line
    that a client can only skip: a name holding `<LF>\\! rm -rf ~` stays inside its `--` comment.
    (The flaw mysqldump had: its test for Bug#25717383.)"""
    def escape(match: re.Match[str]) -> str:
        found = match[0]
        return _ESCAPES.get(found) or (f"\\x{ord(found):02x}" if ord(found) < 0x100
                                       else f"\\u{ord(found):04x}")
    return _UNSAFE_IN_COMMENT.sub(escape, text)


def display_name(*parts: str) -> str:
    """`db.table` for a message, a comment or a log line: each part through `comment_text`."""
    return ".".join(comment_text(part) for part in parts)


def create_database(name: str, source: dict[str, Any], *, if_not_exists: bool = False,
                    comment: bool = True) -> str:
    """`CREATE DATABASE` with the character set, collation (and comment) a manifest recorded."""
    text = (f"CREATE DATABASE {'IF NOT EXISTS ' if if_not_exists else ''}{quote_ident(name)} "
            f"CHARACTER SET {charset_name(source['charset'])} "
            f"COLLATE {charset_name(source['collation'])}")
    if comment and source.get("comment"):
        text += f" COMMENT {quote_string(source['comment'])}"
    return text


def value_expr(column: ColumnLike) -> str:
    """An expression giving the column's value as an exact SQL literal (or the word NULL), as a
    binary string."""
    return f"CAST({_literal(column)} AS BINARY)"


def _literal(column: ColumnLike) -> str:
    c = quote_ident(column.name)
    kind = column.data_type
    if kind in INTEGER_TYPES:
        # NOT NULL needs no IFNULL (measured: a sixth of a numeric row's formatting on the server).
        return f"IFNULL({c},'NULL')" if getattr(column, "nullable", True) else c
    if kind == "float":
        return f"IFNULL(CAST({c} AS DOUBLE),'NULL')"
    if kind == "bit":
        return f"IF({c} IS NULL,'NULL',CONCAT('b''',BIN({c}),''''))"
    if kind in BINARY_TYPES or column.charset == "binary":
        return f"IF({c} IS NULL,'NULL',CONCAT('_binary',QUOTE({c})))"
    if kind in SPATIAL_TYPES:
        return f"IF({c} IS NULL,'NULL',CONCAT('X''',HEX({c}),''''))"
    if column.charset is None or column.charset in QUOTED_CHARSETS:
        return f"QUOTE({c})"
    return f"IF({c} IS NULL,'NULL',CONCAT('_{charset_name(column.charset)} X''',HEX({c}),''''))"


def _plain_ascii(column: ColumnLike) -> bool:
    """Numbers, dates and times: their literal is plain ASCII text with no character set."""
    return column.charset is None and column.data_type not in UNCAST_EXCLUDED


def load_data_compatible(column: ColumnLike) -> bool:
    """Whether the column's literal is one LOAD DATA reads as it is (app/core/loaddata.py): a
    plain number, a quoted string or NULL; not `_binary'..'`, `b'..'` or `X'..'`."""
    kind = column.data_type
    if kind in INTEGER_TYPES or kind == "float":
        return True
    if kind in UNCAST_EXCLUDED or column.charset == "binary":
        return False
    return column.charset is None or column.charset in QUOTED_CHARSETS


def tuple_expr(columns: Sequence[ColumnLike]) -> str:
    """`(v1,v2,...)` for one row, built by the server as a binary string.

    Values that carry a character set (text, and what is formatted from binary data) are cast to
    BINARY one by one, so that no conversion and no collation clash can happen between columns.
    Numbers and dates format as plain ASCII, and the `_binary'('` that opens the row makes the
    whole CONCAT binary: casting them as well cost the server about a sixth of a numeric row's
    formatting work.
    """
    parts: list[str] = ["_binary'('"]
    for column in columns:
        parts.append(_literal(column) if _plain_ascii(column) else value_expr(column))
        parts.append("','")
    parts[-1] = "')'"
    return "CONCAT(" + ",".join(parts) + ")"


def column_list(columns: Sequence[ColumnLike]) -> str:
    return ",".join(quote_ident(c.name) for c in columns)


def after_key(key: Sequence[str], literals: Sequence[str], inclusive: bool = False) -> str:
    """The condition `(k1, k2, ...) > (v1, v2, ...)` written out so range scans are used."""
    idents = [quote_ident(k) for k in key]
    terms = []
    for i, ident in enumerate(idents):
        equal = [f"{idents[j]} = {literals[j]}" for j in range(i)]
        last = i == len(idents) - 1
        op = ">=" if (inclusive and last) else ">"
        terms.append("(" + " AND ".join([*equal, f"{ident} {op} {literals[i]}"]) + ")")
    return "(" + " OR ".join(terms) + ")"


def key_range(key: Sequence[str], low: Sequence[str] | None, high: Sequence[str] | None) -> str:
    """Rows with low < key <= high (either bound may be open)."""
    conditions = []
    if low is not None:
        conditions.append(after_key(key, low))
    if high is not None:
        conditions.append(f"NOT {after_key(key, high)}")
    return " AND ".join(conditions) if conditions else "TRUE"


def append_frame(out: bytearray, body: bytes) -> None:
    """Add one frame (a length, then one INSERT's rows) to an object being built."""
    out += FRAME_HEADER.pack(len(body))
    out += body


@dataclass
class LongFrame:
    """A frame too long to hold: `size` bytes of body, arriving as `pieces`; read it to the end
    before asking for the next frame."""
    size: int
    pieces: Iterator[bytes]


def iter_frames(pieces: Iterable[bytes], long_frame: int = LONG_FRAME) -> Iterator[bytes | LongFrame]:
    """Split an object's plaintext, arriving in pieces, back into frames (one INSERT's rows); a
    frame longer than `long_frame` comes as a LongFrame, its body streamed from `pieces`."""
    source = iter(pieces)
    buffer = bytearray()
    leftover = b""

    def long_pieces(first: bytes, remaining: int) -> Iterator[bytes]:
        nonlocal leftover
        if first:
            yield first
        for piece in source:
            if len(piece) > remaining:
                leftover = piece[remaining:]
                piece = piece[:remaining]
            remaining -= len(piece)
            if piece:
                yield piece
            if not remaining:
                return
        if remaining:
            raise DamageFound("a data object ends inside a frame")

    for piece in source:
        buffer += piece
        offset = 0
        while len(buffer) - offset >= FRAME_HEADER.size:
            (size,) = FRAME_HEADER.unpack_from(buffer, offset)
            start = offset + FRAME_HEADER.size
            if size > long_frame:
                first = bytes(buffer[start:start + size])
                del buffer[:start + len(first)]
                body = long_pieces(first, size - len(first))
                yield LongFrame(size, body)
                if next(body, None) is not None:
                    raise RuntimeError("a LongFrame was not read to its end")
                buffer += leftover
                leftover = b""
                offset = 0
                continue
            end = start + size
            if end > len(buffer):
                break
            yield bytes(buffer[start:end])
            offset = end
        del buffer[:offset]
    if buffer:
        raise DamageFound("a data object ends inside a frame")


def whole_frames(pieces: Iterable[bytes]) -> Iterator[bytes]:
    """iter_frames with every frame gathered whole, long ones too (for previews and tests)."""
    for frame in iter_frames(pieces):
        yield b"".join(frame.pieces) if isinstance(frame, LongFrame) else frame


PY_CODECS = {"utf8mb4": "utf-8", "utf8mb3": "utf-8", "utf8": "utf-8", "ascii": "ascii",
             "latin1": "cp1252", "binary": "utf-8"}


def definition_bytes(text: str) -> bytes:
    """The bytes of a definition as the server showed it (schema.show_create): UTF-8, and any
    byte that was not UTF-8 (a literal after a character set introducer) given back as it was."""
    return text.encode("utf-8", "surrogateescape")


def encode_for(text: str, charset: str | None) -> tuple[str, bytes]:
    """Encode a definition in the client character set it was written in, if Python knows it.

    Returns the character set actually used (utf8mb4 when the original cannot be used) and bytes.
    """
    codec = PY_CODECS.get(charset or "")
    if codec:
        try:
            return str(charset), text.encode(codec)
        except UnicodeEncodeError:
            pass
    return "utf8mb4", definition_bytes(text)


_IDENT = r"(?:`(?:[^`]|``)+`|[\w$]+)"
_TRIGGER_HEAD = re.compile(
    rf"^(?P<head>.*?\bTRIGGER\s+)(?P<name>{_IDENT}(?:\s*\.\s*{_IDENT})?)"
    rf"(?P<mid>\s+(?:BEFORE|AFTER)\s+(?:INSERT|UPDATE|DELETE)\s+ON\s+)"
    rf"(?P<table>{_IDENT}(?:\s*\.\s*{_IDENT})?)", re.IGNORECASE | re.DOTALL)


def _unquote(identifier: str) -> str:
    identifier = identifier.strip()
    if identifier.startswith("`"):
        return identifier[1:-1].replace("``", "`")
    return identifier


def requalify_trigger(create: str, rename: dict[str, str]) -> str:
    """Point a trigger's `db.name ... ON db.table` header at a renamed database.

    A trigger's statement is kept as its author wrote it, qualified names included; the server
    would create it in the old database otherwise.  The body is left alone.
    """
    match = _TRIGGER_HEAD.match(create)
    if not match or not rename:
        return create

    def fix(qualified: str) -> str:
        parts = re.findall(_IDENT, qualified)
        if len(parts) == 2 and _unquote(parts[0]) in rename:
            return f"{quote_ident(rename[_unquote(parts[0])])}.{parts[1]}"
        return qualified

    return (match["head"] + fix(match["name"]) + match["mid"] + fix(match["table"])
            + create[match.end():])


_FK_TARGET = re.compile(r"(\) REFERENCES )(`(?:[^`]|``)+`)( \()")


def qualify_foreign_keys(create: str, database: str, staged: set[str]) -> str:
    """Point foreign keys at `database` for parent tables that are not restored along.

    A table is created in a staging schema; an unqualified `REFERENCES `film`` would name the
    staging schema's `film`, and keep naming it after the table is renamed into place unless
    `film` moves too.  Parents outside `staged` are named in the target database instead.
    """
    def fix(match: re.Match[str]) -> str:
        if _unquote(match[2]) in staged:
            return match[0]
        return f"{match[1]}{quote_ident(database)}.{match[2]}{match[3]}"

    return _FK_TARGET.sub(fix, create) if "FOREIGN KEY" in create else create


def split_secondary_keys(create: str) -> tuple[str, list[str]]:
    """Take the plain secondary indexes out of a `SHOW CREATE TABLE` text.

    Loading rows and then building an index sorted in one pass is faster than maintaining it row
    by row.  Returns the statement without those `KEY` lines and the lines themselves, to be added
    back with one `ALTER TABLE ... ADD ...` in the same order (so `SHOW CREATE TABLE` comes out
    the same).  Tables with foreign keys are left whole: InnoDB would create an index of its own
    for a foreign key whose index is missing.
    """
    if "FOREIGN KEY" in create:
        return create, []
    lines = create.split("\n")
    keys = [line.strip().rstrip(",") for line in lines if line.startswith("  KEY `")]
    if not keys:
        return create, []
    kept = [line for line in lines if not line.startswith("  KEY `")]
    closing = next(i for i in range(len(kept) - 1, 0, -1) if kept[i].startswith(")"))
    kept[closing - 1] = kept[closing - 1].rstrip(",")
    return "\n".join(kept), keys


def setval(database: str | None, sequence: dict[str, object]) -> str:
    """The statement that puts a sequence back where the backup found it."""
    name = qname(database, str(sequence["name"])) if database else quote_ident(str(sequence["name"]))
    return (f"SELECT SETVAL({name}, {int(str(sequence['next_value']))}, 0, "
            f"{int(str(sequence.get('round', 0)))})")


def insert_prefix(database: str | None, table: str, columns: Sequence[str]) -> bytes:
    """`INSERT INTO t (c1,...) VALUES ` for the column names a manifest records."""
    target = qname(database, table) if database else quote_ident(table)
    return f"INSERT INTO {target} ({','.join(quote_ident(c) for c in columns)}) VALUES ".encode()
