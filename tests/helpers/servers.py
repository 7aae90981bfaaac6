"""Throwaway MariaDB servers for the tests, started once per session and stopped by pid."""

from __future__ import annotations

import subprocess
from pathlib import Path
from typing import Any

from app.core.localserver import LocalServer, find_program
from tests.helpers.fingerprint import fingerprint

ROOT = Path(__file__).resolve().parents[2]
SAKILA = ROOT / "resources" / "sakila"
HOSTILE = ROOT / "tests" / "data" / "hostile.sql"


def client_command(server: LocalServer, *extra: str) -> list[str]:
    """The stock client, reading no option files (`--no-defaults` must come first)."""
    client = find_program("mariadb") or find_program("mysql")
    assert client, "the mariadb client is not installed"
    return [client, "--no-defaults", "--default-character-set=utf8mb4", f"--socket={server.socket}",
            "--user=root", *extra]


def fingerprint_of(server: LocalServer, databases: list[str],
                   rename: dict[str, str] | None = None) -> dict[str, Any]:
    """tests/helpers/fingerprint.py's fingerprint of `databases` on `server`, on a connection of
    its own."""
    connection = server.connect()
    try:
        return fingerprint(connection, databases, rename)
    finally:
        connection.close()


def load_sql(server: LocalServer, path: Path, database: str | None = None) -> None:
    """Load a SQL file exactly as an administrator would: through the stock client."""
    args = client_command(server, *([database] if database else []))
    with open(path, "rb") as handle:
        result = subprocess.run(args, stdin=handle, capture_output=True, check=False)
    assert result.returncode == 0, result.stderr.decode(errors="replace")


def load_sakila(server: LocalServer) -> None:
    load_sql(server, SAKILA / "sakila-schema.sql")
    load_sql(server, SAKILA / "sakila-data.sql")


def execute(server: LocalServer, *statements: str) -> None:
    """Run statements one after another on a fresh connection."""
    connection = server.connect()
    try:
        with connection.cursor() as cursor:
            for statement in statements:
                cursor.execute(statement)
    finally:
        connection.close()


def drop_user_databases(server: LocalServer) -> None:
    """Leave a shared server as empty as it started (between tests)."""
    connection = server.connect()
    try:
        with connection.cursor() as cursor:
            # A safety copy's tables may reference a restored database by foreign key.
            cursor.execute("SET SESSION foreign_key_checks = 0")
            cursor.execute("SELECT SCHEMA_NAME FROM information_schema.SCHEMATA WHERE SCHEMA_NAME "
                           "NOT IN ('mysql','information_schema','performance_schema','sys')")
            for (name,) in cursor.fetchall():
                cursor.execute(f"DROP DATABASE `{name.replace('`', '``')}`")
    finally:
        connection.close()


def databases_of(server: LocalServer) -> set[str]:
    connection = server.connect()
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT SCHEMA_NAME FROM information_schema.SCHEMATA")
            return {row[0] for row in cursor.fetchall()} - {
                "mysql", "information_schema", "performance_schema", "sys"}
    finally:
        connection.close()


def tables_of(server: LocalServer, database: str) -> set[str]:
    """The tables and views of one database."""
    connection = server.connect()
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT TABLE_NAME FROM information_schema.TABLES WHERE TABLE_SCHEMA = %s",
                           (database,))
            return {row[0] for row in cursor.fetchall()}
    finally:
        connection.close()
