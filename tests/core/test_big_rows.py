"""Rows of a megabyte and one of 100 MB: memory stays bounded by the configuration, not the row.

Issue 21 measured 600 MB of peak memory to back up a table with one 100 MB row and 563 MB to
restore it: the row was gathered, then copied several times. A row longer than a few megabytes
now goes to an object of its own, spooled to disk as it arrives, and is sent back to a server
as it is read. Each command runs in its own process, which reports its own peak (VmHWM).
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from app.core.localserver import LocalServer
from tests.helpers.peak import ROOT, run_measured
from tests.helpers.servers import drop_user_databases, execute, load_sql

MEMORY_LIMIT = 200 << 20     # the promise (README): whatever the size of a row
HUGE = 100 << 20


def random_bytes(size: int) -> str:
    """A server-side expression for `size` incompressible bytes (RANDOM_BYTES gives 1 KiB)."""
    assert size % 1024 == 0
    return f"(SELECT GROUP_CONCAT(RANDOM_BYTES(1024) SEPARATOR '') FROM seq_1_to_{size // 1024})"


def contents(server: LocalServer) -> dict[str, list[tuple[object, ...]]]:
    """Every row of the test's tables, as key, length and MD5 of the long value."""
    connection = server.connect()
    try:
        with connection.cursor() as cursor:
            out = {}
            for table, key in (("docs", "id"), ("loose", "body"), ("texts", "id")):
                cursor.execute(f"SELECT {'id' if key == 'id' else 'NULL'}, LENGTH(body), MD5(body) "
                               f"FROM bigrows.{table} ORDER BY {key}")
                out[table] = list(cursor.fetchall())
            return out
    finally:
        connection.close()


@pytest.fixture
def big_rows(source_server: LocalServer) -> LocalServer:
    execute(source_server, "DROP DATABASE IF EXISTS bigrows", "CREATE DATABASE bigrows",
            "USE bigrows", "SET SESSION group_concat_max_len = 1073741824",
            # a key: batches find rows too long for one GROUP_CONCAT and stream them
            "CREATE TABLE docs (id INT PRIMARY KEY, note VARCHAR(20), body LONGBLOB)",
            f"INSERT INTO docs SELECT seq, CONCAT('doc ', seq), {random_bytes(1 << 20)} "
            "FROM seq_1_to_30",
            f"INSERT INTO docs VALUES (15000, 'the huge one', {random_bytes(HUGE)})",
            "INSERT INTO docs VALUES (15001, 'after it', 'small'), (15002, 'empty', '')",
            # no key: one sequential pass
            "CREATE TABLE loose (body LONGBLOB)",
            f"INSERT INTO loose VALUES ('a'), ({random_bytes(30 << 20)}), ('z')",
            # text only: restored with LOAD DATA, the long row through it too
            "CREATE TABLE texts (id INT PRIMARY KEY, body LONGTEXT) CHARACTER SET utf8mb4",
            "INSERT INTO texts VALUES (1, REPEAT('\\'x\\\\\\r\\n\\0ü🦊', 2000000)), (2, 'short')")
    yield source_server
    execute(source_server, "DROP DATABASE IF EXISTS bigrows")


@pytest.fixture
def env(tmp_path: Path, big_rows: LocalServer) -> dict[str, str]:
    environment = {k: v for k, v in os.environ.items() if not k.startswith(("CUSTODE", "MYSQL"))}
    environment.update(CUSTODE_REPO=str(tmp_path / "repo"), CUSTODE_PASSWORD="big rows pass",
                       CUSTODE_HOME=str(tmp_path / "home"), PYTHONPATH=str(ROOT))
    return environment


def test_a_100_mb_row_backs_up_restores_and_exports_in_bounded_memory(
        env: dict[str, str], big_rows: LocalServer, target_server: LocalServer,
        tmp_path: Path) -> None:
    expected = contents(big_rows)
    assert expected["docs"][30][1] == HUGE and len(expected["docs"]) == 33
    peak = tmp_path / "peak"
    assert run_measured(env, peak, "init")[0].returncode == 0

    backup, memory = run_measured(env, peak, "backup", "--databases", "bigrows",
                                  "--server", big_rows.url)
    assert backup.returncode == 0, backup.stderr
    assert 0 < memory < MEMORY_LIMIT, f"backup peaked at {memory >> 20} MiB"
    assert not any((tmp_path / "home" / "cache").iterdir()), "a spooled row was left behind"

    drop_user_databases(target_server)
    restore, memory = run_measured(env, peak, "restore", "latest", "--yes",
                                   "--server", target_server.url)
    assert restore.returncode == 0, restore.stderr
    assert 0 < memory < MEMORY_LIMIT, f"restore peaked at {memory >> 20} MiB"
    assert contents(target_server) == expected

    verify, memory = run_measured(env, peak, "verify", "latest")
    assert verify.returncode == 0, verify.stderr
    assert 0 < memory < MEMORY_LIMIT, f"verify peaked at {memory >> 20} MiB"

    exported, memory = run_measured(env, peak, "export", "latest", "--format", "sql",
                                    "-o", str(tmp_path / "big.sql"))
    assert exported.returncode == 0, exported.stderr
    assert 0 < memory < MEMORY_LIMIT, f"export peaked at {memory >> 20} MiB"
    drop_user_databases(target_server)
    load_sql(target_server, tmp_path / "big.sql")   # the stock client reads it back
    assert contents(target_server) == expected
    drop_user_databases(target_server)


def test_a_row_the_server_cannot_format_is_named_with_what_to_change(
        env: dict[str, str], big_rows: LocalServer, tmp_path: Path) -> None:
    execute(big_rows, "SET GLOBAL max_allowed_packet = 16777216")   # below the 100 MB row
    try:
        assert run_measured(env, tmp_path / "peak", "init")[0].returncode == 0
        backup, _ = run_measured(env, tmp_path / "peak", "backup", "--databases", "bigrows",
                                 "--server", big_rows.url)
    finally:
        execute(big_rows, "SET GLOBAL max_allowed_packet = 268435456")
    assert backup.returncode != 0
    lines = backup.stderr.strip().splitlines()
    assert len(lines) == 1 and "Traceback" not in backup.stderr, backup.stderr
    # each of the three tables has such a row; the first one met is named
    assert any(f"bigrows.{table} has a row" in lines[0] for table in ("docs", "loose", "texts"))
    assert "max_allowed_packet (16777216 bytes" in lines[0]
    assert "SET GLOBAL max_allowed_packet" in lines[0]
    listed, _ = run_measured(env, tmp_path / "peak", "list")
    assert "bigrows" not in listed.stdout   # no backup that looks good
