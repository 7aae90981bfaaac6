"""The cost of a table must not grow with the number of tables on the server.

Backs up 200 tables (10 databases of 20), then 2,000 (100 databases) on the same server, and
compares the statements the backup sent per table (the server's `Questions`); and reads the same
10 databases' definitions among 200 tables and among 2,000. A query that scans every table of
the server for each database (information_schema.GEOMETRY_COLUMNS filtered on G_TABLE_SCHEMA,
TRIGGERS on TRIGGER_SCHEMA) made reading 100 databases take 5.5 s instead of 1.0 s: its time
per table grew 1.75 times from 200 to 2,000 tables (0.97 to 1.70 ms); without it, 1.0 times.
"""

from __future__ import annotations

import time

from app.core import schema
from app.core.localserver import LocalServer
from app.core.repository import Repository
from tests.helpers.roundtrip import backup
from tests.helpers.servers import execute

TABLES = 20


def make(server: LocalServer, first: int, last: int) -> None:
    statements = []
    for d in range(first, last):
        name = f"cz_grow_{d:03}"
        statements.append(f"CREATE DATABASE {name}")
        for t in range(TABLES):
            statements.append(f"CREATE TABLE {name}.t{t:02} (id INT PRIMARY KEY, v VARCHAR(9))")
            statements.append(f"INSERT INTO {name}.t{t:02} VALUES (1, 'a'), (2, 'b')")
        statements.append(f"CREATE TRIGGER {name}.up BEFORE INSERT ON {name}.t00 "
                          "FOR EACH ROW SET NEW.v = UPPER(NEW.v)")
        statements.append(f"CREATE VIEW {name}.v AS SELECT * FROM {name}.t01")
    execute(server, *statements)


def questions(server: LocalServer) -> int:
    connection = server.connect()
    try:
        with connection.cursor() as cursor:
            cursor.execute("SHOW GLOBAL STATUS LIKE 'Questions'")
            return int(cursor.fetchone()[1])
    finally:
        connection.close()


def statements_per_table(server: LocalServer, repo: Repository, databases: list[str]) -> float:
    before = questions(server)
    backup(repo, server, databases)
    return (questions(server) - before - 1) / (len(databases) * TABLES)   # (-1: the Questions query)


def read_seconds(server: LocalServer, databases: list[str]) -> float:
    """Seconds to read the definitions of `databases`: the best of 5."""
    best = float("inf")
    connection = server.connect()
    try:
        for _ in range(5):
            started = time.perf_counter()
            for name in databases:
                schema.read_database(connection, name)
            best = min(best, time.perf_counter() - started)
    finally:
        connection.close()
    return best


def test_a_tables_cost_does_not_grow_with_the_tables_on_the_server(own: LocalServer,
                                                                    repo: Repository) -> None:
    first = [f"cz_grow_{d:03}" for d in range(10)]
    make(own, 0, 10)
    small = statements_per_table(own, repo, first)
    alone = read_seconds(own, first)
    make(own, 10, 100)
    large = statements_per_table(own, repo, [f"cz_grow_{d:03}" for d in range(100)])
    # The same 10 databases, read again with ten times the tables on the server.
    crowded = read_seconds(own, first)
    print(f"statements per table: {small:.1f} at 200 tables, {large:.1f} at 2,000; reading the "
          f"same 10 databases: {alone * 1000:.0f} ms among 200 tables, {crowded * 1000:.0f} ms "
          "among 2,000")
    assert large <= small * 1.05 + 0.5, "statements per table grew with the table count"
    # A two-row table: its definition, one sample, one batch, its checksum (and the database's
    # share). Batches past the highest key made it 38.
    assert small <= 6, f"{small:.1f} statements per small table"
    assert crowded <= alone * 2.0, "reading a database got slower with more tables on the server"
