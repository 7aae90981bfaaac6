"""The raw result reader gives exactly what PyMySQL's own reader gives, at every length boundary
of the protocol, and leaves the connection usable (or closed) as it should."""

from __future__ import annotations

import hashlib
from collections.abc import Iterator

import pymysql
import pytest

from app.core import wire
from app.core.localserver import LocalServer

# Lengths around each length-encoding boundary (1, 3, 4 and 9 byte prefixes) and a value longer
# than one 16 MiB packet, so the multi-packet path runs too.
LENGTHS = [0, 1, 250, 251, 252, 65535, 65536, 65537, 0xFFFFFF - 5, 0xFFFFFF - 4, 0xFFFFFF - 3,
           0xFFFFFF, 0xFFFFFF + 7, 40_000_000]


def _rows_sql(lengths: list[int]) -> str:
    # Each value differs in content (a counter plus a repeated byte), one row per length.
    selects = [f"SELECT {i} AS n, CONCAT(LPAD({i}, 3, '0'), REPEAT(CHAR(65 + {i} % 26), "
               f"{max(0, length - 3)})) AS v" for i, length in enumerate(lengths)]
    return "SELECT v FROM (" + " UNION ALL ".join(selects) + ") AS t ORDER BY n"


def _pymysql_values(connection: pymysql.connections.Connection, sql: str) -> list[bytes]:
    with connection.cursor(pymysql.cursors.SSCursor) as cursor:
        cursor.execute(sql)
        return [bytes(row[0]) for row in cursor]


@pytest.fixture
def connection(target_server: LocalServer):  # type: ignore[no-untyped-def]
    conn = target_server.connect()
    with conn.cursor() as cursor:
        cursor.execute("SET NAMES binary")
    yield conn
    if conn.open:
        conn.close()


def _read_all(frames: Iterator[tuple[bytes | wire.LongRow, int]]) -> list[tuple[bytes, int, bool]]:
    """(frame, rows, came as a LongRow) for every frame, long rows read piece by piece."""
    out = []
    for frame, rows in frames:
        if isinstance(frame, wire.LongRow):
            pieces = list(frame.pieces)
            assert all(0 < len(p) <= wire.READ_SIZE for p in pieces)
            value = b"".join(pieces)
            assert len(value) == frame.size and rows == 1
            out.append((value, rows, True))
        else:
            out.append((frame, rows, False))
    return out


@pytest.mark.parametrize("long_row", [wire.LONG_ROW, 100_000, 0])
def test_values_at_every_length_boundary_match_pymysql(
        connection: pymysql.connections.Connection, long_row: int) -> None:
    sql = _rows_sql(LENGTHS)
    expected = _pymysql_values(connection, sql)
    assert [len(v) for v in expected] == [max(3, n) for n in LENGTHS]
    frames = _read_all(wire.stream_frames(connection, sql, target=1 << 20, long_row=long_row))
    assert sum(rows for _, rows, _ in frames) == len(LENGTHS)
    assert b",".join(frame for frame, _, _ in frames) == b",".join(expected)
    # Every row longer than long_row (and every row spanning packets) came alone, in pieces;
    # a value of under 251 bytes (a one-byte length) always comes whole.
    def prefix(n: int) -> int:
        return 1 if n < 251 else 3 if n < 1 << 16 else 4 if n < 1 << 24 else 9

    assert [len(f) for f, _, long in frames if long] == [
        len(v) for v in expected
        if (len(v) > long_row and len(v) >= 251) or len(v) + prefix(len(v)) >= 0xFFFFFF]
    with connection.cursor() as cursor:   # the connection is in step for the next query
        cursor.execute("SELECT 42")
        assert cursor.fetchone() == (42,)


def test_many_small_rows_come_in_frames_of_the_target_size(
        connection: pymysql.connections.Connection) -> None:
    sql = "SELECT CONCAT('(', seq, ',', QUOTE(REPEAT('x', seq % 50)), ')') FROM seq_1_to_200000"
    with connection.cursor() as cursor:
        cursor.execute("USE mysql")
    expected = _pymysql_values(connection, sql)
    frames = list(wire.stream_frames(connection, sql, target=64 << 10))
    assert b",".join(frame for frame, _ in frames) == b",".join(expected)
    assert sum(rows for _, rows in frames) == 200_000
    assert len(frames) > 50 and all(len(f) < (64 << 10) + 100 for f, _ in frames)


