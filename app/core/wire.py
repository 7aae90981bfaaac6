"""Reading a one-column result set straight off the wire, without a Python object per row.

Tables without a usable key cannot be cut into ranges, so their rows arrive one per result row
(each already formatted by the server as an SQL tuple).  PyMySQL spends about 5 microseconds of
Python per row on them (packet objects, length parsing, a tuple per row); this reader walks the
row packets in place and hands back frames of about `target` bytes, the values joined by ",":
about 1 microsecond per row, measured on 1.8M rows.

A row longer than `long_row` is not gathered: it is handed over as a `LongRow`, whose pieces
(at most READ_SIZE bytes each) come straight from the socket, so a 100 MB row costs a megabyte
of memory, not several copies of itself.

It relies on three internals of the pinned PyMySQL (1.2.x): `Connection._rfile` (the buffered
socket), `Connection._next_seq_id` and the unbuffered `MySQLResult` left in `Connection._result`
by `query(sql, unbuffered=True)`; PyMySQL does not negotiate CLIENT_DEPRECATE_EOF, so a result
ends with a classic EOF packet.  `send_query` writes one statement whose text arrives in pieces,
as PyMySQL's `query` writes it whole.  tests/core/test_wire.py compares both with PyMySQL.
"""

from __future__ import annotations

from collections.abc import Generator, Iterable, Iterator
from dataclasses import dataclass
from typing import Any

import pymysql
from pymysql.constants import COMMAND
from pymysql.protocol import MysqlPacket

from app.core.sqltext import LONG_FRAME

MAX_PACKET = 0xFFFFFF   # a payload this long continues in the next packet
READ_SIZE = 1 << 20
LONG_ROW = LONG_FRAME   # a row longer than this is handed over in pieces (and loads alone)


class NullValue(ValueError):
    """The query gave NULL where a value was promised (CONCAT does for a result longer than the
    server's max_allowed_packet)."""


@dataclass
class LongRow:
    """One row's value, `size` bytes, arriving as `pieces`; read it to the end before asking the
    reader for the next frame."""
    size: int
    pieces: Iterator[bytes]


