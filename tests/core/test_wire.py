"""The raw result reader gives exactly what PyMySQL's own reader gives, at every length boundary
of the protocol, and leaves the connection usable (or closed) as it should."""

from __future__ import annotations

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


def test_values_at_every_length_boundary_match_pymysql(connection: pymysql.connections.Connection) -> None:
    sql = _rows_sql(LENGTHS)
    expected = _pymysql_values(connection, sql)
    assert [len(v) for v in expected] == [max(3, n) for n in LENGTHS]
    frames = list(wire.stream_frames(connection, sql, target=1 << 20))
    assert sum(rows for _, rows in frames) == len(LENGTHS)
    assert b",".join(frame for frame, _ in frames) == b",".join(expected)
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