def test_an_error_in_the_middle_of_a_result_is_raised_and_the_connection_stays_usable(
        connection: pymysql.connections.Connection) -> None:
    with connection.cursor() as cursor:
        cursor.execute("USE mysql")
    sql = ("SELECT CONCAT(seq, IF(seq = 150000, (SELECT 1 UNION SELECT 2), '')) "
           "FROM seq_1_to_200000")
    with pytest.raises(pymysql.err.OperationalError, match="more than 1 row"):
        for _ in wire.stream_frames(connection, sql, target=1 << 10):
            pass
    with connection.cursor() as cursor:
        cursor.execute("SELECT 7")
        assert cursor.fetchone() == (7,)


def test_stopping_early_closes_the_connection(connection: pymysql.connections.Connection) -> None:
    with connection.cursor() as cursor:
        cursor.execute("USE mysql")
    frames = wire.stream_frames(connection, "SELECT REPEAT('y', 100) FROM seq_1_to_100000", 4096)
    next(frames)
    frames.close()
    assert not connection.open


def test_a_null_value_is_refused(connection: pymysql.connections.Connection) -> None:
    with pytest.raises(ValueError, match="NULL"):
        list(wire.stream_frames(connection, "SELECT 'a' UNION ALL SELECT NULL", 1 << 20))


def test_a_long_row_read_in_part_closes_the_connection(
        connection: pymysql.connections.Connection) -> None:
    frames = wire.stream_frames(connection, "SELECT REPEAT('z', 30000000)", 1 << 20)
    frame, _ = next(frames)
    assert isinstance(frame, wire.LongRow) and frame.size == 30_000_000
    next(frame.pieces)
    with pytest.raises(RuntimeError, match="not read to its end"):
        next(frames)
    assert not connection.open


# Statements around the packet boundaries: the command byte plus the text fill exactly one
# packet, one byte more or less, exactly two (an empty third follows), and a long one.
STATEMENT_SIZES = [60, 0xFFFFFF - 2, 0xFFFFFF - 1, 0xFFFFFF, 2 * 0xFFFFFF - 1, 2 * 0xFFFFFF,
                   40_000_000]


@pytest.mark.parametrize("size", STATEMENT_SIZES)
def test_a_statement_sent_in_pieces_runs_as_sent_whole(
        connection: pymysql.connections.Connection, size: int) -> None:
    with connection.cursor() as cursor:
        cursor.execute("CREATE DATABASE IF NOT EXISTS wire_test")
        cursor.execute("CREATE OR REPLACE TABLE wire_test.t (id INT PRIMARY KEY, v LONGBLOB)")
    prefix = b"INSERT INTO wire_test.t VALUES (1,_binary'"
    suffix = b"'),(2,'two')"
    body = bytes(range(65, 91)) * (size // 26 + 1)
    body = body[:size - len(prefix) - len(suffix)]
    text = prefix + body + suffix
    assert len(text) == size
    pieces = [text[i:i + 777_777] for i in range(0, size, 777_777)]
    assert wire.send_query(connection, size, iter(pieces)) == 2
    with connection.cursor() as cursor:
        cursor.execute("SELECT LENGTH(v), MD5(v) FROM wire_test.t WHERE id = 1")
        assert cursor.fetchone() == (len(body), hashlib.md5(body).hexdigest().encode())
        cursor.execute("DROP DATABASE wire_test")


def test_a_failing_piece_source_closes_the_connection(
        connection: pymysql.connections.Connection) -> None:
    def pieces() -> Iterator[bytes]:
        yield b"SELECT '" + b"x" * 20_000_000
        raise OSError("the object could not be read")

    with pytest.raises(OSError, match="could not be read"):
        wire.send_query(connection, 40_000_000, pieces())
    assert not connection.open
