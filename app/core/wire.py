"""Reading a one-column result set straight off the wire, without a Python object per row.

Tables without a usable key cannot be cut into ranges, so their rows arrive one per result row
(each already formatted by the server as an SQL tuple).  PyMySQL spends about 5 microseconds of
Python per row on them (packet objects, length parsing, a tuple per row); this reader walks the
row packets in place and hands back frames of about `target` bytes, the values joined by ",":
about 1 microsecond per row, measured on 1.8M rows.

It relies on three internals of the pinned PyMySQL (1.2.x): `Connection._rfile` (the buffered
socket), `Connection._next_seq_id` and the unbuffered `MySQLResult` left in `Connection._result`
by `query(sql, unbuffered=True)`; PyMySQL does not negotiate CLIENT_DEPRECATE_EOF, so a result
ends with a classic EOF packet.  tests/core/test_wire.py compares it with PyMySQL's own reader.
"""

from __future__ import annotations

from collections.abc import Generator
from typing import Any

import pymysql
from pymysql.protocol import MysqlPacket

MAX_PACKET = 0xFFFFFF   # a payload this long continues in the next packet
READ_SIZE = 1 << 20


def stream_frames(connection: pymysql.connections.Connection, sql: str,
                  target: int) -> Generator[tuple[bytes, int], None, None]:
    """Run `sql` (one non-NULL column) and yield (values joined by ",", row count) frames.

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

    try:
        while True:
            avail = len(buf) - pos
            if avail < 4:
                buf, pos = more(buf[pos:]), 0
                continue
            length = buf[pos] | buf[pos + 1] << 8 | buf[pos + 2] << 16
            if avail < 4 + length:
                buf, pos = more(buf[pos:]), 0
                continue
            if buf[pos + 3] != seq:
                raise pymysql.err.InternalError(
                    f"Packet sequence number wrong - got {buf[pos + 3]} expected {seq}")
            seq = (seq + 1) & 255
            end = pos + 4 + length
            if length == MAX_PACKET:
                # A row longer than 16 MiB spans several packets: gather them (rare, slow path).
                pieces = [buf[pos + 4:end]]
                pos = end
                while True:
                    while len(buf) - pos < 4:
                        buf, pos = more(buf[pos:]), 0
                    length = buf[pos] | buf[pos + 1] << 8 | buf[pos + 2] << 16
                    while len(buf) - pos < 4 + length:
                        buf, pos = more(buf[pos:]), 0
                    if buf[pos + 3] != seq:
                        raise pymysql.err.InternalError("Packet sequence number wrong")
                    seq = (seq + 1) & 255
                    pieces.append(buf[pos + 4:pos + 4 + length])
                    pos += 4 + length
                    if length < MAX_PACKET:
                        break
                payload = b"".join(pieces)
                value = payload[_value_offset(payload[0]):]
            else:
                first = buf[pos + 4]
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
                        raise ValueError("stream_frames: the query returned NULL")
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


def _value_offset(first: int) -> int:
    """Where a length-encoded string's bytes start, from its first byte."""
    return 1 if first < 251 else {0xFC: 3, 0xFD: 4, 0xFE: 9}[first]