def stream_frames(connection: pymysql.connections.Connection, sql: str, target: int,
                  long_row: int = LONG_ROW) -> Generator[tuple[bytes | LongRow, int], None, None]:
    """Run `sql` (one non-NULL column) and yield (values joined by ",", row count) frames; a
    row longer than `long_row` comes alone, as (LongRow, 1).

    Stopping early (an exception in the consumer, or closing the generator) closes the
    connection: the rest of the result cannot be skipped cheaply, and a half-read connection
    must not be used again.
    """
    connection.query(sql, unbuffered=True)
    result: Any = connection._result
    if result is None or not result.unbuffered_active:
        return   # not a result set (cannot happen for a SELECT)
    if result.field_count != 1:
        raise ValueError("stream_frames reads one-column results only")
    rfile = connection._rfile
    seq: int = connection._next_seq_id
    buf = b""
    pos = 0
    parts: list[bytes] = []
    size = rows = 0
    finished = False

    def more(data: bytes) -> bytes:
        try:
            chunk = rfile.read1(READ_SIZE)
        except OSError as exc:
            raise pymysql.err.OperationalError(
                2013, f"Lost connection to server during query ({exc})") from None
        if not chunk:
            raise pymysql.err.OperationalError(2013, "Lost connection to server during query")
        return data + chunk

    def header() -> int:
        """Read the next packet's header (sequence checked); return its payload length."""
        nonlocal buf, pos, seq
        while len(buf) - pos < 4:
            buf, pos = more(buf[pos:]), 0
        length = buf[pos] | buf[pos + 1] << 8 | buf[pos + 2] << 16
        if buf[pos + 3] != seq:
            raise pymysql.err.InternalError(
                f"Packet sequence number wrong - got {buf[pos + 3]} expected {seq}")
        seq = (seq + 1) & 255
        pos += 4
        return length

    def long_pieces(left: int, skip: int) -> Iterator[bytes]:
        """The payload of the row whose first packet (`left` bytes, header read) starts at
        `pos`, without its first `skip` bytes (the length prefix), in pieces."""
        nonlocal buf, pos
        while True:
            more_packets = left == MAX_PACKET
            while left:
                if pos == len(buf):
                    buf, pos = more(b""), 0
                take = min(left, len(buf) - pos)
                piece = buf[pos:pos + take]
                pos += take
                left -= take
                if skip:
                    cut = min(skip, len(piece))
                    piece, skip = piece[cut:], skip - cut
                if piece:
                    yield piece
            if not more_packets:
                return
            left = header()

    try:
        while True:
            avail = len(buf) - pos
            if avail < 4:
                buf, pos = more(buf[pos:]), 0
                continue
            length = buf[pos] | buf[pos + 1] << 8 | buf[pos + 2] << 16
            if avail < 4 + min(length, 9):
                buf, pos = more(buf[pos:]), 0   # (the packet is incomplete: more will come)
                continue
            first = buf[pos + 4] if length else 0xFB
            if first in (0xFC, 0xFD) or (first == 0xFE and length >= 9):
                prefix = {0xFC: 3, 0xFD: 4, 0xFE: 9}[first]
                value_length = int.from_bytes(buf[pos + 5:pos + 4 + prefix], "little")
                if value_length > long_row or length == MAX_PACKET:   # (more packets follow)
                    if parts:
                        yield b",".join(parts), rows
                        parts, size, rows = [], 0, 0
                    length = header()
                    pieces = long_pieces(length, prefix)
                    yield LongRow(value_length, pieces), 1
                    if next(pieces, None) is not None:
                        raise RuntimeError("a LongRow was not read to its end")
                    continue
            if avail < 4 + length:
                buf, pos = more(buf[pos:]), 0
                continue
            if buf[pos + 3] != seq:
                raise pymysql.err.InternalError(
                    f"Packet sequence number wrong - got {buf[pos + 3]} expected {seq}")
            seq = (seq + 1) & 255
            end = pos + 4 + length
            if first < 251:
                value = buf[pos + 5:end]
            elif first == 0xFC:
                value = buf[pos + 7:end]
            elif first == 0xFD:
                value = buf[pos + 8:end]
            elif first == 0xFE and length >= 9:
                value = buf[pos + 13:end]
            else:
                # EOF (0xFE), error (0xFF) or a NULL value (0xFB): the result ends here.
                packet = MysqlPacket(buf[pos + 4:end], connection.encoding)
                pos = end
                connection._next_seq_id = seq
                result.unbuffered_active = False
                finished = True
                if first == 0xFB:
                    raise NullValue("stream_frames: the query returned NULL")
                if first == 0xFF:
                    packet.raise_for_error()   # raises the server's error
                result._check_packet_is_eof(packet)
                break
            pos = end
            parts.append(value)
            size += len(value) + 1
            rows += 1
            if size >= target:
                yield b",".join(parts), rows
                parts, size, rows = [], 0, 0
        if pos != len(buf):
            raise pymysql.err.InternalError("unexpected data after the end of a result")
        if parts:
            yield b",".join(parts), rows
    finally:
        if not finished:
            result.unbuffered_active = False   # or PyMySQL would try to drain it later
            try:
                connection.close()
            except Exception:  # noqa: BLE001 - already closed or broken: nothing more to do
                pass


def send_query(connection: pymysql.connections.Connection, size: int,
               pieces: Iterable[bytes]) -> int:
    """Run one statement of `size` bytes whose text comes in `pieces`; return the affected rows.

    Only a 16 MiB packet is held at a time (the protocol splits a longer statement into packets
    of exactly MAX_PACKET bytes, so that much must be gathered before a packet can be sent).
    A piece source that fails, or a text of another length, closes the connection: a statement
    sent in part cannot be taken back.
    """
    if connection._sock is None:
        raise pymysql.err.InterfaceError(0, "")
    if connection._result is not None and connection._result.unbuffered_active:
        connection._result._finish_unbuffered_query()
    connection._next_seq_id = 0
    packet = bytearray(bytes((COMMAND.COM_QUERY,)))
    total = 1 + size
    sent = 0
    try:
        for piece in pieces:
            view = memoryview(piece)
            while view:
                take = min(len(view), MAX_PACKET - len(packet))
                packet += view[:take]
                view = view[take:]
                if len(packet) == MAX_PACKET:
                    connection.write_packet(packet)
                    sent += MAX_PACKET
                    packet = bytearray()
        sent += len(packet)
        if sent != total:
            raise ValueError(f"send_query: the statement has {sent - 1} bytes, not {size}")
        connection.write_packet(packet)   # shorter than MAX_PACKET (maybe empty): the last one
    except BaseException:
        connection._force_close()
        raise
    connection._affected_rows = connection._read_query_result()
    return connection._affected_rows
